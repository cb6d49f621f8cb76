"""Spreadsheet import (backoffice.imports on django-import-export): CSV, XLSX and ODS, the two
layouts, per-row errors, no duplicates, all or nothing, bulk writing with history, the back-office
form
and the `import_places` command."""

import csv
import datetime
import html
import io
import math
import os
import threading
import time

import openpyxl
import pytest
import tablib
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableCell, TableRow
from odf.text import P

from backoffice import imports
from backoffice.imports import writing
from backoffice.roles import ANIMATEURS, COORDINATORS
from places.models import Place
from tests import directory
from tests.factories import (
    CommuneFactory,
    PlaceFactory,
    PlaceTypeFactory,
    ServiceFactory,
)

pytestmark = pytest.mark.django_db

IMPORT = reverse("admin:places_place_import")
CONFIRM = reverse("admin:places_place_process_import")
HEADER = "identifiant,nom,code_insee,commune,services,horaires,siret_rna,latitude,longitude\n"

FRANCE_SERVICES = (
    "id_fs;lib_fs;format_fs;type_fs;insee_com;lib_com;adresse;complement_adresse;code_postal;"
    "telephone;mail;latitude;longitude;siret\n"
    "1;France services de Florac;Fixe;Principal;48061;Florac Trois Rivières;"
    "3 avenue Jean Monestier;Maison de l'État;48400;04 66 45 00 00;florac@example.org;"
    "44,3240;3,5930;\n"
    "2;France services itinérante du Causse;Itinérant;Antenne;;Mende;Place du marché;;48000;;;;;\n"
)


def run(data, update=False, dry_run=False, user=None):
    """Read a file's bytes and import them as the form and the command do."""
    if isinstance(data, str):
        data = data.encode()
    dataset, layout = imports.read(data)
    resource = layout(update_existing=update)
    return resource.import_data(dataset, dry_run=dry_run, user=user, file_name="lieux.csv")


def errors_by_line(result):
    return {row.line: " ".join(row.messages) for row in result.refused}


def ods(rows):
    """An ODS file as LibreOffice writes it: `(value, repeat)` cells, None for an empty cell,
    floats as numbers."""
    document = OpenDocumentSpreadsheet()
    table = Table(name="Lieux")
    document.spreadsheet.addElement(table)
    for cells in rows:
        row = TableRow()
        table.addElement(row)
        for value, repeat in cells:
            options = {"numbercolumnsrepeated": repeat} if repeat > 1 else {}
            if value is None:
                cell = TableCell(**options)
            elif isinstance(value, float):
                cell = TableCell(valuetype="float", value=value, **options)
                cell.addElement(P(text=str(value)))
            else:
                cell = TableCell(valuetype="string", **options)
                cell.addElement(P(text=value))
            row.addElement(cell)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def pending_folder(settings, tmp_path):
    """Files waiting between preview and confirmation go to a folder of the test's own."""
    settings.STORAGES = {
        **settings.STORAGES,
        "import_export": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    return tmp_path / "django-import-export"


@pytest.fixture
def mende(db):
    return CommuneFactory(insee="48095", name="Mende", postcodes="48000")


@pytest.fixture
def coordinator(client, django_user_model):
    user = django_user_model.objects.create_user("coord", is_staff=True)
    user.groups.add(Group.objects.get(name=COORDINATORS))
    client.force_login(user)
    return user


def upload(client, data, name="lieux.csv", **fields):
    """Post the import form as a browser does (its hidden fields included)."""
    if isinstance(data, str):
        data = data.encode()
    form = {"import_file": SimpleUploadedFile(name, data), "format": "", "resource": ""}
    return client.post(IMPORT, {**form, **fields})


def confirm(client, preview, **extra):
    """Post the confirmation form the preview offered, as the coordinator's browser would."""
    form = preview.context["confirm_form"]
    data = {name: form[name].value() for name in form.fields}
    return client.post(CONFIRM, {**data, **extra}, follow=True)


# Layouts and formats


def test_exported_csv_imports_back_into_an_empty_directory(client, db):
    """The open-data CSV, imported into a directory without places, gives the same CSV: the
    small directory's places, one of them with every column filled, one closed."""
    directory.build()
    PlaceFactory(
        name="Café fermé",
        status=Place.Status.CLOSED,
        commune=None,
        latitude=None,
        longitude=None,
        location_precision="",
    )
    url = reverse("opendata:csv")
    before = client.get(url, {"status": ["project", "open", "closed"]}).content.decode()
    Place.objects.all().delete()
    result = run(before)
    assert result.layout == imports.ProjectResource.label
    assert result.refused == [] and result.ok
    assert result.created == len(result.lines) > 0
    after = client.get(url, {"status": ["project", "open", "closed"]}).content.decode()

    # Networks are memberships with years and tiers: the import leaves them to coordinators. An
    # imported place is « à vérifier » (it comes from a file, not from the place) and was changed
    # by the import.
    left_aside = {"reseaux", "a_verifier", "derniere_modification"}

    def comparable(text):
        return [
            {key: value for key, value in row.items() if key not in left_aside}
            for row in csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";")
        ]

    assert comparable(after) == comparable(before)


