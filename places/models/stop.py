"""Where and when an itinerant place stops."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from territory.models import Commune, latitude_validators, longitude_validators

from ..managers import StopManager
from .place import Place


class Stop(models.Model):
    """Where and when an itinerant place stops: a commune or a point, and a time in words."""

    place = models.ForeignKey(
        Place, verbose_name=_("lieu"), on_delete=models.CASCADE, related_name="stops"
    )
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    commune = models.ForeignKey(
        Commune,
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stops",
    )
    label = models.CharField(
        _("lieu de l'étape"), max_length=200, blank=True, help_text=_("Par exemple « marché »")
    )
    latitude = models.FloatField(
        _("latitude"), null=True, blank=True, validators=latitude_validators
    )
    longitude = models.FloatField(
        _("longitude"), null=True, blank=True, validators=longitude_validators
    )
    schedule = models.CharField(
        _("quand"), max_length=200, blank=True, help_text=_("Par exemple « mardi matin »")
    )

    objects = StopManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["place", "position"]
        verbose_name = _("étape")
        verbose_name_plural = _("étapes")
        constraints = [
            models.UniqueConstraint(fields=["place", "position"], name="unique_stop_position"),
            models.CheckConstraint(
                condition=models.Q(commune__isnull=False)
                | models.Q(latitude__isnull=False, longitude__isnull=False),
                name="stop_has_commune_or_point",
            ),
        ]

    def __str__(self):
        where = self.label or (self.commune.name if self.commune else "")
        return f"{where} — {self.schedule}" if self.schedule else where

    def natural_key(self):
        return (*self.place.natural_key(), self.position)

    natural_key.dependencies = ["places.place"]

    def clean(self):
        has_point = self.latitude is not None and self.longitude is not None
        if self.commune_id is None and not has_point:
            raise ValidationError(_("Une étape a une commune ou des coordonnées."))
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError(_("Indiquez la latitude et la longitude, ou aucune des deux."))

    @property
    def coordinates(self):
        """The stop's point, or its commune's town hall."""
        if self.latitude is not None:
            return self.latitude, self.longitude
        if self.commune and self.commune.townhall_latitude is not None:
            return self.commune.townhall_latitude, self.commune.townhall_longitude
        return None
