"""The table of occurrences: each event's dates over the coming year (and the past month),
written from recurrence.py whenever the event or one of its changed dates is saved or deleted and
once a day, so that the agenda's readers query it instead of expanding every event."""

from datetime import datetime, timedelta
from itertools import islice

import icalendar
import pytest
import recurring_ical_events
from dateutil.rrule import rrulestr
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agenda import recurrence
from agenda.models import Event, EventChange, Occurrence
from tests.factories import (
    EventChangeFactory,
    EventFactory,
    PlaceFactory,
    StopFactory,
    next_week_at,
)

pytestmark = pytest.mark.django_db
PARIS = recurrence.PARIS


def stored(event):
    return sorted((row.start, row.end) for row in Occurrence.objects.filter(event=event))


def expanded(event, today=None):
    """The event's dates as recurrence.py expands them over the table's window."""
    window = recurrence.stored_window(today or timezone.localdate())
    return sorted((o.start, o.end) for o in recurrence.stored_dates(event, *window))


def test_saving_an_event_writes_its_dates_and_deleting_it_removes_them():
    """A single date, then a weekly series, then a shorter one: the table follows each save; the
    event gone, its dates go."""
    event = EventFactory()
    assert stored(event) == [(event.start, event.end)]
    event.rule = "FREQ=WEEKLY"
    event.save()
    assert len(stored(event)) > 50 and stored(event) == expanded(event)
    event.rule = "FREQ=WEEKLY;COUNT=3"
    event.exceptions = timezone.localdate(event.start + timedelta(days=7)).isoformat()
    event.save()
    assert [start for start, _end in stored(event)] == [
        event.start,
        event.start + timedelta(days=14),
    ]
    event.delete()
    assert not Occurrence.objects.exists()


def test_a_changed_date_saved_or_deleted_moves_its_date_in_the_table():
    """A date moved an hour later is stored moved; the change removed (alone, as the
    back-office's inline and the calendar import remove it), the date comes back."""
    change = EventChangeFactory()
    event = change.event
    assert (change.start, change.end) in stored(event)
    assert (event.start, event.end) not in stored(event)
    change.start += timedelta(hours=1)
    change.end += timedelta(hours=1)
    change.save()
    assert (change.start, change.end) in stored(event)
    EventChange.objects.filter(pk=change.pk).delete()
    assert (event.start, event.end) in stored(event)
    assert stored(event) == expanded(Event.objects.get(pk=event.pk))


def test_an_event_and_a_place_are_deleted_with_their_changed_dates():
    """Deleting an event (or its place) deletes its changed dates first: their signal must not
    write the event's dates again the moment before it goes."""
    change = EventChangeFactory()
    change.event.delete()
    other = EventChangeFactory()
    other.event.place.delete()
    assert not Occurrence.objects.exists()
    assert not Event.objects.exists()


