"""The Solozère charter: its principles, the common service base, specialisations, signatures."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from places.models import Labelled, NetworkTier, Place, Service, in_active_language
from territory.models import Tracked


class NumberManager(models.Manager):
    def get_by_natural_key(self, number):
        return self.get(number=number)


class Titled(Tracked):
    """A charter text known by its number, titled in French and English."""

    title_fr = models.CharField(_("titre (français)"), max_length=200)
    title_en = models.CharField(_("titre (anglais)"), max_length=200)

    objects = NumberManager()

    class Meta:
        abstract = True
        ordering = ["number"]

    def natural_key(self):
        return (self.number,)

    @property
    def title(self):
        return in_active_language(self.title_fr, self.title_en)


class CharterVersionQuerySet(models.QuerySet):
    def get_by_natural_key(self, number):
        return self.get(number=number)

    def current(self):
        """The version places are asked to sign: the latest published."""
        return self.order_by("-published_on", "-number").first()


class CharterVersion(Titled):
    """A published text of the charter; places sign one version."""

    number = models.CharField(_("version"), max_length=20, unique=True)
    published_on = models.DateField(
        _("date de publication"),
        null=True,
        blank=True,
        help_text=_("Laisser vide tant que la date n'est pas confirmée."),
    )
    summary_fr = models.TextField(_("présentation (français)"), blank=True)
    summary_en = models.TextField(_("présentation (anglais)"), blank=True)

    objects = CharterVersionQuerySet.as_manager()

    class Meta(Titled.Meta):
        verbose_name = _("version de la charte")
        verbose_name_plural = _("versions de la charte")

    def __str__(self):
        return f"{self.number} — {self.title}"

    @property
    def summary(self):
        return in_active_language(self.summary_fr, self.summary_en)


class Principle(Titled):
    """One of the six ethical and working principles of a shared place."""

    number = models.PositiveSmallIntegerField(_("numéro"), unique=True)
    text_fr = models.TextField(_("texte (français)"))
    text_en = models.TextField(_("texte (anglais)"))

    class Meta(Titled.Meta):
        verbose_name = _("principe")
        verbose_name_plural = _("principes")

    def __str__(self):
        return f"{self.number}. {self.title}"

    @property
    def text(self):
        return in_active_language(self.text_fr, self.text_en)


class Dimension(models.TextChoices):
    CONVIVIALITY = "conviviality", _("Convivialité")
    WORK_COMFORT = "work_comfort", _("Confort de travail")
    CITIZEN_EXPRESSION = "citizen_expression", _("Expression citoyenne")
    REGULATORS = "regulators", _("Les régulateurs")


class BaseItem(Labelled):
    """An item of the common service base; a place meets it when it offers any of its services."""

    dimension = models.CharField(_("dimension"), max_length=20, choices=Dimension.choices)
    services = models.ManyToManyField(
        Service,
        verbose_name=_("services qui le satisfont"),
        related_name="base_items",
        blank=True,
    )

    class Meta(Labelled.Meta):
        verbose_name = _("élément du socle commun")
        verbose_name_plural = _("socle commun de services")


class Specialisation(Labelled):
    """A specialisation some places add to the common base, transversal or sectoral."""

    class Kind(models.TextChoices):
        TRANSVERSAL = "transversal", _("transversale")
        SECTORAL = "sectoral", _("sectorielle")

    kind = models.CharField(_("nature"), max_length=12, choices=Kind.choices)
    dimension = models.CharField(
        _("dimension accentuée"), max_length=20, choices=Dimension.choices, blank=True
    )
    services = models.ManyToManyField(
        Service, verbose_name=_("services associés"), related_name="specialisations", blank=True
    )

    class Meta(Labelled.Meta):
        verbose_name = _("spécialisation")
        verbose_name_plural = _("spécialisations")


class SignatureManager(models.Manager):
    def get_by_natural_key(self, place_slug, version_number):
        return self.get(place__slug=place_slug, version__number=version_number)


class Signature(models.Model):
    """A place's signature of one version of the charter."""

    place = models.ForeignKey(
        Place, verbose_name=_("lieu"), on_delete=models.CASCADE, related_name="signatures"
    )
    version = models.ForeignKey(
        CharterVersion,
        verbose_name=_("version"),
        on_delete=models.PROTECT,
        related_name="signatures",
    )
    signed_on = models.DateField(_("date de signature"), null=True, blank=True)

    objects = SignatureManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["place", "version"]
        verbose_name = _("signature de la charte")
        verbose_name_plural = _("signatures de la charte")
        constraints = [
            models.UniqueConstraint(
                fields=["place", "version"], name="unique_signature_per_version"
            )
        ]

    def __str__(self):
        return f"{self.place} — {self.version.number}"

    def natural_key(self):
        return (*self.place.natural_key(), *self.version.natural_key())

    natural_key.dependencies = ["places.place", "charter.charterversion"]


class TierRequirementManager(models.Manager):
    def get_by_natural_key(self, network_code, tier_code):
        return self.get(tier__network__code=network_code, tier__code=tier_code)


class TierRequirement(Tracked):
    """What a network tier (Solozère's Télécentre or Comptoir) asks of its member places."""

    tier = models.OneToOneField(
        NetworkTier,
        verbose_name=_("niveau"),
        on_delete=models.CASCADE,
        related_name="requirement",
    )
    base_items = models.ManyToManyField(
        BaseItem, verbose_name=_("éléments du socle commun exigés"), blank=True
    )
    services = models.ManyToManyField(Service, verbose_name=_("services exigés"), blank=True)

    objects = TierRequirementManager()

    class Meta:
        verbose_name = _("exigences d'un niveau")
        verbose_name_plural = _("exigences des niveaux")

    def __str__(self):
        return str(self.tier)

    def natural_key(self):
        return self.tier.natural_key()

    natural_key.dependencies = ["places.networktier"]
