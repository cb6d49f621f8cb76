"""An event's dates: those moved in a series (RECURRENCE-ID), and the table of every date."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .. import recurrence
from .event import Event


class EventChange(models.Model):
    """One date of a recurring event moved or changed in time (RFC 5545's RECURRENCE-ID)."""

    event = models.ForeignKey(
        Event, verbose_name=_("évènement"), on_delete=models.CASCADE, related_name="changes"
    )
    date = models.DateField(_("date prévue"), help_text=_("Le jour que la règle donnait."))
    start = models.DateTimeField(_("nouveau début"))
    end = models.DateTimeField(_("nouvelle fin"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["event", "date"]
        verbose_name = _("date modifiée")
        verbose_name_plural = _("dates modifiées")
        constraints = [
            models.UniqueConstraint(fields=["event", "date"], name="unique_event_change"),
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="event_change_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.event} — {self.date:%Y-%m-%d}"

    def clean(self):
        errors = {}
        if self.start and self.end and self.end <= self.start:
            errors["end"] = _("La fin doit venir après le début.")
        try:
            event = self.event  # in a new event's form, the event not saved yet
        except Event.DoesNotExist:
            event = None
        if event is not None and self.date and event.start:
            try:
                if not recurrence.is_occurrence_day(event, self.date):
                    errors["date"] = _("La récurrence de l'évènement ne donne pas ce jour.")
            except ValidationError:
                pass  # the event's own form says what is wrong with its rule
        if errors:
            raise ValidationError(errors)


class Occurrence(models.Model):
    """One date of an event over the coming year (and the past month), as recurrence.py expands
    it: what the agenda's page, its map, the API and the directory read, in one indexed query.
    Written by Event.refresh_occurrences() only."""

    event = models.ForeignKey(
        Event, verbose_name=_("évènement"), on_delete=models.CASCADE, related_name="dates"
    )
    start = models.DateTimeField(_("début"), db_index=True)
    end = models.DateTimeField(_("fin"), db_index=True)

    class Meta:
        ordering = ["start", "event"]
        verbose_name = _("date d'un évènement")
        verbose_name_plural = _("dates des évènements")
        indexes = [models.Index(fields=["event", "start"])]

    def __str__(self):
        return f"{self.event} — {recurrence.local(self.start):%Y-%m-%d %H:%M}"

    @property
    def day(self):
        return recurrence.local(self.start).date()