def test_the_france_services_list_is_understood(mende):
    """The ANCT's list (Windows-1252, `;`, decimal commas) gives open places of the type France
    Services with its two services, placed at the town hall when the list has no position."""
    CommuneFactory(insee="48061", name="Florac Trois Rivières")
    PlaceTypeFactory(code="france-services")
    PlaceTypeFactory(code="mobile")
    ServiceFactory(code="admin-help")
    ServiceFactory(code="digital-help")
    result = run(FRANCE_SERVICES.encode("cp1252"))
    assert result.layout == imports.FranceServicesResource.label
    assert result.refused == [] and result.created == 2
    florac = Place.objects.get(name="France services de Florac")
    assert florac.commune.insee == "48061"
    assert florac.address == "3 avenue Jean Monestier, Maison de l'État"
    assert (florac.latitude, florac.longitude) == (44.324, 3.593)
    assert florac.location_precision == Place.Precision.EXACT
    assert florac.to_verify and florac.status == Place.Status.OPEN
    assert florac.email == "florac@example.org"
    assert {t.code for t in florac.types.all()} == {"france-services"}
    assert {s.code for s in florac.services.all()} == {"admin-help", "digital-help"}
    causse = Place.objects.get(name="France services itinérante du Causse")
    assert causse.itinerant and causse.commune == mende
    assert causse.is_approximate  # placed at the town hall until someone places it exactly
    assert {t.code for t in causse.types.all()} == {"france-services", "mobile"}


def test_updating_from_the_france_services_list_adds_to_what_a_place_offers(mende):
    """The ANCT's list knows nothing of a place's other types and services: an update adds
    France Services to them and removes none."""
    coworking = PlaceTypeFactory(code="coworking")
    PlaceTypeFactory(code="france-services")
    wifi = ServiceFactory(code="wifi")
    ServiceFactory(code="admin-help")
    place = PlaceFactory(name="France services de Mende", commune=mende, types=[coworking])
    place.services.set([wifi])
    text = "lib_fs;insee_com;format_fs;telephone\nFrance services de Mende;48095;Fixe;0466\n"
    result = run(text, update=True)
    assert result.updated == 1
    place.refresh_from_db()
    assert place.phone == "0466"
    assert {t.code for t in place.types.all()} == {"coworking", "france-services"}
    assert {s.code for s in place.services.all()} == {"wifi", "admin-help"}


