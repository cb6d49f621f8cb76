"""« Near »: places within a radius of a commune or of the visitor, nearest first."""

import pytest
from django.http import QueryDict

from places.filters import DEFAULT_RADIUS_KM, PlaceFilter, find_commune
from places.geo import distance_km
from places.models import Place
from tests.factories import CommuneFactory, PlaceFactory

pytestmark = pytest.mark.django_db

MENDE = (44.51782, 3.50117)
MARVEJOLS = (44.5504, 3.28952)


def near(query):
    places = PlaceFilter(QueryDict(query), queryset=Place.objects.all())
    assert places.is_valid(), places.errors
    return [(place.name, round(place.distance, 1)) for place in places.qs]


def test_haversine_matches_a_hand_checked_distance():
    """Mende and Marvejols town halls: 0.0326° of latitude and 0.2117° of longitude apart,
    that is 3.62 km north-south and 16.77 km east-west at 44.5° N: 17.2 km."""
    assert distance_km(*MENDE, *MARVEJOLS) == pytest.approx(17.16, abs=0.05)
    assert distance_km(*MENDE, *MENDE) == 0


def test_places_are_sorted_by_distance_with_it_shown(db):
    CommuneFactory(
        insee="48095", name="Mende", townhall_latitude=MENDE[0], townhall_longitude=MENDE[1]
    )
    PlaceFactory(name="Marvejols", latitude=MARVEJOLS[0], longitude=MARVEJOLS[1])
    PlaceFactory(name="Centre", latitude=MENDE[0], longitude=MENDE[1])
    PlaceFactory(name="5 km north", latitude=MENDE[0] + 5 / 111.195, longitude=MENDE[1])
    PlaceFactory(name="Far", latitude=45.5, longitude=3.5)
    assert near("near=Mende&radius=20") == [
        ("Centre", 0.0),
        ("5 km north", 5.0),
        ("Marvejols", 17.2),
    ]


def test_the_default_radius_is_ten_kilometres(db):
    PlaceFactory(name="9 km", latitude=44.5 + 9 / 111.195, longitude=3.5)
    PlaceFactory(name="11 km", latitude=44.5 + 11 / 111.195, longitude=3.5)
    assert DEFAULT_RADIUS_KM == 10
    assert near("lat=44.5&lon=3.5") == [("9 km", 9.0)]


def test_near_combines_with_other_filters(db):
    PlaceFactory(name="Open", latitude=44.5, longitude=3.5)
    PlaceFactory(name="Closed", latitude=44.5, longitude=3.5, status=Place.Status.CLOSED)
    assert [name for name, _ in near("lat=44.5&lon=3.5")] == ["Open"]


def test_places_without_a_position_are_left_out_of_near(db):
    PlaceFactory(name="Nowhere", latitude=None, longitude=None, location_precision="")
    assert near("lat=44.5&lon=3.5&radius=50") == []


@pytest.mark.parametrize(
    "typed", ["Saint-Chély-d'Apcher", "saint chely d apcher", "SAINT-CHELY-D'APCHER", "48140"]
)
def test_a_commune_is_found_however_it_is_typed(shipped_data, typed):
    assert find_commune(typed).insee == "48140"


def test_an_old_commune_name_leads_to_its_current_commune(shipped_data):
    assert find_commune("Le Monastier-Pin-Moriès").name == "Bourgs sur Colagne"
    assert find_commune("Saint-Amans").name == "Monts-de-Randon"
