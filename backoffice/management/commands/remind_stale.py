"""Ask the animateurs of places « à vérifier » or « à reconfirmer » whether their page is still
accurate, with a one-click link; tell the coordination after two reminders unanswered, and of the
places with nobody to ask. Safe to run daily (backoffice.reminders)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from ...reminders import close_answered, plan, send


class Command(BaseCommand):
    help = (
        "Écrit aux animateurs des lieux à vérifier ou à reconfirmer (lien « Toujours exact » "
        "sans mot de passe), relance après REMINDER_DAYS jours, puis prévient la coordination "
        "après deux rappels sans réponse ; --dry-run affiche sans rien envoyer ni enregistrer."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="N'envoie ni n'enregistre rien.")

    def handle(self, dry_run, **options):
        today, now = timezone.localdate(), timezone.now()
        if not dry_run:
            close_answered(today)
        round = plan(today, now)
        for person, reminders in round.letters.items():
            self.stdout.write(f"{person.email} : {len(reminders)} lieu(x)")
        for place in round.escalations:
            self.stdout.write(f"Deux rappels sans réponse, coordination prévenue : {place.name}")
        for place in round.orphans:
            self.stdout.write(f"Sans animateur à prévenir, coordination prévenue : {place.name}")
        if dry_run:
            self.stdout.write(self.style.SUCCESS(f"{len(round.letters)} rappel(s) à envoyer."))
            return
        told = send(round, now)
        if (round.escalations and not told) or (round.orphans and not round.orphans_told):
            self.stderr.write(
                "Personne à prévenir à la coordination : indiquez COORDINATION_EMAIL ou "
                "donnez une adresse à un coordinateur."
            )
        self.stdout.write(self.style.SUCCESS(f"{len(round.letters)} rappel(s) envoyé(s)."))
