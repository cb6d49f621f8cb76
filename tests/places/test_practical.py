"""People can act on what they find: a place's page says first how to get there, when it opens and
whom to call; cards show practical facts, not the network's jargon; a search is never a dead end;
places in project are listed only when asked for."""

import re
import types
from datetime import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from backoffice.roles import COORDINATORS
from places import freshness
from places.filters import PlaceFilter
from places.models import Membership, Place
from places.views.listing import radius_reaching
from territory.geo import distance_km
from territory.models import Commune
from tests.factories import (
    BaseItemFactory,
    NetworkFactory,
    PlaceFactory,
    RoomFactory,
    ServiceFactory,
    StopFactory,
    lozere_commune,
)

pytestmark = pytest.mark.django_db

VILLEFORT, FLORAC, MENDE = "48198", "48061", "48095"


def html(client, url, **params):
    return client.get(url, params, HTTP_ACCEPT_LANGUAGE="fr").content.decode()


def cards(page):
    """Each card's text by the place's name."""
    return dict(re.findall(r'<article class="card">.*?">([^<]+)</a>(.*?)</article>', page, re.S))


def at(monkeypatch, moment):
    """Make `moment` (Paris time) now for the views and for the page cache's minute."""
    moment = timezone.make_aware(moment)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    monkeypatch.setattr(freshness, "time", types.SimpleNamespace(time=moment.timestamp))


# A place's page: practical first


def test_a_place_page_says_how_to_get_there_when_and_whom_to_call_before_what_it_offers(client):
    """On the page, in reading order (a phone's order): where, the hours, the contact, then the
    services, networks, rooms (the rooms' section: rooms.apps), and the charter last."""
    place = PlaceFactory(
        services=[ServiceFactory(label_fr="Wi-Fi")],
        opening_hours="Mo-Fr 09:00-12:00",
        phone="04 66 00 00 00",
    )
    RoomFactory(place=place, name="Salle du Causse")
    Membership.objects.create(place=place, network=NetworkFactory(label_fr="Réseau Test"))
    page = html(client, place.get_absolute_url())
    headings = ["Où", "Horaires", "Contact", "Services", "Réseaux", "Salles", "Charte Solozère"]
    positions = [page.index(f">{heading}</h2>") for heading in headings]
    assert positions == sorted(positions), dict(zip(headings, positions, strict=True))


def test_the_directions_link_leads_to_the_place_and_says_how_precise_it_is(client):
    """A located place links to OpenStreetMap's route planner with its position as the
    destination (a plain link: nothing loads from elsewhere until followed), and says whether the
    position is its address or only its commune's town hall."""
    exact = PlaceFactory(latitude=44.3251, longitude=3.5952)
    page = html(client, exact.get_absolute_url())
    assert 'href="https://www.openstreetmap.org/directions?route=%3B44.32510%2C3.59520"' in page
    assert "Itinéraire sur OpenStreetMap" in page
    assert "Position exacte : l'itinéraire mène à l'adresse du lieu." in page

    approximate = PlaceFactory(commune=lozere_commune(MENDE), at_townhall=True)
    page = html(client, approximate.get_absolute_url())
    assert "Itinéraire sur OpenStreetMap" in page
    assert "Localisation approximative : le lieu est placé à la mairie de sa commune." in page
    assert "Position exacte" not in page


def test_a_place_without_a_position_or_on_the_move_has_no_directions_link(client):
    """No position, no link; an itinerant place is where its stops are, not at one point."""
    unlocated = PlaceFactory(latitude=None, longitude=None, location_precision="")
    itinerant = StopFactory(commune=lozere_commune(MENDE)).place
    for place in (unlocated, itinerant):
        page = html(client, place.get_absolute_url())
        assert "openstreetmap.org/directions" not in page, place
        assert "Itinéraire" not in page, place


def test_a_place_without_contact_details_says_whom_to_ask(client, settings):
    """A place with no phone, e-mail or website sends the visitor to the network's coordination:
    its address when COORDINATION_EMAIL is set, else the site's form that reaches it; no contact
    detail is ever made up."""
    place = PlaceFactory(phone="", email="", website="")
    settings.SOLOZERE_COORDINATION_EMAIL = "coordination@example.org"
    page = html(client, place.get_absolute_url())
    assert "Pas encore de coordonnées." in page
    assert (
        "demandez à la coordination du réseau Solozère : "
        '<a href="mailto:coordination@example.org">coordination@example.org</a>' in page
    )
    assert "tel:" not in page

    settings.SOLOZERE_COORDINATION_EMAIL = ""
    place.save()  # a new page, not the one cached with the setting before
    page = html(client, place.get_absolute_url())
    report = reverse("contributions:report", args=[place.slug])
    assert f'<a href="{report}">écrire à la coordination</a>' in page
    assert "mailto:" not in page


