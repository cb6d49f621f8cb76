"""A place's own calendar (Mobilizon, OpenAgenda, any iCalendar file) merged into its events.

Each VEVENT becomes the place's event with the calendar's UID (`Event.feed_uid`): fetched again,
it is updated, never added twice. Its rule (RRULE), skipped days (EXDATE) and changed dates
(VEVENTs with a RECURRENCE-ID; a cancelled one becomes a skipped day) map onto the event's rule,
exceptions and EventChange, checked by the same rules as the back-office's form (recurrence.py and
its bounds). An event the site cannot hold (a rule by the hour, no end…) is left out and named in
the feed's report; events already over are not imported.

An event that leaves the calendar while still to come is marked cancelled (not deleted: its page
and the calendars that subscribed to it say it is cancelled); one over is left as it was.

A feed is read whole before anything is written, and written in one transaction: a calendar that
cannot be fetched or read changes no event, and its error is shown in the back-office.
"""

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import icalendar
import nh3
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from places.rendering import ALLOWED_ATTRIBUTES, ALLOWED_TAGS

from . import recurrence
from .fetching import FetchError, fetch
from .models import CalendarFeed, Event, EventChange

logger = logging.getLogger(__name__)

MAX_EVENTS = 2000
MAX_DESCRIPTION = 20_000
MAX_NOTED = 20


class ReadError(Exception):
    """The calendar is not one the site can read."""


class Skipped(Exception):
    """One event of the calendar left out, and why."""


@dataclass
class Incoming:
    """One event as the calendar gives it, before it meets the database."""

    uid: str
    title: str
    description: str
    start: datetime
    end: datetime
    rule: str = ""
    exdates: set = field(default_factory=set)
    cancelled: bool = False
    changes: dict = field(default_factory=dict)  # day → (start, end)


@dataclass
class Report:
    created: int = 0
    updated: int = 0
    cancelled: int = 0
    skipped: list = field(default_factory=list)


# Reading


def read(body):
    """The calendar's events by UID, the UIDs it holds (all of them), and what was left out."""
    try:
        text = body.decode("utf-8-sig")
        calendar = icalendar.Calendar.from_ical(text)
    except UnicodeDecodeError as error:
        raise ReadError(_("Le fichier n'est pas un agenda iCalendar (texte UTF-8).")) from error
    except Exception as error:  # noqa: BLE001 — icalendar raises many kinds on bad input
        raise ReadError(
            _("Le fichier n'est pas un agenda iCalendar lisible (%(error)s).")
            % {"error": str(error)[:200]}
        ) from error
    if getattr(calendar, "name", "") != "VCALENDAR":
        raise ReadError(_("Le fichier n'est pas un agenda iCalendar (pas de VCALENDAR)."))
    components = calendar.walk("VEVENT")
    if len(components) > MAX_EVENTS:
        raise ReadError(
            _("L'agenda compte plus de %(max)s évènements : il n'a pas été importé.")
            % {"max": MAX_EVENTS}
        )
    events, overrides, uids, skipped = {}, [], set(), []
    for component in components:
        uid = str(component.get("UID", "")).strip()[:255]
        if not uid:
            skipped.append(_note(component, _("sans UID")))
            continue
        uids.add(uid)
        try:
            if component.get("RECURRENCE-ID") is not None:
                overrides.append((uid, component))
            elif uid not in events:
                events[uid] = _incoming(uid, component)
        except Skipped as reason:
            skipped.append(_note(component, str(reason)))
        except Exception as error:  # noqa: BLE001 — one unreadable event leaves only itself out
            skipped.append(
                _note(component, _("illisible (%(error)s)") % {"error": str(error)[:200]})
            )
    for uid, component in overrides:
        if uid in events:
            try:
                _apply_override(events[uid], component)
            except Exception as error:  # noqa: BLE001
                skipped.append(
                    _note(
                        component,
                        _("date modifiée illisible (%(error)s)") % {"error": str(error)[:200]},
                    )
                )
    return events, uids, skipped


def _note(component, reason):
    title = str(component.get("SUMMARY", "") or component.get("UID", "") or "?")[:80]
    return f"« {title} » : {reason}"


def _incoming(uid, component):
    title = " ".join(str(component.get("SUMMARY", "")).split())[:200]
    if not title:
        raise Skipped(_("sans titre"))
    start, end = _span(component)
    incoming = Incoming(
        uid=uid,
        title=title,
        description=_clean(str(component.get("DESCRIPTION", ""))),
        start=start,
        end=end,
        cancelled=str(component.get("STATUS", "")).upper() == "CANCELLED",
    )
    rules = component.get("RRULE")
    if rules is not None:
        if isinstance(rules, list):
            raise Skipped(_("plusieurs règles de récurrence"))
        incoming.rule = rules.to_ical().decode()
    exdates = component.get("EXDATE")
    for group in exdates if isinstance(exdates, list) else [exdates] if exdates else []:
        incoming.exdates.update(_day(moment.dt) for moment in group.dts)
    return incoming


def _span(component):
    if component.get("DTSTART") is None:
        raise Skipped(_("sans date de début"))
    start_value = component.decoded("DTSTART")
    start = _moment(start_value)
    if component.get("DTEND") is not None:
        end = _moment(component.decoded("DTEND"))
    elif component.get("DURATION") is not None:
        end = start + component.decoded("DURATION")
    elif not isinstance(start_value, datetime):
        end = start + timedelta(days=1)  # a day's event (RFC 5545, 3.6.1)
    else:
        raise Skipped(_("sans heure de fin"))
    if end <= start:
        raise Skipped(_("sa fin ne vient pas après son début"))
    return start, end


