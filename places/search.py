"""Free-text search: accent- and case-insensitive everywhere, typo-tolerant on PostgreSQL."""

import unicodedata

from django.contrib.postgres.lookups import Unaccent
from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connection
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.lookups import GreaterThan

from .models import FormerCommune, Place

MAX_TERMS = 8
TYPO_MIN_LENGTH = 4  # trigrams of shorter words match too much
# pg_trgm's default word-similarity threshold (0.6) misses one dropped letter in a short name.
TYPO_THRESHOLD = 0.5
TEXT_FIELDS = ["name", "short_description", "description", "structure_name", "commune__name"]
TYPO_FIELDS = ["name", "commune__name"]
LABELS = ["label_fr", "label_en"]


def strip_accents(text):
    """« Saint-Chély » → « saint-chely »: the form both databases compare."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def sqlite_unaccent(value):
    return None if value is None else strip_accents(value)


def register_sqlite_unaccent(sender, connection, **kwargs):
    """Give SQLite the unaccent() function PostgreSQL's extension provides."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("unaccent", 1, sqlite_unaccent, deterministic=True)


def _contains(fields, term):
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__unaccent__icontains": term})
    return condition


def _term_condition(term, typo_tolerant):
    services = Place.services.through.objects.filter(place=OuterRef("pk"))
    types = Place.types.through.objects.filter(place=OuterRef("pk"))
    condition = (
        _contains(TEXT_FIELDS, term)
        | Q(
            Exists(
                FormerCommune.objects.filter(_contains(["name"], term), commune=OuterRef("commune"))
            )
        )
        | Q(Exists(services.filter(_contains([f"service__{f}" for f in LABELS], term))))
        | Q(Exists(types.filter(_contains([f"placetype__{f}" for f in LABELS], term))))
    )
    if typo_tolerant and len(term) >= TYPO_MIN_LENGTH:
        for field in TYPO_FIELDS:
            condition |= Q(_similar(term, field))
        condition |= Q(Exists(services.filter(_similar(term, "service__label_fr"))))
    return condition


def _similar(term, field):
    """A word of the field is close to the term: « marvjols » finds « Marvejols »."""
    return GreaterThan(TrigramWordSimilarity(term, Unaccent(F(field))), TYPO_THRESHOLD)


def search(queryset, text):
    """Places matching every word of the text in their name, descriptions, commune (old names
    included), services or types."""
    typo_tolerant = connection.vendor == "postgresql"
    for term in strip_accents(text).split()[:MAX_TERMS]:
        queryset = queryset.filter(_term_condition(term, typo_tolerant))
    return queryset
