"""The days a room cannot be asked for, beside its hours (works, holidays of the place)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from places.models import Room


class ClosedPeriod(models.Model):
    room = models.ForeignKey(
        Room, verbose_name=_("salle"), on_delete=models.CASCADE, related_name="closed_periods"
    )
    first_day = models.DateField(_("du"))
    last_day = models.DateField(_("au (inclus)"))
    note = models.CharField(_("précision"), max_length=200, blank=True)

    class Meta:
        ordering = ["room", "first_day"]
        verbose_name = _("fermeture d'une salle")
        verbose_name_plural = _("fermetures des salles")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_day__gte=models.F("first_day")),
                name="closed_period_in_order",
            )
        ]
        indexes = [models.Index(fields=["room", "first_day", "last_day"])]

    def __str__(self):
        return _("%(room)s fermée du %(first)s au %(last)s") % {
            "room": self.room,
            "first": f"{self.first_day:%d/%m/%Y}",
            "last": f"{self.last_day:%d/%m/%Y}",
        }
