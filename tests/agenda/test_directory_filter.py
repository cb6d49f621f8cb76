"""The directory's « un évènement cette semaine »: the agenda answers it for the places' search
(places.extensions.criteria), and the list, the map data and the API follow."""

import json
from datetime import timedelta

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from agenda.models import Event
from places.filters import PlaceFilter
from places.models import Place
from tests.factories import EventChangeFactory, EventFactory, PlaceFactory

pytestmark = pytest.mark.django_db


def matching(query):
    places = PlaceFilter(QueryDict(query), queryset=Place.objects.published())
    assert places.is_valid(), places.errors
    return {place.name for place in places.qs}


def in_days(days, hours=0):
    """A moment `days` from now, on the minute, as events are."""
    now = timezone.now().replace(second=0, microsecond=0)
    return now + timedelta(days=days, hours=hours)


@pytest.fixture
def week():
    """One place per case: which have an event in the coming seven days."""
    EventFactory(place=PlaceFactory(name="Dans deux jours"), start=in_days(2))
    # Weekly since three weeks less a day: its next date is tomorrow.
    EventFactory(place=PlaceFactory(name="Série"), start=in_days(-20), rule="FREQ=WEEKLY")
    EventFactory(place=PlaceFactory(name="Annulé"), start=in_days(2), status=Event.Status.CANCELLED)
    EventFactory(place=PlaceFactory(name="Dans dix jours"), start=in_days(10))
    EventFactory(place=PlaceFactory(name="Non publié"), start=in_days(2), published=False)
    EventFactory(place=PlaceFactory(name="Passé"), start=in_days(-2))
    PlaceFactory(name="Sans évènement")


def test_places_with_an_event_in_the_next_seven_days(week):
    """A single date in two days and a weekly series whose next date is tomorrow count; a
    cancelled event, one in ten days, an unpublished one and a past one do not."""
    assert matching("event_week=true") == {"Dans deux jours", "Série"}
    assert len(matching("")) == 7


def test_a_date_skipped_or_moved_out_of_the_week_does_not_count():
    """A series' dates are read as the agenda reads them: a skipped date, or one moved beyond
    the week, leaves its place out."""
    start = in_days(-20)
    tomorrow = timezone.localdate(in_days(1))
    EventFactory(
        place=PlaceFactory(name="Sautée"),
        start=start,
        rule="FREQ=WEEKLY",
        exceptions=tomorrow.isoformat(),
    )
    moved = EventFactory(place=PlaceFactory(name="Déplacée"), start=start, rule="FREQ=WEEKLY")
    EventChangeFactory(event=moved, date=tomorrow, start=in_days(9), end=in_days(9, hours=2))
    assert matching("event_week=true") == set()


def test_the_list_offers_the_criterion_with_its_count(client, week):
    """The search form has the checkbox, with how many places ticking it gives."""
    response = client.get(reverse("places:home"))
    assert response.context["toggle_counts"]["event_week"] == 2
    assert 'name="event_week"' in response.content.decode()
    ticked = client.get(reverse("places:home"), {"event_week": "true"})
    names = {place.name for place in ticked.context["page"]}
    assert names == {"Dans deux jours", "Série"}


def test_map_data_and_api_follow_the_criterion(client, week):
    """The map's data and the read API keep the same places."""
    geojson = json.loads(client.get(reverse("places:geojson"), {"event_week": "true"}).content)
    on_map = {feature["properties"]["name"] for feature in geojson["features"]}
    api = client.get("/api/lieux/", {"event_week": "true"}).json()
    in_api = {row["name"] for row in api["results"]}
    assert on_map == in_api == {"Dans deux jours", "Série"}


def test_the_criterion_is_typed_in_the_api_document(client, db):
    """Re-users find it among the API's parameters, as a boolean."""
    document = client.get("/api/openapi.json").json()
    parameters = {p["name"]: p for p in document["paths"]["/api/lieux/"]["get"]["parameters"]}
    assert parameters["event_week"]["schema"] == {"type": "boolean"}


@pytest.mark.parametrize("count", [5, 150])
def test_the_criterion_keeps_a_fixed_query_count(client, django_assert_max_num_queries, count):
    """Ticked and counted beside the list, the criterion reads the week's events and their moved
    dates once, whatever their number, recurring or not; the map data and the API alike."""
    for n in range(count):
        EventFactory(start=in_days(1 + n % 5), rule="FREQ=WEEKLY" if n % 2 else "")
    for url, limit in (
        (reverse("places:home"), 31),
        (reverse("places:geojson"), 8),
        ("/api/lieux/", 12),
    ):
        with django_assert_max_num_queries(limit):
            response = client.get(url, {"event_week": "true"})
        assert response.status_code == 200
