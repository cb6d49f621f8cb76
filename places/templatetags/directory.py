"""Lists of places: their cards, and the directory's facet options rendered in Python.

A search page shows about a hundred options with their counts. Through the template engine they
were half of the page's time; here what does not change from one search to the next is made once.
"""

from functools import lru_cache

from django import template
from django.template.defaultfilters import capfirst
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext

from ..cards import cards

register = template.Library()

FIELDSET = (
    '<fieldset class="facet">\n  <legend>{}</legend>\n'
    '  <ul class="options">\n    {}\n  </ul>\n</fieldset>'
)
OPTION = '<li><label><input type="checkbox" name="{}" value="{}"'
LABEL = '>{} <span>{}</span> <span class="count">('
PICTOGRAM = ' <img src="{}" alt="" width="18" height="18">'
COUNT = '{}<span class="visually-hidden"> {}</span>)</span></label></li>'


@lru_cache(maxsize=4096)
def _option_parts(name, value, label, pictogram_url):
    """What an option shows apart from its count and tick: the same from one search to the
    next, so made once."""
    pictogram = format_html(PICTOGRAM, pictogram_url) if pictogram_url else ""
    return format_html(OPTION, name, value), format_html(LABEL, pictogram, capfirst(label))


@lru_cache(maxsize=4096)
def _count(language, count):
    return format_html(COUNT, localize(count), ngettext("lieu", "lieux", count))


@register.simple_tag
def facet_fieldset(facet):
    """A facet's options as checkboxes: ticked first, each with its pictogram and count."""
    language = get_language()
    items = []
    for option in facet.options_checked_first:
        opening, label = _option_parts(
            facet.name, option.value, str(option.label), option.pictogram_url
        )
        checked = " checked" if option.checked else ""
        items.append(opening + checked + label + _count(language, option.count))
    return format_html(FIELDSET, facet.legend, mark_safe("\n    ".join(items)))


@register.simple_tag(takes_context=True)
def place_cards(context, places, heading_level=2):
    """A list's items: the cards of its places, from the shared card cache (see places.cards)."""
    cards_html = cards(context["request"], list(places), heading_level)
    return mark_safe("".join(f"<li>{card}</li>" for card in cards_html))
