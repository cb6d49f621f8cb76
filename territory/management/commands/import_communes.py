"""Load or refresh communautés de communes, communes and former communes from the INSEE-based
CSV files (data/lozere/SOURCES.md)."""

import csv
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from territory.models import Commune, Epci, FormerCommune

CURRENT = "COM"
# Communes merged for good, from INSEE's history (scripts/former_communes.py); optional.
MERGED_FILE = "former_communes.csv"


class RowError(Exception):
    pass


class Command(BaseCommand):
    help = (
        "Importe les communautés de communes (epci.csv), les communes (communes.csv) et, s'il "
        "est là, l'historique des communes fusionnées (former_communes.csv) d'un dossier au "
        "format de data/lozere/ ; une erreur n'enregistre rien."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", nargs="?", default="data/lozere", type=Path)

    def handle(self, folder, **options):
        epci_path, communes_path = folder / "epci.csv", folder / "communes.csv"
        with transaction.atomic():
            epcis = self._import(epci_path, self._epci)
            rows = list(self._rows(communes_path))
            communes = self._import_rows(
                communes_path, [r for r in rows if r[1]["kind"] == CURRENT], self._commune
            )
            former = self._import_rows(
                communes_path, [r for r in rows if r[1]["kind"] != CURRENT], self._former
            )
            merged_path = folder / MERGED_FILE
            if merged_path.exists():
                former += self._import(merged_path, self._merged)
        self.stdout.write(
            self.style.SUCCESS(
                f"{epcis} communautés de communes, {communes} communes "
                f"et {former} anciennes communes importées."
            )
        )

    def _rows(self, path):
        try:
            with path.open(newline="", encoding="utf-8") as handle:
                # Line 1 is the header, so the first record is on line 2.
                yield from enumerate(csv.DictReader(handle), start=2)
        except OSError as error:
            raise CommandError(f"{path} : lecture impossible ({error.strerror}).") from error

    def _import(self, path, make):
        return self._import_rows(path, list(self._rows(path)), make)

    def _import_rows(self, path, rows, make):
        for line, row in rows:
            try:
                make(row)
            except (RowError, ValidationError, KeyError, ValueError) as error:
                raise CommandError(f"{path}, ligne {line} : {_describe(error)}") from error
        return len(rows)

    def _epci(self, row):
        epci = Epci.objects.filter(siren=row["siren"]).first() or Epci(siren=row["siren"])
        epci.name = row["name"]
        _save(epci)

    def _commune(self, row):
        commune = Commune.objects.filter(insee=row["insee"]).first() or Commune(insee=row["insee"])
        commune.name = row["name"]
        commune.postcodes = row["postcodes"]
        commune.population = int(row["population"]) if row["population"] else None
        # Optional columns (data/lozere/SOURCES.md): the population's year, what the point is.
        year = row.get("population_year")
        commune.population_year = int(year) if year else None
        commune.position_source = row.get("position_source") or Commune.PositionSource.TOWNHALL
        commune.epci = None
        if row["epci_siren"]:
            commune.epci = Epci.objects.filter(siren=row["epci_siren"]).first()
            if commune.epci is None:
                raise RowError(f"communauté de communes « {row['epci_siren']} » inconnue")
        commune.townhall_latitude = _float(row["townhall_lat"])
        commune.townhall_longitude = _float(row["townhall_lon"])
        _save(commune)

    def _former(self, row):
        kinds = {FormerCommune.Kind.DELEGATED, FormerCommune.Kind.ASSOCIATED}
        if row["kind"] not in kinds:
            raise RowError(f"nature « {row['kind']} » inconnue (attendu : COM, COMD ou COMA)")
        self._save_former(row, row["kind"])

    def _merged(self, row):
        self._save_former(row, FormerCommune.Kind.MERGED)

    def _save_former(self, row, kind):
        parent = Commune.objects.filter(insee=row["parent_insee"]).first()
        if parent is None:
            raise RowError(f"commune actuelle « {row['parent_insee']} » introuvable")
        former = FormerCommune.objects.filter(insee=row["insee"]).first() or FormerCommune(
            insee=row["insee"]
        )
        former.name, former.kind, former.commune = row["name"], kind, parent
        _save(former)


def _float(value):
    return float(value) if value else None


def _save(instance):
    instance.full_clean()
    instance.save()


def _describe(error):
    if isinstance(error, ValidationError):
        return " ; ".join(
            f"{field} : {' '.join(messages)}" for field, messages in error.message_dict.items()
        )
    if isinstance(error, KeyError):
        return f"colonne {error} absente"
    return str(error)
