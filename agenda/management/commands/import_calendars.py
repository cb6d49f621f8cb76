"""Fetch the places' own calendars and merge them into their events (agenda.importing). Safe to
run as often as cron likes: an unchanged calendar changes nothing."""

from django.core.management.base import BaseCommand, CommandError

from ...importing import import_feed
from ...models import CalendarFeed


class Command(BaseCommand):
    help = (
        "Importe les agendas des lieux (iCalendar : Mobilizon, OpenAgenda…) dans leurs "
        "évènements ; --feed ID n'importe que celui-là. Les erreurs s'affichent sur chaque agenda "
        "dans le back-office."
    )

    def add_arguments(self, parser):
        parser.add_argument("--feed", type=int, help="L'identifiant d'un seul agenda à importer.")

    def handle(self, feed=None, **options):
        feeds = CalendarFeed.objects.select_related("place").order_by("pk")
        if feed is not None:
            feeds = feeds.filter(pk=feed)
            if not feeds.exists():
                raise CommandError(f"Aucun agenda importé n'a l'identifiant {feed}.")
        else:
            feeds = feeds.filter(active=True)
        failures = 0
        for calendar in feeds:
            if import_feed(calendar):
                self.stdout.write(
                    f"{calendar.url} : {calendar.created_count} ajouté(s), "
                    f"{calendar.updated_count} mis à jour, {calendar.cancelled_count} annulé(s), "
                    f"{calendar.skipped_count} ignoré(s)"
                )
            else:
                failures += 1
                self.stderr.write(f"{calendar.url} : {calendar.last_error}")
        if failures:
            raise CommandError(f"{failures} agenda(s) non importé(s).")
