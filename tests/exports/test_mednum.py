"""The « Lieux de médiation numérique » file: valid against the standard, never guessed."""

import csv
import io
import json
import re
from datetime import date

import pytest
from django.urls import reverse
from frictionless import Resource, Schema, validate

from places import mednum
from places.models import Place, Service
from tests.factories import CommuneFactory, PlaceFactory, PlaceTypeFactory, ServiceFactory

pytestmark = pytest.mark.django_db

URL = reverse("places:open-data-mednum")


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
    mediation_place(
        name="Fablab",
        legal_identifier="W481000123",
        services=[ServiceFactory(code="fablab-machines"), ServiceFactory(code="orientation")],
        phone="+33 4 66 00 00 00",
    )
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
    header = client.get(URL).content.decode().splitlines()[0]
    assert header.split(",") == [field["name"] for field in mednum.SCHEMA["fields"]]
    assert mednum.SCHEMA["version"] == "1.0.2"


def test_a_row_says_what_the_place_says_in_the_standards_words(client):
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
    complete = mediation_place(name="Complet")
    no_siret = mediation_place(name="Sans SIRET", legal_identifier="")
    no_address = mediation_place(name="Sans adresse", address="")
    PlaceFactory(name="Wi-Fi seulement", services=[ServiceFactory(code="wifi")])
    assert [row["nom"] for row in rows(client.get(URL))] == [complete.name]
    gaps = dict(mednum.incomplete_places())
    assert set(gaps) == {no_siret, no_address}
    assert [str(label) for label in gaps[no_siret]] == ["SIRET ou RNA"]
    assert [str(label) for label in gaps[no_address]] == ["adresse"]


def test_shipped_places_never_get_a_made_up_identifier(client, shipped_data):
    """No shipped place has a SIRET yet: the file is empty and every candidate is listed."""
    assert rows(client.get(URL)) == []
    listed = {place.slug for place, _gaps in mednum.incomplete_places()}
    assert {"msap-de-marvejols", "france-services-la-canourgue"} <= listed


def test_the_file_honours_the_public_filters_and_conditional_get(client):
    mediation_place(name="À Mende")
    mediation_place(name="Ailleurs", commune=CommuneFactory(insee="48092", postcodes="48100"))
    assert [row["nom"] for row in rows(client.get(URL, {"commune": "48092"}))] == ["Ailleurs"]
    first = client.get(URL)
    assert client.get(URL, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(URL, {"service": "inconnu"}).status_code == 400


def test_every_mapped_service_is_a_value_of_the_standard():
    field = next(f for f in mednum.SCHEMA["fields"] if f["name"] == "services")
    pattern = re.compile(field["constraints"]["pattern"])
    for value in mednum.SERVICES.values():
        assert pattern.fullmatch(value), value
    assert sorted(mednum.SERVICE_ORDER) == sorted(
        set(field["description"].split(" : ", 1)[1].split(";"))
    )


def test_shipped_services_cover_the_mapping(shipped_data):
    assert set(Service.objects.filter(code__in=mednum.SERVICES).values_list("code", flat=True)) == (
        set(mednum.SERVICES)
    )


def test_the_summary_is_cut_to_the_standards_length():
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
    assert mednum.international_phone(written) == expected


def test_coordinators_see_the_places_to_complete(client, django_user_model):
    from django.contrib.auth.models import Group

    from places.roles import COORDINATORS

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
