"""The agenda's page by day, an event's page and a place's coming events."""

import json
import re
from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from agenda.models import Event
from tests.factories import (
    AudienceFactory,
    EventFactory,
    MembershipFactory,
    NetworkFactory,
    PlaceFactory,
    StopFactory,
    lozere_commune,
    next_week_at,
)

pytestmark = pytest.mark.django_db


def titles(response):
    return [
        unescape(t)
        for t in re.findall(r'<h3><a href="[^"]+">([^<]+)</a></h3>', response.content.decode())
    ]


def test_dates_are_listed_by_day_with_every_date_of_a_series(client):
    """A weekly event appears on each of its days in the window."""
    EventFactory(title="Café réparation", start=next_week_at(18, days=1), rule="FREQ=WEEKLY")
    response = client.get(reverse("agenda:list"))
    assert response.status_code == 200
    assert titles(response).count("Café réparation") == 4  # 28 days from tomorrow
    assert len(response.context["days"]) == 4


def test_when_today_this_week_and_this_weekend(client):
    """« Aujourd'hui » keeps today's dates, « ce week-end » Saturday's and Sunday's, « cette
    semaine » those until Sunday."""
    today = timezone.localdate()
    saturday = (5 - today.weekday()) % 7
    EventFactory(title="Aujourd'hui", start=next_week_at(23, days=0))
    EventFactory(title="Samedi", start=next_week_at(10, days=saturday))
    EventFactory(title="Plus tard", start=next_week_at(10, days=20))
    url = reverse("agenda:list")
    today_titles = titles(client.get(url, {"when": "today"}))
    assert "Aujourd'hui" in today_titles and "Plus tard" not in today_titles
    assert "Samedi" in titles(client.get(url, {"when": "weekend"}))
    week = titles(client.get(url, {"when": "week"}))
    assert "Aujourd'hui" in week and "Plus tard" not in week


def test_filters_by_audience_free_network_and_dates(client):
    """Each filter keeps what it says."""
    youth = AudienceFactory(code="jeunes")
    network = NetworkFactory(code="reseau-test")
    member = PlaceFactory()
    MembershipFactory(place=member, network=network)
    EventFactory(title="Pour les jeunes", audiences=[youth])
    EventFactory(title="Gratuit", free=True)
    EventFactory(title="Du réseau", place=member)
    EventFactory(title="Très loin", start=next_week_at(10, days=200))
    url = reverse("agenda:list")
    assert titles(client.get(url, {"audience": "jeunes"})) == ["Pour les jeunes"]
    assert titles(client.get(url, {"free": "true"})) == ["Gratuit"]
    assert titles(client.get(url, {"network": "reseau-test"})) == ["Du réseau"]
    far = (timezone.localdate() + timedelta(days=200)).isoformat()
    assert titles(client.get(url, {"start": far, "end": far})) == ["Très loin"]


def test_near_a_commune_counts_stops(client):
    """Near Mende: an event at a place there and one at a stop there, not one at Florac."""
    mende, florac = lozere_commune("48095"), lozere_commune("48061")
    at_mende = PlaceFactory(commune=mende, at_townhall=True)
    at_florac = PlaceFactory(commune=florac, at_townhall=True)
    truck = PlaceFactory(commune=florac, itinerant=True, at_townhall=True)
    EventFactory(title="À Mende", place=at_mende)
    EventFactory(title="À Florac", place=at_florac)
    EventFactory(
        title="Camion au marché de Mende", place=truck, stop=StopFactory(place=truck, commune=mende)
    )
    found = titles(client.get(reverse("agenda:list"), {"near": "Mende", "radius": "10"}))
    assert sorted(found) == ["Camion au marché de Mende", "À Mende"]


@pytest.mark.parametrize(
    "query",
    [
        {"when": "demain"},
        {"start": "2027-02-30"},
        {"start": "2027-03-01", "end": "2027-02-01"},
        {"start": "2027-01-01", "end": "2029-01-01"},
        {"audience": "inconnu"},
        {"lat": "44.5"},
    ],
)
def test_bad_filters_are_a_400_that_says_why(client, query):
    """The page names what is wrong; nothing is listed."""
    response = client.get(reverse("agenda:list"), query)
    assert response.status_code == 400
    form = response.context["filter"].form
    html = response.content.decode()
    from django.utils.html import escape

    for messages in form.errors.values():
        for message in messages:
            assert escape(message) in html


def test_unpublished_events_and_archived_places_are_not_shown(client):
    """A proposal waiting for moderation, or the event of an archived place, stays hidden."""
    EventFactory(title="Proposé", published=False)
    EventFactory(title="Archivé", place=PlaceFactory(archived_at=timezone.now()))
    EventFactory(title="Visible")
    assert titles(client.get(reverse("agenda:list"))) == ["Visible"]


