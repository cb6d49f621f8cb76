"""The place itself, and the addresses its page had before it was renamed."""

from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from territory.models import Commune, latitude_validators, longitude_validators

from .. import hours, verification
from ..managers import PlaceObjects, information_gaps
from ..rendering import render_markdown
from ..validators import (
    validate_legal_identifier,
    validate_not_in_future,
    validate_opening_hours,
)
from .base import Tracked
from .catalogue import Audience, Family, PlaceType, Service
from .consent import shows_name

# An empty origin before « ; »: OpenStreetMap asks the visitor where from.
DIRECTIONS_URL = (
    "https://www.openstreetmap.org/directions?route=%3B{latitude:.5f}%2C{longitude:.5f}"
)


class Place(Tracked):
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

    # What the directory's « accessible » criterion and search words take as accessible.
    ACCESSIBLE = [Accessibility.YES, Accessibility.PARTIAL]

    # Fields checked on every save, whatever the caller (form, shell, command).
    VALIDATED_ON_SAVE = (
        "slug",
        "opening_hours",
        "latitude",
        "longitude",
        "legal_identifier",
        "verified_on",
    )

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
    sources = models.TextField(
        _("sources"),
        blank=True,
        help_text=_(
            "D'où vient chaque information : le document et sa section, une par ligne "
            "(« Accompagnement des tiers-lieux en Lozère, 2022, « 2018 » : réseau régional »)."
        ),
    )
    verified_on = models.DateField(
        _("dernière vérification"), null=True, blank=True, validators=[validate_not_in_future]
    )
    review_months = models.PositiveSmallIntegerField(
        _("rythme des rappels"),
        choices=verification.Cadence.choices,
        default=verification.DEFAULT_CADENCE,
        help_text=_(
            "Solozère demande aux animateurs, à ce rythme, de confirmer que la page du lieu est "
            "toujours exacte."
        ),
    )
    archived_at = models.DateTimeField(
        _("archivé le"),
        null=True,
        blank=True,
        help_text=_("Un lieu supprimé est archivé : il disparaît du site public sans être perdu."),
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    # What search reads, made from the place and what it offers (places.models.search): every
    # word, and apart the words of its name and services, which rank a result higher.
    search_text = models.TextField(editable=False, blank=True, default="")
    search_main = models.TextField(editable=False, blank=True, default="")

    objects = PlaceObjects()
    history = HistoricalRecords(
        m2m_fields=[types, families, services, audiences],
        excluded_fields=["updated_at", "search_text", "search_main"],
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("lieu")
        verbose_name_plural = _("lieux")
        # « Near » and the map's bounding boxes read a range of latitudes and longitudes; lists
        # read places in name order; freshness reads the latest change. PostgreSQL also has a
        # trigram index on search_text (migration 0008), which SQLite cannot have.
        indexes = [
            models.Index(fields=["latitude", "longitude"], name="place_position"),
            models.Index(fields=["name"], name="place_name"),
            models.Index(fields=["updated_at"], name="place_updated_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                | models.Q(latitude__isnull=False, longitude__isnull=False),
                name="place_coordinates_come_in_pairs",
            ),
            # verification.is_overdue_q has one condition per cadence: another value would make
            # a place the reminders never ask about.
            models.CheckConstraint(
                condition=models.Q(review_months__in=verification.Cadence.values),
                name="place_review_months_is_a_cadence",
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
    def is_listed(self):
        """Whether lists show it: published, open or in project (PlaceQuerySet.active)."""
        return self.archived_at is None and self.status in self.ACTIVE_STATUSES

    @property
    def is_approximate(self):
        return self.location_precision == self.Precision.COMMUNE

    @property
    def directions_url(self):
        """OpenStreetMap's route planner with the place's position as the destination (the
        visitor says where from, and how), or "" when it has no position: a plain link, nothing
        is loaded from OpenStreetMap until the visitor follows it."""
        if not self.is_located:
            return ""
        return DIRECTIONS_URL.format(latitude=self.latitude, longitude=self.longitude)

    @property
    def postcode(self):
        """The postcode of the place's address, or of its commune if it has only one (else "")."""
        return Commune.postcode_at(self.address, self.commune.postcodes if self.commune else "")

    def missing_information(self):
        """What a visitor would miss on the page, for the animateur's completeness score: read
        from Place.objects.with_gaps(), or asked of the database for this place alone."""
        gaps = information_gaps(Place)
        annotated = all(hasattr(self, f"lacks_{name}") for name in gaps)
        place = self if annotated else Place.objects.with_gaps().get(pk=self.pk)
        return [
            label for name, (label, _missing) in gaps.items() if getattr(place, f"lacks_{name}")
        ]

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
        """The names the public sees: the full name of each animateur who agreed to it
        (AnimateurConsent), never a login or an e-mail address."""
        return [
            name
            for user in self.animateurs.all()
            if shows_name(user) and (name := user.get_full_name())
        ]

    @property
    def description_html(self):
        return render_markdown(self.description)

    @property
    def verification(self):
        """« À vérifier », « à reconfirmer » or confirmed, today (places.verification): the one
        rule the page's notice, its « vérifiées le … » line and the reminders all read."""
        return verification.state(self, timezone.localdate())

    def confirm(self, by=None, reason="Informations confirmées à jour"):
        """The place's information is confirmed today (by `by`, whom the history names): the
        verification date is stamped and the « à vérifier » flag, now answered, is cleared."""
        self.verified_on = timezone.localdate()
        self.to_verify = False
        self._change_reason = reason
        if by is not None:
            self._history_user = by
        self.save()

    def is_open_at(self, moment: datetime):
        """Whether the opening hours say the place is open at that moment (False if unknown)."""
        return self.status == self.Status.OPEN and hours.is_open(self.opening_hours, moment)


class PreviousSlugManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class PreviousSlug(models.Model):
    """An address a place's page had before it was renamed; it redirects to the current one."""

    place = models.ForeignKey(
        Place, verbose_name=_("lieu"), on_delete=models.CASCADE, related_name="previous_slugs"
    )
    slug = models.SlugField(_("ancien identifiant d'adresse"), max_length=200, unique=True)

    objects = PreviousSlugManager()

    class Meta:
        ordering = ["slug"]
        verbose_name = _("ancienne adresse")
        verbose_name_plural = _("anciennes adresses")

    def __str__(self):
        return self.slug

    def natural_key(self):
        return (self.slug,)

    natural_key.dependencies = ["places.place"]