def test_an_xlsx_file_is_read_like_the_csv(mende):
    """A coordinator's Excel sheet: numbers typed as numbers (INSEE code, position, phone), a
    date as a date, a blank line in the middle; each cell reads as the CSV's would, lines counted
    as the spreadsheet shows them."""
    ServiceFactory(code="wifi")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["identifiant", "nom", "code_insee", "services", "latitude", "longitude",
                  "derniere_verification", "itinerant", "telephone"])  # fmt: skip
    sheet.append(["", "Tiers-lieu du Tarn", 48095, "wifi", 44.51, 3.49,
                  datetime.date(2024, 5, 2), "non", 466450000])  # fmt: skip
    sheet.append([])
    sheet.append(["", "Sans commune connue", 99999, "", None, None, None, None, None])
    buffer = io.BytesIO()
    book.save(buffer)
    result = run(buffer.getvalue(), dry_run=True)
    assert errors_by_line(result) == {4: "code_insee : commune inconnue « 99999 »."}
    sheet.delete_rows(4)
    buffer = io.BytesIO()
    book.save(buffer)
    assert run(buffer.getvalue()).created == 1
    place = Place.objects.get(name="Tiers-lieu du Tarn")
    assert place.commune == mende and (place.latitude, place.longitude) == (44.51, 3.49)
    assert place.verified_on == datetime.date(2024, 5, 2) and not place.itinerant
    assert place.phone == "0466450000"  # the leading zero a number cell loses
    assert [s.code for s in place.services.all()] == ["wifi"]


def test_an_ods_file_is_read_with_its_repeated_cells(mende):
    """LibreOffice writes neighbouring empty or equal cells once, « repeated »: each lands in
    its own column (tablib's own ODS reader shifts them), numbers read without « .0 »."""
    data = ods(
        [
            [
                ("identifiant", 1),
                ("nom", 1),
                ("commune", 1),
                ("code_insee", 1),
                ("structure", 1),
                ("telephone", 1),
            ],  # fmt: skip
            [(None, 1), ("Café associatif", 1), (None, 2), ("Même texte", 2)],
            [(None, 1), ("Épicerie", 1), ("Mende", 1), (48095.0, 1), (None, 1), ("0466", 1)],
            [(None, 6)],
        ]
    )
    result = run(data, dry_run=True)
    assert [(row.line, row.name, row.commune) for row in result.lines] == [
        (2, "Café associatif", ""),
        (3, "Épicerie", "Mende"),
    ]
    assert result.ok
    run(data)
    cafe = Place.objects.get(name="Café associatif")
    assert (cafe.commune, cafe.structure_name, cafe.phone) == (None, "Même texte", "Même texte")
    epicerie = Place.objects.get(name="Épicerie")
    assert epicerie.commune == mende and epicerie.phone == "0466"


def test_a_file_built_by_tablib_imports_in_every_format(mende):
    """The same rows saved as CSV, XLSX and ODS import the same place."""
    rows = tablib.Dataset(["", "Atelier", "48095", "Mo-Fr 09:00-12:00"])
    rows.headers = ["identifiant", "nom", "code_insee", "horaires"]
    for file_format in ("csv", "xlsx", "ods"):
        data = rows.export(file_format)
        result = run(data.encode() if isinstance(data, str) else data, dry_run=True)
        assert result.ok and result.created == 1, file_format
        assert result.lines[0].commune == "Mende"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"a,b,c\n1,2,3\n", "Colonnes non reconnues"),
        (HEADER.encode(), "aucune ligne"),
        (b"\x00\xff\xfe" * 10, "caractères nuls"),
        (b"\x81\x8d\x8f", "pas un texte lisible"),
        (b"", "vide"),
        (b"PK\x03\x04 not really a zip", "illisible"),
        (HEADER.encode() + b",A,48095,,,,,,,,surplus\n", "Ligne 2 : 11 cellules"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "XLS"),
    ],
)
def test_unreadable_files_are_refused_as_a_whole(db, data, message):
    """A file that cannot be read as places is refused whole, with what to do about it."""
    with pytest.raises(imports.ImportFileError, match=message):
        imports.read(data)


def test_a_spreadsheet_that_unpacks_into_too_much_is_refused(db, monkeypatch):
    """A small XLSX can unpack into gigabytes: its declared size is checked before reading."""
    monkeypatch.setattr(imports.formats, "MAX_UNPACKED_BYTES", 1000)
    book = openpyxl.Workbook()
    book.active.append(["identifiant", "nom", "code_insee"])
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(imports.ImportFileError, match="trop volumineux"):
        imports.read(buffer.getvalue())


# Matching, checking, all or nothing


