"""The rooms a place lends or rents."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .catalogue import Service
from .place import Place


class RoomManager(models.Manager):
    def get_by_natural_key(self, place_slug, name):
        return self.get(place__slug=place_slug, name=name)


class Room(models.Model):
    """A room a place lends or rents: the « BirdOffice lozérien » of shared rooms."""

    place = models.ForeignKey(
        Place, verbose_name=_("lieu"), on_delete=models.CASCADE, related_name="rooms"
    )
    name = models.CharField(_("nom"), max_length=150)
    capacity = models.PositiveSmallIntegerField(_("capacité (personnes)"), null=True, blank=True)
    equipment = models.ManyToManyField(Service, verbose_name=_("équipement"), blank=True)
    bookable = models.BooleanField(_("réservable"), default=False)
    price_note = models.CharField(_("tarifs"), max_length=300, blank=True)

    objects = RoomManager()
    history = HistoricalRecords(m2m_fields=[equipment])

    class Meta:
        ordering = ["place", "name"]
        verbose_name = _("salle")
        verbose_name_plural = _("salles")
        constraints = [
            models.UniqueConstraint(fields=["place", "name"], name="unique_room_name_per_place")
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (*self.place.natural_key(), self.name)

    natural_key.dependencies = ["places.place"]
