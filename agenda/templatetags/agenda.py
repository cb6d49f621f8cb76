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
    the table of occurrences)."""
    now = timezone.now()
    end = now + timedelta(days=PLACE_PAGE_DAYS)
    events = Event.objects.published().filter(place=place)
    return events.dates(now, end, limit=PLACE_PAGE_DATES)
