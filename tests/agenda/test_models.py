"""Events: what a form refuses with a clear message, and how their dates are expanded."""

from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from agenda.models import Event
from agenda.recurrence import MAX_OCCURRENCES, PARIS
from tests.factories import (
    EventChangeFactory,
    EventFactory,
    NetworkFactory,
    PlaceFactory,
    StopFactory,
)

pytestmark = pytest.mark.django_db


def paris(*args):
    return datetime(*args, tzinfo=PARIS)


def errors_of(event):
    with pytest.raises(ValidationError) as caught:
        event.full_clean()
    return caught.value.message_dict


def test_end_before_start_is_refused_with_a_message():
    """An end before the start is a form error on « fin », and the database refuses it too."""
    event = EventFactory.build(
        place=PlaceFactory(), start=paris(2027, 3, 2, 18), end=paris(2027, 3, 2, 17)
    )
    assert "fin" in " ".join(errors_of(event)["end"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.bulk_create([event])


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=SOMETIMES",
        "FREQ=HOURLY",
        "FREQ=DAILY;BYHOUR=1,2,3",
        "FREQ=WEEKLY;BYDAY=XX",
        "FREQ=WEEKLY;COUNT=0",
        "FREQ=WEEKLY;COUNT=2;UNTIL=20270101",
        "FREQ=WEEKLY\nEXDATE:20270101",
        "FREQ=MONTHLY;BYMONTHDAY=31;BYMONTH=2",
        "n'importe quoi",
    ],
)
def test_an_invalid_rule_is_refused_with_a_message(rule):
    """A rule no calendar could read, or one that repeats by the hour, is a form error."""
    event = EventFactory(rule="")
    event.rule = rule
    assert errors_of(event)["rule"]


def test_a_rule_is_kept_in_rfc_5545_form():
    """« RRULE: » is accepted and dropped; a date UNTIL becomes the end of that day in UTC."""
    event = EventFactory(start=paris(2027, 1, 5, 18), end=paris(2027, 1, 5, 20))
    event.rule = "RRULE:FREQ=MONTHLY;BYDAY=1TU;UNTIL=20270630"
    event.full_clean()
    assert event.rule == "FREQ=MONTHLY;UNTIL=20270630T215959Z;BYDAY=1TU"


def test_first_tuesday_of_the_month_with_a_skipped_and_a_moved_date():
    """« Le premier mardi du mois », one month skipped, one moved: the dates a calendar gives."""
    event = EventFactory(
        start=paris(2027, 1, 5, 18),
        end=paris(2027, 1, 5, 20),
        rule="FREQ=MONTHLY;BYDAY=1TU;COUNT=6",
        exceptions="2027-03-02",
    )
    EventChangeFactory(
        event=event, date=date(2027, 4, 6), start=paris(2027, 4, 8, 9), end=paris(2027, 4, 8, 12)
    )
    starts = [o.start for o in event.occurrences(paris(2027, 1, 1), paris(2028, 1, 1))]
    assert starts == [
        paris(2027, 1, 5, 18),
        paris(2027, 2, 2, 18),
        paris(2027, 4, 8, 9),
        paris(2027, 5, 4, 18),
        paris(2027, 6, 1, 18),
    ]
    event.refresh_from_db()
    assert event.last_end == paris(2027, 6, 1, 20)


def test_summer_time_keeps_the_local_hour():
    """A weekly 18:00 stays at 18:00 in Lozère across the change to summer time."""
    event = EventFactory(
        start=paris(2027, 3, 23, 18), end=paris(2027, 3, 23, 20), rule="FREQ=WEEKLY;COUNT=3"
    )
    hours = {
        o.start.astimezone(PARIS).hour
        for o in event.occurrences(paris(2027, 3, 1), paris(2027, 5, 1))
    }
    assert hours == {18}


def test_an_endless_rule_is_expanded_within_bounds():
    """A daily rule without end: never more than a year ahead nor MAX_OCCURRENCES dates."""
    event = EventFactory(start=paris(2027, 1, 1, 9), end=paris(2027, 1, 1, 10), rule="FREQ=DAILY")
    assert event.last_end is None
    dates = event.occurrences(paris(2027, 1, 1), paris(2099, 1, 1))
    assert len(dates) == 366 <= MAX_OCCURRENCES  # the window is cut to a year
    assert dates[-1].start < paris(2028, 1, 2)


def test_exceptions_need_a_rule_and_real_dates():
    """Skipped days are dates, and only make sense for a recurring event."""
    event = EventFactory()
    event.exceptions = "2027-01-05"
    assert errors_of(event)["exceptions"]
    event.rule, event.exceptions = "FREQ=WEEKLY", "2027-01-05\njanvier"
    assert "janvier" in " ".join(errors_of(event)["exceptions"])


def test_a_changed_date_must_be_one_of_the_rule():
    """Moving a date the rule never gives is a form error on the date."""
    event = EventFactory(start=paris(2027, 1, 5, 18), end=paris(2027, 1, 5, 20), rule="FREQ=WEEKLY")
    change = EventChangeFactory.build(
        event=event, date=date(2027, 1, 6), start=paris(2027, 1, 6, 18), end=paris(2027, 1, 6, 19)
    )
    with pytest.raises(ValidationError) as caught:
        change.full_clean()
    assert "date" in caught.value.message_dict


def test_an_event_belongs_to_a_place_or_a_network():
    """Without either it is refused; at a stop, its place is the stop's."""
    event = EventFactory.build(place=None)
    assert errors_of(event)["place"]
    stop = StopFactory()
    event = EventFactory.build(place=None, stop=stop)
    event.full_clean()
    assert event.place == stop.place
    network_event = EventFactory(place=None, network=NetworkFactory())
    network_event.full_clean()


def test_online_registration_is_on_solozere_without_an_address():
    """« Inscription en ligne » without an address of its own: people register on Solozère; with
    one, they register there."""
    here = EventFactory(registration=Event.Registration.ONLINE)
    here.full_clean()
    assert here.registers_here and here.takes_registrations
    elsewhere = EventFactory(
        registration=Event.Registration.ONLINE, registration_url="https://example.org/inscription"
    )
    assert not elsewhere.registers_here


def test_slugs_are_unique():
    """Two events of one title get two addresses."""
    first, second = EventFactory(title="Café débat"), EventFactory(title="Café débat")
    assert (first.slug, second.slug) == ("cafe-debat", "cafe-debat-2")


def test_history_is_kept():
    """Every change of an event is in its history (who changed what, when)."""
    event = EventFactory()
    event.title = "Autre titre"
    event.save()
    assert [h.title for h in event.history.all()][:2] == ["Autre titre", event.history.last().title]
    assert event.history.count() == 2
    assert timedelta(0) <= event.end - event.start


def test_the_start_must_be_a_date_of_the_rule():
    """A first Tuesday rule starting on a Wednesday is refused: calendars would disagree on it."""
    event = EventFactory(start=paris(2027, 1, 6, 18), end=paris(2027, 1, 6, 20))
    event.rule = "FREQ=MONTHLY;BYDAY=1TU"
    assert errors_of(event)["rule"]
