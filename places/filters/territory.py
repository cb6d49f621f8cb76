"""Where a search is: communes and communautés de communes, by code or by name.

A department's communes fit in a menu; a region's or the country's are typed instead, and the same
fields understand a name as well as a code.
"""

import django_filters
from django import forms
from django.core.cache import cache

from ..models import Commune, Epci, FormerCommune
from ..search import strip_accents


def find_commune(text):
    """The commune a visitor typed: by INSEE code, current name or old (former) name."""
    text = text.strip()
    if text.isdigit() or (len(text) == 5 and text[:2].isdigit()):
        return Commune.objects.filter(insee=text.upper()).first()
    key = _comparable(text)
    words = strip_accents(text).replace("-", " ").replace("'", " ").split()
    if not words:
        return None
    candidates = Commune.objects.filter(name__unaccent__icontains=words[0])
    for commune in candidates:
        if _comparable(commune.name) == key:
            return commune
    former = FormerCommune.objects.filter(name__unaccent__icontains=words[0]).select_related(
        "commune"
    )
    for old in former:
        if _comparable(old.name) == key:
            return old.commune
    return None


def _comparable(name):
    """« Saint-Chély-d'Apcher » and « saint chely d apcher » compare equal."""
    return " ".join(strip_accents(name).replace("-", " ").replace("'", " ").split())


# A department fits in a menu; a region or the country is typed (name or code) instead.
MENU_LIMIT = 200


def territory_count(model):
    """How many communes there are: it decides menu or text field; cached an hour."""
    key = f"places:territory-count:{model._meta.model_name}"
    count = cache.get(key)
    if count is None:
        count = model.objects.count()
        cache.set(key, count, 3600)
    return count


class CommuneField(forms.ModelChoiceField):
    """A commune by INSEE code, or by its current or former name when typed."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        commune = find_commune(str(value)[:150])
        if commune is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return commune


class EpciField(forms.ModelChoiceField):
    """A communauté de communes by SIREN, or by its name when typed."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        value = str(value).strip()[:200]
        epci = (
            Epci.objects.filter(siren=value).first()
            if value.isdigit()
            else Epci.objects.filter(name__unaccent__iexact=value).first()
        )
        if epci is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return epci


class CommuneFilter(django_filters.ModelChoiceFilter):
    field_class = CommuneField


class EpciFilter(django_filters.ModelChoiceFilter):
    field_class = EpciField
