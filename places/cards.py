"""Place cards: rendered once per place, language and data version, and shared by every list.

A card is kept in two halves around its distance, the one part that changes from one search to
the next, so a page of results whose cards are warm costs one cache read and no query. Each
process also keeps the cards it served last in its own memory, ahead of the shared cache: most
pages then read none from it (no round trip to Redis, nothing to unpickle).
"""

import threading
from collections import OrderedDict
from functools import lru_cache

from django.core.cache import cache
from django.template.defaultfilters import floatformat
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from charter.compliance import latest_signatures

from .cache import versioned_key
from .models import Place

SLOT = "<!-- distance -->"
SECONDS = 3600  # keyed by the data version, a card never goes stale
DISTANCE = '<span class="distance">— {}{}</span>'
LOCAL_CARDS = 2000  # about 4 MB per process


class RecentCards:
    """The cards this process served last, by cache key (which names the data version)."""

    def __init__(self, size):
        self.size = size
        self.cards = OrderedDict()
        self.lock = threading.Lock()

    def get_many(self, keys):
        with self.lock:
            found = {key: self.cards[key] for key in keys if key in self.cards}
            for key in found:
                self.cards.move_to_end(key)
        return found

    def clear(self):
        with self.lock:
            self.cards.clear()

    def set_many(self, cards):
        with self.lock:
            self.cards.update(cards)
            while len(self.cards) > self.size:
                self.cards.popitem(last=False)


recent = RecentCards(LOCAL_CARDS)


def cards(request, places, heading_level=2):
    """The cards of `places`, in order: Place instances (fetched with_card_data), or entries
    with a `pk` (fetched here if their card is cold); either may carry a `distance`."""
    language = get_language()
    prefix = versioned_key("card", language, heading_level)
    keys = {place.pk: f"{prefix}:{place.pk}" for place in places}
    found = recent.get_many(keys.values())
    if len(found) < len(keys):
        shared = cache.get_many([key for key in keys.values() if key not in found])
        recent.set_many(shared)
        found.update(shared)
    cold = [place.pk for place in places if keys[place.pk] not in found]
    if cold:
        rendered = _render(request, _instances(places, cold), heading_level)
        rendered = {keys[pk]: card for pk, card in rendered.items()}
        cache.set_many(rendered, SECONDS)
        recent.set_many(rendered)
        found.update(rendered)
    return [
        _with_distance(*found[keys[place.pk]], getattr(place, "distance", None), language)
        for place in places
        if keys[place.pk] in found  # a place deleted since the search ran has no card
    ]


def _instances(places, pks):
    given = {place.pk: place for place in places if isinstance(place, Place)}
    if all(pk in given for pk in pks):
        return [given[pk] for pk in pks]
    return list(Place.objects.filter(pk__in=pks).with_card_data())


def _render(request, places, heading_level):
    """Each card as (before its distance, after it, whether its position is approximate)."""
    signatures = latest_signatures(places)
    cards = {}
    for place in places:
        html = render_to_string(
            "places/_card.html",
            {
                "place": place,
                "heading_level": heading_level,
                "signatures": signatures,
                "distance_slot": mark_safe(SLOT),
            },
            request=request,
        )
        before, after = html.split(SLOT, 1)
        cards[place.pk] = (before, after, place.is_approximate)
    return cards


def _with_distance(before, after, approximate, distance, language):
    if distance is None:
        return mark_safe(before + after)
    return mark_safe(before + _distance(round(distance, 1), approximate, language) + after)


@lru_cache(maxsize=8192)
def _distance(km, approximate, language):
    """« — à 3,2 km »: the same few hundred tenths of kilometres, made once each."""
    note = format_html(" ({})", gettext("position approximative")) if approximate else ""
    text = gettext("à %(km)s km") % {"km": floatformat(km, 1)}
    return format_html(DISTANCE, text, note)
