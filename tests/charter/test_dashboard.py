"""The charter dashboard at scale: figures for every place, the places a page at a time, and a
CSV of them all."""

from datetime import date
from unittest import mock

import pytest
from django.urls import reverse

from backoffice.roles import COORDINATORS
from charter import views
from charter.compliance import Charter, for_rows
from charter.models import BaseItem, CharterVersion, Signature
from charter.views import LISTED, PAGE_SIZE
from places.models import Membership, NetworkTier, Place
from tests.factories import NetworkFactory, PlaceFactory, ServiceFactory, bulk_places
from tests.roles import make_user

pytestmark = pytest.mark.django_db

URL = reverse("charter:dashboard")
CSV_URL = reverse("charter:dashboard-csv")


@pytest.fixture
def coordinator(client, django_user_model):
    """The test client, signed in as a coordinator."""
    client.force_login(make_user(django_user_model, "c@example.org", COORDINATORS))
    return client


@pytest.fixture
def base():
    """Two items of the common base, met by Wi-Fi and by a café."""
    services = {}
    for code, dimension in [("wifi", "work_comfort"), ("cafe", "conviviality")]:
        services[code] = ServiceFactory(code=code)
        item = BaseItem.objects.create(code=code, label_fr=code, label_en=code, dimension=dimension)
        item.services.add(services[code])
    return services


@pytest.fixture
def versions():
    old = CharterVersion.objects.create(
        number="1", title_fr="C", title_en="C", published_on=date(2016, 1, 1)
    )
    new = CharterVersion.objects.create(
        number="2", title_fr="C", title_en="C", published_on=date(2026, 1, 1)
    )
    return old, new


def many_members(count, base, versions):
    """`count` members of a network: a third complete, a third signed the old version only."""
    places = bulk_places(count, services=[base["wifi"]])
    Place.services.through.objects.bulk_create(
        Place.services.through(place_id=place.pk, service_id=base["cafe"].pk)
        for place in places[::3]
    )
    network = NetworkFactory(code="reseau")
    tier = NetworkTier.objects.create(network=network, code="t", label_fr="T", label_en="T")
    Membership.objects.bulk_create(
        Membership(place=place, network=network, tier=tier) for place in places
    )
    Signature.objects.bulk_create(
        Signature(place=place, version=versions[0]) for place in places[1::3]
    )
    return places


def test_the_dashboard_reads_a_page_of_places(
    coordinator, base, versions, django_assert_max_num_queries, places_built
):
    """The figures count every place in the database; the matrix shows a page, in a fixed number
    of queries: before, the dashboard built every place and sent them all (12 s and 14.6 MB at
    20,000 places). More places than a page and the list of those to sign again."""
    count = PAGE_SIZE + LISTED + 50
    many_members(count, base, versions)
    places_built.clear()
    with django_assert_max_num_queries(21):
        response = coordinator.get(URL, {"network": "reseau"})
    html = response.content.decode()
    complete, to_resign = len(range(0, count, 3)), len(range(1, count, 3))
    assert f"<strong>{count}</strong> lieux" in html
    assert f"<strong>{complete}</strong> remplissent tout le socle commun" in html
    assert f"{count - complete} lieux" in html  # lack the café
    assert len(response.context["rows"]) == min(count, PAGE_SIZE)
    assert response.context["to_resign_count"] == to_resign
    assert len(places_built) <= PAGE_SIZE + LISTED


def test_the_dashboard_pages_keep_the_filters(coordinator, base, versions):
    """Moving to the next page of the dashboard keeps the network chosen, and shows the next places
    in name order."""
    places = many_members(PAGE_SIZE + 5, base, versions)
    PlaceFactory(name="Hors réseau")
    first = coordinator.get(URL, {"network": "reseau"})
    assert "Page 1 sur 2" in first.content.decode()
    assert "?network=reseau&amp;page=2" in first.content.decode()
    second = coordinator.get(URL, {"network": "reseau", "page": 2})
    names = sorted(place.name for place in places)
    assert [row["place"].name for row in second.context["rows"]] == names[PAGE_SIZE:]