def test_a_place_with_the_same_name_in_the_same_commune_is_never_duplicated(mende):
    """« le telecentre  de MENDE » is « Le Télécentre de Mende »: left alone, not created."""
    existing = PlaceFactory(name="Le Télécentre de Mende", commune=mende, phone="")
    text = HEADER + ",le telecentre  de MENDE,48095,,,,,,\n" + ",Le Télécentre,48095,,,,,,\n"
    result = run(text)
    assert [row.match for row in result.lines] == [(existing.pk, existing.name), None]
    assert (result.created, result.updated, result.skipped) == (1, 0, 1)
    assert Place.objects.filter(commune=mende).count() == 2


def test_matched_places_are_updated_only_when_asked_and_empty_cells_keep_values(mende):
    """Updating replaces what a cell says and nothing else: an empty cell erases nothing."""
    ServiceFactory(code="wifi")
    existing = PlaceFactory(name="Coworking", commune=mende, opening_hours="Mo 09:00-12:00")
    text = HEADER + ",Coworking,48095,,wifi,,43493312300029,,\n"
    assert run(text).skipped == 1
    existing.refresh_from_db()
    assert existing.legal_identifier == ""
    result = run(text, update=True)
    assert (result.created, result.updated, result.skipped) == (0, 1, 0)
    existing.refresh_from_db()
    assert existing.legal_identifier == "43493312300029"
    assert existing.opening_hours == "Mo 09:00-12:00"
    assert existing.latitude == 44.5 and not existing.to_verify
    assert [s.code for s in existing.services.all()] == ["wifi"]


def test_a_place_is_found_by_its_identifier_even_renamed(mende):
    """The open-data file's identifiant designates its place, whatever the name now says."""
    existing = PlaceFactory(name="Ancien nom", slug="le-lieu", commune=mende)
    result = run(HEADER + "le-lieu,Nouveau nom,48095,,,,,,\n", update=True)
    assert result.updated == 1
    existing.refresh_from_db()
    assert (existing.name, existing.slug) == ("Nouveau nom", "le-lieu")


def test_new_places_take_their_identifier_when_free(mende):
    """A new place's address is the identifiant it brings, unless a place already has it."""
    PlaceFactory(name="Archivé", slug="pris", commune=mende, archived_at=timezone.now())
    run(HEADER + "libre,Lieu libre,48095,,,,,,\n" + "pris,Lieu pris,48095,,,,,,\n")
    assert Place.objects.get(name="Lieu libre").slug == "libre"
    assert Place.objects.get(name="Lieu pris").slug == "lieu-pris"


def test_every_bad_row_is_reported_with_its_line_column_and_value_and_nothing_is_saved(mende):
    """Each wrong line is told with its line, the column and the value, and the file imports
    nothing until every line is right."""
    PlaceFactory(name="Déjà là", commune=mende)
    count = Place.objects.count()
    text = (
        "identifiant,nom,code_insee,commune,services,horaires,siret_rna,latitude,longitude,"
        "courriel,derniere_verification\n"
        ",Bon lieu,48095,,,,,,,,\n"
        ",Service inconnu,48095,,teleportation,,,,,,\n"
        ",Horaires faux,48095,,,lundi matin,,,,,\n"
        ",SIRET faux,48095,,,,12345678901234,,,,\n"
        ",Commune inconnue,99999,,,,,,,,\n"
        ",Position fausse,48095,,,,,quarante,3.5,,\n"
        ",,48095,,,,,,,,\n"
        ",Bon lieu,48095,,,,,,,,\n"
        ",Courriel faux,48095,,,,,,,pas@,\n"
        ",Vérifié demain,48095,,,,,,,,2999-01-01\n"
        ",Position lointaine,48095,,,,,95,3.5,,\n"
        ",Commune par son nom,,Atlantis,,,,,,,\n"
    )
    result = run(text)
    errors = errors_by_line(result)
    assert sorted(errors) == list(range(3, 14))
    assert errors[3] == "services : code inconnu « teleportation »."
    assert errors[4].startswith("horaires « lundi matin » : Horaires d'ouverture invalides")
    assert errors[5].startswith("siret_rna « 12345678901234 » : Ce SIRET n'est pas valide")
    assert errors[6] == "code_insee : commune inconnue « 99999 »."
    assert errors[7] == "latitude : « quarante » n'est pas un nombre."
    assert errors[8] == "nom : le nom du lieu est vide."
    assert "ligne 2" in errors[9]
    assert errors[10].startswith("courriel « pas@ » : ")
    assert errors[11].startswith("derniere_verification « 2999-01-01 » : ")
    assert errors[12].startswith("latitude « 95.0 » : ")
    assert errors[13] == "commune : commune inconnue « Atlantis »."
    assert not result.ok
    assert Place.objects.count() == count