def _moment(value):
    """A DATE is the start of that day in Lozère; a time without a zone is Lozère's."""
    if not isinstance(value, datetime):
        return datetime.combine(value, time(), tzinfo=recurrence.PARIS)
    if value.tzinfo is None:
        return value.replace(tzinfo=recurrence.PARIS)
    return value


def _day(value):
    if isinstance(value, datetime):
        return recurrence.local(_moment(value)).date()
    if isinstance(value, date):
        return value
    raise ValueError(value)


def _apply_override(incoming, component):
    day = _day(component.decoded("RECURRENCE-ID"))
    if str(component.get("STATUS", "")).upper() == "CANCELLED":
        incoming.exdates.add(day)
        incoming.changes.pop(day, None)
        return
    incoming.changes[day] = _span(component)


def _clean(text):
    """The description sanitised as every description is (nh3): it is shown as Markdown."""
    text = text.strip()[:MAX_DESCRIPTION]
    return nh3.clean(
        text,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel=None,
    ).strip()


# Writing


def import_feed(feed):
    """Fetch, read and merge one feed; its report (or error) written on it. True when it worked."""
    now = timezone.now()
    try:
        events, uids, skipped = read(fetch(feed.url))
        with transaction.atomic():
            # Cron and « Importer maintenant » at once: the second waits, then finds the first's
            # events instead of adding them again.
            CalendarFeed.objects.select_for_update().filter(pk=feed.pk).first()
            report = _merge(feed, events, uids, now)
            report.skipped = skipped + report.skipped
            CalendarFeed.objects.filter(pk=feed.pk).update(
                last_fetched_at=now,
                last_success_at=now,
                last_error="",
                created_count=report.created,
                updated_count=report.updated,
                cancelled_count=report.cancelled,
                skipped_count=len(report.skipped),
                skipped_note="\n".join(report.skipped[:MAX_NOTED]),
            )
    except (FetchError, ReadError) as error:
        _failed(feed, now, str(error))
        return False
    except Exception:  # noqa: BLE001 — one feed's failure stops neither the others nor cron
        logger.exception("Calendar feed %s could not be imported", feed.pk)
        _failed(feed, now, _("Erreur inattendue pendant l'import : aucun évènement n'a changé."))
        return False
    feed.refresh_from_db()
    return True


def _failed(feed, now, message):
    CalendarFeed.objects.filter(pk=feed.pk).update(last_fetched_at=now, last_error=message)
    feed.refresh_from_db()


def _merge(feed, events, uids, now):
    report = Report()
    existing = {
        event.feed_uid: event
        for event in Event.objects.filter(feed=feed).prefetch_related("changes")
    }
    for uid, incoming in events.items():
        event = existing.get(uid) or Event(feed=feed, feed_uid=uid, place=feed.place)
        try:
            changed = _write(event, incoming, now)
        except Skipped as reason:
            report.skipped.append(f"« {incoming.title[:80]} » : {reason}")
            continue
        if changed == "created":
            report.created += 1
        elif changed == "updated":
            report.updated += 1
    gone = (
        Event.objects.filter(feed=feed)
        .exclude(feed_uid__in=uids)
        .exclude(status=Event.Status.CANCELLED)
        .exclude(last_end__lt=now)
    )
    for event in gone:
        event.status = Event.Status.CANCELLED
        event.save()
        report.cancelled += 1
    return report


FIELDS = ["title", "description", "start", "end", "rule", "exceptions", "status", "place_id"]


def _write(event, incoming, now):
    """Create or update one event; 'created', 'updated' or None (nothing to change)."""
    before = None if event.pk is None else [getattr(event, name) for name in FIELDS]
    before_changes = (
        None
        if event.pk is None
        else {change.date: (change.start, change.end) for change in event.changes.all()}
    )
    event.title = incoming.title
    event.description = incoming.description
    event.start, event.end = incoming.start, incoming.end
    event.rule = incoming.rule
    event.exceptions = "\n".join(day.isoformat() for day in sorted(incoming.exdates))
    event.status = Event.Status.CANCELLED if incoming.cancelled else Event.Status.SCHEDULED
    event.place = event.feed.place
    if not event.rule:
        event.exceptions = ""
    try:
        event.full_clean(exclude=["slug"], validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        raise Skipped(" ".join(error.messages)[:300]) from error
    last = recurrence.last_end(event)
    ends = [end for _start, end in incoming.changes.values()]
    if event.pk is None and last is not None and max([last, *ends]) < now:
        return None  # over: not imported
    changes = _valid_changes(event, incoming.changes)
    after = [getattr(event, name) for name in FIELDS]
    if before == after and before_changes == changes:
        return None
    created = event.pk is None
    event.save()
    if before_changes != changes:
        EventChange.objects.filter(event=event).exclude(date__in=changes).delete()
        for day, (start, end) in changes.items():
            if (before_changes or {}).get(day) != (start, end):
                EventChange.objects.update_or_create(
                    event=event, date=day, defaults={"start": start, "end": end}
                )
    return "created" if created else "updated"


def _valid_changes(event, changes):
    """The changed dates the rule gives (others are left out, as the back-office's form would)."""
    if not event.rule:
        return {}
    kept = {}
    for day, (start, end) in sorted(changes.items()):
        if day in recurrence.parse_dates(event.exceptions):
            continue
        if recurrence.is_occurrence_day(event, day):
            kept[day] = (start, end)
    return kept
