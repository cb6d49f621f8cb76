"""The « Lieux de médiation numérique » file: valid against the standard, never guessed."""

import csv
import hashlib
import io
import json
import re
from datetime import date

import pytest
from django.conf import settings
from django.urls import reverse
from frictionless import Resource, Schema, validate

from opendata import mednum
from places.models import Place
from tests.factories import (
    CommuneFactory,
    MembershipFactory,
    NetworkFactory,
    PlaceFactory,
    PlaceTypeFactory,
    ServiceFactory,
)

pytestmark = pytest.mark.django_db

URL = reverse("opendata:mednum")
PUBLISHED_SCHEMA_SHA256 = "c268f27e019a37b73c0fda92768c862b2dd53c83dd047beabb43fe9254105cef"
# data·inclusion's list of structure typologies (v0), which the standard's `typologie` refers to.
PUBLISHED_TYPOLOGIES_SHA256 = "7d52db7e823c168f6dc174bcdda34a037360dd13cab5770b5c3a2324f7baf246"


def rows(response):
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


def mediation_place(**fields):
    """A digital-mediation place with everything the standard requires."""
    services = [ServiceFactory(code="digital-help"), ServiceFactory(code="admin-help")]
    defaults = {
        "legal_identifier": "43493312300029",
        "address": "2 rue du Faubourg Montbel",
        "commune": CommuneFactory(insee="48095", name="Mende", postcodes="48000"),
        "services": services,
    }
    return PlaceFactory(**{**defaults, **fields})


def test_the_file_validates_against_the_standard_schema(client, tmp_path):
    """The file validates against the standard's own schema (frictionless), and the check has
    teeth: a national phone number or a service off the vocabulary fails it."""
    mediation_place(
        name="Espace numérique, « le Relais »",
        phone="04 66 65 00 00",
        email="contact@example.org",
        website="https://example.org/",
        opening_hours="Mo-Fr 09:00-12:00,14:00-17:00",
        short_description="Ateliers " * 33,
        description="**Permanences** le mardi.\n\n- un\n- deux",
        verified_on=date(2026, 10, 1),
        types=[PlaceTypeFactory(code="france-services")],
        itinerant=True,
    )
    fablab = mediation_place(
        name="Fablab",
        legal_identifier="W481000123",
        services=[ServiceFactory(code="fablab-machines"), ServiceFactory(code="orientation")],
        phone="+33 4 66 00 00 00",
        types=[PlaceTypeFactory(code="fablab"), PlaceTypeFactory(code="coworking")],
        structure_name="Association des makers",
        description="Voir [le programme](https://example.org/programme) & le reste.",
    )
    MembershipFactory(place=fablab, network=NetworkFactory(code="fabrique-de-territoire"))
    response = client.get(URL)
    assert response.status_code == 200
    path = tmp_path / "mednum.csv"
    path.write_bytes(response.content)
    schema = Schema.from_descriptor(json.loads(mednum.SCHEMA_PATH.read_text(encoding="utf-8")))
    report = validate(Resource(path=path.name, basepath=str(tmp_path), schema=schema))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert len(rows(response)) == 2
    # The check has teeth: a national number or a value off the vocabulary fails it.
    broken = tmp_path / "broken.csv"
    broken.write_text(
        response.content.decode()
        .replace("+33466650000", "04 66 65 00 00")
        .replace("Loisirs et créations numériques", "Loisirs numériques")
    )
    report = validate(Resource(path=broken.name, basepath=str(tmp_path), schema=schema))
    assert {error[1] for error in report.flatten(["rowNumber", "fieldName"])} == {
        "telephone",
        "services",
    }


def test_columns_are_the_standards_in_its_order(client):
    """The header is the standard's fields in the schema's order, of the vendored version."""
    header = client.get(URL).content.decode().splitlines()[0]
    assert header.split(",") == [field["name"] for field in mednum.SCHEMA["fields"]]
    assert mednum.SCHEMA["version"] == f"v{mednum.SCHEMA_VERSION}"


def test_a_row_says_what_the_place_says_in_the_standards_words(client):
    """A complete place's row: its SIRET as pivot, its codes, an international phone, the services,
    typology and programme in the standard's words, and its verification date."""
    place = mediation_place(
        name="France Services de Mende",
        phone="04 66 65 00 00",
        types=[PlaceTypeFactory(code="france-services")],
        verified_on=date(2026, 10, 1),
    )
    (row,) = rows(client.get(URL))
    assert row["id"] == place.slug
    assert row["pivot"] == "43493312300029"
    assert row["code_postal"] == "48000" and row["code_insee"] == "48095"
    assert row["telephone"] == "+33466650000"
    assert row["services"] == (
        "Aide aux démarches administratives|Maîtrise des outils numériques du quotidien"
    )
    assert row["typologie"] == "RFS"
    assert row["dispositif_programmes_nationaux"] == "France Services"
    assert row["itinerance"] == "Fixe"
    assert row["date_maj"] == "2026-10-01"
    assert row["source"] == mednum.SOURCE


