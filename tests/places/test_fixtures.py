"""The shipped data: real Lozère reference data, the charter and the places named in the documents.

These tests are about the files in fixtures/ themselves: the data is loaded once for the module
(each test runs in its own savepoint), not once per test. Every other test builds what it needs
with tests/factories.py.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.db.models import Q

from charter.models import BaseItem, Dimension, Principle
from places.models import Membership, Place, Service
from territory.models import Commune, Epci, FormerCommune
from tests.conftest import SHIPPED_FIXTURES

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def shipped(django_db_setup, django_db_blocker):
    """Every shipped fixture, loaded in one loaddata for the module, rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("loaddata", *SHIPPED_FIXTURES, verbosity=0)
        yield
        transaction.set_rollback(True)


def row_counts():
    models = (Epci, Commune, FormerCommune, Service, Place, Membership, Principle, BaseItem)
    return {model.__name__: model.objects.count() for model in models}


def test_fixtures_load_into_an_empty_database_in_one_loaddata(shipped):
    """A new site starts from one loaddata of the shipped files, with every record they
    hold."""
    assert row_counts() == {
        "Epci": 11,
        "Commune": 152,
        "FormerCommune": 66,
        "Service": 33,
        "Place": 33,
        "Membership": 6,
        "Principle": 6,
        "BaseItem": 14,
    }


def test_loading_the_fixtures_twice_changes_nothing(shipped):
    """Natural keys make loaddata update records in place instead of duplicating them."""
    before = row_counts()
    polen = Place.objects.get(slug="polen")
    call_command("loaddata", *SHIPPED_FIXTURES, verbosity=0)
    assert row_counts() == before
    assert Place.objects.get(slug="polen").pk == polen.pk


def test_a_place_can_be_found_by_an_old_commune_name(shipped):
    """People still say « Le Monastier » or « Saint-Amans »: the old names lead to the
    place."""
    for old_name, place_slug in [
        ("Le Monastier", "le-rucher-du-monastier"),
        ("Saint-Amans", "projet-de-saint-amans"),
    ]:
        found = Place.objects.filter(
            Q(commune__name__icontains=old_name)
            | Q(commune__former_communes__name__icontains=old_name)
        )
        assert place_slug in {place.slug for place in found}


def test_the_commune_reference_matches_the_insee_data(shipped):
    """Communes carry INSEE's names, populations and EPCI, and former communes their parent."""
    mende = Commune.objects.get(insee="48095")
    assert (mende.name, mende.population, mende.epci.siren) == ("Mende", 12464, "244800405")
    assert mende.postcode_list == ["48000"]
    monastier = FormerCommune.objects.get(insee="48099")
    assert monastier.commune.name == "Bourgs sur Colagne"
    assert monastier.kind == FormerCommune.Kind.DELEGATED


def test_places_placed_by_commune_sit_at_the_town_hall_and_say_so(shipped):
    """A place the documents locate only by its commune is drawn at the town hall, marked
    approximate, never at a made-up address."""
    located = Place.objects.filter(commune__isnull=False).select_related("commune")
    assert located.count() == 11
    for place in located:
        assert (place.latitude, place.longitude) == (
            place.commune.townhall_latitude,
            place.commune.townhall_longitude,
        )
        assert place.is_approximate


def test_nothing_is_invented_about_the_places(shipped):
    """The documents give no address, phone, e-mail, website or exact position: none is made
    up."""
    assert not Place.objects.filter(
        Q(address__gt="") | Q(phone__gt="") | Q(email__gt="") | Q(website__gt="")
    ).exists()
    assert not Place.objects.filter(location_precision=Place.Precision.EXACT).exists()
    assert not Place.objects.filter(commune__isnull=True, latitude__isnull=False).exists()
    assert set(Place.objects.values_list("to_verify", flat=True)) == {True}


def test_the_places_the_personas_look_for_are_shipped(shipped):
    """The places the personas' stories rely on are there, as the documents state them."""
    marvejols = Place.objects.get(slug="msap-de-marvejols")
    assert marvejols.commune.name == "Marvejols"
    assert [service.code for service in marvejols.services.all()] == ["admin-help"]
    atelier = Place.objects.get(slug="bar-latelier")
    assert atelier.commune.name == "Mende"
    assert atelier.audiences.filter(code="young-people").exists()
    assert Place.objects.get(slug="tiers-truck").itinerant
    assert Place.objects.get(slug="projet-de-saint-amans").status == Place.Status.PROJECT


