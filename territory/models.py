"""The territory: communautés de communes, communes and the former communes merged into them.

Also `Tracked`, the base of every row a public page shows, here because the territory is the
first of them and every app builds on it.
"""

import re

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Tracked(models.Model):
    """A row public pages show: when it last changed tells whether a cached page is still true
    (places.freshness reads every Tracked model)."""

    # Not auto_now: a fixture without it loads (stamped now), and one with it keeps its time.
    updated_at = models.DateTimeField(_("modifié le"), default=timezone.now, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.updated_at = timezone.now()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "updated_at"}
        super().save(*args, **kwargs)


latitude_validators = [MinValueValidator(-90), MaxValueValidator(90)]
longitude_validators = [MinValueValidator(-180), MaxValueValidator(180)]
# A French postcode written in an address: five digits standing alone.
POSTCODE = re.compile(r"(?<!\d)\d{5}(?!\d)")
# The same, for the database (Python's `re` on SQLite, POSIX-style on PostgreSQL).
POSTCODE_SQL = r"(^|[^0-9])[0-9]{5}([^0-9]|$)"


class EpciManager(models.Manager):
    def get_by_natural_key(self, siren):
        return self.get(siren=siren)


class Epci(Tracked):
    """A communauté de communes (établissement public de coopération intercommunale)."""

    siren = models.CharField(
        _("SIREN"),
        max_length=9,
        unique=True,
        validators=[RegexValidator(r"^\d{9}$", _("Un SIREN compte 9 chiffres."))],
    )
    name = models.CharField(_("nom"), max_length=150)

    objects = EpciManager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("communauté de communes")
        verbose_name_plural = _("communautés de communes")

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.siren,)


class CommuneManager(models.Manager):
    def get_by_natural_key(self, insee):
        return self.get(insee=insee)


insee_validator = RegexValidator(r"^\d[0-9AB]\d{3}$", _("Un code INSEE compte 5 caractères."))


class Commune(Tracked):
    """A current commune, at its town hall: the unit places are located and covered by."""

    class PositionSource(models.TextChoices):
        TOWNHALL = "mairie", _("la mairie (annuaire de service-public.fr)")
        OUTLINE = (
            "contour",
            _(
                "un point du territoire communal (contour IGN) : la position publiée de la mairie "
                "tombe hors de la commune"
            ),
        )

    insee = models.CharField(
        _("code INSEE"), max_length=5, unique=True, validators=[insee_validator]
    )
    name = models.CharField(_("nom"), max_length=150)
    postcodes = models.CharField(
        _("codes postaux"), max_length=100, blank=True, help_text=_("Séparés par « | ».")
    )
    population = models.PositiveIntegerField(_("population légale"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(
        _("année de la population légale"),
        null=True,
        blank=True,
        help_text=_("Le millésime INSEE : la population légale 2023 est en vigueur en 2026."),
    )
    epci = models.ForeignKey(
        Epci,
        verbose_name=_("communauté de communes"),
        on_delete=models.PROTECT,
        related_name="communes",
        null=True,
        blank=True,
    )
    townhall_latitude = models.FloatField(
        _("latitude de la mairie"), null=True, blank=True, validators=latitude_validators
    )
    townhall_longitude = models.FloatField(
        _("longitude de la mairie"), null=True, blank=True, validators=longitude_validators
    )
    position_source = models.CharField(
        _("position de référence"),
        max_length=8,
        choices=PositionSource.choices,
        default=PositionSource.TOWNHALL,
        help_text=_("Ce que désignent la latitude et la longitude ci-dessus."),
    )

    objects = CommuneManager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("commune")
        verbose_name_plural = _("communes")

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.insee,)

    @property
    def at_townhall(self):
        """Whether its position is its town hall's (else a point of its territory)."""
        return self.position_source == self.PositionSource.TOWNHALL

    @property
    def postcode_list(self):
        return self.split_postcodes(self.postcodes)

    @staticmethod
    def split_postcodes(text):
        """The stored « 48000|48001 », as a list (read straight from values() by exports)."""
        return [code for code in (text or "").split("|") if code]

    @classmethod
    def postcode_at(cls, address, postcodes):
        """The postcode of `address` in a commune whose stored postcodes are `postcodes`.

        The one the address writes (the commune's, if it writes several numbers); else the
        commune's when it has only one; else "": never a guess among a commune's postcodes."""
        codes = cls.split_postcodes(postcodes)
        written = POSTCODE.findall(address or "")
        if written:
            return next((code for code in written if code in codes), written[-1])
        return codes[0] if len(codes) == 1 else ""


def population_year(communes):
    """The INSEE year of these communes' legal populations when they share one, else None."""
    years = {commune.population_year for commune in communes if commune.population is not None}
    return years.pop() if len(years) == 1 else None


class FormerCommune(Tracked):
    """A commune merged into a current one: an old name people still use to say where they live.

    Today's communes déléguées and associées, and the communes merged for good or whose
    commune déléguée was abolished since (Florac, in Florac Trois Rivières). Its INSEE code can
    equal its current commune's (the seat of a commune nouvelle keeps it), so former communes
    live apart from current ones and are found by their own code.
    """

    class Kind(models.TextChoices):
        DELEGATED = "COMD", _("commune déléguée")
        ASSOCIATED = "COMA", _("commune associée")
        MERGED = "ANC", _("ancienne commune fusionnée")

    insee = models.CharField(
        _("code INSEE"), max_length=5, unique=True, validators=[insee_validator]
    )
    name = models.CharField(_("nom"), max_length=150)
    kind = models.CharField(_("nature"), max_length=4, choices=Kind.choices)
    commune = models.ForeignKey(
        Commune,
        verbose_name=_("commune actuelle"),
        on_delete=models.CASCADE,
        related_name="former_communes",
    )

    objects = CommuneManager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("ancienne commune")
        verbose_name_plural = _("anciennes communes")

    def __str__(self):
        return f"{self.name} ({self.commune.name})"

    def natural_key(self):
        return (self.insee,)

    natural_key.dependencies = ["territory.commune"]
