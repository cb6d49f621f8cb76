"""« Near »: places within a radius of a commune or of the visitor, nearest first."""

import pytest
from django.http import QueryDict
from django.urls import reverse

from places.filters import DEFAULT_RADIUS_KM, PlaceFilter, find_commune
from places.models import Place, Stop
from territory.geo import distance_km
from tests.factories import CommuneFactory, PlaceFactory, ServiceFactory, lozere_commune

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
    """Around a commune, places come nearest first, each with its distance from the town hall, and
    none beyond the radius."""
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
    """A search around a point with no radius looks within 10 km."""
    PlaceFactory(name="9 km", latitude=44.5 + 9 / 111.195, longitude=3.5)
    PlaceFactory(name="11 km", latitude=44.5 + 11 / 111.195, longitude=3.5)
    assert DEFAULT_RADIUS_KM == 10
    assert near("lat=44.5&lon=3.5") == [("9 km", 9.0)]


def test_near_combines_with_other_filters(db):
    """« Near » narrows the other filters instead of replacing them: a closed place nearby stays
    out."""
    PlaceFactory(name="Open", latitude=44.5, longitude=3.5)
    PlaceFactory(name="Closed", latitude=44.5, longitude=3.5, status=Place.Status.CLOSED)
    assert [name for name, _ in near("lat=44.5&lon=3.5")] == ["Open"]


def test_places_without_a_position_are_left_out_of_near(db):
    """A place with no known position is never said to be near anything."""
    PlaceFactory(name="Nowhere", latitude=None, longitude=None, location_precision="")
    assert near("lat=44.5&lon=3.5&radius=50") == []


@pytest.mark.parametrize(
    "typed", ["Saint-Chély-d'Apcher", "saint chely d apcher", "SAINT-CHELY-D'APCHER", "48140"]
)
def test_a_commune_is_found_however_it_is_typed(db, typed):
    """« Near » accepts a commune's name with or without accents, hyphens or capitals, or its
    postcode."""
    lozere_commune("48140")
    lozere_commune("48141")  # Mas-Saint-Chély: another commune with « Chély » in its name
    assert find_commune(typed).insee == "48140"


def test_an_old_commune_name_leads_to_its_current_commune(db):
    """« Near Le Monastier » searches around Bourgs sur Colagne, which absorbed it."""
    lozere_commune("48099")
    lozere_commune("48127")
    assert find_commune("Le Monastier-Pin-Moriès").name == "Bourgs sur Colagne"
    assert find_commune("Saint-Amans").name == "Monts-de-Randon"


# The review's cases, on the real communes: a former commune (Florac, a sous-préfecture), a
# postcode, abbreviations, the start of a name, a slip of the fingers; and how each is named.
NEAR_CASES = [
    ("Florac", "Florac (Florac Trois Rivières)"),
    ("48400", "Florac Trois Rivières (48400)"),
    ("St Chely", "Saint-Chély-d'Apcher"),
    ("Ste Enimie", "Sainte-Enimie (Gorges du Tarn Causses)"),
    ("Marvej", "Marvejols"),
    ("Mnede", "Mende"),
]


@pytest.mark.parametrize(("typed", "origin"), NEAR_CASES)
def test_near_understands_the_shipped_communes_as_people_type_them(
    client, shipped_communes, typed, origin
):
    """The cases of the review, on the real communes: a former commune (Florac, a
    sous-préfecture), a postcode, abbreviations, the start of a name, a slip."""
    places = PlaceFilter(QueryDict(f"near={typed}"), queryset=Place.objects.all())
    assert places.is_valid(), places.errors
    assert places.origin_label == origin
    html = client.get(reverse("places:home"), {"near": typed}).content.decode()
    assert "à moins de 10 km de" in html


def test_an_unknown_commune_offers_the_nearest_names_as_links(client, shipped_communes):
    """A near miss is a message beside the field, not an error page, with the communes it may
    mean, each a link to the same search near it."""
    ServiceFactory(code="cafe")
    response = client.get(reverse("places:home"), {"near": "Flaurac", "service": "cafe"})
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        "Commune inconnue : « Flaurac ». Vouliez-vous dire « Florac (Florac Trois Rivières) »"
        in (html.replace("&#x27;", "'"))
    )
    link = '<a href="/?near=Florac&amp;service=cafe#resultats">Florac (Florac Trois Rivières)</a>'
    assert link in html
    assert client.get("/", {"near": "Florac", "service": "cafe"}).status_code == 200


@pytest.fixture
def truck(db):
    """An itinerant place with no position of its own, stopping at a far commune's town hall
    and at a point near Mende."""
    far = CommuneFactory(insee="48001", name="Loin", townhall_latitude=45.2, townhall_longitude=3.9)
    place = PlaceFactory(
        name="Camion", itinerant=True, latitude=None, longitude=None, location_precision=""
    )
    Stop.objects.create(place=place, position=1, commune=far, label="Marché")
    Stop.objects.create(
        place=place, position=2, latitude=MENDE[0] + 3 / 111.195, longitude=MENDE[1]
    )
    return place


def test_an_itinerant_place_is_as_near_as_its_nearest_stop(truck):
    """« Near » counts an itinerant place's stops, as the coverage does."""
    assert near(f"lat={MENDE[0]}&lon={MENDE[1]}&radius=10") == [("Camion", 3.0)]
    assert near("lat=45.2&lon=3.9&radius=5") == [("Camion", 0.0)]
    assert near("lat=44.0&lon=3.0&radius=5") == []


def test_the_map_draws_an_itinerant_place_at_each_stop(client, truck):
    """The map shows an itinerant place at each of its stops, each marker named with the stop's
    label and commune and leading to the place's page."""
    features = client.get(reverse("places:geojson")).json()["features"]
    assert sorted(f["properties"]["name"] for f in features) == ["Camion", "Camion (Marché, Loin)"]
    latitudes = sorted(f["geometry"]["coordinates"][1] for f in features)
    assert latitudes == [pytest.approx(MENDE[0] + 3 / 111.195, abs=1e-4), 45.2]
    assert all(f["properties"]["url"] == truck.get_absolute_url() for f in features)


def test_a_commune_page_lists_the_itinerant_places_that_stop_there(client, truck):
    """A commune's page lists the itinerant places that stop in it, as the commune filter does."""
    html = client.get(reverse("places:commune", args=["48001"])).content.decode()
    assert "Camion" in html
    assert "Camion" in near("commune=48001&lat=45.2&lon=3.9")[0][0]