def test_the_csv_lists_every_place(coordinator, base, versions, django_assert_max_num_queries):
    """The CSV is not paginated: every place the filters ask for, with its signed version, in a
    fixed number of queries; read in chunks, it loses or repeats no place at a chunk's edge."""
    places = many_members(40, base, versions)
    PlaceFactory(name="Hors réseau")
    with django_assert_max_num_queries(10):
        response = coordinator.get(CSV_URL, {"network": "reseau"})
    text = response.content.decode("utf-8-sig")  # for French spreadsheets
    lines = text.splitlines()
    assert lines[0] == "lieu;commune;charte_signee;cafe;wifi;socle_complet"
    assert len(lines) == 40 + 1
    by_name = {line.split(";")[0]: line for line in lines[1:]}
    assert by_name[places[0].name].endswith(";;oui;oui;oui")
    assert by_name[places[1].name].endswith(";1;non;oui;non")
    with mock.patch.object(views, "CSV_CHUNK", 15):
        assert coordinator.get(CSV_URL, {"network": "reseau"}).content.decode("utf-8-sig") == text


def test_the_figures_agree_with_the_rows(base, versions):
    """What the database counts (complete places, gaps per item) is what each row says."""
    for services in ([], [base["wifi"]], [base["cafe"]], [base["wifi"], base["cafe"]]):
        PlaceFactory(services=services)
        PlaceFactory(services=[*services, ServiceFactory()])
    charter = Charter()
    places = Place.objects.active()
    rows = charter.rows(for_rows(places))
    assert len(rows) == 8
    complete, gaps = charter.counts(places, len(rows))
    assert complete == sum(row["complete"] for row in rows) == 2
    for item in charter.items:
        lacking = sum(not s.met for row in rows for s in row["statuses"] if s.item == item)
        assert gaps[item.pk] == lacking == 4


def test_places_to_sign_again_are_those_whose_latest_signature_is_older(
    coordinator, base, versions
):
    """The places to ask to sign again are those whose latest signature is of an older version, not
    those that never signed or signed the current one."""
    old, new = versions
    signed_old, signed_both, signed_new = (
        PlaceFactory(name=n) for n in ("Ancien", "Les deux", "Neuf")
    )
    PlaceFactory(name="Jamais")
    Signature.objects.create(place=signed_old, version=old)
    Signature.objects.create(place=signed_both, version=old)
    Signature.objects.create(place=signed_both, version=new)
    Signature.objects.create(place=signed_new, version=new)
    response = coordinator.get(URL)
    assert [place.name for place in response.context["to_resign"]] == ["Ancien"]
    assert "Ancien — version 1" in response.content.decode()
    rows = {row["place"].name: row["version"] for row in response.context["rows"]}
    assert rows == {"Ancien": "1", "Les deux": "2", "Neuf": "2", "Jamais": None}


def test_an_unknown_filter_value_is_a_400_not_a_500(coordinator, base):
    """A tier that is not a number used to raise an error (500); every bad value is a 400."""
    for query in ({"tier": "abc"}, {"tier": "99999"}, {"network": "inconnu"}, {"epci": "x"}):
        assert coordinator.get(URL, query).status_code == 400, query
        assert coordinator.get(CSV_URL, query).status_code == 400, query


def test_the_tier_filter_keeps_current_members_at_that_tier(coordinator, base):
    """Filtering by a tier keeps the current members at that tier, not former members nor members at
    another tier."""
    network = NetworkFactory(code="solozere")
    comptoir, telecentre = (
        NetworkTier.objects.create(network=network, code=code, label_fr=code, label_en=code)
        for code in ("comptoir", "telecentre")
    )
    members = {}
    for name, tier, end_year in [
        ("C", comptoir, None),
        ("T", telecentre, None),
        ("Ex", comptoir, 2020),
    ]:
        members[name] = PlaceFactory(name=name)
        Membership.objects.create(
            place=members[name], network=network, tier=tier, start_year=2018, end_year=end_year
        )
    response = coordinator.get(URL, {"tier": comptoir.pk})
    assert [row["place"].name for row in response.context["rows"]] == ["C"]