def test_places_without_siret_or_address_are_left_out_and_listed(client):
    """A place lacking a SIRET or an address is left out of the file, never given a made-up one, and
    listed with what it lacks; a place without digital mediation is neither."""
    complete = mediation_place(name="Complet")
    no_siret = mediation_place(name="Sans SIRET", legal_identifier="")
    no_address = mediation_place(name="Sans adresse", address="")
    PlaceFactory(name="Wi-Fi seulement", services=[ServiceFactory(code="wifi")])
    assert [row["nom"] for row in rows(client.get(URL))] == [complete.name]
    gaps = {place: mednum.missing(place) for place in mednum.incomplete(Place.objects.all())}
    assert set(gaps) == {no_siret, no_address}
    assert [str(label) for label in gaps[no_siret]] == ["SIRET ou RNA"]
    assert [str(label) for label in gaps[no_address]] == ["adresse"]


def test_shipped_places_never_get_a_made_up_identifier(client, shipped_data):
    """No shipped place has a SIRET yet: the file is empty and every candidate is listed."""
    assert rows(client.get(URL)) == []
    listed = set(mednum.incomplete(Place.objects.published()).values_list("slug", flat=True))
    # A project is not listed: France Services La Canourgue was one in 2020.
    assert {"msap-de-marvejols", "msap-de-villefort"} <= listed


