"""Backup and restore: pg_dump of the live data, pg_restore into an empty database, nothing lost.

The source database holds the real Lozère data plus edits made through the ORM and in SQL; its
custom-format dump is restored into a new, empty database. Both databases then export
byte-identical fixtures, hold the same rows in every table, and the restored one takes new rows.
The real data, because a backup must keep it: every table filled as in production.
"""

import filecmp

import pytest

from . import stack

pytestmark = pytest.mark.reliability

SOURCE = stack.SITE_DATABASE
RESTORED = "solozere_restored"
RENAMED = "Polen — sauvegarde vérifiée"
SHORT_DESCRIPTION = "Modifié en SQL avant la sauvegarde."
ORM_EDITS = f"""
from contributions.models import Contribution
from places.models import Place, Service

place = Place.objects.get(slug="polen")
place.name = {RENAMED!r}
place.save()
place.services.add(Service.objects.get(code="wifi"))
Contribution.objects.create(kind="suggestion", place_name="Avant la sauvegarde", message="x")
"""
SQL_EDIT = (
    f"UPDATE places_place SET short_description = '{SHORT_DESCRIPTION}' WHERE slug = 'le-transfo'"
)
NEW_ROW = """
from contributions.models import Contribution

print(Contribution.objects.create(kind="suggestion", place_name="Après", message="y").pk)
"""


def row_counts(cluster, database):
    """Every table of the public schema and its number of rows."""
    tables = cluster.psql(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
        database=database,
    ).split()
    query = " UNION ALL ".join(f"SELECT '{table}', count(*) FROM \"{table}\"" for table in tables)
    rows = cluster.psql(query, database=database).splitlines()
    return dict(row.split("\t") for row in rows)


def export(cluster, database, directory):
    stack.manage(stack.django_env(cluster.url(database)), "export_fixtures", "--output", directory)
    return sorted(path.name for path in directory.iterdir())


def test_a_restored_dump_exports_byte_identical_fixtures(cluster, site_database, tmp_path):
    """A pg_dump of the site's database with ORM and SQL edits, restored into an empty database,
    exports the same fixtures, holds the same rows, and its sequences go on."""
    source = stack.django_env(site_database)
    stack.manage(source, "shell", "--command", ORM_EDITS)
    cluster.psql(SQL_EDIT, database=SOURCE)
    dump = tmp_path / "solozere.dump"
    stack.run(
        [
            cluster.bindir / "pg_dump",
            "--format",
            "custom",
            "--file",
            dump,
            *cluster.client_options(),
            "--dbname",
            SOURCE,
        ]
    )

    cluster.create_database(RESTORED)
    stack.run(
        [
            cluster.bindir / "pg_restore",
            "--exit-on-error",
            "--no-owner",
            "--dbname",
            RESTORED,
            *cluster.client_options(),
            dump,
        ]
    )

    exported = export(cluster, SOURCE, tmp_path / "source")
    assert exported == export(cluster, RESTORED, tmp_path / "restored")
    assert "places.json" in exported
    _, mismatch, errors = filecmp.cmpfiles(
        tmp_path / "source", tmp_path / "restored", exported, shallow=False
    )
    assert (mismatch, errors) == ([], []), f"fixtures that differ after the restore: {mismatch}"
    places = (tmp_path / "restored" / "places.json").read_text(encoding="utf-8")
    assert RENAMED in places and SHORT_DESCRIPTION in places, "the edits were not in the backup"
    assert row_counts(cluster, RESTORED) == row_counts(cluster, SOURCE)

    restored = stack.django_env(cluster.url(RESTORED))
    stack.manage(restored, "migrate", "--check", "--no-input")
    last_key = int(cluster.psql("SELECT max(id) FROM contributions_contribution", database=SOURCE))
    new_key = int(stack.manage(restored, "shell", "--command", NEW_ROW).split()[-1])
    assert new_key > last_key, "the restored sequences do not continue where the source left off"