def test_the_daily_command_moves_the_window(monkeypatch):
    """Forty days later, a weekly series' dates reach forty days further, the past ones before
    the window are gone, and an event over long ago keeps none."""
    series = EventFactory(rule="FREQ=WEEKLY")
    single = EventFactory()
    later = timezone.localdate() + timedelta(days=40)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: later)
    call_command("refresh_occurrences", stdout=open("/dev/null", "w"))  # noqa: SIM115
    first, last = recurrence.stored_window(later)
    assert stored(series) == expanded(series, later)
    assert max(start for start, _end in stored(series)) > last - timedelta(days=8)
    # next week's date is within the past month the table keeps; it is still there.
    assert stored(single) == [(single.start, single.end)]
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: later + timedelta(days=60))
    call_command("refresh_occurrences", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert stored(single) == []
    assert Occurrence.objects.filter(event=series).exists()


def test_the_factorys_row_is_the_events_own():
    """The factory's row is the one its event wrote, not a second one."""
    from tests.factories import OccurrenceFactory

    row = OccurrenceFactory()
    assert Occurrence.objects.filter(event=row.event).count() == 1


SERIES = [
    # Weekly over the change to summer time (the last Sunday of March) and back: 18:00 in
    # Lozère all year, whatever UTC says.
    ("FREQ=WEEKLY;BYDAY=TU", 1, [2], [5]),
    ("FREQ=MONTHLY;BYDAY=1TU", 1, [3], [1]),
    ("FREQ=DAILY;COUNT=40", 2, [10], [20]),
    ("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;UNTIL=20280101T000000Z", 1, [4, 7], [9]),
    ("FREQ=YEARLY", 1, [], []),
]


@pytest.mark.parametrize(("rule", "hours", "skipped", "moved"), SERIES)
def test_the_table_holds_the_dates_calendars_expand_from_the_published_ics(
    client, rule, hours, skipped, moved
):
    """Whatever the rule, skipped dates and moved ones: the dates the table holds are those that
    recurring-ical-events expands from the event's published .ics, over the table's window."""
    today = timezone.localdate()
    first_day = today + timedelta(days=7)
    start = datetime.combine(first_day, datetime.min.time(), tzinfo=PARIS).replace(hour=18)
    window = recurrence.stored_window(today)
    # The rule's first date from next week on is the event's start (as its form requires).
    given = rrulestr(rule, dtstart=start)
    dates = [moment for moment in islice(given, 400) if moment < window[1]]
    start = dates[0]
    event = EventFactory(
        start=start,
        end=start + timedelta(hours=hours),
        rule=rule,
        exceptions="\n".join(
            recurrence.local(dates[n]).date().isoformat() for n in skipped if n < len(dates)
        ),
    )
    for n in moved:
        if n < len(dates):
            day = recurrence.local(dates[n]).date()
            EventChangeFactory(
                event=event,
                date=day,
                start=dates[n] + timedelta(days=1, hours=-3),
                end=dates[n] + timedelta(days=1, hours=-3 + hours),
            )
    response = client.get(reverse("agenda:place-ics", args=[event.place.slug]))
    calendar = icalendar.Calendar.from_ical(response.content)
    published = recurring_ical_events.of(calendar).between(*window)
    from_ics = sorted((_aware(c.start), _aware(c.end)) for c in published)
    assert from_ics
    assert stored(event) == from_ics


def _aware(moment):
    return moment if isinstance(moment, datetime) else datetime.combine(moment, datetime.min.time())


def test_the_feed_holds_every_event_with_a_date_in_the_window_and_no_other(client):
    """The .ics publishes the events the table gives a date in the window, whole (with their
    rule): a series begun long ago is in it, one over is not."""
    long_ago = next_week_at(18, days=-700)
    EventFactory(
        title="Série", start=long_ago, end=long_ago + timedelta(hours=2), rule="FREQ=DAILY"
    )
    EventFactory(
        title="Finie",
        start=long_ago,
        end=long_ago + timedelta(hours=2),
        rule="FREQ=DAILY;COUNT=3",
    )
    calendar = icalendar.Calendar.from_ical(client.get(reverse("agenda:ics")).content)
    assert {str(e["SUMMARY"]) for e in calendar.walk("VEVENT")} == {"Série"}
    assert all("RRULE" in e for e in calendar.walk("VEVENT"))


def counted(client, url, params=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200, response.content[:500]
    return len(queries)


def many_events(number):
    for n in range(number):
        truck = PlaceFactory(itinerant=True)
        event = EventFactory(
            place=truck,
            stop=StopFactory(place=truck),
            rule="FREQ=WEEKLY" if n % 2 else "",
            description="Un *atelier* pour [tout le monde](https://example.org).",
        )
        if n % 2:
            EventChangeFactory(event=event)


def test_readers_make_the_same_queries_for_three_events_or_thirty(client):
    """The agenda's page, its map, its calendars, the API and the directory's « un évènement
    cette semaine »: as many queries with thirty events as with three."""
    place = PlaceFactory()
    EventFactory(place=place, rule="FREQ=WEEKLY")
    readers = [
        (reverse("agenda:list"), {}),
        (reverse("agenda:geojson"), {"when": "week"}),
        (reverse("agenda:ics"), {}),
        (reverse("agenda:ics"), {"start": next_week_at(0).date().isoformat()}),
        ("/api/evenements/", {}),
        (reverse("places:home"), {"event_week": "true"}),
        (place.get_absolute_url(), {}),
    ]
    many_events(3)
    few = [counted(client, url, params) for url, params in readers]
    many_events(27)
    assert [counted(client, url, params) for url, params in readers] == few


def test_the_page_lists_the_tables_dates_at_most_the_page_can_hold(client):
    """A daily series: the four weeks shown are its 28 dates from the table."""
    EventFactory(rule="FREQ=DAILY", start=next_week_at(10, days=-3), title="Chaque jour")
    response = client.get(reverse("agenda:list"))
    shown = [
        row
        for _day, rows in response.context["days"]
        for row in rows
        if row.event.title == "Chaque jour"
    ]
    assert len(shown) == 28
    assert all(isinstance(row, Occurrence) for row in shown)
