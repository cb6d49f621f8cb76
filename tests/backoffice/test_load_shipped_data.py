"""`make db`, run by `make run` and `make serve` on every start, never undoes edits."""

import os
import shlex
import subprocess

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from places.models import Membership, Place, Service
from places.models.search import refresh_search_text
from territory.models import Commune

pytestmark = pytest.mark.django_db


def make_db():
    """What `make db` runs, read from the Makefile itself and run here, on the test database."""
    # Run under `make test`, the inner make would inherit its level and flags and print more.
    environment = {
        k: v for k, v in os.environ.items() if k not in {"MAKELEVEL", "MAKEFLAGS", "MFLAGS"}
    }
    recipe = subprocess.run(
        ["make", "--dry-run", "--no-print-directory", "--old-file=install", "db"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    commands = [shlex.split(line) for line in recipe.splitlines() if "manage.py" in line]
    assert commands, recipe
    for words in commands:
        call_command(*words[words.index("manage.py") + 1 :], verbosity=0)


def test_make_db_loads_the_shipped_data_then_keeps_what_the_back_office_changed():
    """`make db`'s recipe, run on an empty database, loads every shipped place, membership and
    commune. Hours, phone, services and verification typed after that first start survive the
    next, a purged place stays gone, and the history holds the edits and nothing else."""
    make_db()
    assert Place.objects.count() == 33
    assert Membership.objects.count() == 6
    assert Commune.objects.count() == 152
    place = Place.objects.get(slug="polen")
    place.opening_hours = "Mo-Fr 09:00-12:00"
    place.phone = "04 66 00 00 00"
    place.to_verify = False
    place.verified_on = "2025-06-02"
    place.save()
    place.services.set([Service.objects.get(code="wifi")])
    Place.objects.get(slug="bar-latelier").delete()
    history = list(place.history.values_list("history_id", flat=True))

    make_db()

    place.refresh_from_db()
    assert place.opening_hours == "Mo-Fr 09:00-12:00"
    assert place.phone == "04 66 00 00 00"
    assert not place.to_verify
    assert str(place.verified_on) == "2025-06-02"
    assert [service.code for service in place.services.all()] == ["wifi"]
    assert not Place.objects.filter(slug="bar-latelier").exists()
    assert list(place.history.values_list("history_id", flat=True)) == history


def test_a_file_whose_tables_are_empty_is_still_loaded():
    """Communes imported first (say by `import_communes`): the places still arrive, and the
    communes, already there, are not written over."""
    call_command("load_shipped_data", "epci", "communes", verbosity=0)
    Commune.objects.filter(insee="48095").update(name="Mende (préfecture)")

    call_command("load_shipped_data", verbosity=0)

    assert Place.objects.count() == 33
    assert Commune.objects.get(insee="48095").name == "Mende (préfecture)"


def test_the_command_says_what_it_left_aside(capsys):
    """Run again, the command says which files it left aside, and that there was nothing to load."""
    call_command("load_shipped_data")
    call_command("load_shipped_data")
    output = capsys.readouterr().out
    assert "places.json : laissé de côté, la base a déjà des" in output
    assert "rien à charger" in output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('[\n{"model": "territory.epci",\n', "broken.json, ligne 3 : JSON invalide"),
        ('[{"model": "places.nothing", "fields": {}}]', "broken.json : modèle inconnu"),
        ('[{"fields": {}}]', "broken.json : chaque objet doit nommer son modèle"),
    ],
)
def test_a_broken_file_names_itself_and_loads_nothing(settings, tmp_path, content, message):
    """A broken fixture file is named with its problem, and nothing is loaded."""
    (tmp_path / "broken.json").write_text(content, encoding="utf-8")
    settings.FIXTURE_DIRS = [tmp_path]
    with pytest.raises(CommandError, match=message):
        call_command("load_shipped_data", "broken", verbosity=0)
    assert not Place.objects.exists()


def test_an_unknown_file_is_named(settings, tmp_path):
    """A fixture name with no file behind it is named as not found."""
    settings.FIXTURE_DIRS = [tmp_path]
    with pytest.raises(CommandError, match="absent.json : introuvable"):
        call_command("load_shipped_data", "absent", verbosity=0)


def test_loaded_places_have_the_words_of_everything_loaded_after_them():
    """The words of each place are made once everything is loaded, so they hold what was loaded
    after the place itself (its networks' names, through memberships): the same words as made
    afresh."""
    call_command("load_shipped_data", verbosity=0)
    loaded = dict(Place.objects.values_list("pk", "search_text"))
    refresh_search_text(list(loaded))
    assert dict(Place.objects.values_list("pk", "search_text")) == loaded
    assert "occitanie" in Place.objects.get(slug="polen").search_text
