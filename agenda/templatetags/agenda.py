"""A place's coming dates, for the section the agenda adds to place pages."""

from datetime import timedelta

from django import template
from django.utils import timezone

from ..models import Event

register = template.Library()
PLACE_PAGE_DAYS = 90
PLACE_PAGE_DATES = 8


@register.simple_tag
def upcoming_dates(place):
    """The place's dates in the coming PLACE_PAGE_DAYS, at most PLACE_PAGE_DATES (one query on
    the table of occurrences, each with its event only: the page is the place's own)."""
    now = timezone.now()
    end = now + timedelta(days=PLACE_PAGE_DAYS)
    events = Event.objects.published().filter(place=place)
    return events.dates(now, end, limit=PLACE_PAGE_DATES, related=("event",))


EPCI_PAGE_DAYS = 90
EPCI_PAGE_DATES = 20


def epci_dates(epci):
    """A communauté de communes' page section (places.extensions.epci_page): the dates of events
    held there in the coming EPCI_PAGE_DAYS, at most EPCI_PAGE_DATES (one query)."""
    now = timezone.now()
    events = Event.objects.published().in_epci(epci)
    return {
        "epci": epci,
        "dates": events.dates(now, now + timedelta(days=EPCI_PAGE_DAYS), limit=EPCI_PAGE_DATES),
        "days": EPCI_PAGE_DAYS,
    }
