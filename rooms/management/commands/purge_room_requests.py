"""Erase who asked for a room (name, e-mail, phone, organisation, purpose) ROOM_RETENTION_MONTHS
after the booking; the request stays, anonymous, for the network's figures. Safe to run daily."""

from django.core.management.base import BaseCommand

from ...bookings import purge


class Command(BaseCommand):
    help = (
        "Efface les coordonnées des demandeurs de salle ROOM_RETENTION_MONTHS mois après le "
        "créneau."
    )

    def handle(self, **options):
        erased = purge()
        self.stdout.write(self.style.SUCCESS(f"{erased} demande(s) anonymisée(s)."))
