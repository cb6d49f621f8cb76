"""Fixtures out and back in: byte-identical, without personal data, and never half-loaded.

The shipped data is loaded only where it is the subject (its files are their own export); the
other tests export the small directory of tests/directory.py, with a row of every exported model."""

import io
import json
import os
import re
import subprocess
import sys
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, models, transaction
from django.urls import reverse

from backoffice.management.commands.export_fixtures import GROUPS
from charter.models import CharterVersion
from places.models import Membership, Network, NetworkTier, Place
from places.models.networks import UNDATED_TWICE
from territory.models import Commune
from tests import directory
from tests.conftest import SHIPPED_FIXTURES
from tests.factories import (
    BaseItemFactory,
    MembershipFactory,
    RoomFactory,
    SignatureFactory,
    StopFactory,
    TierRequirementFactory,
)

SHIPPED = Path(settings.BASE_DIR) / "fixtures"
STAMPS = {"created_at": "2026-11-22T00:00:00Z", "updated_at": "2026-11-22T00:00:00Z"}


OLD_SLUG = directory.MADE_UP
NEW_SLUG = "atelier-partage"
# Half a millisecond past the second: Django's JSON wrote it « .000 », which loads as the whole
# second and was written the second time without the fraction, so the round trip failed whenever
# a change time fell in the first millisecond of a second (one in a thousand, on any database).
FIRST_MILLISECOND = datetime(2026, 11, 22, 8, 30, 0, 500, tzinfo=UTC)
CANONICAL_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z")


@pytest.fixture
def exported_world(db):
    """The small directory, and a row of each exported model it lacks: a stop, a room, a
    signature, a tier's requirements, an old address (the made-up place renamed), an undated
    membership beside a dated one of the same network (former communes and a tier membership it
    has); and a change time in the first millisecond of a second."""
    places = directory.build()
    made_up = places[directory.MADE_UP]
    StopFactory(place=places["tiers-truck"], commune=made_up.commune, label="marché")
    RoomFactory(place=made_up, name="Salle de l'atelier")
    SignatureFactory(place=made_up, version=CharterVersion.objects.get())
    TierRequirementFactory(
        tier=NetworkTier.objects.get(code="comptoir"), base_items=[BaseItemFactory(code="cafe")]
    )
    MembershipFactory(place=made_up, network=Network.objects.get(code="solozere"), start_year=None)
    made_up.slug = NEW_SLUG
    made_up.save()
    CharterVersion.objects.update(updated_at=FIRST_MILLISECOND)
    return places


def export(folder, *args):
    call_command("export_fixtures", "--output", str(folder), *args, verbosity=0)
    return {path.name: path.read_bytes() for path in sorted(folder.glob("*.json"))}


@pytest.mark.django_db
def test_the_shipped_fixtures_are_an_export_of_themselves(shipped_data, tmp_path):
    """Loaded into this database (SQLite or PostgreSQL) and exported, the shipped files come
    back byte for byte: the round trip holds on both databases, hence across them."""
    exported = export(tmp_path)
    assert exported == {path.name: path.read_bytes() for path in SHIPPED.glob("*.json")}


def test_exporting_twice_gives_the_same_bytes(exported_world, tmp_path):
    """The export is deterministic: every file, every model, the same bytes twice."""
    first = export(tmp_path / "one")
    assert set(first) == {f"{name}.json" for name, _models in GROUPS}
    assert first == export(tmp_path / "two")


@pytest.mark.django_db(transaction=True)
def test_round_trip_through_an_empty_database(exported_world, tmp_path):
    """Exported, flushed and loaded back with Django's loaddata, the directory (an edit, an old
    address and a change time in the first millisecond of a second included) exports the same
    bytes again."""
    place = Place.objects.get(slug="polen")
    place.opening_hours = "Mo-Fr 09:00-18:00"
    place.save()
    first = export(tmp_path / "first")
    call_command("flush", interactive=False, verbosity=0)
    assert not Place.objects.exists()
    load(tmp_path / "first")
    assert export(tmp_path / "second") == first


