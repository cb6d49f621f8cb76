"""Lists of places: their cards, with what other apps add to them (places.extensions)."""

from django import template
from django.utils import timezone

from .. import extensions

register = template.Library()


@register.inclusion_tag("places/_cards.html", takes_context=True)
def place_cards(context, places, heading_level=2):
    """A list's items: one card per place (fetched `with_card_data()`), with its distance when
    a « near » search gave it one, and whether it is open now (one « now » for every card; a
    cached list lives a minute at most, see places.freshness)."""
    return {
        **context.flatten(),
        "places": places,
        "heading_level": heading_level,
        "card_extensions": extensions.card.templates,
        "now": timezone.now(),
    }


@register.filter
def open_at(place, moment):
    """Whether a place is open at `moment`; None when it is not open for good (a project, a
    closed place) or its hours are unknown, so that a card says nothing it does not know."""
    if place.status != place.Status.OPEN or not place.opening_hours:
        return None
    return place.is_open_at(moment)
