"""Opening hours in OpenStreetMap syntax, read for people: open now, next opening, the week."""

from datetime import datetime, timedelta
from functools import lru_cache

import opening_hours
from django.utils import timezone

OPEN = opening_hours.State.OPEN


@lru_cache(maxsize=4096)
def parse(expression):
    """Parsed hours, shared by every place with the same expression (many have the same)."""
    return opening_hours.OpeningHours(expression)


def local_naive(moment=None):
    """opening-hours-py reasons in local wall-clock time, without a time zone."""
    moment = moment or timezone.now()
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.replace(tzinfo=None, second=0, microsecond=0)


def is_open(expression, moment=None):
    return bool(expression) and parse(expression).is_open(local_naive(moment))


def next_opening(expression, moment=None):
    """When a closed place opens next, or None if it never does within the coming year."""
    if not expression:
        return None
    start = local_naive(moment)
    for begin, _end, state, _comment in parse(expression).intervals(
        start, start + timedelta(days=366)
    ):
        if state == OPEN:
            return begin
    return None


def week(expression, moment=None):
    """The next seven days from today, each with its opening intervals as "HH:MM" pairs."""
    start = local_naive(moment).replace(hour=0, minute=0)
    end_of_week = start + timedelta(days=7)
    days = {(start + timedelta(days=n)).date(): [] for n in range(7)}
    for begin, end, state, _comment in parse(expression).intervals(start, end_of_week):
        cursor = begin
        while state == OPEN and cursor < min(end, end_of_week):
            midnight = datetime.combine(cursor.date() + timedelta(days=1), datetime.min.time())
            stop = min(end, midnight)
            closing = "24:00" if stop == midnight else f"{stop:%H:%M}"
            days[cursor.date()].append((f"{cursor:%H:%M}", closing))
            cursor = stop
    return list(days.items())
