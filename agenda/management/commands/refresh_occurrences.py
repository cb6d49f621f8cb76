"""Once a day (cron): the table of occurrences moves with the days. Each event that may have a
date in the table's window has its dates written again (Event.refresh_occurrences(), from
recurrence.py); the dates before the window are removed."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from ... import recurrence
from ...models import Event, Occurrence


class Command(BaseCommand):
    help = (
        "Écrit à nouveau les dates des évènements du mois passé à l'année qui vient (la table "
        "que lisent l'agenda, ses cartes, l'API et l'annuaire) ; à lancer chaque jour."
    )

    def handle(self, **options):
        today = timezone.localdate()
        start, end = recurrence.stored_window(today)
        with transaction.atomic():
            removed, _kinds = Occurrence.objects.filter(end__lte=start).delete()
        events = Event.objects.may_be_between(start, end).order_by("pk")
        count = 0
        for event in events.iterator(chunk_size=500):
            event.refresh_occurrences(today)
            count += 1
        self.stdout.write(
            f"{count} évènement(s) mis à jour, {removed} date(s) passée(s) retirée(s)"
        )