def test_the_page_reads_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    """Thirty events, recurring or not, with stops and audiences: the same few queries."""
    audience = AudienceFactory()
    for n in range(15):
        EventFactory(audiences=[audience], rule="FREQ=WEEKLY" if n % 2 else "")
        truck = PlaceFactory(itinerant=True)
        EventFactory(place=truck, stop=StopFactory(place=truck))
    with django_assert_max_num_queries(8):
        response = client.get(reverse("agenda:list"), {"near": "", "free": ""})
    assert response.status_code == 200


def test_event_page_has_schema_org_event_and_an_ics_link(client):
    """Its JSON-LD is a schema.org Event per coming date, with status, location and offers."""
    place = PlaceFactory(commune=lozere_commune("48095"), address="1 rue de test")
    event = EventFactory(
        place=place, rule="FREQ=WEEKLY;COUNT=3", free=True, status=Event.Status.POSTPONED
    )
    response = client.get(event.get_absolute_url())
    html = response.content.decode()
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1]
    )
    items = data["@graph"]
    assert len(items) == 3
    first = items[0]
    assert first["@type"] == "Event"
    assert first["eventStatus"] == "https://schema.org/EventPostponed"
    assert first["location"]["address"]["addressLocality"] == "Mende"
    assert first["location"]["geo"]["latitude"] == place.latitude
    assert first["offers"]["price"] == 0
    assert reverse("agenda:event-ics", args=[event.slug]) in html
    assert "Ajouter à mon agenda" in html


def test_place_page_lists_coming_events_and_announces_its_calendar(client):
    """« Prochains évènements » on the place's page, and its .ics in <head>."""
    place = PlaceFactory()
    EventFactory(place=place, title="Dégustation du Tiers-Truck")
    html = client.get(place.get_absolute_url()).content.decode()
    assert "Prochains évènements" in html
    assert "Dégustation du Tiers-Truck" in html
    feed = reverse("agenda:place-ics", args=[place.slug])
    assert f'<link rel="alternate" type="text/calendar" href="{feed}"' in html


def test_network_and_epci_pages_announce_their_calendars(client):
    """rel=alternate text/calendar on a network's and a communauté de communes' pages."""
    network = NetworkFactory()
    commune = lozere_commune("48095")
    network_html = client.get(reverse("places:network", args=[network.code])).content.decode()
    assert reverse("agenda:network-ics", args=[network.code]) in network_html
    epci_html = client.get(reverse("places:epci", args=[commune.epci.siren])).content.decode()
    assert reverse("agenda:epci-ics", args=[commune.epci.siren]) in epci_html


def test_the_agenda_map_draws_this_weeks_events(client):
    """The page's map loads this week's dates as GeoJSON points."""
    EventFactory(title="Cette semaine", start=next_week_at(10, days=0).replace(hour=23))
    EventFactory(title="Plus tard", start=next_week_at(10, days=20))
    response = client.get(reverse("agenda:list"))
    geojson_url = response.context["map_config"]["geojson"]
    assert "when=week" in geojson_url
    data = json.loads(client.get(geojson_url).content)
    names = [feature["properties"]["name"] for feature in data["features"]]
    assert any(name.startswith("Cette semaine") for name in names)
    assert not any(name.startswith("Plus tard") for name in names)


@pytest.mark.parametrize(
    ("free", "price_note", "said"),
    [(True, "", "Gratuit"), (False, "5 €", "Payant — 5 €"), (None, "5 €", "Tarifs — 5 €")],
)
def test_the_price_says_only_what_is_known(client, free, price_note, said):
    """« Gratuit » or « Payant » only when said; an event that says nothing shows no price."""
    event = EventFactory(free=free, price_note=price_note)
    page = client.get(event.get_absolute_url()).content.decode()
    assert said in page
    silent = EventFactory(free=None, price_note="")
    page = client.get(silent.get_absolute_url()).content.decode()
    assert "Payant" not in page and "Gratuit" not in page and "Tarifs" not in page


def test_an_epci_page_lists_the_coming_dates_of_its_places(client):
    """A communauté de communes' page (and its printed report) lists the coming dates of events
    held there, not of events elsewhere, with its calendar."""
    here, elsewhere = lozere_commune("48061"), lozere_commune("48095")
    place = PlaceFactory(commune=here)
    for hour in range(8, 18):
        EventFactory(place=place, title=f"Atelier de {hour} h", start=next_week_at(hour))
    EventFactory(place=PlaceFactory(commune=elsewhere), title="Ailleurs", start=next_week_at(9))
    html = client.get(reverse("places:epci", args=[here.epci.siren])).content.decode()
    assert "Prochains évènements des lieux" in html
    assert "Atelier de 8 h" in html and "Ailleurs" not in html
    assert reverse("agenda:epci-ics", args=[here.epci.siren]) in html
