"""The data·inclusion files (v1): valid against the published schemas, saying only what we know."""

import hashlib
import json
from datetime import date

import pytest
from data_inclusion.schema import v1
from django.conf import settings
from django.urls import reverse
from jsonschema import Draft202012Validator, FormatChecker

from opendata import datainclusion
from places.models import Place
from tests.factories import (
    AudienceFactory,
    CommuneFactory,
    MembershipFactory,
    NetworkFactory,
    PlaceFactory,
    ServiceFactory,
    bulk_places,
)

pytestmark = pytest.mark.django_db

STRUCTURES = reverse("opendata:datainclusion-structures")
SERVICES = reverse("opendata:datainclusion-services")
# The published files' SHA-256, as docs/data-inclusion.md gives them with their origin.
PUBLISHED_SHA256 = {
    datainclusion.STRUCTURE_SCHEMA_PATH: (
        "9220ca2769ed046e94034a60dd9fbc7714e75997e295b3b1a5c4c54aadc2f2bf"
    ),
    datainclusion.SERVICE_SCHEMA_PATH: (
        "98bf18f4a5a540d2e935f15f9c80b4c9f9b97caa492157184b314516f6e71ad9"
    ),
}
DOCS = settings.BASE_DIR / "docs" / "data-inclusion.md"


def validator(path):
    """The published schema's validator, formats (dates, e-mails) checked too."""
    schema = json.loads(path.read_text(encoding="utf-8"))
    return Draft202012Validator(schema, format_checker=FormatChecker())


STRUCTURE = validator(datainclusion.STRUCTURE_SCHEMA_PATH)
SERVICE = validator(datainclusion.SERVICE_SCHEMA_PATH)


def errors(schema, objects):
    return [
        (item.get("id"), error.message) for item in objects for error in schema.iter_errors(item)
    ]


def network(code):
    return NetworkFactory(code=code)


def full_place(**fields):
    """A place saying everything Solozère records, with services inside and outside the mapping."""
    defaults = {
        "name": "Espace « le Relais » & co",
        "legal_identifier": "43493312300029",
        "address": "2 rue du Faubourg Montbel",
        "commune": CommuneFactory(insee="48095", name="Mende", postcodes="48000"),
        "phone": "04 66 65 00 00",
        "email": "contact@example.org",
        "website": "https://example.org/",
        "opening_hours": "Mo-Fr 09:00-12:00,14:00-17:00",
        "short_description": "Un tiers-lieu au centre de Mende.",
        "description": "**Permanences** le mardi, voir [le programme](https://example.org/p).",
        "verified_on": date(2026, 1, 15),
        "services": [
            ServiceFactory(code="admin-help", description_fr="Être accompagné dans ses démarches."),
            ServiceFactory(code="wifi", label_fr="Wi-Fi", description_fr=""),
            ServiceFactory(code="meeting-room"),
        ],
        "audiences": [AudienceFactory(code="everyone")],
    }
    return PlaceFactory(**{**defaults, **fields})


def test_the_files_validate_against_the_published_schemas(client):
    """Every structure and service served validates against data·inclusion's published JSON
    Schema (vendored) and its official pydantic models, and the check has teeth: a network or a
    thematique off the schema's lists fails it."""
    place = full_place()
    for code in ("france-services", "fabrique-de-territoire", "occitanie"):
        MembershipFactory(place=place, network=network(code))
    PlaceFactory(name="Lieu sans rien", commune=None, latitude=None, longitude=None)
    full_place(name="Autre lieu", legal_identifier="W481000123", itinerant=True)
    structures = client.get(STRUCTURES).json()
    services = client.get(SERVICES).json()
    assert len(structures) == 3 and len(services) == 4
    assert errors(STRUCTURE, structures) == [] and errors(SERVICE, services) == []
    for item in structures:
        v1.Structure.model_validate(item, context={"ignore_warnings": False})
    for item in services:
        v1.Service.model_validate(item, context={"ignore_warnings": False})
    broken = {**structures[0], "reseaux_porteurs": ["occitanie"]}
    assert errors(STRUCTURE, [broken])
    assert errors(SERVICE, [{**services[0], "thematiques": ["numerique"]}])


def test_every_field_of_the_schema_is_there_in_its_order(client):
    """Each object has exactly the models' fields, in their order, null where unknown: no field
    the schema does not define, none silently missing."""
    full_place()
    (structure,) = client.get(STRUCTURES).json()
    service = client.get(SERVICES).json()[0]
    assert list(structure) == list(v1.Structure.model_fields)
    assert list(service) == list(v1.Service.model_fields)


