"""The map's data: light GeoJSON with the public filters, cached until the directory changes."""

import json

import pytest
from django.urls import reverse

from places.cache import data_version
from places.models import Place
from tests.factories import PlaceFactory, PlaceTypeFactory, ServiceFactory, bulk_places

pytestmark = pytest.mark.django_db


def geojson(client, query=""):
    response = client.get(reverse("places:geojson") + query)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    return json.loads(response.content)


def test_features_carry_what_a_marker_needs(client):
    wifi = ServiceFactory(code="wifi", pictogram="wifi", position=1)
    place = PlaceFactory(name="Le Lieu", latitude=44.51782, longitude=3.50117, services=[wifi])
    PlaceFactory(name="Sans position", latitude=None, longitude=None, location_precision="")
    data = geojson(client)
    assert data["type"] == "FeatureCollection"
    [feature] = data["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [3.50117, 44.51782]}
    assert feature["properties"] == {
        "name": "Le Lieu",
        "url": place.get_absolute_url(),
        "picto": "wifi",
        "approx": False,
    }


def test_geojson_honours_the_same_filters_as_the_list(client):
    wifi = ServiceFactory(code="wifi")
    PlaceFactory(name="Avec", services=[wifi])
    PlaceFactory(name="Sans")
    PlaceFactory(name="Fermé", services=[wifi], status=Place.Status.CLOSED)
    names = [f["properties"]["name"] for f in geojson(client, "?service=wifi")["features"]]
    assert names == ["Avec"]


def test_geojson_is_invalidated_when_a_place_changes(client):
    place = PlaceFactory(name="Avant")
    assert geojson(client)["features"][0]["properties"]["name"] == "Avant"
    place.name = "Après"
    place.save()
    assert geojson(client)["features"][0]["properties"]["name"] == "Après"
    service = ServiceFactory(code="wifi")
    place.services.add(service)
    assert len(geojson(client, "?service=wifi")["features"]) == 1


def test_bad_filters_get_a_400_with_the_reason(client):
    response = client.get(reverse("places:geojson") + "?radius=loin")
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "Paramètres de recherche invalides."
    assert "radius" in body["fields"]


def test_a_commune_outline_is_served_one_at_a_time(client):
    response = client.get(reverse("places:commune-outline", args=["48095"]))
    assert response.status_code == 200
    assert response.json()["properties"]["name"] == "Mende"
    assert client.get(reverse("places:commune-outline", args=["99999"])).status_code == 404


@pytest.mark.parametrize("count", [10, 1000])
def test_geojson_query_count_does_not_grow(client, django_assert_max_num_queries, count):
    bulk_places(count, services=ServiceFactory.create_batch(2), types=[PlaceTypeFactory()])
    data_version()  # read from the database once every VERSION_TTL seconds, not per request
    with django_assert_max_num_queries(1):
        assert len(geojson(client, "?service=")["features"]) == count


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
    for box in ["1,2,3", "a,b,c,d", "10,45,5,46", "1,95,2,96"]:
        response = client.get(reverse("places:geojson"), {"grid": "1", "bbox": box})
        assert response.status_code == 400
        assert "bbox" in response.json()["error"]