def test_a_place_with_contact_details_is_not_sent_to_the_coordination(client, settings):
    """The coordination is a fallback, not a detour."""
    settings.SOLOZERE_COORDINATION_EMAIL = "coordination@example.org"
    place = PlaceFactory(email="lieu@example.org")
    page = html(client, place.get_absolute_url())
    assert "mailto:lieu@example.org" in page
    assert "coordination@example.org" not in page


# Cards: practical facts, no jargon


def test_cards_say_if_a_place_is_open_now_from_its_hours_only(client, monkeypatch):
    """A card says « open now » or « closed right now » when the hours are known, and nothing
    when they are not: a card never guesses."""
    at(monkeypatch, datetime(2026, 11, 23, 10, 0))  # a Monday morning
    PlaceFactory(name="Ouvert le matin", opening_hours="Mo-Fr 09:00-12:00")
    PlaceFactory(name="Ouvert le soir", opening_hours="Mo-Fr 18:00-20:00")
    PlaceFactory(name="Sans horaires")
    found = cards(html(client, reverse("places:home")))
    assert "Ouvert maintenant" in found["Ouvert le matin"]
    assert "Fermé en ce moment" in found["Ouvert le soir"]
    assert "maintenant" not in found["Sans horaires"]
    assert "Fermé en ce moment" not in found["Sans horaires"]


def test_open_now_on_a_cached_list_is_at_most_a_minute_old(client, monkeypatch):
    """Lists are cached for anonymous visitors, but under the minute they were made: a place that
    closes at noon is « closed » on the list served a minute later, with nothing saved."""
    PlaceFactory(name="Le Relais", opening_hours="Mo-Fr 09:00-12:00")
    url = reverse("places:home")
    at(monkeypatch, datetime(2026, 11, 23, 11, 59, 10))
    assert "Ouvert maintenant" in cards(html(client, url))["Le Relais"]
    assert client.get(url).context is None  # served from the cache
    at(monkeypatch, datetime(2026, 11, 23, 12, 0, 5))
    assert "Fermé en ce moment" in cards(html(client, url))["Le Relais"]


def test_the_common_base_score_is_for_coordinators_not_visitors(client, django_user_model):
    """« Socle commun : 0/14 » is jargon to a visitor: cards show it to coordinators only."""
    BaseItemFactory(code="wifi", label_fr="Connexion Wi-Fi", dimension="work_comfort")
    PlaceFactory(name="Le Relais")
    assert "Socle commun" not in html(client, reverse("places:home"))
    coordinator = django_user_model.objects.create_user("c@example.org", is_staff=True)
    coordinator.groups.add(Group.objects.get(name=COORDINATORS))
    client.force_login(coordinator)
    assert "Socle commun : 0/1" in cards(html(client, reverse("places:home")))["Le Relais"]


# Never a dead end: how far the nearest place is


@pytest.fixture
def cafe_in_florac():
    """A café at Florac's town hall, some 30 km from Villefort (both real communes)."""
    lozere_commune(VILLEFORT)
    cafe = ServiceFactory(code="cafe", label_fr="Café / bar")
    place = PlaceFactory(
        name="Café de Florac", commune=lozere_commune(FLORAC), at_townhall=True, services=[cafe]
    )
    return place


def test_an_empty_near_search_says_how_far_the_nearest_place_is(client, cafe_in_florac):
    """Nothing within 5 km of Villefort: the page names the nearest place the same search finds,
    how far it is, and offers the smallest radius that reaches it, which lists it."""
    villefort = Commune.objects.get(insee=VILLEFORT)
    km = distance_km(
        villefort.townhall_latitude,
        villefort.townhall_longitude,
        cafe_in_florac.latitude,
        cafe_in_florac.longitude,
    )
    radius = radius_reaching(km)
    page = html(client, reverse("places:home"), near="Villefort", radius=5, service="cafe")
    shown = f"{km:.1f}".replace(".", ",")
    assert (
        f'Le plus proche, <a href="{cafe_in_florac.get_absolute_url()}">Café de Florac</a>, '
        f"est à {shown} km." in page
    )
    link = re.search(r'<a href="([^"]+)">Chercher dans un rayon de (\d+) km</a>', page)
    assert int(link.group(2)) == radius
    wider = client.get(link.group(1).replace("&amp;", "&"))
    assert [place.name for place in wider.context["page"].object_list] == ["Café de Florac"]


def test_an_empty_search_with_nothing_further_offers_no_useless_radius(client, cafe_in_florac):
    """When the same search finds nothing anywhere, no wider radius is offered: dropping a
    criterion is."""
    ServiceFactory(code="fablab")
    page = html(client, reverse("places:home"), near="Villefort", radius=5, service="fablab")
    assert "Aucun lieu ne correspond à cette recherche." in page
    assert "Le plus proche" not in page and "Chercher dans un rayon" not in page
    assert re.search(r"Chercher sans le critère «\s*Services\s*»", page)


