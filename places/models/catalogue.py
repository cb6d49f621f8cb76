"""What places are and offer: function families, place types, services and audiences."""

from django.db import models
from django.templatetags.static import static
from django.utils.translation import gettext_lazy as _

from .base import Described, Labelled, WithSynonyms


class Family(Described, Labelled):
    """One of the five families of functions found in the participatory mapping."""

    class Meta(Labelled.Meta):
        verbose_name = _("famille de fonctions")
        verbose_name_plural = _("familles de fonctions")


class PlaceType(WithSynonyms, Labelled):
    """What kind of place it is: télécentre, coworking, fablab, France Services, café…"""

    class Meta(Labelled.Meta):
        verbose_name = _("type de lieu")
        verbose_name_plural = _("types de lieu")


class Service(WithSynonyms, Described, Labelled):
    """Something a place offers, shown everywhere as a pictogram beside its label."""

    family = models.ForeignKey(
        Family,
        verbose_name=_("famille"),
        on_delete=models.PROTECT,
        related_name="services",
    )
    pictogram = models.CharField(
        _("pictogramme"),
        max_length=60,
        help_text=_("Nom du fichier SVG dans static/img/pictos/, sans extension."),
    )

    class Meta(Labelled.Meta):
        verbose_name = _("service")
        verbose_name_plural = _("services")

    @property
    def pictogram_url(self):
        return static(f"img/pictos/{self.pictogram}.svg")


class Audience(WithSynonyms, Labelled):
    """A public a place welcomes: néo-ruraux, freelancers, students, seniors…"""

    class Meta(Labelled.Meta):
        verbose_name = _("public")
        verbose_name_plural = _("publics")
