"""Opening hours in OpenStreetMap syntax, read for people: open now, next opening, the week."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import opening_hours
from django.utils import timezone

OPEN = opening_hours.State.OPEN
UNKNOWN = opening_hours.State.UNKNOWN
# How far ahead the hours published to search engines go.
YEAR_DAYS = 365
# Every place is in Lozère: « PH » means France's public holidays, times are read on Paris's clock.
COUNTRY = "FR"
LOCAL_TIME = ZoneInfo("Europe/Paris")


@lru_cache(maxsize=4096)
def parse(expression):
    """Parsed hours, shared by every place with the same expression (many have the same).

    Without a country the library knows no public holiday, and « PH off » would never close."""
    return opening_hours.OpeningHours(expression, country=COUNTRY)


def local_naive(moment=None):
    """opening-hours-py reasons in local wall-clock time, without a time zone."""
    moment = moment or timezone.now()
    if timezone.is_aware(moment):
        moment = moment.astimezone(LOCAL_TIME)
    return moment.replace(tzinfo=None, second=0, microsecond=0)


def is_open(expression, moment=None):
    return bool(expression) and parse(expression).is_open(local_naive(moment))


def open_throughout(expression, start, end):
    """Whether the hours say « open » from `start` to `end` (aware or local), without a gap or a
    qualifier (« sur rendez-vous »: not plainly open)."""
    start, end = local_naive(start), local_naive(end)
    cursor = start
    for begin, finish, state, comment in parse(expression).intervals(start, end):
        if begin > cursor or state != OPEN or comment:
            return False
        cursor = finish
    return cursor >= end


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
    return list(days(expression, start, 7)[0].items())


def days(expression, start, count):
    """`count` days from `start` (a local midnight), each with its opening intervals as "HH:MM"
    pairs (an interval past midnight is cut there, its first part ending at "24:00"), and the
    set of days whose hours are not plain: left unknown, or qualified by a comment (« sur
    rendez-vous »), which the library reads as open."""
    end = start + timedelta(days=count)
    slots = {(start + timedelta(days=n)).date(): [] for n in range(count)}
    qualified = set()
    for begin, finish, state, comment in parse(expression).intervals(start, end):
        cursor = begin
        while cursor < min(finish, end):
            midnight = datetime.combine(cursor.date() + timedelta(days=1), datetime.min.time())
            stop = min(finish, midnight)
            if state == OPEN:
                closing = "24:00" if stop == midnight else f"{stop:%H:%M}"
                slots[cursor.date()].append((f"{cursor:%H:%M}", closing))
            if state == UNKNOWN or (state == OPEN and comment):
                qualified.add(cursor.date())
            cursor = stop
    return slots, qualified


@lru_cache(maxsize=16)
def public_holidays(first, last):
    """France's public holidays from `first` to `last` (dates), from the library's calendar."""
    start = datetime.combine(first, datetime.min.time())
    end = datetime.combine(last + timedelta(days=1), datetime.min.time())
    return frozenset(
        begin.date()
        for begin, _end, state, _comment in parse("PH").intervals(start, end)
        if state == OPEN
    )


@dataclass
class Period:
    """Days from `first` to `last` over which each weekday (0 is Monday) keeps its hours."""

    first: date
    last: date
    weekdays: dict


@dataclass
class Year:
    """The coming year's hours: seasons of weekly hours, and the dates that differ from them
    (public holidays, a one-off closing), each with its own hours (none: closed all day)."""

    periods: list
    special: dict


def year(expression, moment=None, count=YEAR_DAYS):
    """The hours of the `count` days from today as seasons and special dates, or None when some
    day's hours are not plain (see days()): they cannot be told without their qualifier.

    A weekday whose hours differ for a single week, between two weeks that agree, is a special
    date, not a season (« Dec 24 off »); so are public holidays whose hours differ from their
    season's."""
    start = local_naive(moment).replace(hour=0, minute=0)
    slots, qualified = days(expression, start, count)
    if qualified:
        return None
    dates = list(slots)
    holidays = public_holidays(dates[0], dates[-1])
    special = holidays | _one_offs(slots, holidays)
    periods = []
    for day in dates:
        if day in special:
            continue
        hours_now = slots[day]
        if not periods or periods[-1].weekdays.get(day.weekday(), hours_now) != hours_now:
            if periods:
                periods[-1].last = day - timedelta(days=1)
            periods.append(Period(day if periods else dates[0], dates[-1], {}))
        periods[-1].weekdays.setdefault(day.weekday(), hours_now)
    periods = periods or [Period(dates[0], dates[-1], {})]
    differing = {
        day: slots[day]
        for day in sorted(special)
        if _season(periods, day).weekdays.get(day.weekday()) != slots[day]
    }
    return Year(periods, differing)


def _one_offs(slots, holidays):
    """Dates whose hours differ from the same weekday's the week before and the week after, which
    agree: a single closing or opening rather than a change of season."""
    week = timedelta(days=7)
    return {
        day
        for day, hours_then in slots.items()
        if day not in holidays
        and (before := slots.get(day - week)) is not None
        and (after := slots.get(day + week)) is not None
        and before == after != hours_then
    }


def _season(periods, day):
    return next(period for period in periods if period.first <= day <= period.last)
