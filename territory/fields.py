"""Where a search is: communes and communautés de communes, by code or by name.

A department's communes fit in a menu; a region's or the country's are typed instead, and the same
fields understand a name as well as a code.
"""

from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import NamedTuple

import django_filters
from django import forms
from django.db.models import F
from django.utils.translation import gettext as _

from .models import Commune, Epci, FormerCommune
from .text import one_slip_apart, strip_accents

# How people shorten names: « St Chély », « Ste Enimie ».
ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
# Shorter than this, a start of name or a slip says too little to be taken for a commune.
PREFIX_MIN_LENGTH = 3
SLIP_MIN_LENGTH = 4
SUGGESTIONS = 5
SUGGESTION_MIN_RATIO = 0.6  # difflib's: « flaurac » and « florac » are 0.77 alike


class Name(NamedTuple):
    """A name a commune is known by: its own, or one of its former communes'."""

    key: str  # as compared
    label: str  # as shown: « Florac (Florac Trois Rivières) »
    commune: Commune
    typed: str  # as a visitor would type it to find the commune again
    current: bool


@dataclass
class Lookup:
    """What a visitor's words designate: a commune and how to name what was understood, or the
    nearest names to offer instead."""

    commune: Commune | None = None
    label: str = ""
    suggestions: list = field(default_factory=list)  # (label, name to type), nearest first


def find_commune(text):
    """The commune a visitor typed, or None (look_up_commune says what else they may mean)."""
    return look_up_commune(text).commune


def look_up_commune(text):
    """The commune a visitor typed: its INSEE code or a postcode; its current or a former name
    (« Florac »), however written (« st chely d apcher »); else a start of name or a name with
    one slip of the fingers (« Marvejol », « Mnede ») when only one commune fits.

    A postcode several communes share designates the most populous of them, the one its post
    office is usually named after (48400: Florac Trois Rivières), and the label says which."""
    text = text.strip()
    if len(text) == 5 and text[:2].isdigit():
        return _by_code(text.upper())
    key = comparable(text)
    if not key:
        return Lookup()
    candidates = _names(name__unaccent__icontains=max(key.split(), key=len))
    exact = [name for name in candidates if name.key == key]
    prefix = [name for name in candidates if name.key.startswith(key)]
    found = (
        _only_commune([name for name in exact if name.current])
        or _only_commune(exact)
        or (len(key) >= PREFIX_MIN_LENGTH and _only_commune(prefix))
    )
    if found:
        return found
    everything = _names()
    slips = [name for name in everything if one_slip_apart(key, name.key)]
    if len(key) >= SLIP_MIN_LENGTH and (found := _only_commune(slips)):
        return found
    return Lookup(suggestions=_suggestions(key, everything))


def unknown_commune_message(typed, suggestions):
    """What to tell a visitor whose words designate no commune: the nearest names, if any."""
    if not suggestions:
        return _("Commune inconnue : « %(name)s ». Vérifiez l'orthographe.") % {"name": typed}
    quoted = [_("« %(name)s »") % {"name": label} for label, _name in suggestions]
    names = (
        _("%(names)s ou %(last)s") % {"names": ", ".join(quoted[:-1]), "last": quoted[-1]}
        if len(quoted) > 1
        else quoted[0]
    )
    return _("Commune inconnue : « %(name)s ». Vouliez-vous dire %(names)s ?") % {
        "name": typed,
        "names": names,
    }


def comparable(name):
    """« Saint-Chély-d'Apcher », « st chely d apcher » and « ST-CHÉLY D’APCHER » compare equal."""
    for mark in "-'’.":
        name = name.replace(mark, " ")
    return " ".join(ABBREVIATIONS.get(word, word) for word in strip_accents(name).split())


def _by_code(code):
    commune = Commune.objects.filter(insee=code).first()
    if commune is not None:
        return Lookup(commune, commune.name)
    if not code.isdigit():
        return Lookup()
    # Stored as « 48000|48001 »: the text holds the code, then the code is checked whole.
    sharing = [
        commune
        for commune in Commune.objects.filter(postcodes__contains=code).order_by(
            F("population").desc(nulls_last=True), "name"
        )
        if code in commune.postcode_list
    ]
    if not sharing:
        return Lookup()
    return Lookup(sharing[0], f"{sharing[0].name} ({code})")


def _names(**condition):
    """The names of the current communes that meet the condition, then of the former ones."""
    current = Commune.objects.filter(**condition)
    former = FormerCommune.objects.filter(**condition).select_related("commune")
    return [Name(comparable(c.name), c.name, c, c.name, True) for c in current] + [
        Name(comparable(old.name), f"{old.name} ({old.commune.name})", old.commune, old.name, False)
        for old in former
    ]


def _only_commune(names):
    """The lookup of the one commune these names designate, or None if none or several."""
    if len({name.commune.pk for name in names}) != 1:
        return None
    return Lookup(names[0].commune, names[0].label)


def _suggestions(key, names):
    """The names nearest to what was typed: those it begins, those one slip away, then those
    alike enough (difflib), the most populous communes first among equals."""

    def closeness(name):
        if len(key) >= PREFIX_MIN_LENGTH and name.key.startswith(key):
            return 2
        if one_slip_apart(key, name.key):
            return 1.5
        return SequenceMatcher(None, key, name.key).ratio()

    scored = [(closeness(name), name) for name in names]
    near = [(score, name) for score, name in scored if score >= SUGGESTION_MIN_RATIO]
    near.sort(key=lambda item: (-item[0], -(item[1].commune.population or 0), item[1].label))
    return list(dict.fromkeys((name.label, name.typed) for _score, name in near))[:SUGGESTIONS]


# A department fits in a menu; a region or the country is typed (name or code) instead.
MENU_LIMIT = 200


def territory_count(model):
    """How many communes there are: it decides menu or text field."""
    return model.objects.count()


class CommuneField(forms.ModelChoiceField):
    """A commune by INSEE code, or by its current or former name when typed."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        typed = str(value)[:150]
        lookup = look_up_commune(typed)
        if lookup.commune is None:
            raise forms.ValidationError(
                unknown_commune_message(typed, lookup.suggestions), code="invalid_choice"
            )
        return lookup.commune


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