def test_an_identifier_that_is_no_web_address_is_a_row_error(mende):
    """« nouveau lieu é » as identifiant once made every list answer 500: it is refused with
    its line, and nothing is saved."""
    text = HEADER + "nouveau lieu é,Nouveau lieu,48095,,,,,,\n" + "bon-lieu,Bon lieu,48095,,,,,,\n"
    result = run(text)
    assert errors_by_line(result)[2].startswith(
        "identifiant « nouveau lieu é » ne peut pas servir d'adresse web."
    )
    assert [row.line for row in result.refused] == [2]
    assert not Place.objects.filter(name__in=["Nouveau lieu", "Bon lieu"]).exists()


def test_the_same_identifier_twice_is_a_row_error(mende):
    """Two lines that designate one place, by name or by identifiant, are one line too many."""
    existing = PlaceFactory(name="Le lieu", slug="le-lieu", commune=mende)
    text = HEADER + "le-lieu,Autre nom,48095,,,,,,\n" + ",Le lieu,48095,,,,,,\n"
    result = run(text, update=True)
    assert "ligne 2" in errors_by_line(result)[3]
    existing.refresh_from_db()
    assert existing.name == "Le lieu"


# Writing: bulk, with history and search text


def test_history_records_who_imported_from_which_file_with_the_links(mende):
    """Each place's history says who imported it and from which file, and keeps its services
    as simple-history does, so restoring the imported version restores them too."""
    ServiceFactory(code="wifi")
    ServiceFactory(code="printer")
    user = Group.objects.get(name=COORDINATORS).user_set.create(username="c")
    run(HEADER + ",Nouveau,48095,,wifi|printer,,,,\n", user=user)
    place = Place.objects.get(name="Nouveau")
    [version] = place.history.all()
    assert (version.history_type, version.history_user) == ("+", user)
    assert version.history_change_reason == "Import du fichier « lieux.csv »"
    assert {link.service.code for link in version.services.all()} == {"wifi", "printer"}
    run(HEADER + ",nouveau,48095,,wifi,,,,\n", update=True, user=user)
    latest = place.history.first()
    assert latest.history_type == "~"
    assert [link.service.code for link in latest.services.all()] == ["wifi"]
    assert {s.code for s in place.services.all()} == {"wifi"}


def test_imported_places_are_found_by_search(mende):
    """Bulk writes send no signal: the search text is made for the imported places all the
    same, with what they offer."""
    ServiceFactory(code="wifi", label_fr="Accès wifi")
    run(HEADER + ",Grange numérique,48095,,wifi,,,,\n")
    place = Place.objects.get(name="Grange numérique")
    assert "grange" in place.search_text and "wifi" in place.search_main
    assert place.updated_at is not None


def _rows(count, commune):
    lines = [f",Lieu importé {n},{commune.insee},,wifi|printer,Mo-Fr 09:00-12:00,,,\n"
             for n in range(count)]  # fmt: skip
    return HEADER + "".join(lines)


def _queries(text, **options):
    with CaptureQueriesContext(connection) as queries:
        result = run(text, **options)
    assert result.ok
    return len(queries)


def test_an_import_asks_the_database_a_bounded_number_of_queries(mende):
    """Three hundred rows are written in bulk, with their links, history and search text: a few
    dozen queries as for ten rows (they were 46 a row), apart from the batches a database's
    own limit on one statement forces (SQLite: ~30 places a statement)."""
    ServiceFactory(code="wifi")
    ServiceFactory(code="printer")
    PlaceFactory.create_batch(3, commune=mende)
    many = 300
    columns = [field for field in Place._meta.concrete_fields if not field.primary_key]
    per_statement = connection.ops.bulk_batch_size(columns, range(many))
    batches = math.ceil(many / per_statement)
    few_dozen = 40
    assert _queries(_rows(10, mende)) <= few_dozen
    assert _queries(_rows(many, mende), dry_run=True) <= 20
    assert _queries(_rows(many, mende).replace("Lieu importé", "Autre")) <= few_dozen + 6 * (
        batches - 1
    )
    assert Place.objects.filter(name__startswith="Autre").count() == many
    # Updating them is as bounded as creating them.
    assert _queries(_rows(many, mende).replace("Lieu importé", "Autre"), update=True) <= (
        few_dozen + 6 * (batches - 1)
    )


