"""Recurrence as RFC 5545 says it, read and expanded by real iCalendar libraries.

An event is one iCalendar VEVENT: its rule (RRULE), the days it skips (EXDATE) and its changed
dates (a VEVENT of their own with a RECURRENCE-ID). recurring-ical-events expands them; the same
components are what the .ics feeds publish, so a page and a calendar never disagree.

Expansion is always bounded: a window of at most MAX_WINDOW, at most MAX_OCCURRENCES per event.
Rules more frequent than daily (by the hour, the minute…) are refused: an event repeats by days.
"""

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from itertools import islice
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events
from dateutil.rrule import rrulestr
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

PARIS = ZoneInfo("Europe/Paris")
MAX_WINDOW = timedelta(days=366)
MAX_OCCURRENCES = 400
MAX_COUNT = 1000
FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
REFUSED_PARTS = ("BYHOUR", "BYMINUTE", "BYSECOND")
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")


def local(moment):
    return moment.astimezone(PARIS)


def parse_rule(text, start):
    """The rule written (« FREQ=MONTHLY;BYDAY=1TU », with or without « RRULE: ») as a vRecur
    whose UNTIL is in UTC, as RFC 5545 asks when the start has a time zone; None if empty.
    A rule that cannot be read, or that repeats more often than daily, is a ValidationError."""
    value = (text or "").strip()
    if value.upper().startswith("RRULE:"):
        value = value[len("RRULE:") :].strip()
    if not value:
        return None
    if re.search(r"[\r\n:]", value):
        raise ValidationError(_("Indiquez une seule règle, sans autre propriété."), code="rule")
    try:
        recur = icalendar.vRecur.from_ical(value)
        freq = recur.get("FREQ") or [None]
        if str(freq[0]).upper() not in FREQUENCIES:
            raise ValidationError(
                _(
                    "La fréquence doit être FREQ=DAILY, WEEKLY, MONTHLY ou YEARLY "
                    "(chaque jour, semaine, mois ou année)."
                ),
                code="frequency",
            )
        if any(part in recur for part in REFUSED_PARTS):
            raise ValidationError(
                _("Un évènement se répète par jours : BYHOUR, BYMINUTE et BYSECOND sont refusés."),
                code="hourly",
            )
        if "COUNT" in recur and "UNTIL" in recur:
            raise ValidationError(
                _("Indiquez COUNT ou UNTIL, pas les deux."), code="count_and_until"
            )
        count = recur.get("COUNT")
        if count and not 0 < int(count[0]) <= MAX_COUNT:
            raise ValidationError(_("COUNT va de 1 à %(max)s.") % {"max": MAX_COUNT}, code="count")
        if "UNTIL" in recur:
            recur["UNTIL"] = [_until_utc(recur["UNTIL"][0])]
        normalised = recur.to_ical().decode()
        # dateutil reads it too: what one library accepts and the other not is refused.
        if start is not None:
            rule = rrulestr(normalised, dtstart=local(start), forceset=True)
            if next(iter(rule), None) is None:
                raise ValidationError(_("Cette règle ne donne aucune date."), code="empty")
    except ValidationError:
        raise
    except (ValueError, TypeError, KeyError, IndexError, OverflowError) as error:
        raise ValidationError(
            _("Règle de récurrence illisible (RFC 5545) : %(error)s") % {"error": error},
            code="rule",
        ) from error
    return icalendar.vRecur.from_ical(normalised)


def _until_utc(until):
    """A date UNTIL is the end of that day in Lozère; a time without zone is Lozère's."""
    if not isinstance(until, datetime):
        until = datetime.combine(until, time(23, 59, 59))
    if until.tzinfo is None:
        until = until.replace(tzinfo=PARIS)
    return until.astimezone(ZoneInfo("UTC"))


def parse_dates(text):
    """The days written one per line (or separated by commas), as 2027-01-05 or 05/01/2027."""
    days = []
    for word in re.split(r"[\s,;]+", (text or "").strip()):
        if not word:
            continue
        for date_format in DATE_FORMATS:
            try:
                days.append(datetime.strptime(word, date_format).date())
                break
            except ValueError:
                continue
        else:
            raise ValidationError(
                _("« %(value)s » n'est pas une date (AAAA-MM-JJ ou JJ/MM/AAAA).")
                % {"value": word[:40]},
                code="date",
            )
    return sorted(set(days))


def at_start_time(day, start):
    """The moment an occurrence on `day` begins: the event's local start time that day."""
    return datetime.combine(day, local(start).time(), tzinfo=PARIS)


@dataclass(frozen=True)
class Occurrence:
    """One date of an event (its own, or a changed one)."""

    event: object
    start: datetime
    end: datetime

    @property
    def day(self):
        return local(self.start).date()


