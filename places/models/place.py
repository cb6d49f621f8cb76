"""The place itself, its stops when it travels, and the rooms it can lend."""

from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .. import hours
from ..managers import PlaceObjects
from ..rendering import render_markdown
from ..validators import validate_legal_identifier, validate_opening_hours
from .catalogue import Audience, Family, PlaceType, Service
from .territory import Commune, latitude_validators, longitude_validators


class Place(models.Model):
    """A tiers-lieu as the public finds it on the map and in the directory."""

    class Status(models.TextChoices):
        PROJECT = "project", _("en projet")
        OPEN = "open", _("ouvert")
        CLOSED = "closed", _("fermé")

    # Listed by default: open or in project (a closed place is kept, but not listed).
    ACTIVE_STATUSES = [Status.OPEN, Status.PROJECT]

    class Precision(models.TextChoices):
        EXACT = "exact", _("adresse exacte")
        COMMUNE = "commune", _("mairie de la commune (localisation approximative)")

    class Accessibility(models.TextChoices):
        UNKNOWN = "unknown", _("non renseignée")
        YES = "yes", _("accessible")
        PARTIAL = "partial", _("partiellement accessible")
        NO = "no", _("non accessible")

    # Fields checked on every save, whatever the caller (form, shell, command).
    VALIDATED_ON_SAVE = ("opening_hours", "latitude", "longitude", "legal_identifier")

    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(
        _("identifiant d'adresse"),
        max_length=200,
        unique=True,
        blank=True,
        help_text=_("Utilisé dans l'adresse de la page ; déduit du nom s'il est laissé vide."),
    )
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    to_verify = models.BooleanField(
        _("à vérifier"),
        default=False,
        help_text=_("Informations reprises de documents et pas encore confirmées par le lieu."),
    )
    types = models.ManyToManyField(PlaceType, verbose_name=_("types de lieu"), blank=True)
    families = models.ManyToManyField(Family, verbose_name=_("familles de fonctions"), blank=True)
    services = models.ManyToManyField(
        Service, verbose_name=_("services"), blank=True, related_name="places"
    )
    audiences = models.ManyToManyField(Audience, verbose_name=_("publics"), blank=True)

    short_description = models.CharField(_("description courte"), max_length=300, blank=True)
    description = models.TextField(
        _("description"), blank=True, help_text=_("Mise en forme Markdown.")
    )

    structure_name = models.CharField(_("structure porteuse"), max_length=200, blank=True)
    legal_identifier = models.CharField(
        _("SIRET ou RNA"),
        max_length=14,
        blank=True,
        validators=[validate_legal_identifier],
        help_text=_("Identifiant de la structure porteuse, exigé par les standards de données."),
    )

    address = models.CharField(_("adresse"), max_length=250, blank=True)
    commune = models.ForeignKey(
        Commune,
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        related_name="places",
        null=True,
        blank=True,
    )
    latitude = models.FloatField(
        _("latitude"), null=True, blank=True, validators=latitude_validators
    )
    longitude = models.FloatField(
        _("longitude"), null=True, blank=True, validators=longitude_validators
    )
    location_precision = models.CharField(
        _("précision de la localisation"),
        max_length=10,
        choices=Precision.choices,
        blank=True,
    )
    itinerant = models.BooleanField(
        _("itinérant"), default=False, help_text=_("Lieu mobile, présent à des étapes.")
    )

    opening_hours = models.CharField(
        _("horaires d'ouverture"),
        max_length=500,
        blank=True,
        validators=[validate_opening_hours],
        help_text=_("Syntaxe OpenStreetMap, par exemple « Mo-Fr 09:00-12:00,14:00-18:00 »."),
    )
    opening_hours_note = models.CharField(
        _("précisions sur les horaires"),
        max_length=300,
        blank=True,
        help_text=_("Saisons, fermetures, sur rendez-vous…"),
    )

    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    email = models.EmailField(_("courriel"), blank=True)
    website = models.URLField(_("site web"), blank=True)
    accessibility = models.CharField(
        _("accessibilité aux personnes à mobilité réduite"),
        max_length=10,
        choices=Accessibility.choices,
        default=Accessibility.UNKNOWN,
    )
    accessibility_note = models.CharField(
        _("précisions sur l'accessibilité"), max_length=300, blank=True
    )
    price_note = models.CharField(_("tarifs"), max_length=300, blank=True)

    animateurs = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("animateurs"),
        blank=True,
        related_name="animated_places",
    )
    verified_on = models.DateField(_("dernière vérification"), null=True, blank=True)
    archived_at = models.DateTimeField(
        _("archivé le"),
        null=True,
        blank=True,
        help_text=_("Un lieu supprimé est archivé : il disparaît du site public sans être perdu."),
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    objects = PlaceObjects()
    history = HistoricalRecords(
        m2m_fields=[types, families, services, audiences], excluded_fields=["updated_at"]
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("lieu")
        verbose_name_plural = _("lieux")
        # What bench/results.md shows each one buys: « near » in the database and the map's
        # bounding boxes read a range of latitudes and longitudes; the API and the exports read
        # places in name order. (The directory's list reads its in-memory index.)
        indexes = [
            models.Index(fields=["latitude", "longitude"], name="place_position"),
            models.Index(fields=["name"], name="place_name"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                | models.Q(latitude__isnull=False, longitude__isnull=False),
                name="place_coordinates_come_in_pairs",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self._unique_slug()
        self.full_clean(
            exclude=[f.name for f in self._meta.fields if f.name not in self.VALIDATED_ON_SAVE],
            validate_unique=False,
            validate_constraints=False,
        )
        previous = Place.objects.filter(pk=self.pk).values_list("slug", flat=True).first()
        with transaction.atomic():
            super().save(*args, **kwargs)
            if previous and previous != self.slug:
                # Links and bookmarks to the old address keep working.
                PreviousSlug.objects.update_or_create(slug=previous, defaults={"place": self})
                PreviousSlug.objects.filter(slug=self.slug).delete()

    def get_absolute_url(self):
        return reverse("places:detail", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)

    def clean(self):
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError(_("Indiquez la latitude et la longitude, ou aucune des deux."))
        if self.latitude is not None and not self.location_precision:
            raise ValidationError(
                {"location_precision": _("Précisez si la position est exacte ou approximative.")}
            )

    def _unique_slug(self):
        base = slugify(self.name)[:190] or "lieu"
        slug, suffix = base, 2
        while Place.objects.filter(slug=slug).exclude(pk=self.pk).exists():
            slug, suffix = f"{base}-{suffix}", suffix + 1
        return slug

    def place_at_townhall(self):
        """Locate the place at its commune's town hall, saying the position is approximate."""
        if self.commune and self.commune.townhall_latitude is not None:
            self.latitude = self.commune.townhall_latitude
            self.longitude = self.commune.townhall_longitude
            self.location_precision = self.Precision.COMMUNE

    @property
    def is_located(self):
        return self.latitude is not None and self.longitude is not None

    @property
    def is_approximate(self):
        return self.location_precision == self.Precision.COMMUNE

    def missing_information(self):
        """What a visitor would miss on the page, for the animateur's completeness score."""
        checks = [
            (_("description courte"), self.short_description),
            (_("description"), self.description),
            (_("services"), self.services.all()),
            (_("publics accueillis"), self.audiences.all()),
            (_("commune"), self.commune_id or self.itinerant),
            (_("position exacte"), self.location_precision == self.Precision.EXACT),
            (_("horaires"), self.opening_hours),
            (_("contact"), self.phone or self.email or self.website),
            (_("accessibilité"), self.accessibility != self.Accessibility.UNKNOWN),
            (_("SIRET ou RNA"), self.legal_identifier),
        ]
        return [label for label, present in checks if not present]

    @property
    def completeness(self):
        """Share of the expected information present, in percent."""
        return 100 - 10 * len(self.missing_information())

    @property
    def main_pictogram(self):
        """The pictogram of the place's first service, the one its map marker shows."""
        services = sorted(self.services.all(), key=lambda service: (service.position, service.code))
        return services[0].pictogram if services else ""

    @property
    def animateur_names(self):
        """The names the public sees: a person's full name, never their login or e-mail."""
        return [name for user in self.animateurs.all() if (name := user.get_full_name())]

    @property
    def description_html(self):
        return render_markdown(self.description)

    def is_open_at(self, moment: datetime):
        """Whether the opening hours say the place is open at that moment (False if unknown)."""
        return self.status == self.Status.OPEN and hours.is_open(self.opening_hours, moment)


class PreviousSlug(models.Model):
    """An address a place's page had before it was renamed; it redirects to the current one."""

    place = models.ForeignKey(
        Place, verbose_name=_("lieu"), on_delete=models.CASCADE, related_name="previous_slugs"
    )
    slug = models.SlugField(_("ancien identifiant d'adresse"), max_length=200, unique=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("ancienne adresse")
        verbose_name_plural = _("anciennes adresses")

    def __str__(self):
        return self.slug


class StopManager(models.Manager):
    def get_by_natural_key(self, place_slug, position):
        return self.get(place__slug=place_slug, position=position)


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
