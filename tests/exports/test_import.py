"""Spreadsheet import in the back-office: preview, per-row errors, all or nothing, no duplicates."""

import csv
import io

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from places import imports
from places.models import Place
from places.roles import ANIMATEURS, COORDINATORS
from tests.factories import CommuneFactory, PlaceFactory, ServiceFactory

pytestmark = pytest.mark.django_db

IMPORT = reverse("admin:places_place_import")
HEADER = "identifiant,nom,code_insee,commune,services,horaires,siret_rna,latitude,longitude\n"

FRANCE_SERVICES = (
    "id_fs;lib_fs;format_fs;type_fs;insee_com;lib_com;adresse;complement_adresse;code_postal;"
    "telephone;mail;latitude;longitude;siret\n"
    "1;France services de Florac;Fixe;Principal;48061;Florac Trois Rivières;"
    "3 avenue Jean Monestier;Maison de l'État;48400;04 66 45 00 00;florac@example.org;"
    "44,3240;3,5930;\n"
    "2;France services itinérante du Causse;Itinérant;Antenne;;Mende;Place du marché;;48000;;;;;\n"
)


def import_rows(text, encoding="utf-8"):
    layout, rows = imports.read(text.encode(encoding))
    return layout, imports.check(rows)


@pytest.fixture
def mende(db):
    return CommuneFactory(insee="48095", name="Mende", postcodes="48000")


@pytest.fixture
def coordinator(client, django_user_model):
    user = django_user_model.objects.create_user("coord", is_staff=True)
    user.groups.add(Group.objects.get(name=COORDINATORS))
    client.force_login(user)
    return user


def upload(client, text, name="lieux.csv", **data):
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, text.encode()), **data})


def test_exported_csv_imports_back_into_an_empty_directory(client, shipped_data):
    """The open-data CSV, imported into a directory without places, gives the same CSV."""
    url = reverse("places:open-data-csv")
    before = client.get(url, {"status": ["project", "open", "closed"]}).content.decode()
    Place.objects.all().delete()
    layout, rows = import_rows(before)
    assert layout == "Solozère"
    assert [row.errors for row in rows if row.errors] == []
    created, updated, skipped = imports.save(rows, update_existing=False)
    assert (created, updated, skipped) == (len(rows), 0, 0)
    after = client.get(url, {"status": ["project", "open", "closed"]}).content.decode()

    def comparable(text):
        # Networks are memberships with years and tiers: the import leaves them to coordinators.
        return [
            {key: value for key, value in row.items() if key != "reseaux"}
            for row in csv.DictReader(io.StringIO(text))
        ]

    assert comparable(after) == comparable(before)


def test_a_place_with_the_same_name_in_the_same_commune_is_never_duplicated(mende):
    existing = PlaceFactory(name="Le Télécentre de Mende", commune=mende, phone="")
    text = HEADER + ",le telecentre  de MENDE,48095,,,,,,\n" + ",Le Télécentre,48095,,,,,,\n"
    _layout, rows = import_rows(text)
    assert rows[0].match == existing and rows[1].match is None
    assert imports.save(rows, update_existing=False) == (1, 0, 1)
    assert Place.objects.filter(commune=mende).count() == 2


def test_matched_places_are_updated_only_when_asked_and_empty_cells_keep_values(mende):
    ServiceFactory(code="wifi")
    existing = PlaceFactory(name="Coworking", commune=mende, opening_hours="Mo 09:00-12:00")
    text = HEADER + ",Coworking,48095,,wifi,,43493312300029,,\n"
    _layout, rows = import_rows(text)
    assert imports.save(rows, update_existing=True) == (0, 1, 0)
    existing.refresh_from_db()
    assert existing.legal_identifier == "43493312300029"
    assert existing.opening_hours == "Mo 09:00-12:00"
    assert [s.code for s in existing.services.all()] == ["wifi"]


def test_every_bad_row_is_reported_with_its_line_and_nothing_is_saved(mende):
    PlaceFactory(name="Déjà là", commune=mende)
    count = Place.objects.count()
    text = (
        HEADER
        + ",Bon lieu,48095,,,,,,\n"
        + ",Service inconnu,48095,,teleportation,,,,\n"
        + ",Horaires faux,48095,,,lundi matin,,,\n"
        + ",SIRET faux,48095,,,,12345678901234,,\n"
        + ",Commune inconnue,99999,,,,,,\n"
        + ",Position fausse,48095,,,,,quarante,3.5\n"
        + ",,48095,,,,,,\n"
        + ",Bon lieu,48095,,,,,,\n"
    )
    _layout, rows = import_rows(text)
    errors = {row.line: " ".join(row.errors) for row in rows if row.errors}
    assert sorted(errors) == [3, 4, 5, 6, 7, 8, 9]
    assert "teleportation" in errors[3]
    assert "Horaires d'ouverture invalides" in errors[4]
    assert "SIRET" in errors[5]
    assert "99999" in errors[6]
    assert "quarante" in errors[7]
    assert "nom" in errors[8]
    assert "ligne 2" in errors[9]
    with pytest.raises(ValueError):
        imports.save(rows, update_existing=True)
    assert Place.objects.count() == count