def test_a_write_that_fails_writes_nothing_and_says_so(mende, monkeypatch):
    """A place given the same address meanwhile makes the writing fail: nothing is written, and
    the coordinator is told to upload the file again."""
    PlaceFactory(name="Déjà là", slug="pris", commune=mende)

    def clashing(created):
        for place in created:
            place.slug = "pris"

    monkeypatch.setattr(writing, "_give_slugs", clashing)
    result = run(HEADER + ",Premier,48095,,,,,,\n,Second,48095,,,,,,\n")
    assert not result.ok
    assert "Déposez le fichier à nouveau" in str(result.base_errors[0].error)
    assert not Place.objects.filter(name__in=["Premier", "Second"]).exists()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite writes one transaction at a time"
)
def test_another_editor_never_waits_on_an_import(transactional_db, mende, monkeypatch):
    """While a thousand rows are being written, an editor saving another place is not held up:
    the import writes no row shared by every place (as the old « data version » row was)."""
    ServiceFactory(code="wifi")
    ServiceFactory(code="printer")
    other = PlaceFactory(name="Autre lieu", commune=mende)
    inside, release, outcome = threading.Event(), threading.Event(), {}
    make_search_text = writing.refresh_search_text

    def paused(ids):  # the import's transaction has written its places, links and history
        inside.set()
        release.wait(30)
        make_search_text(ids)

    monkeypatch.setattr(writing, "refresh_search_text", paused)

    def importing():
        try:
            outcome["result"] = run(_rows(1000, mende))
        finally:
            connection.close()

    thread = threading.Thread(target=importing)
    thread.start()
    try:
        assert inside.wait(60)
        start = time.monotonic()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '1s'")  # fails rather than wait longer
            other.phone = "04 66 00 00 00"
            other.save()
        waited = time.monotonic() - start
    finally:
        release.set()
        thread.join()
    assert waited < 1
    assert outcome["result"].ok and Place.objects.count() == 1001


# The back-office form


def test_coordinators_preview_then_confirm(client, coordinator, mende):
    """Upload shows what would happen and writes nothing; confirming writes it, credited to the
    coordinator, and lists the places to verify."""
    PlaceFactory(name="Existant", commune=mende)
    text = HEADER + ",Nouveau lieu,48095,,,,,,\n" + ",existant,48095,,,,,,\n"
    preview = upload(client, text)
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "Nouveau lieu" in page and "déjà présent" in page and 'name="confirm"' in page
    assert "Données ouvertes de Solozère" in page
    assert not Place.objects.filter(name="Nouveau lieu").exists()
    done = confirm(client, preview)
    assert done.redirect_chain[-1][0].endswith("?to_verify__exact=1")
    created = Place.objects.get(name="Nouveau lieu")
    assert created.to_verify
    assert created.history.first().history_user == coordinator
    assert "1 lieu créé" in done.content.decode()


def test_updating_is_asked_in_the_form_and_kept_until_confirmation(client, coordinator, mende):
    """« Mettre à jour les lieux déjà présents » ticked in the form is what the confirmation
    does."""
    existing = PlaceFactory(name="Existant", commune=mende, phone="")
    text = "identifiant,nom,code_insee,telephone\n,Existant,48095,04 66 00 00 00\n"
    preview = upload(client, text, update_existing="on")
    assert "mise à jour de" in preview.content.decode()
    confirm(client, preview)
    existing.refresh_from_db()
    assert existing.phone == "04 66 00 00 00"


