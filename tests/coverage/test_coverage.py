"""Coverage figures against a small case computed by hand."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from places.coverage import Coverage
from places.filters import index
from places.models import Place, Service, Stop
from tests.factories import (
    CommuneFactory,
    EpciFactory,
    PlaceFactory,
    ServiceFactory,
    bulk_places,
)

pytestmark = pytest.mark.django_db

KM = 1 / 111.195  # degrees of latitude per kilometre


@pytest.fixture
def territory(db):
    """Three communes on a meridian: A, B 8 km north of A, C 30 km north of A."""
    epci = EpciFactory(siren="200000001", name="CC Test")
    communes = {
        name: CommuneFactory(
            insee=insee,
            name=name,
            population=population,
            epci=epci,
            townhall_latitude=44.0 + km * KM,
            townhall_longitude=3.0,
        )
        for name, insee, population, km in [
            ("A", "48901", 1000, 0),
            ("B", "48902", 500, 8),
            ("C", "48903", 200, 30),
        ]
    }
    visio = ServiceFactory(code="visio")
    PlaceFactory(
        name="Salle A", commune=communes["A"], latitude=44.0, longitude=3.0, services=[visio]
    )
    return communes


def coverage():
    return Coverage(Place.objects.filter(services__code="visio").open())


def test_distances_and_bands(territory):
    rows = {row.commune.name: row for row in coverage().rows}
    assert rows["A"].distance == pytest.approx(0)
    assert rows["B"].distance == pytest.approx(8, abs=0.01)
    assert rows["C"].distance == pytest.approx(30, abs=0.01)
    assert [rows[n].band for n in "ABC"] == ["lt5", "5to10", "gt20"]
    assert rows["C"].nearest.name == "Salle A"


def test_population_shares(territory):
    total = coverage().total
    assert total.population == 1700
    assert total.percent(5) == pytest.approx(100 * 1000 / 1700)
    assert total.percent(10) == pytest.approx(100 * 1500 / 1700)
    assert total.percent(20) == pytest.approx(100 * 1500 / 1700)
    [epci] = coverage().by_epci()
    assert (epci.name, epci.population) == ("CC Test", 1700)


def test_white_zones_are_the_most_populous_far_communes(territory):
    assert [row.commune.name for row in coverage().white_zones(5)] == ["B", "C"]
    assert [row.commune.name for row in coverage().white_zones(10)] == ["C"]


def test_an_itinerant_place_counts_at_its_stops(territory):
    truck = PlaceFactory(
        name="Camion",
        itinerant=True,
        latitude=None,
        longitude=None,
        location_precision="",
        services=[Service.objects.get(code="visio")],
    )
    Stop.objects.create(place=truck, commune=territory["C"], schedule="mardi matin")
    rows = {row.commune.name: row for row in coverage().rows}
    assert rows["C"].distance == pytest.approx(0)
    assert rows["C"].nearest == truck


def test_closed_places_do_not_cover(territory):
    PlaceFactory(
        name="Fermée",
        status=Place.Status.CLOSED,
        commune=territory["C"],
        latitude=territory["C"].townhall_latitude,
        longitude=3.0,
        services=[Service.objects.get(code="visio")],
    )
    assert {row.commune.name: row for row in coverage().rows}["C"].distance == pytest.approx(
        30, abs=0.01
    )


def test_no_place_at_all_is_the_farthest_band(territory):
    rows = Coverage(Place.objects.none()).rows
    assert {row.band for row in rows} == {"gt20"}
    assert all(row.distance is None for row in rows)


def test_the_page_and_csv_share_the_figures(client, territory):
    html = client.get(reverse("places:coverage"), {"service": "visio"}).content.decode()
    assert "59 %" in html  # 1000 of 1700 within 5 km
    assert "88 %" in html
    csv = client.get(reverse("places:coverage-csv"), {"service": "visio"}).content.decode()
    assert "48903,C,200,CC Test,30.0,gt20,Salle A," in csv


def test_the_coverage_geojson_colours_communes(client, shipped_data):
    data = client.get(reverse("places:coverage-geojson"), {"network": "france-services"}).json()
    assert len(data["features"]) == 152
    bands = {f["properties"]["insee"]: f["properties"]["band"] for f in data["features"]}
    assert bands["48092"] == "lt5"  # Marvejols has its France Services


def test_a_bad_need_is_a_400(client, db):
    assert client.get(reverse("places:coverage"), {"service": "nope"}).status_code == 400
    assert client.get(reverse("places:coverage-csv"), {"service": "nope"}).status_code == 400


def test_the_command_prints_the_same_figures(territory, capsys):
    call_command("coverage", "--service", "visio", "--radius", "5")
    out = capsys.readouterr().out
    assert "à moins de 5 km : 58.8 %" in out
    assert "B (500 hab.) : 8.0 km" in out
    with pytest.raises(CommandError, match="Besoin invalide"):
        call_command("coverage", "--service", "nope")


@pytest.mark.parametrize("count", [10, 1000])
def test_coverage_query_count_does_not_grow(client, django_assert_max_num_queries, count):
    bulk_places(count, services=[ServiceFactory(code="visio")])
    index.current_index()  # built once per data version, in a constant number of queries
    with django_assert_max_num_queries(12):
        assert client.get(reverse("places:coverage"), {"service": "visio"}).status_code == 200
