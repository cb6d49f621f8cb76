"""What every piece of reference data shares: a stable code and a label in French and English."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from territory.models import Tracked


def in_active_language(french, english):
    """Pick the English text when English is active and the text exists, the French otherwise."""
    if english and (get_language() or "").startswith("en"):
        return english
    return french


class CodeManager(models.Manager):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class Labelled(Tracked):
    """Reference data named by a stable code (used in URLs, fixtures and exports)."""

    code = models.SlugField(
        _("code"),
        max_length=50,
        unique=True,
        help_text=_("Identifiant stable, utilisé dans les adresses, les filtres et les exports."),
    )
    label_fr = models.CharField(_("libellé (français)"), max_length=150)
    label_en = models.CharField(_("libellé (anglais)"), max_length=150)
    position = models.PositiveSmallIntegerField(_("ordre d'affichage"), default=0)

    objects = CodeManager()

    class Meta:
        abstract = True
        ordering = ["position", "code"]

    def __str__(self):
        return str(self.label)

    @property
    def label(self):
        return in_active_language(self.label_fr, self.label_en)

    def natural_key(self):
        return (self.code,)


class WithSynonyms(models.Model):
    """Reference data people name in their own words: « visio », « ados », « CAF »…"""

    synonyms = models.TextField(
        _("synonymes"),
        blank=True,
        help_text=_(
            "Mots et expressions que le public emploie pour le chercher, séparés par des "
            "virgules. La recherche les trouve comme le libellé."
        ),
    )

    class Meta:
        abstract = True


class Described(models.Model):
    """Reference data explained to the public in both languages."""

    description_fr = models.TextField(_("description (français)"), blank=True)
    description_en = models.TextField(_("description (anglais)"), blank=True)

    class Meta:
        abstract = True

    @property
    def description(self):
        return in_active_language(self.description_fr, self.description_en)