def test_the_file_honours_the_public_filters_and_conditional_get(client):
    """The public filters apply to the file, an unknown one is a 400, and an unchanged file is a
    304."""
    mediation_place(name="À Mende")
    mediation_place(name="Ailleurs", commune=CommuneFactory(insee="48092", postcodes="48100"))
    assert [row["nom"] for row in rows(client.get(URL, {"commune": "48092"}))] == ["Ailleurs"]
    first = client.get(URL)
    assert client.get(URL, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(URL, {"service": "inconnu"}).status_code == 400


def test_every_value_written_is_in_the_schemas_vocabulary_exactly():
    """Each service, programme and itinerance value Solozère writes is, character for character,
    one the vendored schema's pattern lists: none can be dropped or rejected."""
    written = {
        "services": set(mednum.SERVICES.values()),
        "dispositif_programmes_nationaux": set(mednum.PROGRAMMES.values()),
        "formations_labels": set(mednum.LABELS.values()),
        "itinerance": {"Itinérant", "Fixe"},
    }
    for name, values in written.items():
        vocabulary = mednum.vocabulary(name)
        assert values <= set(vocabulary), (name, values - set(vocabulary))
        pattern = re.compile(mednum.FIELDS[name]["constraints"]["pattern"])
        assert all(pattern.fullmatch(value) for value in vocabulary), name
    assert mednum.SERVICE_ORDER[0] == "Aide aux démarches administratives"


def test_the_vocabulary_is_read_from_the_pattern_not_the_prose():
    """The published schema's description says «  Aide aux… » (two spaces) and « Comprehension »:
    the vocabulary comes from the pattern the validation applies."""
    description = mednum.FIELDS["services"]["description"]
    assert ":  Aide aux démarches administratives" in description  # the file as published
    assert "Compréhension du monde numérique" in mednum.SERVICE_ORDER
    assert not any(value != value.strip() for value in mednum.SERVICE_ORDER)


def test_the_vendored_schema_is_the_published_file():
    """The schema is the standard's own file, byte for byte (docs/mednum.md gives its origin)."""
    digest = hashlib.sha256(mednum.SCHEMA_PATH.read_bytes()).hexdigest()
    assert digest == PUBLISHED_SCHEMA_SHA256
    assert PUBLISHED_SCHEMA_SHA256 in (settings.BASE_DIR / "docs" / "mednum.md").read_text()


def test_a_place_offering_every_mapped_service_lists_each_in_the_standards_order(client):
    """No mapped service is lost on the way to the file."""
    services = [ServiceFactory(code=code) for code in mednum.SERVICES]
    mediation_place(services=services)
    (row,) = rows(client.get(URL))
    assert row["services"].split("|") == [
        value for value in mednum.SERVICE_ORDER if value in mednum.SERVICES.values()
    ]
    assert len(row["services"].split("|")) == len(mednum.SERVICES)


def test_only_open_places_are_listed_whatever_the_filters(client):
    """A place « en projet » or closed is not a place the public can go to: never in the file,
    even when the filters ask for that status; nor in the coordinators' to-do."""
    mediation_place(name="Ouvert")
    mediation_place(name="En projet", status=Place.Status.PROJECT)
    mediation_place(name="Fermé", status=Place.Status.CLOSED)
    mediation_place(name="Projet sans SIRET", status=Place.Status.PROJECT, legal_identifier="")
    assert [row["nom"] for row in rows(client.get(URL))] == ["Ouvert"]
    assert rows(client.get(URL, {"status": "closed"})) == []
    assert rows(client.get(URL, {"status": "project"})) == []
    assert [row["nom"] for row in rows(client.get(URL, {"status": ["open", "closed"]}))] == [
        "Ouvert"
    ]
    assert not mednum.incomplete(Place.objects.all()).exists()


def test_a_position_at_the_town_hall_is_not_published_as_the_places(client):
    """Coordinates go out only when they are the place's own; the town hall's are left empty."""
    mediation_place(name="A la mairie", location_precision=Place.Precision.COMMUNE)
    mediation_place(name="Exact", latitude=44.51, longitude=-3.49)
    by_name = {row["nom"]: row for row in rows(client.get(URL))}
    assert (by_name["A la mairie"]["latitude"], by_name["A la mairie"]["longitude"]) == ("", "")
    assert (by_name["Exact"]["latitude"], by_name["Exact"]["longitude"]) == ("44.51", "-3.49")


@pytest.mark.parametrize(
    ("address", "postcodes", "expected"),
    [
        ("Le Bourg, 48190 Bagnols-les-Bains", "48170|48190|48250", "48190"),
        ("12 route de Mende 48190 Le Bleymard", "48170|48190|48250", "48190"),
        ("Le Bourg", "48170|48190|48250", None),
        ("Le Bourg", "48000", "48000"),
        ("3 place du Foirail, 48100", "48000", "48100"),
        ("Le Bourg", "", None),
    ],
)
def test_the_postcode_is_the_addresss_never_a_guess(client, address, postcodes, expected):
    """The address's postcode; the commune's when it has one; none among several: then the place
    waits in the to-do, and the query and the per-place check agree."""
    commune = CommuneFactory(insee="48099", name="Mont Lozère et Goulet", postcodes=postcodes)
    place = mediation_place(address=address, commune=commune)
    found = rows(client.get(URL))
    in_the_file = Place.objects.filter(pk=place.pk).exclude(mednum.GAPS).exists()
    if expected is None:
        assert found == [] and not in_the_file
        assert list(mednum.incomplete(Place.objects.all())) == [place]
        assert [str(gap) for gap in mednum.missing(place)] == ["code postal dans l'adresse"]
    else:
        assert [row["code_postal"] for row in found] == [expected] and in_the_file


def test_shipped_services_cover_the_mapping():
    """Every service the mapping names is a code of the shipped reference data (read from its
    file): none is silently unused."""
    records = json.loads((settings.BASE_DIR / "fixtures" / "reference.json").read_text())
    shipped = {r["fields"]["code"] for r in records if r["model"] == "places.service"}
    assert set(mednum.SERVICES) <= shipped


def test_the_summary_is_cut_to_the_standards_length():
    """A long short description is cut to the standard's maximum for « presentation_resume »."""
    place = mediation_place(short_description="mot " * 74)
    row = mednum.row(Place.objects.get(pk=place.pk))
    summary = row[mednum.COLUMNS.index("presentation_resume")]
    assert len(summary) <= mednum.RESUME_LENGTH


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("04 66 65 00 00", "+33466650000"),
        ("04.66.65.00.00", "+33466650000"),
        ("+33 4 66 65 00 00", "+33466650000"),
        ("466", ""),
        ("", ""),
    ],
)
def test_phone_numbers_are_written_the_international_way(written, expected):
    """French numbers, however typed, become +33…; what is not a number becomes nothing."""
    assert mednum.international_phone(written) == expected


def test_coordinators_see_the_places_to_complete(client, django_user_model):
    """The coordinators' home lists the places the file leaves out with what they lack, and the
    place list filters complete and incomplete ones."""
    from django.contrib.auth.models import Group

    from backoffice.roles import COORDINATORS

    no_siret = mediation_place(name="Sans SIRET", legal_identifier="")
    mediation_place(name="Complet")
    user = django_user_model.objects.create_user("coord", is_staff=True)
    user.groups.add(Group.objects.get(name=COORDINATORS))
    client.force_login(user)
    home = client.get(reverse("admin:index")).content.decode()
    assert "Sans SIRET" in home and "SIRET ou RNA" in home
    listed = client.get(reverse("admin:places_place_changelist"), {"mednum": "incomplete"})
    assert [p.pk for p in listed.context["cl"].result_list] == [no_siret.pk]
    listed = client.get(reverse("admin:places_place_changelist"), {"mednum": "complete"})
    assert [p.name for p in listed.context["cl"].result_list] == ["Complet"]


