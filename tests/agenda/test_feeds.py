"""Calendars, the Atom feed and the open data of events: every file parses with the libraries
calendar applications use, and recurring events expand to the dates the page shows."""

import csv
import io
import json
from datetime import date, datetime, timedelta
from xml.etree import ElementTree

import icalendar
import pytest
import recurring_ical_events
from django.urls import reverse
from django.utils import timezone

from agenda.recurrence import PARIS
from tests.factories import (
    EventChangeFactory,
    EventFactory,
    MembershipFactory,
    NetworkFactory,
    PlaceFactory,
    StopFactory,
    lozere_commune,
    next_week_at,
)

pytestmark = pytest.mark.django_db


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def summaries(calendar):
    return sorted({str(e["SUMMARY"]) for e in calendar.walk("VEVENT")})


def test_agenda_ics_expands_to_the_same_dates_as_the_page(client):
    """First Tuesday of the month, one skipped, one moved: the feed, expanded by
    recurring-ical-events, gives the dates the site computes."""
    start = datetime(2027, 1, 5, 18, tzinfo=PARIS)
    event = EventFactory(
        start=start,
        end=start + timedelta(hours=2),
        rule="FREQ=MONTHLY;BYDAY=1TU;COUNT=5",
        exceptions="2027-02-02",
    )
    EventChangeFactory(event=event, date=date(2027, 3, 2))
    calendar = parse(
        client.get(reverse("agenda:ics"), {"start": "2027-01-01", "end": "2027-12-31"})
    )
    assert calendar.walk("VTIMEZONE")
    expanded = recurring_ical_events.of(calendar).between(date(2027, 1, 1), date(2028, 1, 1))
    window = (datetime(2027, 1, 1, tzinfo=PARIS), datetime(2028, 1, 1, tzinfo=PARIS))
    assert sorted(e.start for e in expanded) == [o.start for o in event.occurrences(*window)]
    assert len(expanded) == 4


def test_agenda_ics_takes_the_pages_filters(client):
    """Free events only: the paid one is left out; bad filters are a 400 saying why."""
    EventFactory(title="Gratuit", free=True)
    EventFactory(title="Payant")
    assert summaries(parse(client.get(reverse("agenda:ics"), {"free": "true"}))) == ["Gratuit"]
    response = client.get(reverse("agenda:ics"), {"when": "jamais"})
    assert response.status_code == 400
    assert "when" in response.content.decode()


def test_place_network_and_epci_calendars(client):
    """A place's calendar has its events; a network's, its own and its members'; a communauté
    de communes', those held there (at a stop too)."""
    mende, florac = lozere_commune("48095"), lozere_commune("48061")
    network = NetworkFactory()
    member = PlaceFactory(commune=mende)
    MembershipFactory(place=member, network=network)
    truck = PlaceFactory(commune=florac, itinerant=True)
    EventFactory(title="Chez le membre", place=member)
    EventFactory(title="Du réseau", place=None, network=network, commune=florac)
    EventFactory(title="Camion à Mende", place=truck, stop=StopFactory(place=truck, commune=mende))
    EventFactory(title="Ailleurs", place=PlaceFactory(commune=florac))
    place_feed = parse(client.get(reverse("agenda:place-ics", args=[member.slug])))
    assert summaries(place_feed) == ["Chez le membre"]
    network_feed = parse(client.get(reverse("agenda:network-ics", args=[network.code])))
    assert summaries(network_feed) == ["Chez le membre", "Du réseau"]
    epci_feed = parse(client.get(reverse("agenda:epci-ics", args=[mende.epci.siren])))
    assert summaries(epci_feed) == ["Camion à Mende", "Chez le membre"]


def test_event_ics_is_the_event_alone(client):
    """« Ajouter à mon agenda »: one VEVENT with its status, place and address on the site."""
    event = EventFactory(status="cancelled")
    calendar = parse(client.get(reverse("agenda:event-ics", args=[event.slug])))
    (vevent,) = calendar.walk("VEVENT")
    assert vevent["STATUS"] == "CANCELLED"
    assert str(vevent["URL"]).endswith(event.get_absolute_url())
    assert vevent["DTSTART"].dt == event.start


def test_calendars_read_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    """Twenty events with stops and changed dates: the same few queries."""
    for _n in range(10):
        truck = PlaceFactory(itinerant=True)
        EventFactory(place=truck, stop=StopFactory(place=truck))
        EventChangeFactory()
    with django_assert_max_num_queries(6):
        parse(client.get(reverse("agenda:ics")))


def test_atom_feed_of_new_events(client):
    """The newest events first, in well-formed Atom."""
    EventFactory(title="Premier")
    EventFactory(title="Second")
    response = client.get(reverse("agenda:feed"))
    root = ElementTree.fromstring(response.content)
    atom = "{http://www.w3.org/2005/Atom}"
    assert [e.find(f"{atom}title").text for e in root.iter(f"{atom}entry")] == ["Second", "Premier"]


def test_open_data_csv_and_json(client, django_assert_max_num_queries):
    """One row per event with its rule, in CSV and JSON, in a fixed number of queries."""
    for _n in range(5):
        EventFactory(rule="FREQ=WEEKLY", free=True)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("agenda:csv"))
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 5 and rows[0]["recurrence"] == "FREQ=WEEKLY"
    data = json.loads(client.get(reverse("agenda:json")).content)
    assert len(data["evenements"]) == 5
    assert data["evenements"][0]["gratuit"] is True


def test_feeds_hold_the_coming_year_without_dates_asked(client):
    """Without dates, a calendar holds last month's and the coming year's events."""
    EventFactory(title="Bientôt", start=next_week_at(10))
    EventFactory(title="Il y a deux mois", start=timezone.now() - timedelta(days=60))
    assert summaries(parse(client.get(reverse("agenda:ics")))) == ["Bientôt"]
