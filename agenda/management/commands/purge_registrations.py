"""Delete the registrations for events whose date is more than REGISTRATION_RETENTION_DAYS past:
names, e-mails and phones are kept no longer than the event needs them. Safe to run daily."""

from django.core.management.base import BaseCommand

from ...registrations import purge


class Command(BaseCommand):
    help = (
        "Efface les inscriptions aux évènements passés depuis plus de "
        "REGISTRATION_RETENTION_DAYS jours."
    )

    def handle(self, **options):
        deleted = purge()
        self.stdout.write(self.style.SUCCESS(f"{deleted} inscription(s) effacée(s)."))