def vevents(event, changes=None, described=True):
    """The event as iCalendar components: its VEVENT, then one per changed date; only their
    dates (and UID) when not `described`, which is all expanding them needs."""

    def describe(component):
        if described:
            event.describe_ical(component)
        else:
            component.add("uid", f"{event.uid}@solozere")

    master = icalendar.Event()
    describe(master)
    master.add("dtstart", local(event.start))
    master.add("dtend", local(event.end))
    if event.rule:
        master.add("rrule", parse_rule(event.rule, event.start))
        for day in parse_dates(event.exceptions):
            master.add("exdate", at_start_time(day, event.start))
    components = [master]
    for change in event.changes.all() if changes is None else changes:
        override = icalendar.Event()
        describe(override)
        override.add("recurrence-id", at_start_time(change.date, event.start))
        override.add("dtstart", local(change.start))
        override.add("dtend", local(change.end))
        components.append(override)
    return components


def calendar(components, name="", timezones=True):
    """A VCALENDAR holding the components, with the time zones they use (VTIMEZONE, which a
    calendar file needs; expanding dates reads the datetimes' own zones and does without)."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Solozère//Agenda des tiers-lieux de Lozère//FR")
    cal.add("version", "2.0")
    if name:
        cal.add("x-wr-calname", name)
    for component in components:
        cal.add_component(component)
    if timezones:
        cal.add_missing_timezones()
    return cal


def occurrences(event, start, end):
    """The event's occurrences that end after `start` and begin before `end` (the window is cut
    to MAX_WINDOW from `start`), at most MAX_OCCURRENCES, in order."""
    end = min(end, start + MAX_WINDOW)
    if not event.rule and not event.changes.all():
        if event.start < end and event.end > start:
            return [Occurrence(event, local(event.start), local(event.end))]
        return []
    query = recurring_ical_events.of(calendar(vevents(event, described=False), timezones=False))
    found = []
    for component in islice(query.after(start), MAX_OCCURRENCES):
        begins = _aware(component.start)
        if begins >= end:
            break
        found.append(Occurrence(event, begins, _aware(component.end)))
    return found


# The table of occurrences (models.Occurrence) holds each event's dates from a month back (the
# calendars' past) to a year ahead, written when the event changes and once a day
# (`manage.py refresh_occurrences`); a day's margin each side lets cron run late.
STORED_PAST = timedelta(days=33)
STORED_AHEAD = MAX_WINDOW + timedelta(days=2)
MARGIN = timedelta(days=1)


def _midnight(day):
    return datetime.combine(day, time(), tzinfo=PARIS)


def stored_window(today):
    """The moments between which a refresh on `today` writes an event's dates."""
    return _midnight(today) - STORED_PAST, _midnight(today) + STORED_AHEAD


def is_stored(start, end, today):
    """Whether the table holds every date in [start, end) on `today`, even if yesterday's
    refresh was the last: the readers read it then, and expand the event otherwise."""
    first, last = stored_window(today)
    return start >= first + 2 * MARGIN and end <= last - MARGIN


def stored_dates(event, start, end):
    """The event's dates in [start, end), a window longer than MAX_WINDOW read a window at a
    time: what the table of occurrences holds."""
    found, seen = [], set()
    while start < end:
        stop = min(end, start + MAX_WINDOW)
        for occurrence in occurrences(event, start, stop):
            if (occurrence.start, occurrence.end) not in seen:
                seen.add((occurrence.start, occurrence.end))
                found.append(occurrence)
        start = stop
    return found


def _aware(moment):
    if isinstance(moment, datetime):
        return moment if moment.tzinfo else moment.replace(tzinfo=PARIS)
    return datetime.combine(moment, time(), tzinfo=PARIS)


def last_end(event):
    """When the event's last occurrence ends, or None when its rule never stops: read by the
    database to leave out events over before a window."""
    ends = [change.end for change in event.changes.all()] if event.pk else []
    if not event.rule:
        return max([event.end, *ends])
    recur = parse_rule(event.rule, event.start)
    if "COUNT" in recur:
        rule = rrulestr(recur.to_ical().decode(), dtstart=local(event.start))
        last = list(rule)[-1]
    elif "UNTIL" in recur:
        last = recur["UNTIL"][0]
    else:
        return None
    return max([last + (event.end - event.start), event.end, *ends])


def is_occurrence_day(event, day):
    """Whether the rule (before its exceptions) gives a date on `day`."""
    recur = parse_rule(event.rule, event.start)
    if recur is None:
        return local(event.start).date() == day
    rule = rrulestr(recur.to_ical().decode(), dtstart=local(event.start))
    moment = at_start_time(day, event.start)
    return rule.after(moment - timedelta(seconds=1), inc=True) == moment
