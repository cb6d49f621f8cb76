"""What places are and offer: function families, place types, services and audiences."""

from django.db import models
from django.templatetags.static import static
from django.utils.translation import gettext_lazy as _

from .base import Labelled, in_active_language


class Family(Labelled):
    """One of the five families of functions found in the participatory mapping."""

    description_fr = models.TextField(_("description (français)"), blank=True)
    description_en = models.TextField(_("description (anglais)"), blank=True)

    class Meta(Labelled.Meta):
        verbose_name = _("famille de fonctions")
        verbose_name_plural = _("familles de fonctions")

    @property
    def description(self):
        return in_active_language(self.description_fr, self.description_en)


class PlaceType(Labelled):
    """What kind of place it is: télécentre, coworking, fablab, France Services, café…"""

    class Meta(Labelled.Meta):
        verbose_name = _("type de lieu")
        verbose_name_plural = _("types de lieu")


class Service(Labelled):
    """Something a place offers, shown everywhere as a pictogram beside its label."""

    family = models.ForeignKey(
        Family,
        verbose_name=_("famille"),
        on_delete=models.PROTECT,
        related_name="services",
    )
    description_fr = models.TextField(_("explication (français)"), blank=True)
    description_en = models.TextField(_("explication (anglais)"), blank=True)
    pictogram = models.CharField(
        _("pictogramme"),
        max_length=60,
        help_text=_("Nom du fichier SVG dans static/img/pictos/, sans extension."),
    )

    class Meta(Labelled.Meta):
        verbose_name = _("service")
        verbose_name_plural = _("services")

    @property
    def description(self):
        return in_active_language(self.description_fr, self.description_en)

    @property
    def pictogram_url(self):
        return static(f"img/pictos/{self.pictogram}.svg")


class Audience(Labelled):
    """A public a place welcomes: néo-ruraux, freelancers, students, seniors…"""

    class Meta(Labelled.Meta):
        verbose_name = _("public")
        verbose_name_plural = _("publics")