def test_the_nearest_place_is_found_by_one_query_from_anywhere(django_assert_num_queries):
    """The nearest place is asked of the database in one query, whatever the number of places; an
    itinerant place is as near as its stop, a place without a position is never « nearest »,
    and a point at the other end of the Earth is no error."""
    mende = lozere_commune(MENDE)
    PlaceFactory(name="Sans position", latitude=None, longitude=None, location_precision="")
    PlaceFactory(name="Florac", commune=lozere_commune(FLORAC), at_townhall=True)
    StopFactory(
        commune=mende,
        place__name="Camion",
        place__latitude=None,
        place__longitude=None,
        place__location_precision="",
    )
    places = PlaceFilter({"near": "Mende", "radius": 1}, queryset=Place.objects.published())
    assert places.is_valid(), places.errors
    with django_assert_num_queries(1):
        nearest = places.nearest_further()
    assert nearest.name == "Camion" and nearest.distance < 0.01
    antipode = Place.objects.nearest_to(-mende.townhall_latitude, mende.townhall_longitude - 180)
    assert antipode.name in {"Camion", "Florac"} and 19_900 < antipode.distance < 20_100


@pytest.mark.parametrize(
    ("km", "radius"),
    [
        (3.2, 5),
        (5.0, 10),
        (9.99, 10),
        (29.6, 30),
        (49.98, 50),
        (49.995, 51),
        (50.2, 51),
        (199.5, 200),
    ],
)
def test_the_radius_offered_reaches_the_nearest_place(km, radius):
    """The smallest radius of the menu that reaches the place with a hair of margin (the list
    measures again, rounding its own way), else that distance rounded up."""
    assert radius_reaching(km) == radius


def test_no_radius_is_offered_beyond_the_largest_a_search_takes():
    """From far away, the page names the nearest place but offers no radius it would refuse."""
    assert radius_reaching(512.3) is None


# Places in project: not mixed with open places unless asked


def test_the_directory_leaves_projects_out_and_offers_them(client):
    """The list, its count and the map show open places; the page says how many projects match
    too, and one click (or the « include projects » box) lists them with the open places."""
    PlaceFactory(name="Ouvert")
    PlaceFactory(name="En chantier", status=Place.Status.PROJECT)
    home = reverse("places:home")
    response = client.get(home, HTTP_ACCEPT_LANGUAGE="fr")
    assert [p.name for p in response.context["page"].object_list] == ["Ouvert"]
    page = response.content.decode()
    assert "1 lieu en projet correspond aussi à cette recherche." in page
    assert f'<a href="{home}?include_projects=true">Inclure les lieux en projet</a>' in page
    assert 'name="include_projects" value="true"> Inclure les lieux en projet' in page
    asked = client.get(home, {"include_projects": "true"})
    assert {p.name for p in asked.context["page"].object_list} == {"Ouvert", "En chantier"}
    assert "correspond aussi" not in asked.content.decode()
    geojson = reverse("places:geojson")
    names = [f["properties"]["name"] for f in client.get(geojson).json()["features"]]
    assert names == ["Ouvert"]
    asked = client.get(geojson, {"include_projects": "true"}).json()["features"]
    assert {f["properties"]["name"] for f in asked} == {"Ouvert", "En chantier"}


def test_open_data_keeps_listing_projects_with_their_status(client):
    """The exports and the API list places in project by default, as before (each record says its
    status); include_projects=false leaves them out there too."""
    PlaceFactory(name="Ouvert")
    PlaceFactory(name="En chantier", status=Place.Status.PROJECT)
    csv = client.get(reverse("opendata:csv")).content.decode()
    assert "En chantier" in csv and "project" in csv
    api = reverse("opendata:api-list")
    assert {p["name"] for p in client.get(api).json()["results"]} == {"Ouvert", "En chantier"}
    left_out = client.get(api, {"include_projects": "false"}).json()["results"]
    assert [p["name"] for p in left_out] == ["Ouvert"]


def test_a_commune_page_map_shows_what_its_list_shows(client):
    """A commune's page lists its places in project (marked so) with the open ones: its map asks
    for them, so list and map agree."""
    mende = lozere_commune(MENDE)
    PlaceFactory(name="Ouvert", commune=mende, at_townhall=True)
    PlaceFactory(name="En chantier", commune=mende, at_townhall=True, status="project")
    response = client.get(reverse("places:commune", args=[MENDE]))
    listed = {p.name for p in response.context["places"]}
    geojson = response.context["map_config"]["geojson"]
    drawn = {f["properties"]["name"] for f in client.get(geojson).json()["features"]}
    assert listed == drawn == {"Ouvert", "En chantier"}
