"""Networks places belong to, their tiers, and the dated memberships between them."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .base import CodeManager, Described, Labelled, Tracked, in_active_language

year_validators = [MinValueValidator(1990), MaxValueValidator(2100)]
UNDATED_TWICE = _(
    "Ce lieu a déjà une adhésion à ce réseau sans année d'entrée : indiquez l'année d'entrée "
    "de l'une des deux."
)


class NetworkQuerySet(models.QuerySet):
    def with_member_count(self):
        """Each network with `member_count`: its listed places with a current membership."""
        from ..managers import listed

        members = listed("memberships__place__") & models.Q(memberships__end_year__isnull=True)
        return self.annotate(
            member_count=models.Count("memberships__place", filter=members, distinct=True)
        )


class Network(Described, Labelled):
    """Solozère, the Réseau des Tiers-Lieux Occitanie, France Services…"""

    website = models.URLField(_("site web"), blank=True)

    objects = CodeManager.from_queryset(NetworkQuerySet)()

    class Meta(Labelled.Meta):
        verbose_name = _("réseau")
        verbose_name_plural = _("réseaux")


class NetworkTierManager(models.Manager):
    def get_by_natural_key(self, network_code, code):
        return self.get(network__code=network_code, code=code)


class NetworkTier(Tracked):
    """A level of membership within a network, such as Solozère's Télécentre and Comptoir."""

    network = models.ForeignKey(
        Network, verbose_name=_("réseau"), on_delete=models.CASCADE, related_name="tiers"
    )
    code = models.SlugField(_("code"), max_length=50)
    label_fr = models.CharField(_("libellé (français)"), max_length=150)
    label_en = models.CharField(_("libellé (anglais)"), max_length=150)
    position = models.PositiveSmallIntegerField(_("ordre d'affichage"), default=0)

    objects = NetworkTierManager()

    class Meta:
        ordering = ["network", "position", "code"]
        verbose_name = _("niveau de réseau")
        verbose_name_plural = _("niveaux de réseau")
        constraints = [
            models.UniqueConstraint(fields=["network", "code"], name="unique_tier_code_per_network")
        ]

    def __str__(self):
        return f"{self.network} — {self.label}"

    @property
    def label(self):
        return in_active_language(self.label_fr, self.label_en)

    def natural_key(self):
        return (*self.network.natural_key(), self.code)

    natural_key.dependencies = ["places.network"]


class MembershipQuerySet(models.QuerySet):
    def current(self):
        """Memberships that have not ended."""
        return self.filter(end_year__isnull=True)

    def of_published_places(self):
        return self.filter(place__archived_at__isnull=True)


class MembershipManager(models.Manager.from_queryset(MembershipQuerySet)):
    def get_by_natural_key(self, place_slug, network_code, start_year):
        return self.get(place__slug=place_slug, network__code=network_code, start_year=start_year)


class Membership(models.Model):
    """A place's membership of a network, from a year and possibly until another."""

    place = models.ForeignKey(
        "places.Place",
        verbose_name=_("lieu"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    network = models.ForeignKey(
        Network, verbose_name=_("réseau"), on_delete=models.PROTECT, related_name="memberships"
    )
    tier = models.ForeignKey(
        NetworkTier,
        verbose_name=_("niveau"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
    )
    start_year = models.PositiveSmallIntegerField(
        _("année d'entrée"),
        null=True,
        blank=True,
        validators=year_validators,
        help_text=_("Laisser vide si l'année n'est pas connue."),
    )
    end_year = models.PositiveSmallIntegerField(
        _("année de sortie"), null=True, blank=True, validators=year_validators
    )

    objects = MembershipManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["network", "start_year"]
        verbose_name = _("adhésion à un réseau")
        verbose_name_plural = _("adhésions à des réseaux")
        constraints = [
            models.UniqueConstraint(
                fields=["place", "network", "start_year"],
                name="unique_membership_per_start",
            ),
            # The one above lets NULLs differ, so without this a place could hold two undated
            # memberships of a network, and the natural key (place, network, None) name either.
            # A condition rather than nulls_distinct=False: SQLite has no NULLS NOT DISTINCT.
            models.UniqueConstraint(
                fields=["place", "network"],
                condition=models.Q(start_year__isnull=True),
                name="unique_undated_membership",
                violation_error_message=UNDATED_TWICE,
            ),
            models.CheckConstraint(
                condition=models.Q(end_year__isnull=True)
                | models.Q(start_year__isnull=True)
                | models.Q(end_year__gte=models.F("start_year")),
                name="membership_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.place} — {self.tier or self.network}"

    def natural_key(self):
        return (*self.place.natural_key(), *self.network.natural_key(), self.start_year)

    natural_key.dependencies = ["places.place", "places.network"]

    @property
    def is_current(self):
        return self.end_year is None

    def clean(self):
        if self.tier_id and self.network_id and self.tier.network_id != self.network_id:
            raise ValidationError({"tier": _("Ce niveau appartient à un autre réseau.")})
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValidationError({"end_year": _("L'année de sortie précède l'année d'entrée.")})
