"""The agenda in the read API (agenda.api): answers that keep the OpenAPI document's promises,
the agenda's search, and never a word of whoever proposed an event.

As for the places' API, the contract tests validate real answers (list, detail, 400, 404) against
the schemas /api/openapi.json generates."""

import pytest
from django.urls import reverse

from agenda.models import Event
from tests.factories import (
    AudienceFactory,
    EventChangeFactory,
    EventFactory,
    NetworkFactory,
    PlaceFactory,
    StopFactory,
    lozere_commune,
    next_week_at,
)
from tests.opendata.test_api import assert_documented, assert_fits

pytestmark = pytest.mark.django_db

LIST = "/api/evenements/"
DETAIL = "/api/evenements/{key}/"


@pytest.fixture
def agenda(db):
    """Events saying all a record can say: a series with a moved date and a skipped one, an
    itinerant place's stop, a network's event in a commune, a proposal not yet published."""
    students = AudienceFactory(code="students")
    mende = lozere_commune("48095")
    weekly = EventFactory(
        title="Café réparation",
        start=next_week_at(18, days=1),
        rule="FREQ=WEEKLY",
        exceptions=(next_week_at(18, days=15)).date().isoformat(),
        audiences=[students],
        free=True,
        registration_limit=12,
        contact_email="animatrice@example.org",
    )
    EventChangeFactory(event=weekly, date=next_week_at(18, days=8).date())
    bus = PlaceFactory(name="Bus numérique", itinerant=True, commune=mende)
    EventFactory(
        title="Escale du bus",
        place=bus,
        stop=StopFactory(place=bus, commune=mende),
        start=next_week_at(9, days=3),
    )
    EventFactory(
        title="Rencontre du réseau",
        place=None,
        network=NetworkFactory(code="reseau"),
        commune=mende,
        start=next_week_at(14, days=5),
    )
    EventFactory(title="Proposée", start=next_week_at(10, days=2), published=False)
    EventFactory(title="Dans deux mois", start=next_week_at(10, days=60))
    return weekly


@pytest.fixture
def document(client):
    return client.get(reverse("opendata:api-openapi")).json()


def titles(body):
    return [event["titre"] for event in body["results"]]


def test_list_answers_match_the_published_schema(client, agenda, document):
    """Pages, filtered or not, are what the document says a page is."""
    url = reverse("agenda:api-list")
    for query in ({}, {"page_size": 1}, {"page_size": 1, "page": 3}, {"free": "true"}):
        response = client.get(url, query)
        assert response.status_code == 200, response.content
        assert_documented(document, LIST, response)
    assert client.get(url, {"page_size": 1}).json()["next"]


def test_detail_answers_match_the_published_schema(client, agenda, document):
    """An event by its id or by its slug, a network's event (no place) and a stop's."""
    for event in Event.objects.published():
        for key in (str(event.uid), event.slug):
            response = client.get(reverse("agenda:api-detail", args=[key]))
            assert response.status_code == 200, key
            assert_documented(document, DETAIL, response)
    answer = client.get(reverse("agenda:api-detail", args=[agenda.slug])).json()
    assert answer["id"] == str(agenda.uid) and answer["recurrence"] == "FREQ=WEEKLY"
    assert len(answer["dates"]) > 40  # the coming year, less a skipped date


def test_errors_match_the_published_schema(client, agenda, document):
    """Every 400 and 404 is the API's one documented error shape."""
    url = reverse("agenda:api-list")
    for query in (
        {"audience": "inconnu"},
        {"when": "demain"},
        {"start": "2027-02-30"},
        {"start": "2027-03-01", "end": "2027-01-01"},
        {"start": "2027-01-01", "end": "2029-01-01"},
        {"near": "Nulle-Part-sur-Mer"},
        {"lat": "44.5"},
        {"page_size": 201},
        {"page": 99},
    ):
        response = client.get(url, query)
        assert response.status_code == 400, query
        assert_documented(document, LIST, response)
        assert response.json()["error"] and response.json()["fields"]
    for key in ("nulle-part", "00000000-0000-0000-0000-000000000000", "proposee"):
        missing = client.get(reverse("agenda:api-detail", args=[key]))
        assert missing.status_code == 404, key
        assert_documented(document, DETAIL, missing)
    unknown = client.get("/api/evenements/nulle-part/dates/")
    assert unknown.status_code == 404
    assert_fits(document, {"$ref": "#/components/schemas/Error"}, unknown.json())


def test_the_list_is_the_agendas_search(client, agenda):
    """Published events with a date in the window (four weeks by default), by first date, with
    the agenda page's filters; each with its dates in the window, the moved one moved."""
    url = reverse("agenda:api-list")
    body = client.get(url).json()
    assert titles(body) == ["Café réparation", "Escale du bus", "Rencontre du réseau"]
    assert body["count"] == 3 and body["license"]["url"]
    dates = [date["debut"] for date in body["results"][0]["dates"]]
    # Four weeks from tomorrow, the third skipped, the second an hour later.
    assert dates == [
        next_week_at(18, days=1).isoformat(),
        next_week_at(19, days=8).isoformat(),
        next_week_at(18, days=22).isoformat(),
    ]
    assert titles(client.get(url, {"free": "true"}).json()) == ["Café réparation"]
    assert titles(client.get(url, {"audience": "students"}).json()) == ["Café réparation"]
    far = client.get(url, {"start": next_week_at(0, days=55).date().isoformat()}).json()
    assert "Dans deux mois" in titles(far)


def test_no_participant_data_ever(client, agenda):
    """Whoever proposed an event (their e-mail) is never in an answer, list or detail."""
    listed = client.get(reverse("agenda:api-list")).content.decode()
    detail = client.get(reverse("agenda:api-detail", args=[agenda.slug])).content.decode()
    for text in (listed, detail):
        assert "animatrice@example.org" not in text
        assert "contact" not in text


def test_the_api_of_events_is_in_the_catalogue(client, agenda):
    """The DCAT catalogue lists it, served by the API's data service."""
    graph = client.get(reverse("opendata:catalogue")).json()["@graph"]
    urls = [node.get("dcat:accessURL", {}).get("@id") for node in graph]
    assert any(url and url.endswith(reverse("agenda:api-list")) for url in urls)


@pytest.mark.parametrize("count", [10, 300])
def test_api_query_count_does_not_grow(client, django_assert_max_num_queries, count):
    """A page of events and one event cost the same number of queries at 10 and 300 events,
    recurring ones included: relations are fetched per page, never per event."""
    students = AudienceFactory()
    place = PlaceFactory()
    for n in range(count):
        EventFactory(
            place=place,
            start=next_week_at(10 + n % 8, days=1 + n % 20),
            rule="FREQ=WEEKLY" if n % 3 == 0 else "",
            audiences=[students],
        )
    # The state, the events and their changes (dates), the page's events, their audiences and
    # changes.
    with django_assert_max_num_queries(8):
        body = client.get(reverse("agenda:api-list"), {"page_size": 200}).json()
    assert len(body["results"]) == min(count, 200)
    last = Event.objects.order_by("pk").last()
    with django_assert_max_num_queries(5):
        assert client.get(reverse("agenda:api-detail", args=[last.slug])).status_code == 200
