"""Unmet demand: each valid search of the directory that found nothing (anywhere, or within its
radius) counted, anonymously, in one row per day and search.

What is kept is what the search looked for, never who looked: its words as the directory compares
them (places.search: without accents, plurals folded, little words left out, at most eight, each
cut to a bounded length), sorted so that « bureau journée » and « journée bureau » are one need;
its criteria (the catalogue's codes); the commune it started from (the one typed, or the commune
whose town hall is nearest to the browser's position: a position is never kept) and its radius.
No address, no cookie, no time of day. Robots that say so in their user agent are not counted.

The count is incremented by the database (`F("count") + 1`), the row created when missing under
its unique constraint: two visitors searching at once are both counted, on any number of
processes. The directory never serves such a page from its cache (places.freshness.uncached),
so every search reaches this module.
"""

import re

from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import QueryDict
from django.utils import timezone

from places.search import terms
from territory.fields import look_up_commune
from territory.geo import distance_km
from territory.models import Commune

from .models import MAX_QUERY_LENGTH, UnmetSearch, canonical

# The directory's criteria that say what was looked for (not where, nor when exactly).
CRITERIA = ("family", "service", "type", "audience", "network", "accessible", "open_now")
MAX_WORD_LENGTH = 40
MAX_WORDS_LENGTH = UnmetSearch._meta.get_field("words").max_length
ROBOTS = re.compile(
    r"bot|crawl|spider|slurp|fetch|scan|curl|wget|python|httpx|java/|go-http|headless|lighthouse",
    re.IGNORECASE,
)


def is_robot(request):
    agent = request.headers.get("User-Agent", "")
    return not agent.strip() or bool(ROBOTS.search(agent))


def normalised_words(text):
    """The words of a search as the directory compares them, sorted, bounded in length."""
    kept = sorted({term[:MAX_WORD_LENGTH] for term in terms(text or "")})
    line = " ".join(kept)
    return line[:MAX_WORDS_LENGTH].strip()


def criteria_of(data):
    """The search's criteria as a stable querystring of catalogue codes and yes/no criteria."""
    kept = QueryDict(mutable=True)
    for key in CRITERIA:
        if values := data.getlist(key):
            kept.setlist(key, values)
    return canonical(kept)[:MAX_QUERY_LENGTH]


def nearest_commune(latitude, longitude):
    """The commune whose town hall is nearest to a position (what is kept of a position)."""
    town_halls = Commune.objects.filter(townhall_latitude__isnull=False).values_list(
        "insee", "townhall_latitude", "townhall_longitude"
    )
    closest = min(
        town_halls,
        key=lambda row: distance_km(latitude, longitude, row[1], row[2]),
        default=None,
    )
    return closest[0] if closest else ""


def origin_commune(search):
    """The INSEE code of the commune a search started from, or of the one it was limited to."""
    data = search.form.cleaned_data
    if search.form.origin:
        if data.get("lat") is not None:
            return nearest_commune(*search.form.origin)
        commune = look_up_commune(data.get("near") or "").commune
        return commune.insee if commune else ""
    commune = data.get("commune")
    return commune.insee if commune else ""


def describe(request, search):
    """What an empty search is counted as: its key in UnmetSearch, or None when it looked for
    nothing in particular (no words, no criteria)."""
    words = normalised_words(search.form.cleaned_data.get("q"))
    criteria = criteria_of(request.GET)
    if not words and not criteria:
        return None
    return {
        "day": timezone.localdate(),
        "words": words,
        "criteria": criteria,
        "commune_insee": origin_commune(search),
        "radius": search.radius_km if search.form.origin else 0,
    }


def count(key):
    """One more search for `key` today: incremented by the database, the row made if missing."""
    if UnmetSearch.objects.filter(**key).update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            UnmetSearch.objects.create(**key, count=1)
    except IntegrityError:
        # Another visitor made the row meanwhile: count on it.
        UnmetSearch.objects.filter(**key).update(count=F("count") + 1)


def record(request, search):
    """places.extensions.unanswered: count a search of the directory that found nothing."""
    if request.method != "GET" or request.GET.get("page", "1") != "1" or is_robot(request):
        return
    key = describe(request, search)
    if key is not None:
        count(key)