def test_spreadsheets_are_accepted_by_the_form(client, coordinator, mende):
    """The form takes an XLSX or ODS file as it comes, its format read from its content."""
    book = openpyxl.Workbook()
    book.active.append(["identifiant", "nom", "code_insee"])
    book.active.append(["", "Lieu Excel", 48095])
    buffer = io.BytesIO()
    book.save(buffer)
    confirm(client, upload(client, buffer.getvalue(), name="lieux.xlsx"))
    data = ods([[("identifiant", 1), ("nom", 1), ("code_insee", 1)],
                [(None, 1), ("Lieu Calc", 1), ("48095", 1)]])  # fmt: skip
    confirm(client, upload(client, data, name="lieux.ods"))
    assert set(Place.objects.values_list("name", flat=True)) == {"Lieu Excel", "Lieu Calc"}


def test_the_file_waits_in_the_pending_folder_not_in_the_session(client, coordinator, mende,
                                                                 pending_folder):  # fmt: skip
    """The uploaded file (up to 2 MB) is kept by django-import-export's storage between
    preview and confirmation, never in the session; it is removed once confirmed."""
    text = HEADER + ",Lieu en attente,48095,,,,,,\n"
    preview = upload(client, text)
    session = str(dict(client.session.items()))
    assert "Lieu en attente" not in session and len(session) < 1000
    [waiting] = pending_folder.iterdir()
    assert waiting.read_bytes() == text.encode()
    confirm(client, preview)
    assert list(pending_folder.iterdir()) == []
    assert Place.objects.filter(name="Lieu en attente").exists()


def test_files_never_confirmed_are_removed_after_a_day(client, coordinator, mende,
                                                       pending_folder):  # fmt: skip
    """A preview nobody confirms leaves its file for a day at most."""
    upload(client, HEADER + ",Oublié,48095,,,,,,\n")
    [forgotten] = pending_folder.iterdir()
    old = datetime.datetime.now().timestamp() - 2 * 86400
    os.utime(forgotten, (old, old))
    upload(client, HEADER + ",Récent,48095,,,,,,\n")
    assert forgotten not in list(pending_folder.iterdir())
    assert len(list(pending_folder.iterdir())) == 1


def test_a_file_with_errors_offers_no_confirmation(client, coordinator, mende, pending_folder):
    """A refused line means no confirmation, and no file left waiting; a forged confirmation
    saves nothing."""
    preview = upload(client, HEADER + ",Bon,48095,,,,,,\n,Mauvais,00000,,,,,,\n")
    page = preview.content.decode()
    assert "Rien n'a été importé" in page and 'name="confirm"' not in page
    assert "code_insee : commune inconnue « 00000 »." in page
    assert not pending_folder.exists() or list(pending_folder.iterdir()) == []
    forged = client.post(
        CONFIRM,
        {"import_file_name": "x", "original_file_name": "x.csv", "format": "0", "resource": "0"},
        follow=True,
    )
    assert "Aucun fichier en attente" in forged.content.decode()
    assert not Place.objects.filter(name="Bon").exists()


def test_a_double_click_on_confirm_imports_once(client, coordinator, mende):
    """The second confirmation of one preview finds no file waiting: nothing twice."""
    preview = upload(client, HEADER + ",Une seule fois,48095,,,,,,\n")
    confirm(client, preview)
    again = confirm(client, preview)
    assert "Aucun fichier en attente" in again.content.decode()
    assert Place.objects.filter(name="Une seule fois").count() == 1


def test_confirmation_checks_again_against_the_directory(client, coordinator, mende):
    """A place created between preview and confirmation is not created twice."""
    preview = upload(client, HEADER + ",Arrivé entre-temps,48095,,,,,,\n")
    PlaceFactory(name="Arrivé entre-temps", commune=mende)
    confirm(client, preview)
    assert Place.objects.filter(name="Arrivé entre-temps").count() == 1


def test_a_file_gone_wrong_since_the_preview_is_shown_again(client, coordinator, mende):
    """A code removed between preview and confirmation: the lines are shown refused, nothing is
    written."""
    wifi = ServiceFactory(code="wifi")
    preview = upload(client, HEADER + ",Avec wifi,48095,,wifi,,,,\n")
    wifi.delete()
    page = html.unescape(confirm(client, preview).content.decode())
    assert "rien n'a été importé" in page and "code inconnu « wifi »" in page
    assert not Place.objects.filter(name="Avec wifi").exists()