def test_typologies_are_the_place_types_in_data_inclusion_words(client):
    """A fablab is FABLAB, a mobile place (by its type or marked itinerant) an ENM, a France
    Services RFS; the other types are tiers-lieux; a fablab-machines service alone makes no
    fablab."""
    mediation_place(name="Fablab", types=[PlaceTypeFactory(code="fablab")])
    mediation_place(name="Bus", types=[PlaceTypeFactory(code="mobile")], itinerant=True)
    mediation_place(
        name="Coworking mobile", types=[PlaceTypeFactory(code="coworking")], itinerant=True
    )
    mediation_place(
        name="Imprimante 3D",
        types=[PlaceTypeFactory(code="coworking")],
        services=[ServiceFactory(code="fablab-machines")],
    )
    mediation_place(name="Sans type")
    by_name = {row["nom"]: row["typologie"] for row in rows(client.get(URL))}
    assert by_name == {
        "Fablab": "FABLAB",
        "Bus": "ENM",
        "Coworking mobile": "ENM|TIERS_LIEUX",
        "Imprimante 3D": "TIERS_LIEUX",
        "Sans type": "TIERS_LIEUX",
    }


def test_every_typology_written_is_in_data_inclusions_published_list():
    """Each typology Solozère writes is a value of data·inclusion's list of structure typologies,
    vendored byte for byte (docs/mednum.md gives its origin): FABLAB is « Fablab / Atelier
    partagé », ENM « Espace Numérique Mobile »."""
    raw = mednum.TYPOLOGIES_PATH.read_bytes()
    assert hashlib.sha256(raw).hexdigest() == PUBLISHED_TYPOLOGIES_SHA256
    assert PUBLISHED_TYPOLOGIES_SHA256 in (settings.BASE_DIR / "docs" / "mednum.md").read_text()
    labels = {item["value"]: item["label"] for item in json.loads(raw)}
    written = {*mednum.TYPOLOGIES.values(), mednum.DEFAULT_TYPOLOGY, mednum.ITINERANT_TYPOLOGY}
    assert written <= set(labels)
    assert labels["FABLAB"] == "Fablab / Atelier partagé"
    assert labels["ENM"] == "Espace Numérique Mobile (ENM)"


def test_fabrique_de_territoire_is_a_label_while_the_membership_lasts(client):
    """A current member of the Fabrique de territoire network has the standard's label « Fabriques
    de Territoire »; a former member, or a member of another network, has none."""
    fabrique = NetworkFactory(code="fabrique-de-territoire")
    member = mediation_place(name="Membre")
    MembershipFactory(place=member, network=fabrique)
    former = mediation_place(name="Ancien membre")
    MembershipFactory(place=former, network=fabrique, end_year=2023)
    other = mediation_place(name="Autre réseau")
    MembershipFactory(place=other, network=NetworkFactory(code="occitanie"))
    by_name = {row["nom"]: row["formations_labels"] for row in rows(client.get(URL))}
    assert by_name == {"Membre": "Fabriques de Territoire", "Ancien membre": "", "Autre réseau": ""}


def test_the_parent_structure_is_another_entity_than_the_place(client):
    """`structure_parente` names the structure the place belongs to, the structure porteuse, and
    is empty when that is the place itself under its own name."""
    mediation_place(name="Tiers-Truck", structure_name="Numn'coop")
    mediation_place(name="POLeN", structure_name="Polen ")
    mediation_place(name="Sans structure")
    by_name = {row["nom"]: row["structure_parente"] for row in rows(client.get(URL))}
    assert by_name == {"Tiers-Truck": "Numn'coop", "POLeN": "", "Sans structure": ""}


def test_the_detailed_presentation_keeps_its_links(client):
    """Markup goes, links stay: each link's address follows its words, and entities are text."""
    mediation_place(
        description=(
            "Ateliers : voir [le programme](https://example.org/p?a=1&b=2).\n\n"
            "Écrire à [l'équipe](mailto:equipe@example.org), ou <https://example.org/>."
        )
    )
    (row,) = rows(client.get(URL))
    assert row["presentation_detail"] == (
        "Ateliers : voir le programme (https://example.org/p?a=1&b=2). "
        "Écrire à l'équipe (equipe@example.org), ou https://example.org/."
    )
