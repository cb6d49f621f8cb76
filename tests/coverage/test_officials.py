"""What officials read of their territory: how complete the data is before any white zone, the
coverage of one communauté de communes, and its page's coverage service by service."""

from datetime import date

import pytest
from django.urls import reverse

from coverage.analysis import services_near
from places.models import Place, Stop
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
    """Four communes on a meridian, two communautés de communes: A (0 km) and B (8 km) in CC
    Test; C (12 km) and D (40 km) in CC Voisine. An open, verified video room in C; in A, a
    project and an open room nobody has placed nor verified."""
    test = EpciFactory(siren="200000001", name="CC Test")
    voisine = EpciFactory(siren="200000002", name="CC Voisine")
    communes = {
        name: CommuneFactory(
            insee=insee,
            name=name,
            population=population,
            epci=epci,
            townhall_latitude=44.0 + km * KM,
            townhall_longitude=3.0,
        )
        for name, insee, population, epci, km in [
            ("A", "48901", 1000, test, 0),
            ("B", "48902", 500, test, 8),
            ("C", "48903", 200, voisine, 12),
            ("D", "48904", 100, voisine, 40),
        ]
    }
    visio = ServiceFactory(code="visio", label_fr="Salle de visioconférence")
    ServiceFactory(code="wifi", label_fr="Wi-Fi")
    PlaceFactory(
        name="Salle C",
        commune=communes["C"],
        at_townhall=True,
        services=[visio],
        verified_on=date(2026, 1, 5),
    )
    PlaceFactory(
        name="Projet A",
        commune=communes["A"],
        at_townhall=True,
        status=Place.Status.PROJECT,
        services=[visio],
    )
    PlaceFactory(
        name="Sans position",
        commune=communes["A"],
        latitude=None,
        longitude=None,
        location_precision="",
        to_verify=True,
        services=[visio],
    )
    return communes


def test_the_page_says_how_complete_the_data_is_before_any_white_zone(client, territory):
    """Before the figures and the white zones, an official reads how many of the places counted
    have no position (they count nowhere) and how many are « à vérifier » or never verified."""
    html = client.get(reverse("coverage:page"), {"service": "visio"}).content.decode()
    banner = html.index("Avant de lire les zones blanches")
    assert banner < html.index("à proximité</h2>") < html.index("Zones blanches :")
    assert "2 lieux ouverts retenus par ces critères" in html
    assert "1 lieu sur 2 n'a pas de position" in html
    assert "1 lieu sur 2 est « à vérifier » ou n'a jamais été confirmé par le lieu" in html


def test_an_official_filters_the_coverage_by_communaute_de_communes(client, territory):
    """With a communauté de communes chosen, the page, its CSV and its figures measure its
    communes only, and the places across its border still count: B is 4 km from the room in C."""
    query = {"service": "visio", "epci": "200000001"}
    response = client.get(reverse("coverage:page"), query)
    assert response.status_code == 200
    rows = {row.commune.name: row for row in response.context["rows"]}
    assert set(rows) == {"A", "B"}
    assert rows["B"].distance == pytest.approx(4, abs=0.01)
    assert rows["B"].nearest.name == "Salle C"
    html = response.content.decode()
    assert "Population de la CC Test à proximité" in html
    assert '<option value="200000001" selected>CC Test</option>' in html
    csv = client.get(reverse("coverage:csv"), query).content.decode("utf-8-sig")
    assert [line.split(";")[1] for line in csv.splitlines()[1:]] == ["A", "B"]


def test_a_communaute_de_communes_nobody_knows_is_a_400_saying_so(client, territory):
    """A mistyped communauté de communes is refused with its reason, not read as all Lozère."""
    response = client.get(reverse("coverage:page"), {"epci": "999999999"})
    assert response.status_code == 400
    assert response.context["filter"].form.errors["epci"]
    assert client.get(reverse("coverage:csv"), {"epci": "999999999"}).status_code == 400


def test_rows_name_their_communaute_de_communes_with_a_link_to_its_page(client, territory):
    """Each commune's row, and each row of the table by communauté de communes, leads to the
    communauté de communes' page."""
    html = client.get(reverse("coverage:page"), {"service": "visio"}).content.decode()
    test_page = reverse("places:epci", args=["200000001"])
    neighbour_page = reverse("places:epci", args=["200000002"])
    assert html.count(f'<a href="{test_page}">CC Test</a>') == 1 + 2  # by EPCI, A and B
    assert html.count(f'<a href="{neighbour_page}">CC Voisine</a>') == 1 + 2


def test_the_epci_page_draws_its_outline_and_its_coverage_service_by_service(client, territory):
    """The page of CC Test frames its outline on the map, and says for each service how many of
    its communes have an open place offering it within 10 km (B, by the room across the border;
    not A, whose project does not count yet), the share of its inhabitants, and how many of its
    places offer it, linked to them."""
    response = client.get(reverse("places:epci", args=["200000001"]))
    config = response.context["map_config"]
    assert config["area"] == reverse("territory:epci-outline", args=["200000001"])
    sections = dict(response.context["sections"])  # others follow: the agenda's, printing's
    section = sections["coverage/_epci_services.html"]
    rows = {row.service.code: row for row in section["area_coverage"].rows}
    assert (rows["visio"].communes, rows["visio"].places) == (1, 2)
    assert rows["visio"].percent == pytest.approx(100 * 500 / 1500)
    assert (rows["wifi"].communes, rows["wifi"].places) == (0, 0)
    html = response.content.decode()
    assert "Couverture par service" in html
    assert "1 / 2" in html and "33 %" in html
    assert f'href="{reverse("places:home")}?epci=200000001&amp;service=visio">2 lieux</a>' in html
    coverage_link = f"{reverse('coverage:page')}?service=visio&amp;epci=200000001"
    assert coverage_link in html


def test_the_coverage_by_service_reads_a_fixed_number_of_queries(django_assert_max_num_queries):
    """Ten services, forty places offering three of them each, ten of them travelling with five
    stops: the coverage of a communauté de communes by service reads them in six queries, not
    one or two per service."""
    services = ServiceFactory.create_batch(10)
    commune = CommuneFactory(insee="48095", townhall_latitude=44.2, townhall_longitude=3.0)
    places = bulk_places(40, services=services[:3], commune=commune)
    touring = places[::4]
    Place.objects.filter(pk__in=[place.pk for place in touring]).update(itinerant=True)
    Stop.objects.bulk_create(
        Stop(place=place, position=n, commune=commune) for place in touring for n in range(5)
    )
    with django_assert_max_num_queries(6):
        area = services_near(commune.epci, 10)
    assert len(area.rows) == 10
    reached = {row.service: row.communes for row in area.rows}
    assert [reached[service] for service in services] == [1, 1, 1] + [0] * 7
