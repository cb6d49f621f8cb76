"""Refreshing communes from INSEE-shaped CSV files: all or nothing, with errors to act on."""

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from territory.models import Commune, Epci, FormerCommune

pytestmark = pytest.mark.django_db

SOURCE = Path(settings.BASE_DIR) / "data" / "lozere"


@pytest.fixture
def folder(tmp_path):
    for name in ("epci.csv", "communes.csv", "former_communes.csv"):
        shutil.copy(SOURCE / name, tmp_path / name)
    return tmp_path


def test_imports_every_commune_and_former_commune(folder):
    """An operator refreshes the territory from INSEE-shaped files: every EPCI, commune and former
    commune of Lozère is imported."""
    call_command("import_communes", str(folder), verbosity=0)
    assert (Epci.objects.count(), Commune.objects.count(), FormerCommune.objects.count()) == (
        11,
        152,
        66,
    )


def test_a_bad_row_names_the_file_and_line_and_writes_nothing(folder):
    """A bad value stops the import with the file, line and field to correct, and nothing
    half-imported is left."""
    path = folder / "communes.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[4] = lines[4].replace("44.", "944.", 1)  # line 5: a latitude out of range
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("import_communes", str(folder), verbosity=0)
    assert "communes.csv, ligne 5" in str(error.value)
    assert "townhall_latitude" in str(error.value)
    assert not Epci.objects.exists()
    assert not Commune.objects.exists()


def test_an_unknown_parent_commune_is_reported(folder):
    """A former commune pointing to a commune that does not exist is reported with its line, not
    attached to nothing."""
    path = folder / "communes.csv"
    text = path.read_text(encoding="utf-8").replace(
        "48133,Saint-Amans,COMD,48127", "48133,Saint-Amans,COMD,48999"
    )
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError, match="ligne 134 : commune actuelle « 48999 » introuvable"):
        call_command("import_communes", str(folder), verbosity=0)


def test_a_missing_file_is_a_clear_error(tmp_path):
    """A folder without the expected files gives an error naming the missing one, not a
    traceback."""
    with pytest.raises(CommandError, match="epci.csv : lecture impossible"):
        call_command("import_communes", str(tmp_path), verbosity=0)
