"""Coverage figures against a small case computed by hand."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from coverage.analysis import SEARCH_KM, Coverage
from places.models import Place, Service, Stop
from territory.geo import distance_km, nearest
from tests.factories import (
    CommuneFactory,
    EpciFactory,
    MembershipFactory,
    NetworkFactory,
    PlaceFactory,
    ServiceFactory,
    bulk_places,
    lozere_commune,
    lozere_communes,
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
    """Each commune's distance is measured from its town hall to the nearest place meeting the need,
    and falls in the band an official reads on the map."""
    rows = {row.commune.name: row for row in coverage().rows}
    assert rows["A"].distance == pytest.approx(0)
    assert rows["B"].distance == pytest.approx(8, abs=0.01)
    assert rows["C"].distance == pytest.approx(30, abs=0.01)
    assert [rows[n].band for n in "ABC"] == ["lt5", "5to10", "gt20"]
    assert rows["C"].nearest.name == "Salle A"


def test_population_shares(territory):
    """The share of inhabitants within 5, 10 and 20 km counts each commune's population, for the
    département and per communauté de communes."""
    total = coverage().total
    assert total.population == 1700
    assert total.percent(5) == pytest.approx(100 * 1000 / 1700)
    assert total.percent(10) == pytest.approx(100 * 1500 / 1700)
    assert total.percent(20) == pytest.approx(100 * 1500 / 1700)
    [epci] = coverage().by_epci()
    assert (epci.name, epci.population) == ("CC Test", 1700)


def test_white_zones_are_the_most_populous_far_communes(territory):
    """The « white zones » are the communes beyond the chosen distance, most populous first: where a
    new place would serve the most people."""
    assert [row.commune.name for row in coverage().white_zones(5)] == ["B", "C"]
    assert [row.commune.name for row in coverage().white_zones(10)] == ["C"]


def test_an_itinerant_place_counts_at_its_stops(territory):
    """A travelling place covers the communes where it stops."""
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
    """A closed place no longer covers anyone."""
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
    """With no place meeting the need, every commune is in the farthest band, with no distance."""
    rows = Coverage(Place.objects.none()).rows
    assert {row.band for row in rows} == {"gt20"}
    assert all(row.distance is None for row in rows)


def test_a_need_no_place_meets_says_so_on_the_page(client, territory):
    """When no open place meets the need, the page says so in a sentence above the figures;
    when one does, it does not."""
    ServiceFactory(code="fablab")
    nothing = client.get(reverse("coverage:page"), {"service": "fablab"}).content.decode()
    assert "Aucun lieu ouvert ne répond à ce besoin" in nothing
    something = client.get(reverse("coverage:page"), {"service": "visio"}).content.decode()
    assert "Aucun lieu ouvert ne répond à ce besoin" not in something


def test_the_page_and_csv_share_the_figures(client, territory):
    """The page's percentages and the downloadable CSV give the same figures, commune by commune."""
    html = client.get(reverse("coverage:page"), {"service": "visio"}).content.decode()
    assert "59 %" in html  # 1000 of 1700 within 5 km
    assert "88 %" in html
    csv = client.get(reverse("coverage:csv"), {"service": "visio"}).content.decode("utf-8-sig")
    assert "48903;C;200;2023;CC Test;30,0;gt20;Salle A;" in csv


def test_the_coverage_geojson_colours_communes(client):
    """The coverage map colours each commune by how far its town hall is from a place meeting the
    need (here membership of France Services): Marvejols has one, Mende's town hall is 17.2 km
    from it, Saint-Chély-d'Apcher's 28 km."""
    marvejols, mende, saint_chely = (lozere_commune(code) for code in ("48092", "48095", "48140"))
    france_services = NetworkFactory(code="france-services")
    MembershipFactory(
        network=france_services,
        place=PlaceFactory(name="Maison des services", commune=marvejols, at_townhall=True),
    )
    PlaceFactory(name="Hors réseau", commune=mende, at_townhall=True)
    data = client.get(reverse("coverage:geojson"), {"network": "france-services"}).json()
    features = {f["properties"]["insee"]: f for f in data["features"]}
    assert set(features) == {"48092", "48095", "48140"}
    bands = {insee: f["properties"]["band"] for insee, f in features.items()}
    assert bands == {"48092": "lt5", "48095": "10to20", "48140": "gt20"}
    assert features["48095"]["properties"]["nearest"] == "Maison des services"
    assert features["48095"]["geometry"]["type"] in {"Polygon", "MultiPolygon"}


