"""Fixtures out and back in: byte-identical, without personal data, and never half-loaded."""

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.urls import reverse

from places.models import Commune, Membership, Place
from tests.conftest import SHIPPED_FIXTURES

SHIPPED = Path(settings.BASE_DIR) / "fixtures"
LOAD_ORDER = ["epci", "communes", "reference", "charter", "places"]
STAMPS = {"created_at": "2026-11-22T00:00:00Z", "updated_at": "2026-11-22T00:00:00Z"}


def export(folder, *args):
    call_command("export_fixtures", "--output", str(folder), *args, verbosity=0)
    return {path.name: path.read_bytes() for path in sorted(folder.glob("*.json"))}


@pytest.mark.django_db
def test_the_shipped_fixtures_are_an_export_of_themselves(shipped_data, tmp_path):
    """Loaded into this database (SQLite or PostgreSQL) and exported, the shipped files come
    back byte for byte: the round trip holds on both databases, hence across them."""
    exported = export(tmp_path)
    assert exported == {path.name: path.read_bytes() for path in SHIPPED.glob("*.json")}


@pytest.mark.django_db
def test_exporting_twice_gives_the_same_bytes(shipped_data, tmp_path):
    assert export(tmp_path / "one") == export(tmp_path / "two")


@pytest.mark.django_db(transaction=True)
def test_round_trip_through_an_empty_database(shipped_data, tmp_path):
    place = Place.objects.get(slug="polen")
    place.opening_hours = "Mo-Fr 09:00-18:00"
    place.save()
    first = export(tmp_path / "first")
    call_command("flush", interactive=False, verbosity=0)
    assert not Place.objects.exists()
    call_command(
        "loaddata", *(str(tmp_path / "first" / f"{n}.json") for n in LOAD_ORDER), verbosity=0
    )
    assert export(tmp_path / "second") == first


@pytest.mark.django_db
def test_personal_data_stays_out_unless_asked(shipped_data, tmp_path, django_user_model):
    user = django_user_model.objects.create_user("murielle@example.org", "murielle@example.org")
    Place.objects.get(slug="polen").animateurs.add(user)
    public = export(tmp_path / "public")
    assert "accounts.json" not in public
    assert b"murielle@example.org" not in b"".join(public.values())
    private = export(tmp_path / "private", "--with-accounts")
    assert b"murielle@example.org" in private["accounts.json"]
    polen = next(
        r for r in json.loads(private["places.json"]) if r["fields"].get("slug") == "polen"
    )
    assert polen["fields"]["animateurs"] == [["murielle@example.org"]]


def snapshot():
    """Row counts and content of what a broken load could damage."""
    return (
        Place.objects.count(),
        Commune.objects.count(),
        Membership.objects.count(),
        sorted(Place.objects.values_list("slug", "name", "opening_hours", "latitude")),
    )


BROKEN = [
    ("bad JSON", '[{"model": "places.place", "fields": {', "line 1 column"),
    (
        "unknown natural key",
        [{"model": "places.place", "fields": {"name": "X", "slug": "x", "commune": ["99999"]}}],
        "99999",
    ),
    (
        "invalid field",
        [{"model": "places.place", "fields": {"name": "X", "slug": "x", "status": "banane"}}],
        "champ « status »",
    ),
    (
        "invalid opening hours",
        [{"model": "places.place", "fields": {"name": "X", "slug": "x", "opening_hours": "Lu 9h"}}],
        "champ « opening_hours »",
    ),
    (
        "coordinates out of range",
        [
            {
                "model": "places.place",
                "fields": {
                    "name": "X",
                    "slug": "x",
                    "latitude": 95.0,
                    "longitude": 3.0,
                    "location_precision": "exact",
                },
            }
        ],
        "champ « latitude »",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("case", "content", "expected"), BROKEN, ids=[c[0] for c in BROKEN])
def test_a_broken_fixture_names_the_problem_and_changes_nothing(
    shipped_data, tmp_path, case, content, expected
):
    good = [{"model": "places.place", "fields": {"name": "Bon", "slug": "bon", **STAMPS}}]
    path = tmp_path / "broken.json"
    if not isinstance(content, str):
        for record in content:
            record["fields"].update(STAMPS)
    text = content if isinstance(content, str) else json.dumps(good + content)
    path.write_text(text, encoding="utf-8")
    before = snapshot()
    with pytest.raises(CommandError) as error:
        call_command("loaddata", str(path), verbosity=0)
    message = str(error.value)
    assert "broken.json" in message
    assert expected in message
    if case != "bad JSON" and case != "unknown natural key":
        assert "places.Place « x »" in message
    assert snapshot() == before


@pytest.mark.django_db
def test_loading_the_shipped_fixtures_validates_cleanly(db):
    call_command("loaddata", *SHIPPED_FIXTURES, verbosity=0)
    assert Place.objects.count() == 33


@pytest.mark.django_db
def test_coordinators_download_the_export_as_a_zip(client, shipped_data, django_user_model):
    url = reverse("admin:places_place_export")
    animateur = django_user_model.objects.create_user("a@example.org", is_staff=True)
    animateur.groups.add(Group.objects.get(name="Animateurs"))
    client.force_login(animateur)
    assert client.get(url).status_code == 403
    coordinator = django_user_model.objects.create_user("c@example.org", is_staff=True)
    coordinator.groups.add(Group.objects.get(name="Coordinateurs"))
    client.force_login(coordinator)
    response = client.get(url)
    assert response["Content-Type"] == "application/zip"
    bundle = zipfile.ZipFile(io.BytesIO(response.content))
    assert bundle.read("fixtures/places.json") == (SHIPPED / "places.json").read_bytes()