def test_a_structure_says_what_the_place_says(client):
    """A structure carries the place's own facts in the schema's words: its SIRET, an E.164
    phone, its page as `lien_source`, the description as plain text with its links, the date of
    the last verification."""
    place = full_place()
    (structure,) = client.get(STRUCTURES).json()
    assert structure["id"] == f"solozere--{place.slug}" and structure["source"] == "solozere"
    assert structure["nom"] == "Espace « le Relais » & co"
    assert structure["siret"] == "43493312300029"
    assert structure["telephone"] == "+33466650000"
    assert structure["courriel"] == "contact@example.org"
    assert structure["horaires_accueil"] == "Mo-Fr 09:00-12:00,14:00-17:00"
    assert structure["description"] == (
        "Permanences le mardi, voir le programme (https://example.org/p)."
    )
    assert structure["lien_source"].endswith(place.get_absolute_url())
    assert (structure["code_postal"], structure["code_insee"]) == ("48000", "48095")
    assert (structure["latitude"], structure["longitude"]) == (44.5, 3.5)
    assert structure["date_maj"] == "2026-01-15"


def test_nothing_is_made_up_for_what_the_place_does_not_say(client):
    """A place that says little gets nulls, never a guess: no phone, hours or SIRET (an RNA number
    is not one), no position when it is the town hall's, the short description when there is no
    long one, and its last change as `date_maj`."""
    place = PlaceFactory(
        name="Lieu discret",
        legal_identifier="W481000123",
        short_description="Un lieu dont on sait peu.",
        at_townhall=True,
    )
    (structure,) = client.get(STRUCTURES).json()
    for field in ("siret", "telephone", "courriel", "site_web", "horaires_accueil", "adresse"):
        assert structure[field] is None, field
    assert (structure["latitude"], structure["longitude"]) == (None, None)
    assert structure["accessibilite_lieu"] is None and structure["reseaux_porteurs"] is None
    assert structure["description"] == "Un lieu dont on sait peu."
    assert structure["date_maj"] == place.updated_at.date().isoformat()


def test_reseaux_porteurs_are_the_current_memberships_with_a_code(client):
    """France Services, Fabrique de territoire and Campus connecté become their data·inclusion
    codes; a network without one (Solozère, the Occitanie network) and an ended membership
    are left out."""
    place = PlaceFactory()
    for code in ("france-services", "fabrique-de-territoire", "campus-connecte", "solozere"):
        MembershipFactory(place=place, network=network(code))
    MembershipFactory(place=place, network=network("occitanie"))
    ended = PlaceFactory(name="Ancien membre")
    MembershipFactory(place=ended, network=network("france-services"), end_year=2022)
    by_name = {s["nom"]: s for s in client.get(STRUCTURES).json()}
    assert by_name[place.name]["reseaux_porteurs"] == [
        "campus-connecte",
        "fabrique-de-territoire",
        "france-service",
    ]
    assert by_name["Ancien membre"]["reseaux_porteurs"] is None


def test_each_mapped_service_becomes_a_service_with_its_thematiques(client):
    """Each service of the mapping is a service of its structure, with its thematiques, its type
    where its words say it, « tous-publics » for a place open to everyone, and its description from
    the catalogue (its label when the catalogue has none); a meeting room is not an insertion
    service and is left out."""
    place = full_place()
    services = {s["id"]: s for s in client.get(SERVICES).json()}
    structure_id = f"solozere--{place.slug}"
    assert set(services) == {f"{structure_id}--admin-help", f"{structure_id}--wifi"}
    admin = services[f"{structure_id}--admin-help"]
    assert admin["structure_id"] == structure_id
    assert admin["thematiques"] == [
        "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits"
    ]
    assert admin["type"] == "accompagnement"
    assert admin["description"] == "Être accompagné dans ses démarches."
    assert admin["publics"] == ["tous-publics"]
    assert admin["modes_accueil"] == ["en-presentiel"]
    assert (admin["adresse"], admin["telephone"]) == ("2 rue du Faubourg Montbel", "+33466650000")
    wifi = services[f"{structure_id}--wifi"]
    assert wifi["thematiques"] == ["numerique--acceder-a-une-connexion-internet"]
    assert wifi["type"] is None and wifi["description"] == "Wi-Fi"
    # Who is eligible, how much it costs, how to get it: Solozère does not record it.
    assert all(wifi[field] is None for field in ("frais", "zone_eligibilite", "mobilisable_par"))


def test_publics_stay_unknown_unless_the_place_is_open_to_everyone(client):
    """« Publics accueillis » say who is welcome, not who is eligible: a place listing only
    seniors leaves `publics` null rather than excluding everyone else."""
    full_place(audiences=[AudienceFactory(code="seniors")])
    assert {service["publics"] for service in client.get(SERVICES).json()} == {None}


