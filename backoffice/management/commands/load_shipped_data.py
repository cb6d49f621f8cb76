"""Load the shipped data into a new database, and never over what the back-office changed since.

`loaddata` writes every object of a fixture over the row with the same natural key: run on each
start, it put back the hours, phone or services an animateur had typed, without a trace in the
history. Here a fixture file is loaded only while every table it fills is still empty; once any of
them holds a row, the file is left aside, whole. Whole files rather than missing rows: a place a
coordinator archived, renamed (a new slug) or purged must not come back from the shipped copy.
"""

import json

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from places.models.search import made_once

SHIPPED = ["epci", "communes", "reference", "charter", "places"]


class Command(BaseCommand):
    help = (
        "Charge les données livrées (fixtures/) dans une base neuve. Un fichier n'est chargé que "
        "si toutes les tables qu'il remplit sont vides ; sinon il est laissé de côté en entier et "
        "rien de ce que le back-office a modifié n'est touché. Pour recharger exprès en écrasant "
        "les modifications : manage.py loaddata <fichier>."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "labels",
            nargs="*",
            default=SHIPPED,
            help=f"Fichiers de fixtures/, sans « .json » (par défaut : {' '.join(SHIPPED)}).",
        )

    def handle(self, *args, labels, verbosity, **options):
        to_load = []
        for label in labels:
            path = _find(label)
            filled = [model for model in _models(path) if model._base_manager.exists()]
            if filled:
                names = ", ".join(str(model._meta.verbose_name_plural) for model in filled)
                self.stdout.write(f"{path.name} : laissé de côté, la base a déjà des {names}.")
            else:
                to_load.append(label)
        if to_load:
            # Checked first (loaddata saves past the models' validation), then one loaddata for
            # every file: references between them resolve in one transaction.
            call_command("check_fixtures", *to_load, stdout=self.stdout)
            with transaction.atomic(), made_once():
                call_command("loaddata", *to_load, verbosity=verbosity, stdout=self.stdout)
        else:
            self.stdout.write("Données livrées déjà en place : rien à charger.")


def _find(label):
    for folder in settings.FIXTURE_DIRS:
        path = folder / f"{label}.json"
        if path.is_file():
            return path
    raise CommandError(
        f"{label}.json : introuvable dans {', '.join(map(str, settings.FIXTURE_DIRS))}."
    )


def _models(path):
    """The models whose rows a fixture file holds."""
    try:
        records = json.loads(path.read_text(encoding="utf-8"))
        labels = {record["model"] for record in records}
    except OSError as error:
        raise CommandError(f"{path} : lecture impossible ({error.strerror}).") from error
    except json.JSONDecodeError as error:
        raise CommandError(
            f"{path}, ligne {error.lineno} : JSON invalide ({error.msg})."
        ) from error
    except (TypeError, KeyError) as error:
        raise CommandError(f"{path} : chaque objet doit nommer son modèle (« model »).") from error
    try:
        return [apps.get_model(label) for label in sorted(labels)]
    except (LookupError, ValueError) as error:
        raise CommandError(f"{path} : modèle inconnu ({error}).") from error
