"""Place cards: rendered once per place, language and data version, and shared by every list.

A card is kept in two halves around its distance, the one part that changes from one search to
the next, so a page of results whose cards are warm costs one cache read and no query.
"""

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


def cards(request, places, heading_level=2):
    """The cards of `places`, in order: Place instances (fetched with_card_data), or entries
    with a `pk` (fetched here if their card is cold); either may carry a `distance`."""
    language = get_language()
    prefix = versioned_key("card", language, heading_level)
    keys = {place.pk: f"{prefix}:{place.pk}" for place in places}
    found = cache.get_many(list(keys.values()))
    cold = [place.pk for place in places if keys[place.pk] not in found]
    if cold:
        rendered = _render(request, _instances(places, cold), heading_level)
        rendered = {keys[pk]: card for pk, card in rendered.items()}
        cache.set_many(rendered, SECONDS)
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