def test_every_service_has_its_pictogram_vendored_with_a_licence(shipped):
    """Each shipped service has its pictogram file (under its licence) and labels in French and
    English: no broken image, no untranslated legend."""
    pictos = Path(settings.BASE_DIR) / "static" / "img" / "pictos"
    assert (pictos / "LICENSE").read_text().startswith("MIT License")
    for service in Service.objects.all():
        assert (pictos / f"{service.pictogram}.svg").is_file(), service.code
        assert service.label_fr and service.label_en


def test_the_six_principles_are_shipped_in_both_languages(shipped):
    """The charter page reads its six principles from the shipped data, in French and
    English."""
    principles = list(Principle.objects.all())
    assert [p.number for p in principles] == [1, 2, 3, 4, 5, 6]
    assert principles[0].title_fr == "La primauté du lien social et de l'humain"
    assert all(p.text_fr and p.text_en for p in principles)


def test_every_base_item_is_satisfied_by_some_service(shipped):
    """A place's compliance is derived from its services: each item must map to at least
    one."""
    items = BaseItem.objects.prefetch_related("services")
    assert {item.dimension for item in items} == set(Dimension.values)
    assert all(item.services.exists() for item in items)
    assert BaseItem.objects.get(code="wifi").services.get().code == "wifi"


def test_every_shipped_place_says_where_its_facts_come_from(shipped):
    """Each place names the document and section behind what it says (« Source : » on its
    page)."""
    documents = ("« Accompagnement des tiers lieux en Lozère", "atelier « Softplace »")
    for place in Place.objects.all():
        lines = place.sources.splitlines()
        assert lines, place.slug
        assert any(document in lines[0] for document in documents), place.slug


def test_what_only_a_scenario_or_a_brainstorm_says_is_not_shipped(shipped):
    """The personas' scenarios (« il pourrait », « va pouvoir ») and the seasonal brainstorm
    imagine uses of places; they are not facts about them."""
    polen = Place.objects.get(slug="polen")
    assert "réunion" not in polen.short_description
    assert not polen.services.exists()  # no meeting room: Luc « pourrait » use one
    assert "marché" not in Place.objects.get(slug="tiers-truck").short_description
    assert not Membership.objects.filter(network__code="france-services").exists()
    assert not Place.objects.get(slug="telecentre-de-saint-chely-dapcher").services.exists()
    assert not Place.objects.filter(slug__contains="syndicat").exists()
    assert "distance" not in Place.objects.get(slug="campus-connecte").short_description
    for slug in ["msap-de-marvejols", "msap-de-villefort"]:
        msap = Place.objects.get(slug=slug)
        # What an MSAP is by law, with that reason as its source: nothing more.
        assert [service.code for service in msap.services.all()] == ["admin-help"]
        assert "par définition" in msap.sources


def test_what_the_documents_call_a_project_is_shipped_as_one(shipped):
    """What the documents call a project is shipped « en projet », not as an open place."""
    projects = set(Place.objects.filter(status=Place.Status.PROJECT).values_list("slug", flat=True))
    assert {
        "le-rucher-du-monastier",
        "coworking-hotel-des-2-rives",
        "les-5-arches",
        "le-verdier",
        "projet-de-saint-amans",
        "france-services-la-canourgue",
        "tiers-truck",
    } <= projects


def test_collectif_la_pompe_is_a_makers_community_not_a_fablab(shipped):
    """Collectif la Pompe is shipped as what the documents say: a makers' community in Florac, not a
    fablab."""
    pompe = Place.objects.get(slug="collectif-la-pompe")
    assert not pompe.types.filter(code="fablab").exists()
    assert pompe.families.filter(code="makers").exists()
    assert pompe.commune.name == "Florac Trois Rivières"


def test_demain_sans_faute_is_shipped_with_no_more_than_the_documents_say(shipped):
    """« Demain sans faute » is shipped with no commune or position, since its document
    gives none."""
    demain = Place.objects.get(slug="demain-sans-faute")
    assert demain.commune is None and not demain.is_located
    assert "Avant 2010" in demain.sources