def load(folder):
    call_command("loaddata", *(str(folder / f"{name}.json") for name, _ in GROUPS), verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_a_restore_keeps_old_addresses_redirecting(client, exported_world, tmp_path):
    """A renamed place's old address is exported with it: restored into an empty database, the
    links and bookmarks to the old address still redirect permanently to the new one."""
    export(tmp_path)
    call_command("flush", interactive=False, verbosity=0)
    load(tmp_path)
    response = client.get(reverse("places:detail", args=[OLD_SLUG]))
    assert response.status_code == 301
    assert response["Location"] == reverse("places:detail", args=[NEW_SLUG])


def test_every_time_is_written_in_utc_to_the_microsecond(exported_world, tmp_path):
    """Every date and time of every file has one form, UTC with six decimals, whatever the
    database or its time zone: what PostgreSQL and SQLite both store exactly, so a copy moved
    from one to the other exports the same bytes."""
    times = []
    for content in export(tmp_path).values():
        for record in json.loads(content):
            model = apps.get_model(record["model"])
            times += [
                value
                for name, value in record["fields"].items()
                if isinstance(model._meta.get_field(name), models.DateTimeField)
                and value is not None
            ]
    assert len(times) > 50
    assert [time for time in times if not CANONICAL_TIME.fullmatch(time)] == []
    assert "2026-11-22T08:30:00.000500Z" in times


def test_rows_are_in_the_same_order_on_every_database(exported_world, tmp_path):
    """Rows are sorted by the export, not by the database: an undated membership comes before
    the dated ones of its network on SQLite (NULL first) as on PostgreSQL (NULL last)."""
    records = json.loads(export(tmp_path)["places.json"])
    years = [
        r["fields"]["start_year"]
        for r in records
        if r["model"] == "places.membership" and r["fields"]["place"] == [NEW_SLUG]
    ]
    assert years == [None, 2015]


# Another process: a new SQLite database made from the models (the migrations' tables, without
# replaying every migration), the export loaded into it, then exported again.
COPY_INTO_NEW_SQLITE = """
import sys

import django
from django.apps import apps
from django.conf import settings

django.setup()
settings.MIGRATION_MODULES = {app.label: None for app in apps.get_app_configs()}
from django.core.management import call_command

call_command("migrate", run_syncdb=True, verbosity=0)
call_command("loaddata", *sys.argv[2:], verbosity=0)
call_command("export_fixtures", "--output", sys.argv[1], verbosity=0)
"""


def test_a_copy_loaded_into_a_new_sqlite_database_exports_the_same_bytes(exported_world, tmp_path):
    """Loaded into a new SQLite database by another process, the export (from PostgreSQL when the
    suite runs on it) exports the same bytes: a copy moves between the two databases intact."""
    first = export(tmp_path / "first")
    env = os.environ | {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'copy.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "solozere.settings",
    }
    files = [str(tmp_path / "first" / f"{name}.json") for name, _ in GROUPS]
    subprocess.run(
        [sys.executable, "-c", COPY_INTO_NEW_SQLITE, str(tmp_path / "second"), *files],
        cwd=settings.BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
    )
    second = {path.name: path.read_bytes() for path in sorted((tmp_path / "second").glob("*"))}
    assert second == first


def test_two_undated_memberships_of_one_network_cannot_both_exist(db):
    """The natural key of a membership (place, network, start year) names one row: two
    undated memberships of a place in one network are refused by the database, and by the
    model's validation with a message; dated ones of other years beside one undated are not."""
    first = MembershipFactory(start_year=None)
    MembershipFactory(place=first.place, network=first.network, start_year=2019)
    MembershipFactory(network=first.network, start_year=None)  # another place
    second = Membership(place=first.place, network=first.network, start_year=None)
    with pytest.raises(ValidationError) as error:
        second.full_clean()
    assert error.value.messages == [str(UNDATED_TWICE)]
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()
    assert Membership.objects.get_by_natural_key(first.place.slug, first.network.code, None) == (
        first
    )


def test_personal_data_stays_out_unless_asked(exported_world, tmp_path, django_user_model):
    """Animateurs' accounts and links are left out of the export unless --with-accounts asks
    for a private backup."""
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


@pytest.mark.parametrize(("case", "content", "expected"), BROKEN, ids=[c[0] for c in BROKEN])
def test_a_broken_fixture_names_the_problem_and_changes_nothing(
    exported_world, tmp_path, case, content, expected
):
    """check_fixtures names the file, the object and the field (or the JSON line) of the first
    problem, and writes nothing."""
    good = [{"model": "places.place", "fields": {"name": "Bon", "slug": "bon", **STAMPS}}]
    path = tmp_path / "broken.json"
    if not isinstance(content, str):
        for record in content:
            record["fields"].update(STAMPS)
    text = content if isinstance(content, str) else json.dumps(good + content)
    path.write_text(text, encoding="utf-8")
    before = snapshot()
    with pytest.raises(CommandError) as error:
        call_command("check_fixtures", str(path), stdout=io.StringIO())
    message = str(error.value)
    assert "broken.json" in message
    assert expected in message
    if case != "bad JSON" and case != "unknown natural key":
        assert "places.Place « x »" in message
    assert snapshot() == before


@pytest.mark.django_db
def test_the_shipped_fixtures_check_cleanly_and_the_check_writes_nothing(db):
    """check_fixtures validates every object and reference of the shipped files, and leaves
    the database as it found it."""
    call_command("check_fixtures", *SHIPPED_FIXTURES, stdout=io.StringIO())
    assert not Place.objects.exists()


def test_coordinators_download_the_export_as_a_zip(
    client, exported_world, django_user_model, tmp_path
):
    """Coordinators, and not animateurs, download the export as a zip holding the same files
    as the command writes."""
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
    for name, content in export(tmp_path).items():
        assert bundle.read(f"fixtures/{name}") == content
