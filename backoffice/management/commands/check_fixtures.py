"""Check fixture files before loading them: every object valid, every reference found.

Django's `loaddata` saves objects « raw », past the models' validation: a broken file would store
invalid opening hours or coordinates. This command reads the files as loaddata would, validates
each object, resolves every reference, and names the file, the object and the field of the first
problem; it writes nothing (everything it tries is rolled back).
"""

from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from places.models.search import made_once


class Command(BaseCommand):
    help = (
        "Vérifie des fixtures sans rien enregistrer : chaque objet valide, chaque référence "
        "trouvée ; une erreur nomme le fichier, l'objet et le champ."
    )

    def add_arguments(self, parser):
        parser.add_argument("fixtures", nargs="+", help="Noms (dans fixtures/) ou chemins.")

    def handle(self, *args, fixtures, **options):
        paths = [find(fixture) for fixture in fixtures]
        with transaction.atomic():
            with made_once():  # nothing is kept: words made once rather than row by row
                check(paths)
            transaction.set_rollback(True)
        self.stdout.write(f"{len(paths)} fichier(s) valide(s).")


def find(fixture):
    """A fixture's file: a path, or a name in the fixture folders (as loaddata finds it)."""
    path = Path(fixture)
    if path.is_file():
        return path
    for folder in settings.FIXTURE_DIRS:
        candidate = Path(folder) / f"{fixture.removesuffix('.json')}.json"
        if candidate.is_file():
            return candidate
    raise CommandError(f"{fixture} : fichier de fixtures introuvable.")


def check(paths):
    """Validate and save (in the caller's transaction) every object of the files, in order,
    then resolve the references to objects of later files."""
    pending = []
    for path in paths:
        try:
            with path.open(encoding="utf-8") as handle:
                objects = serializers.deserialize("json", handle, handle_forward_references=True)
                for obj in objects:
                    validate(path, obj)
                    obj.save()
                    if obj.deferred_fields:
                        pending.append((path, obj))
        except CommandError:
            raise
        except Exception as error:  # the serializer's message names the JSON line
            raise CommandError(f"{path.name} : {_cause(error)}") from error
    for path, obj in pending:
        try:
            obj.save_deferred_fields()
        except Exception as error:
            raise CommandError(
                f"{path.name} : {_label(obj.object)}, référence introuvable : {_cause(error)}"
            ) from error


def validate(path, obj):
    instance = obj.object
    deferred = {field.name for field in obj.deferred_fields}
    try:
        instance.clean_fields(exclude=deferred)
        if not deferred:
            instance.clean()
    except ValidationError as error:
        problems = "; ".join(
            f"champ « {field} » : {' '.join(messages)}"
            for field, messages in error.message_dict.items()
        )
        raise CommandError(f"{path.name} : {_label(instance)}, {problems}") from error


def _label(instance):
    try:
        name = " / ".join(str(part) for part in instance.natural_key())
    except Exception:  # noqa: BLE001 — a half-built object may not have its natural key yet
        name = str(instance.pk or "?")
    return f"objet {instance._meta.label} « {name} »"


def _cause(error):
    """Each distinct message down the chain: the JSON error with its line, the natural key
    that matched nothing…"""
    messages = []
    while error is not None:
        text = str(error).strip()
        if text and not any(text in seen for seen in messages):
            messages.append(text)
        error = error.__cause__ or error.__context__
    return " — ".join(messages)
