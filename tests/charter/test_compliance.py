"""The charter applied to places: derived from services, per tier, per signed version."""

from datetime import date

import pytest
from django.urls import reverse

from charter.compliance import Charter, latest_signatures
from charter.models import BaseItem, CharterVersion, Signature, TierRequirement
from places.models import Membership, NetworkTier
from tests.factories import NetworkFactory, PlaceFactory, ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def base():
    wifi, cafe = ServiceFactory(code="wifi"), ServiceFactory(code="cafe")
    item_wifi = BaseItem.objects.create(
        code="wifi", label_fr="Wi-Fi", label_en="Wi-Fi", dimension="work_comfort"
    )
    item_wifi.services.add(wifi)
    item_cafe = BaseItem.objects.create(
        code="cafe", label_fr="Café", label_en="Café", dimension="conviviality"
    )
    item_cafe.services.add(cafe)
    return {"wifi": wifi, "cafe": cafe, "item_wifi": item_wifi, "item_cafe": item_cafe}


def met_items(place):
    statuses = Charter().statuses({s.pk for s in place.services.all()})
    return {status.item.code for status in statuses if status.met}


def test_adding_a_service_flips_its_base_item(base):
    place = PlaceFactory()
    assert met_items(place) == set()
    place.services.add(base["wifi"])
    assert met_items(place) == {"wifi"}


def test_tier_requirements_are_data(base):
    solozere = NetworkFactory(code="solozere")
    comptoir = NetworkTier.objects.create(
        network=solozere, code="comptoir", label_fr="Comptoir", label_en="Comptoir"
    )
    requirement = TierRequirement.objects.create(tier=comptoir)
    requirement.base_items.add(base["item_wifi"])
    requirement.services.add(base["cafe"])
    charter = Charter()
    assert charter.meets_tier(comptoir.pk, {base["wifi"].pk}) is False
    assert charter.meets_tier(comptoir.pk, {base["wifi"].pk, base["cafe"].pk}) is True
    other = NetworkTier.objects.create(network=solozere, code="t", label_fr="T", label_en="T")
    assert charter.meets_tier(other.pk, set()) is None  # no requirement defined yet


def test_signatures_stay_with_the_version_signed(base):
    first = CharterVersion.objects.create(
        number="1", title_fr="C", title_en="C", published_on=date(2016, 1, 1)
    )
    place = PlaceFactory()
    Signature.objects.create(place=place, version=first)
    second = CharterVersion.objects.create(
        number="2", title_fr="C2", title_en="C2", published_on=date(2026, 1, 1)
    )
    assert CharterVersion.objects.current() == second
    assert latest_signatures([place])[place.pk].version == first
    Signature.objects.create(place=place, version=second)
    assert latest_signatures([place])[place.pk].version == second
    assert place.signatures.count() == 2


def test_the_place_page_shows_the_base_item_by_item(client, base):
    place = PlaceFactory(services=[base["wifi"]])
    html = client.get(place.get_absolute_url()).content.decode()
    assert "Socle commun de services : 1 élément sur 2, d'après les services du lieu." in html
    assert "n'a pas encore signé" in html


def test_the_public_charter_page_lists_principles_and_base(client, shipped_data):
    html = client.get(reverse("charter:page")).content.decode()
    assert "La primauté du lien social et de l&#x27;humain" in html
    assert "Agora citoyenne" in html
    assert "img/pictos/wifi.svg" in html


def dashboard_users(django_user_model):
    from django.contrib.auth.models import Group

    coordinator = django_user_model.objects.create_user("c@example.org", is_staff=True)
    coordinator.groups.add(Group.objects.get(name="Coordinateurs"))
    animateur = django_user_model.objects.create_user("a@example.org", is_staff=True)
    animateur.groups.add(Group.objects.get(name="Animateurs"))
    return coordinator, animateur


def test_the_dashboard_is_for_coordinators(client, django_user_model, base):
    coordinator, animateur = dashboard_users(django_user_model)
    url = reverse("charter:dashboard")
    assert client.get(url).status_code == 302
    client.force_login(animateur)
    assert client.get(url).status_code == 403
    client.force_login(coordinator)
    assert client.get(url).status_code == 200


def test_the_dashboard_answers_which_members_lack_what(client, django_user_model, base):
    coordinator, _ = dashboard_users(django_user_model)
    occitanie = NetworkFactory(code="occitanie")
    complete = PlaceFactory(name="Complet", services=[base["wifi"], base["cafe"]])
    partial = PlaceFactory(name="Partiel", services=[base["wifi"]])
    PlaceFactory(name="Hors réseau")
    for place in (complete, partial):
        Membership.objects.create(place=place, network=occitanie, start_year=2018)
    client.force_login(coordinator)
    response = client.get(reverse("charter:dashboard"), {"network": "occitanie"})
    rows = {row["place"].name: row for row in response.context["rows"]}
    assert set(rows) == {"Complet", "Partiel"}
    assert rows["Complet"]["complete"] and not rows["Partiel"]["complete"]
    csv = client.get(reverse("charter:dashboard-csv"), {"network": "occitanie"}).content.decode()
    assert csv.splitlines()[0] == "lieu,commune,charte_signee,cafe,wifi,socle_complet"
    assert any(
        line.startswith("Partiel,") and line.endswith(",non,oui,non") for line in csv.splitlines()
    )
