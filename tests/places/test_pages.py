"""The public pages beyond the directory: a place, the legend, networks, communes."""

import json
import re
from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from places.models import AnimateurConsent, Membership, NetworkTier, Place, Room
from tests.factories import (
    CommuneFactory,
    FamilyFactory,
    MembershipFactory,
    NetworkFactory,
    NetworkTierFactory,
    PlaceFactory,
    PlaceTypeFactory,
    ServiceFactory,
    bulk_places,
    lozere_commune,
)

pytestmark = pytest.mark.django_db


def json_ld(html):
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def test_place_page_carries_valid_schema_org_json_ld(client):
    """Search engines and other sites read a place's name, town, postcode and services from its
    page; a place placed only by its commune publishes no position."""
    help_desk = ServiceFactory(label_fr="Aide aux démarches administratives")
    place = PlaceFactory(
        name="Maison France Services",
        commune=lozere_commune("48092"),
        at_townhall=True,
        services=[help_desk],
    )
    html = client.get(reverse("places:detail", args=[place.slug])).content.decode()
    data = json_ld(html)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Place"
    assert data["name"] == "Maison France Services"
    assert data["address"]["addressLocality"] == "Marvejols"
    assert data["address"]["postalCode"] == "48100"
    assert "geo" not in data  # placed at the town hall: no exact position is published
    assert {f["name"] for f in data["amenityFeature"]} == {"Aide aux démarches administratives"}
    assert '<meta property="og:title" content="Maison France Services">' in html


