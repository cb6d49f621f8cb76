"""Tell the people whose alert is now answered (a published place within the radius of their
commune finds their search), once, and delete their alert; delete the alerts left unconfirmed
past ALERT_CONFIRMATION_DAYS. Safe to run daily (cron) or more often."""

from django.core.management.base import BaseCommand

from ...alerts import notify_answered, purge


class Command(BaseCommand):
    help = (
        "Prévient une fois les personnes dont l'alerte a trouvé un lieu, puis l'efface ; efface "
        "les alertes non confirmées depuis ALERT_CONFIRMATION_DAYS jours."
    )

    def handle(self, **options):
        purged = purge()
        told = notify_answered()
        self.stdout.write(
            self.style.SUCCESS(
                f"{told} alerte(s) satisfaite(s) et prévenue(s), {purged} non confirmée(s) "
                "effacée(s)."
            )
        )