def test_only_open_places_whatever_the_filters(client):
    """A place « en projet » or closed is not a structure the public can go to; the public
    filters apply to both files, an unknown one is a 400 that says why, an unchanged file a 304."""
    full_place(name="Ouvert")
    full_place(name="En projet", status=Place.Status.PROJECT)
    full_place(name="Fermé", status=Place.Status.CLOSED)
    full_place(name="Ailleurs", commune=CommuneFactory(insee="48092", postcodes="48100"))
    assert {s["nom"] for s in client.get(STRUCTURES).json()} == {"Ouvert", "Ailleurs"}
    assert client.get(STRUCTURES, {"status": "closed"}).json() == []
    assert [s["nom"] for s in client.get(STRUCTURES, {"commune": "48092"}).json()] == ["Ailleurs"]
    assert {s["structure_id"] for s in client.get(SERVICES, {"commune": "48092"}).json()} == {
        "solozere--ailleurs"
    }
    for url in (STRUCTURES, SERVICES):
        refused = client.get(url, {"service": "inconnu"})
        assert refused.status_code == 400 and refused.json()["error"]
        first = client.get(url)
        assert first["Access-Control-Allow-Origin"] == "*"
        assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_names_are_held_to_the_schemas_lengths(client):
    """A name longer than the schema's 150 characters is cut; a description shorter than its
    five is left null rather than padded."""
    full_place(name="Tiers-lieu " * 18, description="", short_description="Bof")
    (structure,) = client.get(STRUCTURES).json()
    assert len(structure["nom"]) == 150 and structure["nom"].endswith("…")
    assert structure["description"] is None
    assert errors(STRUCTURE, [structure]) == []


def test_the_vendored_schemas_are_the_published_files():
    """The schemas are data·inclusion's own files, byte for byte (docs/data-inclusion.md gives
    their origin), and the installed package's models still produce them: an upgrade that changes
    the schema fails here until the files are replaced."""
    for path, digest in PUBLISHED_SHA256.items():
        assert hashlib.sha256(path.read_bytes()).hexdigest() == digest, path.name
        assert digest in DOCS.read_text(encoding="utf-8")
    published = json.loads(datainclusion.STRUCTURE_SCHEMA_PATH.read_text(encoding="utf-8"))
    assert published == v1.Structure.model_json_schema()
    published = json.loads(datainclusion.SERVICE_SCHEMA_PATH.read_text(encoding="utf-8"))
    assert published == v1.Service.model_json_schema()


def test_the_mapping_names_shipped_codes_and_the_docs_name_the_unmapped_networks():
    """Every service and network the mapping names is a code of the shipped reference data, and
    each shipped network the mapping leaves out is named in the docs as such."""
    records = json.loads((settings.BASE_DIR / "fixtures" / "reference.json").read_text())
    shipped = {
        model: {r["fields"]["code"] for r in records if r["model"] == model}
        for model in ("places.service", "places.network")
    }
    assert set(datainclusion.SERVICES) <= shipped["places.service"]
    assert set(datainclusion.NETWORKS) <= shipped["places.network"]
    docs = DOCS.read_text(encoding="utf-8")
    for code in shipped["places.network"] - set(datainclusion.NETWORKS):
        assert f"`{code}`" in docs, code
    for code in shipped["places.service"]:
        assert f"`{code}`" in docs, code


def test_shipped_places_validate_and_carry_their_networks(client, shipped_data):
    """The real directory's files validate; POLeN carries Fabrique de territoire, the Campus
    connecté its network, and no project is a structure."""
    structures = client.get(STRUCTURES).json()
    services = client.get(SERVICES).json()
    assert errors(STRUCTURE, structures) == [] and errors(SERVICE, services) == []
    by_id = {s["id"]: s for s in structures}
    assert by_id["solozere--polen"]["reseaux_porteurs"] == ["fabrique-de-territoire"]
    assert by_id["solozere--campus-connecte"]["reseaux_porteurs"] == ["campus-connecte"]
    assert "solozere--tiers-truck" not in by_id


@pytest.mark.parametrize("url", [STRUCTURES, SERVICES])
def test_the_files_keep_a_fixed_query_count(client, django_assert_max_num_queries, url):
    """Forty places, each with two mapped services and a network: the directory's state, the
    places, one query per relation (stops included), their descriptions and the catalogue, never
    one per place."""
    commune = CommuneFactory(insee="48095", name="Mende", postcodes="48000")
    services = [ServiceFactory(code="digital-help"), ServiceFactory(code="wifi")]
    places = bulk_places(40, services=services, commune=commune)
    france_services = network("france-services")
    for place in places:
        MembershipFactory(place=place, network=france_services)
    with django_assert_max_num_queries(10):
        response = client.get(url)
    assert len(response.json()) == (40 if url == STRUCTURES else 80)