def test_a_bad_file_is_a_form_error(client, coordinator):
    """An unreadable file is a form error; nothing waits to be confirmed."""
    response = upload(client, "nom;prénom\nA;B\n")
    assert response.status_code == 200
    assert "Colonnes non reconnues" in response.content.decode()
    assert client.post(CONFIRM, {}).status_code == 302  # nothing pending


def test_a_file_too_large_for_the_form_is_refused_before_reading(client, coordinator):
    """Past 2 MB the form points to the command."""
    response = upload(client, b"x" * (imports.MAX_FORM_BYTES + 1))
    assert "import_places" in response.content.decode()


def test_only_coordinators_may_import(client, django_user_model, mende):
    """Animateurs and others get 403 on every step, and see no « Importer » button."""
    animateur = django_user_model.objects.create_user("anim", is_staff=True)
    animateur.groups.add(Group.objects.get(name=ANIMATEURS))
    client.force_login(animateur)
    assert client.get(IMPORT).status_code == 403
    assert upload(client, HEADER + ",Intrus,48095,,,,,,\n").status_code == 403
    assert client.post(CONFIRM, {"import_file_name": "x"}).status_code == 403
    assert not Place.objects.filter(name="Intrus").exists()
    changelist = client.get(reverse("admin:places_place_changelist")).content.decode()
    assert IMPORT not in changelist


def test_the_import_pages_speak_french(client, coordinator, mende):
    """The place list keeps its « Importer » button, and django-import-export's pages show
    the coordinator's language, not its own English."""
    assert IMPORT in client.get(reverse("admin:places_place_changelist")).content.decode()
    form = client.get(IMPORT).content.decode()
    preview = upload(client, HEADER + ",Lieu,48095,,,,,,\n").content.decode()
    for page in (form, preview):
        assert "Importer des lieux" in page
        for english in ("Submit", "Confirm import", "File to import", "Format", "Resource",
                        "This importer", "Preview", "Home"):  # fmt: skip
            assert english not in page, english
    assert "Prévisualiser" in form and "Confirmer l’import" in preview


# The command


def test_the_command_imports_a_file_of_any_size(tmp_path, mende):
    """`import_places FILE` writes the file as the form would, telling its progress and counts;
    --dry-run writes nothing; --update updates."""
    path = tmp_path / "lieux.csv"
    path.write_text(_rows(250, mende).replace("wifi|printer", ""), encoding="cp1252")
    out = io.StringIO()
    call_command("import_places", path, "--dry-run", stdout=out)
    assert "250/250 lignes vérifiées" in out.getvalue()
    assert "Essai, rien n'a été enregistré : 250 lieux créés" in out.getvalue()
    assert not Place.objects.exists()
    call_command("import_places", path, stdout=out)
    assert Place.objects.count() == 250
    path.write_text("identifiant,nom,code_insee,telephone\n,Lieu importé 1,48095,0466\n")
    call_command("import_places", path, "--update", stdout=out)
    assert Place.objects.get(name="Lieu importé 1").phone == "0466"


def test_the_command_names_the_file_and_line_of_each_error(tmp_path, mende):
    """A wrong line stops the command with the file and line named, and nothing written."""
    path = tmp_path / "lieux.csv"
    path.write_text(HEADER + ",Bon,48095,,,,,,\n,Mauvais,00000,,,,,,\n")
    err = io.StringIO()
    with pytest.raises(CommandError, match=r"lieux\.csv, ligne 3 : 1 ligne\(s\) en erreur"):
        call_command("import_places", path, stderr=err, stdout=io.StringIO())
    assert "lieux.csv, ligne 3 : code_insee : commune inconnue « 00000 »." in err.getvalue()
    assert not Place.objects.exists()
    with pytest.raises(CommandError, match="Colonnes non reconnues"):
        path.write_text("a,b\n1,2\n")
        call_command("import_places", path)
    with pytest.raises(CommandError, match="lecture impossible"):
        call_command("import_places", tmp_path / "absent.csv")
