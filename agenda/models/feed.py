"""A calendar a place keeps elsewhere, imported into its events."""

from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from places.models import Place


class CalendarFeed(models.Model):
    """A calendar a place already keeps elsewhere (a Mobilizon group, an OpenAgenda agenda, any
    iCalendar file), fetched by `manage.py import_calendars` into the place's events."""

    place = models.ForeignKey(
        Place, verbose_name=_("lieu"), on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    url = models.URLField(
        _("adresse de l'agenda"),
        max_length=500,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_(
            "L'adresse d'un fichier iCalendar (.ics) : le flux d'un groupe Mobilizon, l'export "
            "iCal d'un agenda OpenAgenda, celui d'un agenda en ligne…"
        ),
    )
    active = models.BooleanField(
        _("importé"), default=True, help_text=_("Décochez pour suspendre l'import.")
    )
    last_fetched_at = models.DateTimeField(_("dernier essai"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("dernier import réussi"), null=True, blank=True)
    last_error = models.TextField(_("dernière erreur"), blank=True)
    created_count = models.PositiveIntegerField(_("ajoutés"), default=0)
    updated_count = models.PositiveIntegerField(_("mis à jour"), default=0)
    cancelled_count = models.PositiveIntegerField(_("annulés"), default=0)
    skipped_count = models.PositiveIntegerField(_("ignorés"), default=0)
    skipped_note = models.TextField(_("évènements ignorés"), blank=True)

    # What the animateurs write is kept; each fetch's report is not (it is written by update()).
    history = HistoricalRecords(
        excluded_fields=[
            "last_fetched_at",
            "last_success_at",
            "last_error",
            "created_count",
            "updated_count",
            "cancelled_count",
            "skipped_count",
            "skipped_note",
        ]
    )

    class Meta:
        ordering = ["place", "url"]
        verbose_name = _("agenda importé")
        verbose_name_plural = _("agendas importés")
        constraints = [
            models.UniqueConstraint(fields=["place", "url"], name="unique_calendar_feed_per_place")
        ]

    def __str__(self):
        return f"{self.place} — {self.url}"
