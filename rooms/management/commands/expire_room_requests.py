"""Close the requests of rooms left unanswered ROOM_REQUEST_EXPIRY_DAYS, or whose slot has begun,
telling both sides. Safe to run often (hourly by cron)."""

from django.core.management.base import BaseCommand

from ...bookings import expire


class Command(BaseCommand):
    help = (
        "Clôt les demandes de salle sans réponse depuis ROOM_REQUEST_EXPIRY_DAYS jours, ou dont "
        "le créneau a commencé."
    )

    def handle(self, **options):
        expired = expire()
        self.stdout.write(self.style.SUCCESS(f"{expired} demande(s) expirée(s)."))
