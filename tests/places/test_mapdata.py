"""The map's data: light GeoJSON with the public filters, cached until the directory changes."""

import json
from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from places.models import Place, Stop
from tests.factories import (
    CommuneFactory,
    PlaceFactory,
    PlaceTypeFactory,
    ServiceFactory,
    StopFactory,
    bulk_places,
)

pytestmark = pytest.mark.django_db


def geojson(client, query=""):
    response = client.get(reverse("places:geojson") + query)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    return json.loads(response.content)


def test_features_carry_what_a_marker_and_its_popup_need(client):
    """Each marker gets its name, its page, its pictogram, whether its position is approximate,
    and what its popup says: its types, commune and services (as codes, each named once for the
    whole map with its pictogram) and whether it is open now; a place with no position has no
    marker."""
    wifi = ServiceFactory(code="wifi", label_fr="Wi-Fi", pictogram="wifi", position=1)
    cafe = ServiceFactory(code="cafe", label_fr="Café / bar", pictogram="coffee", position=2)
    telecentre = PlaceTypeFactory(code="telecentre", label_fr="Télécentre")
    place = PlaceFactory(
        name="Le Lieu",
        latitude=44.51782,
        longitude=3.50117,
        commune=CommuneFactory(name="Mende"),
        services=[cafe, wifi],
        types=[telecentre],
    )
    PlaceFactory(name="Sans position", latitude=None, longitude=None, location_precision="")
    data = geojson(client)
    assert data["type"] == "FeatureCollection"
    assert data["services"] == {"wifi": ["Wi-Fi", "wifi"], "cafe": ["Café / bar", "coffee"]}
    assert data["types"] == {"telecentre": "Télécentre"}
    [feature] = data["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [3.50117, 44.51782]}
    assert feature["properties"] == {
        "name": "Le Lieu",
        "url": place.get_absolute_url(),
        "picto": "wifi",
        "approx": False,
        "commune": "Mende",
        "types": ["telecentre"],
        "services": ["wifi", "cafe"],
        "open": None,
    }


def test_popups_say_whether_a_place_is_open_now_as_its_page_does(client, monkeypatch):
    """On a Monday at 10:00, a place open on weekday mornings is open, one open on weekends is
    closed, one without hours says nothing, and a place in project says so instead of its
    hours: the same answers as the places' pages."""
    monday_ten = timezone.make_aware(datetime(2026, 11, 23, 10, 0))
    monkeypatch.setattr(timezone, "now", lambda: monday_ten)
    hours = {
        "Ouvert": ("open", "Mo-Fr 09:00-12:00"),
        "Fermé": ("open", "Sa-Su 09:00-12:00"),
        "Sans horaires": ("open", ""),
        "En projet": ("project", "Mo-Fr 09:00-12:00"),
    }
    places = {
        name: PlaceFactory(name=name, status=status, opening_hours=expression)
        for name, (status, expression) in hours.items()
    }
    said = {
        f["properties"]["name"]: (f["properties"]["open"], f["properties"].get("status"))
        for f in geojson(client, "?include_projects=true")["features"]
    }
    assert said == {
        "Ouvert": (True, None),
        "Fermé": (False, None),
        "Sans horaires": (None, None),
        "En projet": (None, "project"),
    }
    for name, place in places.items():
        page = client.get(place.get_absolute_url()).content.decode()
        assert ('tag-open">Ouvert maintenant' in page) == (said[name][0] is True), name
        closed = '<span class="tag">Fermé en ce moment'
        assert (closed in page) == (name in {"Fermé", "En projet"}), name


def test_an_itinerant_place_is_drawn_at_each_stop_saying_where_and_when(client):
    """Each stop of an itinerant place is a marker named with the place, the stop's label, its
    commune and its schedule, leading to the place's page; a stop placed at its commune's town
    hall is marked approximate, one with its own point is not."""
    place = PlaceFactory(
        name="Camion", itinerant=True, latitude=None, longitude=None, location_precision=""
    )
    florac = CommuneFactory(
        name="Florac Trois Rivières", townhall_latitude=44.3, townhall_longitude=3.6
    )
    StopFactory(place=place, position=1, commune=florac, label="", schedule="mardi matin")
    StopFactory(
        place=place,
        position=2,
        commune=CommuneFactory(name="Mende"),
        label="marché",
        latitude=44.51,
        longitude=3.5,
        schedule="",
    )
    stops = [f["properties"] for f in geojson(client)["features"]]
    assert [(stop["name"], stop["approx"]) for stop in stops] == [
        ("Camion (Florac Trois Rivières — mardi matin)", True),
        ("Camion (marché, Mende)", False),
    ]
    assert {stop["url"] for stop in stops} == {place.get_absolute_url()}


def test_geojson_honours_the_same_filters_as_the_list(client):
    """The map shows the places the list shows for the same filters, closed ones left out."""
    wifi = ServiceFactory(code="wifi")
    PlaceFactory(name="Avec", services=[wifi])
    PlaceFactory(name="Sans")
    PlaceFactory(name="Fermé", services=[wifi], status=Place.Status.CLOSED)
    names = [f["properties"]["name"] for f in geojson(client, "?service=wifi")["features"]]
    assert names == ["Avec"]


def test_geojson_is_invalidated_when_a_place_changes(client):
    """A renamed place, or one offering a new service, is on the map at once, not after a cache
    expires."""
    place = PlaceFactory(name="Avant")
    assert geojson(client)["features"][0]["properties"]["name"] == "Avant"
    place.name = "Après"
    place.save()
    assert geojson(client)["features"][0]["properties"]["name"] == "Après"
    service = ServiceFactory(code="wifi")
    place.services.add(service)
    assert len(geojson(client, "?service=wifi")["features"]) == 1


def test_bad_filters_get_a_400_with_the_reason(client):
    """A script calling the map data with a bad filter learns which one and why, as JSON."""
    response = client.get(reverse("places:geojson") + "?radius=loin")
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "Paramètres de recherche invalides."
    assert "radius" in body["fields"]


def test_a_commune_outline_is_served_one_at_a_time(client):
    """The map fetches the outline of the one commune it shows; an unknown commune is a 404."""
    response = client.get(reverse("territory:outline", args=["48095"]))
    assert response.status_code == 200
    assert response.json()["properties"]["name"] == "Mende"
    assert client.get(reverse("territory:outline", args=["99999"])).status_code == 404


def test_geojson_query_count_does_not_grow(client, django_assert_max_num_queries, monkeypatch):
    """The map's data for 40 itinerant places with services, a type, opening hours (half of them)
    and a stop each comes in a fixed number of queries, as points and as a grid: one query per
    place would break the limit."""
    from places.views import mapdata

    places = bulk_places(40, services=ServiceFactory.create_batch(2), types=[PlaceTypeFactory()])
    Place.objects.update(itinerant=True)
    Stop.objects.bulk_create(
        Stop(place=place, position=1, commune=place.commune) for place in places
    )
    # The directory's state (for the cache and the ETag), the types and services of the places,
    # the opening hours open now, the places, their stops.
    with django_assert_max_num_queries(6):
        points = geojson(client, "?service=")["features"]
    assert len(points) == 80  # each place, and each at its stop
    assert all(len(point["properties"]["services"]) == 2 for point in points)
    monkeypatch.setattr(mapdata, "GRID_THRESHOLD", 10)
    with django_assert_max_num_queries(3):  # the state, the extent, the cells
        cells = geojson(client, "?grid=1")
    assert cells["gridded"]
    assert sum(f["properties"]["count"] for f in cells["features"]) == 40


def test_many_places_come_as_counts_per_cell_and_few_as_points(client, monkeypatch):
    """With ?grid=1 the map's download stays small however many places there are."""
    from places.views import mapdata

    monkeypatch.setattr(mapdata, "GRID_THRESHOLD", 50)
    bulk_places(200)  # spread over 44.0–44.99 N, 3.0–3.01 E
    url = reverse("places:geojson")
    cells = client.get(url, {"grid": "1"}).json()
    assert cells["gridded"]
    assert sum(f["properties"]["count"] for f in cells["features"]) == 200
    assert len(cells["features"]) <= mapdata.GRID_CELLS**2
    zoomed = client.get(url, {"grid": "1", "bbox": "2.9,44.0,3.1,44.2"}).json()
    assert "gridded" not in zoomed
    assert {f["properties"]["name"] for f in zoomed["features"]} <= {
        f"Lieu en nombre {n}" for n in range(200)
    }
    assert 0 < len(zoomed["features"]) <= 50
    assert len(client.get(url).json()["features"]) == 200  # without grid: every point


def test_a_bad_bounding_box_is_a_400_with_its_reason(client, db):
    """A malformed or impossible bounding box is refused with a 400 naming the box, not answered
    wrongly."""
    for box in ["1,2,3", "a,b,c,d", "10,45,5,46", "1,95,2,96"]:
        response = client.get(reverse("places:geojson"), {"grid": "1", "bbox": box})
        assert response.status_code == 400
        assert "bbox" in response.json()["error"]