def test_the_france_services_list_is_understood(db, shipped_data):
    layout, rows = import_rows(FRANCE_SERVICES, encoding="cp1252")
    assert layout == "France services (ANCT)"
    assert [row.errors for row in rows] == [[], []]
    imports.save(rows, update_existing=False)
    florac = Place.objects.get(name="France services de Florac")
    assert florac.commune.insee == "48061"
    assert florac.address == "3 avenue Jean Monestier, Maison de l'État"
    assert (florac.latitude, florac.longitude) == (44.324, 3.593)
    assert florac.to_verify and florac.status == Place.Status.OPEN
    assert {t.code for t in florac.types.all()} == {"france-services"}
    assert {s.code for s in florac.services.all()} == {"admin-help", "digital-help"}
    causse = Place.objects.get(name="France services itinérante du Causse")
    assert causse.itinerant and causse.commune.name == "Mende"
    assert causse.is_approximate  # placed at the town hall until someone places it exactly
    assert {t.code for t in causse.types.all()} == {"france-services", "mobile"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"a,b,c\n1,2,3\n", "Colonnes non reconnues"),
        (HEADER.encode(), "aucune ligne"),
        (b"\x00\xff\xfe" * 10, "Colonnes non reconnues"),
        (b"x" * (imports.MAX_BYTES + 1), "Mo"),
    ],
)
def test_unreadable_files_are_refused_as_a_whole(db, data, message):
    with pytest.raises(imports.ImportFileError, match=message):
        imports.read(data)


def test_coordinators_preview_then_confirm(client, coordinator, mende):
    PlaceFactory(name="Existant", commune=mende)
    text = HEADER + ",Nouveau lieu,48095,,,,,,\n" + ",existant,48095,,,,,,\n"
    preview = upload(client, text)
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "Nouveau lieu" in page and "déjà présent" in page and 'name="confirm"' in page
    assert not Place.objects.filter(name="Nouveau lieu").exists()
    done = client.post(IMPORT, {"confirm": "1"}, follow=True)
    assert done.redirect_chain[-1][0].endswith("?to_verify__exact=1")
    created = Place.objects.get(name="Nouveau lieu")
    assert created.to_verify
    assert created.history.first().history_user == coordinator
    assert "1 lieu créé" in done.content.decode()


def test_a_file_with_errors_offers_no_confirmation(client, coordinator, mende):
    preview = upload(client, HEADER + ",Bon,48095,,,,,,\n,Mauvais,00000,,,,,,\n")
    page = preview.content.decode()
    assert "Rien n'a été importé" in page and 'name="confirm"' not in page
    # Even a forged confirmation saves nothing.
    client.post(IMPORT, {"confirm": "1"})
    assert not Place.objects.filter(name="Bon").exists()


def test_confirmation_checks_again_against_the_directory(client, coordinator, mende):
    upload(client, HEADER + ",Arrivé entre-temps,48095,,,,,,\n")
    PlaceFactory(name="Arrivé entre-temps", commune=mende)
    client.post(IMPORT, {"confirm": "1"})
    assert Place.objects.filter(name="Arrivé entre-temps").count() == 1


def test_a_bad_file_is_a_form_error(client, coordinator):
    response = upload(client, "nom;prénom\nA;B\n")
    assert response.status_code == 200
    assert "Colonnes non reconnues" in response.content.decode()
    assert client.post(IMPORT, {"confirm": "1"}).status_code == 302  # nothing pending


def test_only_coordinators_may_import(client, django_user_model, mende):
    animateur = django_user_model.objects.create_user("anim", is_staff=True)
    animateur.groups.add(Group.objects.get(name=ANIMATEURS))
    client.force_login(animateur)
    assert client.get(IMPORT).status_code == 403
    assert upload(client, HEADER + ",Intrus,48095,,,,,,\n").status_code == 403
    assert not Place.objects.filter(name="Intrus").exists()