def test_a_bad_need_is_a_400(client, db):
    """An unknown need is refused with a 400 on the page and the CSV, not shown as « no coverage
    »."""
    assert client.get(reverse("coverage:page"), {"service": "nope"}).status_code == 400
    assert client.get(reverse("coverage:csv"), {"service": "nope"}).status_code == 400


def test_the_command_prints_the_same_figures(territory, capsys):
    """The command an operator runs prints the page's figures, and refuses an unknown need."""
    call_command("coverage", "--service", "visio", "--radius", "5")
    out = capsys.readouterr().out
    assert "à moins de 5 km : 58.8 %" in out
    assert "B (500 hab.) : 8.0 km" in out
    with pytest.raises(CommandError, match="Besoin invalide"):
        call_command("coverage", "--service", "nope")


def test_coverage_reads_places_and_communes_in_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, places_built
):
    """The page, its map data and its CSV read 35 communes and 235 places (some itinerant) in a
    fixed number of queries, and build only each commune's nearest place: before, they built
    every place and measured every commune against every place (13.6 s at 20,000 places)."""
    visio = ServiceFactory(code="visio")
    communes = lozere_communes(35)
    for commune in communes:  # each commune's nearest place is its own
        PlaceFactory(commune=commune, at_townhall=True, services=[visio])
    places = bulk_places(200, services=[visio], commune=communes[0])
    touring = places[::10]
    Place.objects.filter(pk__in=[place.pk for place in touring]).update(itinerant=True)
    Stop.objects.bulk_create(
        Stop(place=place, position=n, commune=communes[n * 7])
        for place in touring
        for n in range(5)
    )
    for url in ("coverage:page", "coverage:geojson", "coverage:csv"):
        places_built.clear()
        with django_assert_max_num_queries(13):
            response = client.get(reverse(url), {"service": "visio"})
        assert response.status_code == 200, url
        assert len(places_built) <= len(communes), url
    assert len(response.content.decode("utf-8-sig").splitlines()) == 35 + 1


def test_an_itinerant_place_counts_at_its_stops_not_at_its_address(territory):
    """A place that travels is where it stops, a stop at a point of its own or at a commune's
    town hall; its address counts only when none of its stops can be placed."""
    visio = Service.objects.get(code="visio")
    Place.objects.update(status=Place.Status.CLOSED)  # Salle A no longer covers
    truck = PlaceFactory(
        name="Camion", itinerant=True, latitude=44.0, longitude=3.0, services=[visio]
    )
    Stop.objects.create(place=truck, latitude=44.0 + 29 * KM, longitude=3.0)
    rows = {row.commune.name: row for row in coverage().rows}
    assert rows["A"].distance == pytest.approx(29, abs=0.01)  # not 0: its address is ignored
    assert rows["C"].distance == pytest.approx(1, abs=0.01)
    Stop.objects.all().delete()
    rows = {row.commune.name: row for row in coverage().rows}
    assert rows["A"].distance == pytest.approx(0)  # no stop: at its address


def spread(scale):
    """Points around Mende, within `scale` degrees: a town, a département, the country."""
    return st.tuples(st.floats(0, scale), st.floats(0, scale)).map(
        lambda d: (44.5 + d[0] - scale / 2, 3.5 + d[1] - scale / 2)
    )


@settings(max_examples=100, deadline=None)
@given(
    data=st.sampled_from([0.02, 0.5, 8]).flatmap(
        lambda scale: st.tuples(
            st.lists(st.tuples(spread(scale), st.integers(0, 30)), max_size=60),
            st.lists(spread(scale), min_size=1, max_size=20),
        )
    )
)
def test_the_bounded_search_finds_what_measuring_everything_finds(data):
    """However points and origins lie, the search by cells gives each origin the same nearest
    point (smallest key among equals) as measuring its distance to every point."""
    located, origins = data
    points = [(lat, lon, key) for (lat, lon), key in located]
    found = nearest(points, origins, SEARCH_KM)
    for origin, (distance, key) in zip(origins, found, strict=True):
        expected = min(
            ((distance_km(*origin, lat, lon), key) for lat, lon, key in points),
            default=(None, None),
        )
        assert (distance, key) == expected
