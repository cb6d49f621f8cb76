"""The charter applied to places: derived from services, per tier, per signed version."""

from datetime import date

import pytest
from django.urls import reverse

from charter.compliance import Charter, with_signed_version
from charter.models import BaseItem, CharterVersion, Dimension, Signature, TierRequirement
from places.models import Membership, NetworkTier, Place
from tests.factories import (
    BaseItemFactory,
    CharterVersionFactory,
    NetworkFactory,
    PlaceFactory,
    PrincipleFactory,
    ServiceFactory,
    SpecialisationFactory,
)

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
    """A place meets an item of the common base as soon as it offers a service that satisfies it:
    compliance is derived, never typed twice."""
    place = PlaceFactory()
    assert met_items(place) == set()
    place.services.add(base["wifi"])
    assert met_items(place) == {"wifi"}


def test_tier_requirements_are_data(base):
    """What a tier (Comptoir, Télécentre) requires is data coordinators edit: items and services; a
    tier with no requirement yet says nothing."""
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
    """A place that signed version 1 is shown as having signed version 1 after version 2 is
    published, until it signs again."""
    first = CharterVersion.objects.create(
        number="1", title_fr="C", title_en="C", published_on=date(2016, 1, 1)
    )
    place = PlaceFactory()
    Signature.objects.create(place=place, version=first)
    second = CharterVersion.objects.create(
        number="2", title_fr="C2", title_en="C2", published_on=date(2026, 1, 1)
    )
    assert CharterVersion.objects.current() == second
    signed = with_signed_version(Place.objects.filter(pk=place.pk))
    assert signed.get().signed_version == "1"
    Signature.objects.create(place=place, version=second)
    assert signed.get().signed_version == "2"
    assert place.signatures.count() == 2


def test_the_place_page_shows_the_base_item_by_item(client, base):
    """A place's page says how much of the common base it offers, from its services, and whether it
    signed the charter."""
    place = PlaceFactory(services=[base["wifi"]])
    html = client.get(place.get_absolute_url()).content.decode()
    assert "Socle commun de services : 1 élément sur 2, d'après les services du lieu." in html
    assert "n'a pas encore signé" in html


def test_the_public_charter_page_lists_principles_and_base(client):
    """Anyone reads the charter: its principles, the common base by dimension with the
    pictograms of the services that meet each item, and the specialisations."""
    PrincipleFactory(number=1, title_fr="La primauté du lien social et de l'humain")
    PrincipleFactory(number=2, title_fr="Une coopération à valeur ajoutée")
    wifi = ServiceFactory(code="wifi", pictogram="wifi")
    BaseItemFactory(label_fr="Agora citoyenne", dimension="citizen_expression")
    BaseItemFactory(label_fr="Wi-Fi", dimension="work_comfort", services=[wifi])
    SpecialisationFactory(
        label_fr="Fabrication numérique", services=[ServiceFactory(pictogram="hammer")]
    )
    html = client.get(reverse("charter:page")).content.decode()
    assert "La primauté du lien social et de l&#x27;humain" in html
    assert "Une coopération à valeur ajoutée" in html
    assert "Agora citoyenne" in html
    assert "img/pictos/wifi.svg" in html
    assert "Fabrication numérique" in html and "img/pictos/hammer.svg" in html


def test_an_empty_charter_page_says_what_is_missing(client, db):
    """Before the charter is entered, its page says in a sentence that principles, the items of
    each dimension and specialisations are still to come, rather than showing empty lists."""
    html = client.get(reverse("charter:page")).content.decode()
    assert "Les principes de la charte n'ont pas encore été publiés ici." in html
    assert html.count("Aucun élément dans cette dimension pour l'instant.") == len(Dimension.values)
    assert "Aucune spécialisation pour l'instant." in html
    assert "<ol" not in html.split("<main", 1)[1]


def test_the_charter_page_keeps_a_fixed_query_count(client, django_assert_max_num_queries):
    """Six principles, 30 items of the common base and 30 specialisations with their services
    come in a fixed number of queries: one per item would break the limit."""
    PrincipleFactory.create_batch(6)
    CharterVersionFactory()
    services = ServiceFactory.create_batch(3)
    for n in range(30):
        BaseItemFactory(dimension=Dimension.values[n % len(Dimension.values)], services=services)
        SpecialisationFactory(services=services)
    # The principles, the base with its services, the current version (read twice), the tier
    # requirements, the specialisations with their services.
    with django_assert_max_num_queries(8):
        html = client.get(reverse("charter:page")).content.decode()
    assert html.count('class="pictos"') == 60


def dashboard_users(django_user_model):
    from django.contrib.auth.models import Group

    coordinator = django_user_model.objects.create_user("c@example.org", is_staff=True)
    coordinator.groups.add(Group.objects.get(name="Coordinateurs"))
    animateur = django_user_model.objects.create_user("a@example.org", is_staff=True)
    animateur.groups.add(Group.objects.get(name="Animateurs"))
    return coordinator, animateur


def test_the_dashboard_is_for_coordinators(client, django_user_model, base):
    """The charter dashboard is for coordinators: visitors are sent to log in, animateurs
    refused."""
    coordinator, animateur = dashboard_users(django_user_model)
    url = reverse("charter:dashboard")
    assert client.get(url).status_code == 302
    client.force_login(animateur)
    assert client.get(url).status_code == 403
    client.force_login(coordinator)
    assert client.get(url).status_code == 200


def test_the_dashboard_answers_which_members_lack_what(client, django_user_model, base):
    """A coordinator sees, for a network's members only, which items of the common base each lacks,
    on the page and in the CSV."""
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
    response = client.get(reverse("charter:dashboard-csv"), {"network": "occitanie"})
    csv = response.content.decode("utf-8-sig")
    assert csv.splitlines()[0] == "lieu;commune;charte_signee;cafe;wifi;socle_complet"
    assert any(
        line.startswith("Partiel;") and line.endswith(";non;oui;non") for line in csv.splitlines()
    )
