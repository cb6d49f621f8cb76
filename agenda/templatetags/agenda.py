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
    """The place's dates in the coming PLACE_PAGE_DAYS, at most PLACE_PAGE_DATES (three queries:
    a place's page shows one place)."""
    now = timezone.now()
    end = now + timedelta(days=PLACE_PAGE_DAYS)
    events = Event.objects.published().filter(place=place).between(now, end).with_page_data()
    dates = sorted(
        (o for event in events for o in event.occurrences(now, end)), key=lambda o: o.start
    )
    return dates[:PLACE_PAGE_DATES]
