"""The territory: communautés de communes, communes and the former communes merged into them."""

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

latitude_validators = [MinValueValidator(-90), MaxValueValidator(90)]
longitude_validators = [MinValueValidator(-180), MaxValueValidator(180)]


class EpciManager(models.Manager):
    def get_by_natural_key(self, siren):
        return self.get(siren=siren)


class Epci(models.Model):
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


class Commune(models.Model):
    """A current commune, at its town hall: the unit places are located and covered by."""

    insee = models.CharField(
        _("code INSEE"), max_length=5, unique=True, validators=[insee_validator]
    )
    name = models.CharField(_("nom"), max_length=150)
    postcodes = models.CharField(
        _("codes postaux"), max_length=100, blank=True, help_text=_("Séparés par « | ».")
    )
    population = models.PositiveIntegerField(_("population légale"), null=True, blank=True)
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
    def postcode_list(self):
        return self.split_postcodes(self.postcodes)

    @staticmethod
    def split_postcodes(text):
        """The stored « 48000|48001 », as a list (read straight from values() by exports)."""
        return [code for code in (text or "").split("|") if code]


class FormerCommune(models.Model):
    """A commune déléguée or associée: an old name people still use to say where they live.

    Its INSEE code can equal its current commune's (the seat of a commune nouvelle keeps it),
    so former communes live apart from current ones and are found by their own code.
    """

    class Kind(models.TextChoices):
        DELEGATED = "COMD", _("commune déléguée")
        ASSOCIATED = "COMA", _("commune associée")

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

    natural_key.dependencies = ["places.commune"]
