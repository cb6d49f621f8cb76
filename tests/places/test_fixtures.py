"""The shipped data: real Lozère reference data and the places named in the documents."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import Q

from charter.models import BaseItem, Principle
from places.models import Commune, Epci, FormerCommune, Membership, Place, Service
from tests.conftest import SHIPPED_FIXTURES

pytestmark = pytest.mark.django_db


def row_counts():
    models = (Epci, Commune, FormerCommune, Service, Place, Membership, Principle, BaseItem)
    return {model.__name__: model.objects.count() for model in models}


def test_fixtures_load_into_an_empty_database_in_one_loaddata(shipped_data):
    assert row_counts() == {
        "Epci": 11,
        "Commune": 152,
        "FormerCommune": 46,
        "Service": 33,
        "Place": 33,
        "Membership": 9,
        "Principle": 6,
        "BaseItem": 14,
    }


def test_loading_the_fixtures_twice_changes_nothing(shipped_data):
    """Natural keys make loaddata update records in place instead of duplicating them."""
    before = row_counts()
    polen = Place.objects.get(slug="polen")
    call_command("loaddata", *SHIPPED_FIXTURES, verbosity=0)
    assert row_counts() == before
    assert Place.objects.get(slug="polen").pk == polen.pk


def test_a_place_can_be_found_by_an_old_commune_name(shipped_data):
    """People still say « Le Monastier » or « Saint-Amans »: the old names lead to the place."""
    for old_name, place_slug in [
        ("Le Monastier", "le-rucher-du-monastier"),
        ("Saint-Amans", "projet-de-saint-amans"),
    ]:
        found = Place.objects.filter(
            Q(commune__name__icontains=old_name)
            | Q(commune__former_communes__name__icontains=old_name)
        )
        assert place_slug in {place.slug for place in found}


def test_the_commune_reference_matches_the_insee_data(shipped_data):
    mende = Commune.objects.get(insee="48095")
    assert (mende.name, mende.population, mende.epci.siren) == ("Mende", 12464, "244800405")
    assert mende.postcode_list == ["48000"]
    monastier = FormerCommune.objects.get(insee="48099")
    assert monastier.commune.name == "Bourgs sur Colagne"
    assert monastier.kind == FormerCommune.Kind.DELEGATED


def test_places_placed_by_commune_sit_at_the_town_hall_and_say_so(shipped_data):
    located = Place.objects.filter(commune__isnull=False).select_related("commune")
    assert located.count() == 12
    for place in located:
        assert (place.latitude, place.longitude) == (
            place.commune.townhall_latitude,
            place.commune.townhall_longitude,
        )
        assert place.is_approximate


def test_nothing_is_invented_about_the_places(shipped_data):
    """The documents give no address, phone, e-mail, website or exact position: none is made up."""
    assert not Place.objects.filter(
        Q(address__gt="") | Q(phone__gt="") | Q(email__gt="") | Q(website__gt="")
    ).exists()
    assert not Place.objects.filter(location_precision=Place.Precision.EXACT).exists()
    assert not Place.objects.filter(commune__isnull=True, latitude__isnull=False).exists()
    assert set(Place.objects.values_list("to_verify", flat=True)) == {True}


def test_the_places_the_personas_look_for_are_shipped(shipped_data):
    marvejols = Place.objects.get(slug="msap-de-marvejols")
    assert marvejols.commune.name == "Marvejols"
    assert marvejols.memberships.get().network.code == "france-services"
    atelier = Place.objects.get(slug="bar-latelier")
    assert atelier.commune.name == "Mende"
    assert atelier.audiences.filter(code="young-people").exists()
    assert Place.objects.get(slug="tiers-truck").itinerant
    assert Place.objects.get(slug="projet-de-saint-amans").status == Place.Status.PROJECT


def test_every_service_has_its_pictogram_vendored_with_a_licence(shipped_data):
    pictos = Path(settings.BASE_DIR) / "static" / "img" / "pictos"
    assert (pictos / "LICENSE").read_text().startswith("MIT License")
    for service in Service.objects.all():
        assert (pictos / f"{service.pictogram}.svg").is_file(), service.code
        assert service.label_fr and service.label_en
