"""The public pages beyond the directory: a place, the legend, networks, communes."""

import json
import re
from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from places.models import Membership, NetworkTier, Place, Room
from tests.factories import (
    CommuneFactory,
    NetworkFactory,
    PlaceFactory,
    PlaceTypeFactory,
    ServiceFactory,
    bulk_places,
)

pytestmark = pytest.mark.django_db


def json_ld(html):
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def test_place_page_carries_valid_schema_org_json_ld(client, shipped_data):
    html = client.get(reverse("places:detail", args=["msap-de-marvejols"])).content.decode()
    data = json_ld(html)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Place"
    assert data["name"] == "MSAP de Marvejols"
    assert data["address"]["addressLocality"] == "Marvejols"
    assert data["address"]["postalCode"] == "48100"
    assert "geo" not in data  # placed at the town hall: no exact position is published
    assert {f["name"] for f in data["amenityFeature"]} >= {"Aide aux démarches administratives"}
    assert '<meta property="og:title" content="MSAP de Marvejols">' in html


def test_json_ld_cannot_break_out_of_its_script(client):
    place = PlaceFactory(name="</script><script>alert(1)</script>")
    html = client.get(place.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html
    assert json_ld(html)["name"] == place.name


def test_exact_positions_are_published_as_geo(client):
    place = PlaceFactory(latitude=44.1, longitude=3.2)
    data = json_ld(client.get(place.get_absolute_url()).content.decode())
    assert data["geo"] == {"@type": "GeoCoordinates", "latitude": 44.1, "longitude": 3.2}


def test_opening_hours_read_as_a_week_and_say_if_open(client, monkeypatch):
    monday_morning = timezone.make_aware(datetime(2026, 11, 23, 8, 0))
    monkeypatch.setattr(timezone, "now", lambda: monday_morning)
    place = PlaceFactory(opening_hours="Mo-Fr 09:00-12:00,14:00-18:00")
    html = client.get(place.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Fermé en ce moment" in html
    assert "Prochaine ouverture : lundi 23 novembre, 09:00." in html
    assert "Lundi 23 novembre</th><td>09:00–12:00, 14:00–18:00" in html
    assert "Samedi 28 novembre</th><td>fermé" in html
    english = client.get(place.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Monday 23 November</th><td>09:00–12:00, 14:00–18:00" in english


def test_place_page_shows_rooms_networks_and_tier(client):
    solozere = NetworkFactory(code="solozere", label_fr="Solozère")
    comptoir = NetworkTier.objects.create(
        network=solozere, code="comptoir", label_fr="Comptoir Solozère", label_en="Comptoir"
    )
    place = PlaceFactory()
    Membership.objects.create(place=place, network=solozere, tier=comptoir, start_year=2014)
    room = Room.objects.create(place=place, name="Salle du Causse", capacity=12, bookable=True)
    room.equipment.add(ServiceFactory(label_fr="Salle de visioconférence"))
    html = client.get(place.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Comptoir Solozère" in html
    assert "depuis 2014" in html
    assert "Salle du Causse" in html and "12 personnes" in html
    assert "Salle de visioconférence" in html


def test_animateurs_are_named_but_never_by_login_or_email(client, django_user_model):
    place = PlaceFactory()
    named = django_user_model.objects.create(
        username="m.dupont@example.org", first_name="Murielle", last_name="Dupont"
    )
    anonymous = django_user_model.objects.create(username="secret@example.org")
    place.animateurs.add(named, anonymous)
    html = client.get(place.get_absolute_url()).content.decode()
    assert "Murielle Dupont" in html
    assert "@example.org" not in html


def test_an_old_slug_redirects_to_the_new_address(client):
    place = PlaceFactory(name="Ancien nom")
    old_url = place.get_absolute_url()
    place.slug = "nouveau-nom"
    place.save()
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == "/lieux/nouveau-nom/"


def test_a_closed_place_keeps_its_page_and_says_so(client):
    place = PlaceFactory(status=Place.Status.CLOSED)
    html = client.get(place.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Ce lieu a fermé" in html


def test_legend_shows_every_service_with_its_pictogram_and_label(client, shipped_data):
    html = client.get(reverse("places:legend"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    for code, label in [("wifi", "Wi-Fi"), ("videoconference", "Salle de visioconférence")]:
        assert f"?service={code}" in html
        assert label in html
    assert html.count('class="legend-item"') == 33


def test_network_page_lists_members_and_history(client, shipped_data):
    html = client.get(reverse("places:network", args=["occitanie"])).content.decode()
    assert "4 lieux membres" in html
    for name in ("POLeN", "Relais de l&#x27;Espinas", "Cyberbase du Pont-de-Montvert"):
        assert name in html
    assert "2018" in html
    assert client.get(reverse("places:network", args=["inconnu"])).status_code == 404


def test_commune_page_lists_places_in_it_and_nearby(client, shipped_data):
    html = client.get(reverse("places:commune", args=["48095"])).content.decode()
    assert "Bar l&#x27;Atelier" in html
    assert "Projet de Saint-Amans" in html  # Monts-de-Randon, 12.8 km away
    assert "CC Coeur de Lozère" in html


def test_a_commune_page_names_its_former_communes(client, shipped_data):
    html = client.get(reverse("places:commune", args=["48099"])).content.decode()
    assert "Le Monastier-Pin-Moriès" in html


def test_epci_page_lists_its_communes_and_places(client, shipped_data):
    html = client.get(reverse("places:epci", args=["244800470"])).content.decode()
    assert "MSAP de Marvejols" in html
    assert "Le Rucher du Monastier" in html
    assert "12 communes en Lozère" in html


@pytest.mark.parametrize("count", [10, 1000])
def test_list_like_pages_keep_a_fixed_query_count(client, django_assert_max_num_queries, count):
    """The same number of queries at 10 and at 1,000 places, on every page that lists places."""
    services = ServiceFactory.create_batch(3)
    commune = CommuneFactory(insee="48095", townhall_latitude=44.5, townhall_longitude=3.5)
    places = bulk_places(count, services=services, types=[PlaceTypeFactory()], commune=commune)
    network = NetworkFactory(code="reseau")
    Membership.objects.bulk_create(Membership(place=p, network=network) for p in places)
    pages = [
        (reverse("places:home"), 30),  # the first one also counts the communes (cached an hour)
        (reverse("places:home") + f"?q=lieu&service={services[0].code}&lat=44.5&lon=3.05", 30),
        (reverse("places:legend"), 2),
        (reverse("places:networks"), 1),
        (reverse("places:network", args=["reseau"]), 3),
        (reverse("places:commune", args=["48095"]), 13),
        (reverse("places:epci", args=[commune.epci.siren]), 12),
        (places[0].get_absolute_url(), 15),
    ]
    for url, limit in pages:
        with django_assert_max_num_queries(limit):
            assert client.get(url).status_code == 200, url