def test_json_ld_cannot_break_out_of_its_script(client):
    """A place's name is typed by its animateur: whatever it holds, it stays data inside the JSON-LD
    and never runs as a script on the public page."""
    place = PlaceFactory(name="</script><script>alert(1)</script>")
    html = client.get(place.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html
    assert json_ld(html)["name"] == place.name


def test_exact_positions_are_published_as_geo(client):
    """A place with an exact address publishes its coordinates to search engines and maps."""
    place = PlaceFactory(latitude=44.1, longitude=3.2)
    data = json_ld(client.get(place.get_absolute_url()).content.decode())
    assert data["geo"] == {"@type": "GeoCoordinates", "latitude": 44.1, "longitude": 3.2}


def test_opening_hours_read_as_a_week_and_say_if_open(client, monkeypatch):
    """A visitor reads the week's hours in words, whether the place is open now and when it opens
    next, in French or in English."""
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
    """A place's page shows the rooms a nomadic worker can book, with their capacity and equipment,
    and the networks it belongs to, with its tier and since when."""
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
    """The people who run a place and agreed to be named are, on its page, but their login and
    e-mail address never are, even when they have no name to show."""
    place = PlaceFactory()
    named = django_user_model.objects.create(
        username="m.dupont@example.org", first_name="Murielle", last_name="Dupont"
    )
    anonymous = django_user_model.objects.create(username="secret@example.org")
    for person in (named, anonymous):
        AnimateurConsent.objects.create(user=person, show_name=True)
    place.animateurs.add(named, anonymous)
    html = client.get(place.get_absolute_url()).content.decode()
    assert "Murielle Dupont" in html
    assert "@example.org" not in html


def test_an_old_slug_redirects_to_the_new_address(client):
    """A renamed place keeps its old links and bookmarks working: the old address redirects
    permanently to the new one."""
    place = PlaceFactory(name="Ancien nom")
    old_url = place.get_absolute_url()
    place.slug = "nouveau-nom"
    place.save()
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == "/lieux/nouveau-nom/"


def test_a_closed_place_keeps_its_page_and_says_so(client):
    """A place that closed keeps its page (links keep working) and the page says it has closed."""
    place = PlaceFactory(status=Place.Status.CLOSED)
    html = client.get(place.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Ce lieu a fermé" in html


def test_legend_shows_every_service_with_its_pictogram_and_label(client):
    """The legend explains every pictogram: each service, by family, with its picture, its label,
    a link to the places that offer it and how many do."""
    social, work = FamilyFactory(), FamilyFactory()
    cafe = ServiceFactory(code="cafe", label_fr="Café / bar", pictogram="coffee", family=social)
    wifi = ServiceFactory(code="wifi", label_fr="Wi-Fi", pictogram="wifi", family=work)
    ServiceFactory.create_batch(3, family=work)
    PlaceFactory(services=[cafe, wifi])
    PlaceFactory(services=[wifi])
    html = client.get(reverse("places:legend"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    for code, label, pictogram in [("cafe", "Café / bar", "coffee"), ("wifi", "Wi-Fi", "wifi")]:
        assert f"?service={code}" in html
        assert label in html
        assert f"img/pictos/{pictogram}.svg" in html
    assert html.count('class="legend-item"') == 5
    assert "2 lieux" in html and "1 lieu<" in html


def test_network_page_lists_members_and_history(client):
    """A network's page names its current members and keeps the history of who joined and left,
    when; an unknown network is a 404."""
    network = NetworkFactory(code="occitanie", label_fr="Réseau des Tiers-Lieux Occitanie")
    for name in ("Le Relais", "L'Atelier", "La Cyberbase", "Le Télécentre"):
        MembershipFactory(network=network, place=PlaceFactory(name=name), start_year=2018)
    MembershipFactory(
        network=network, place=PlaceFactory(name="Ancien membre"), start_year=2015, end_year=2017
    )
    html = client.get(reverse("places:network", args=["occitanie"])).content.decode()
    members = html[html.index('id="members-title"') : html.index("Historique des adhésions")]
    assert "4 lieux membres" in members
    for name in ("Le Relais", "L&#x27;Atelier", "La Cyberbase", "Le Télécentre"):
        assert name in members
    assert "Ancien membre" not in members
    history = html[html.index("Historique des adhésions") :]
    assert "Ancien membre</a></td><td>2015</td><td>2017</td>" in history
    assert "Le Relais</a></td><td>2018</td><td>—</td>" in history
    assert 'id="map"' in html
    assert client.get(reverse("places:network", args=["inconnu"])).status_code == 404


def test_a_network_without_members_says_so_instead_of_an_empty_table(client):
    """A network no place has joined yet says « aucun lieu membre » and « aucune adhésion
    enregistrée » in sentences, with no empty list, table or map."""
    NetworkFactory(code="france-services")
    html = client.get(reverse("places:network", args=["france-services"])).content.decode()
    assert "Aucun lieu membre pour l'instant." in html
    assert "Aucune adhésion enregistrée." in html
    assert "<table" not in html and "<li>Aucun" not in html
    assert 'id="map"' not in html


def test_empty_lists_of_networks_and_pictograms_say_so(client, db):
    """With no network or no service entered yet, the networks' page and the legend say so; a
    family without services says so under its name."""
    assert "Aucun réseau enregistré pour l'instant." in (
        client.get(reverse("places:networks")).content.decode()
    )
    assert "Aucun pictogramme pour l'instant" in (
        client.get(reverse("places:legend")).content.decode()
    )
    FamilyFactory(label_fr="Lien social")
    html = client.get(reverse("places:legend")).content.decode()
    assert "Lien social" in html
    assert "Aucun service dans cette famille pour l'instant." in html
    assert '<dl class="legend">' not in html


def test_an_epci_without_places_says_so(client):
    """A community of communes with no place has a plain heading and a sentence, not « 0 lieu »."""
    epci = lozere_commune("48080").epci
    html = client.get(reverse("places:epci", args=[epci.siren])).content.decode()
    assert "Aucun lieu référencé sur ce territoire." in html
    assert "0 lieu" not in html


def test_commune_page_lists_places_in_it_and_nearby(client):
    """A commune's page lists its places, then the others within 20 km of its town hall (Saint-
    Amans' town hall is 12.8 km from Mende's, Saint-Chély-d'Apcher's 33 km), and links to its
    communauté de communes."""
    mende = lozere_commune("48095")
    PlaceFactory(name="Bar du centre", commune=mende, at_townhall=True)
    PlaceFactory(name="Projet de Saint-Amans", commune=lozere_commune("48127"), at_townhall=True)
    PlaceFactory(name="Télécentre du nord", commune=lozere_commune("48140"), at_townhall=True)
    html = client.get(reverse("places:commune", args=["48095"])).content.decode()
    here, nearby = html.split("À moins de 20 km")
    assert "Bar du centre" in here
    assert "Projet de Saint-Amans" in nearby and "Projet de Saint-Amans" not in here
    assert "Télécentre du nord" not in html
    assert "CC Coeur de Lozère" in here


def test_a_commune_page_names_its_former_communes(client):
    """People still know Bourgs sur Colagne as « Le Monastier », Florac Trois Rivières as
    Florac: their pages name them, merged-for-good communes included."""
    lozere_commune("48099")
    html = client.get(reverse("places:commune", args=["48099"])).content.decode()
    assert "Le Monastier-Pin-Moriès" in html
    lozere_commune("48061")
    html = client.get(reverse("places:commune", args=["48061"])).content.decode()
    assert "Anciennes communes : Florac, La Salle-Prunet" in html


def test_a_place_page_says_where_its_facts_come_from(client):
    """A place's page shows where its facts come from, line by line, and says nothing when no source
    is given."""
    place = PlaceFactory(sources="Document A, § 1 : télécentre.\nDocument B, § 2 : réseau.")
    html = client.get(place.get_absolute_url()).content.decode()
    assert "Source : Document A, § 1 : télécentre.<br>Document B, § 2 : réseau." in html
    assert "Source :" not in client.get(PlaceFactory().get_absolute_url()).content.decode()


def test_a_place_at_a_commune_without_a_verified_town_hall_says_so(client):
    """Three published town-hall points fell outside their commune: places there are put on
    the commune's territory, not « at the town hall »."""
    commune = CommuneFactory(position_source="contour")
    place = PlaceFactory(commune=commune, location_precision=Place.Precision.COMMUNE)
    html = client.get(place.get_absolute_url()).content.decode()
    assert "placé sur le territoire de sa commune" in html
    assert "placé à la mairie" not in html


def test_populations_say_their_year(client):
    """Every population shown names the year of INSEE's legal populations it comes from."""
    commune = CommuneFactory(population=12464, population_year=2023)
    html = client.get(reverse("places:commune", args=[commune.insee])).content.decode()
    assert "12\xa0464 habitants (population légale 2023)" in html
    html = client.get(reverse("places:epci", args=[commune.epci.siren])).content.decode()
    assert "(Populations légales 2023 de l'INSEE.)" in html


def test_epci_page_lists_its_communes_and_places(client):
    """An elected official finds the communes of the communauté de communes, their population
    and the places in them, and not those of a neighbouring one."""
    PlaceFactory(name="France Services", commune=lozere_commune("48092"), at_townhall=True)
    PlaceFactory(name="Le Rucher", commune=lozere_commune("48099"), at_townhall=True)
    PlaceFactory(name="Bar du centre", commune=lozere_commune("48095"), at_townhall=True)
    html = client.get(reverse("places:epci", args=["244800470"])).content.decode()
    assert "France Services" in html and "Le Rucher" in html
    assert "Bar du centre" not in html
    lead = re.search(r'<p class="lead">(.*?)</p>', html, re.S).group(1)
    assert "2 communes en Lozère" in lead
    assert re.sub(r"\D", "", lead.split("(")[0]) == "26855"  # 2 communes, 4,764 + 2,091
    assert "(Populations légales 2023 de l'INSEE.)" in lead


def test_list_like_pages_keep_a_fixed_query_count(client, django_assert_max_num_queries):
    """Every public page that lists places reads them in a fixed number of queries, however many
    there are: 40 places with services, a type, a commune and a network membership each, so that
    one query per place listed would break the limit."""
    services = ServiceFactory.create_batch(3)
    commune = CommuneFactory(insee="48095", townhall_latitude=44.5, townhall_longitude=3.5)
    places = bulk_places(40, services=services, types=[PlaceTypeFactory()], commune=commune)
    network = NetworkFactory(code="reseau")
    tier = NetworkTierFactory(network=network)
    Membership.objects.bulk_create(Membership(place=p, network=network, tier=tier) for p in places)
    NetworkFactory.create_batch(5)
    pages = [
        # Each page also reads the directory's state once (places.freshness).
        (reverse("places:home"), 31),
        (
            reverse("places:home") + f"?q=lieu&service={services[0].code}&lat=44.2&lon=3&radius=30",
            34,
        ),
        (reverse("places:embed"), 11),
        (reverse("places:legend"), 3),
        (reverse("places:networks"), 2),
        (reverse("places:network", args=["reseau"]), 4),
        (reverse("places:commune", args=["48095"]), 14),
        # With what its places cover, service by service (coverage.analysis.services_near).
        (reverse("places:epci", args=[commune.epci.siren]), 18),
        (places[0].get_absolute_url(), 16),
    ]
    for url, limit in pages:
        with django_assert_max_num_queries(limit):
            assert client.get(url).status_code == 200, url


def test_hours_not_given_send_the_visitor_where_someone_answers(client):
    """No hours: « contactez le lieu » only when the place can be contacted; otherwise the page
    sends the visitor to the coordination, whom its « Contact » section names (no dead end)."""
    reachable = PlaceFactory(opening_hours="", phone="04 66 00 00 00", email="", website="")
    silent = PlaceFactory(opening_hours="", phone="", email="", website="")
    html = client.get(reachable.get_absolute_url()).content.decode()
    assert "contactez le lieu avant de venir" in html
    html = client.get(silent.get_absolute_url()).content.decode()
    assert "contactez le lieu avant de venir" not in html
    assert "demandez-les à la coordination avant de venir" in html
