"""The rooms a place lends or rents."""

from django.db import models
from django.db.models import Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..validators import validate_opening_hours
from .catalogue import Service
from .place import Place


class RoomQuerySet(models.QuerySet):
    def with_rules(self):
        """Each room with `rules_text`: when it may be asked for, its own hours else its place's."""
        own = NullIf("hours", Value(""))
        return self.annotate(rules_text=Coalesce(own, "place__opening_hours"))


class RoomManager(models.Manager.from_queryset(RoomQuerySet)):
    def get_by_natural_key(self, place_slug, name):
        return self.get(place__slug=place_slug, name=name)


class Room(models.Model):
    """A room a place lends or rents: the « BirdOffice lozérien » of shared rooms."""

    class Kind(models.TextChoices):
        FUNCTIONAL = "functional", _("fonctionnelle")
        CHARM = "charm", _("de charme")

    place = models.ForeignKey(
        Place, verbose_name=_("lieu"), on_delete=models.CASCADE, related_name="rooms"
    )
    name = models.CharField(_("nom"), max_length=150)
    capacity = models.PositiveSmallIntegerField(_("capacité (personnes)"), null=True, blank=True)
    equipment = models.ManyToManyField(Service, verbose_name=_("équipement"), blank=True)
    bookable = models.BooleanField(_("réservable"), default=False)
    price_note = models.CharField(_("tarifs"), max_length=300, blank=True)
    kind = models.CharField(
        _("type d'offre"),
        max_length=10,
        choices=Kind.choices,
        blank=True,
        help_text=_("« Fonctionnelle » : près de chez soi ; « de charme » : pour changer d'air."),
    )
    accessibility = models.CharField(
        _("accessibilité"),
        max_length=10,
        choices=Place.Accessibility.choices,
        default=Place.Accessibility.UNKNOWN,
    )
    hours = models.CharField(
        _("quand la demander"),
        max_length=500,
        blank=True,
        validators=[validate_opening_hours],
        help_text=_(
            "Syntaxe OpenStreetMap, saisons comprises, par exemple « Sep-Jun Mo-Fr 09:00-18:00 ». "
            "Vide : les horaires du lieu."
        ),
    )
    auto_accept = models.BooleanField(
        _("acceptation automatique"),
        default=False,
        help_text=_("Une demande d'un créneau libre est acceptée sans attendre de réponse."),
    )

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

    @property
    def rules(self):
        """When it may be asked for: its own hours, else its place's (OpenStreetMap syntax)."""
        return self.hours or self.place.opening_hours

    def natural_key(self):
        return (*self.place.natural_key(), self.name)

    natural_key.dependencies = ["places.place"]
