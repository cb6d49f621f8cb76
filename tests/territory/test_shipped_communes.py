"""The shipped communes: every former commune INSEE's history names, town halls that stand in
their own commune (or say why not), and the year of every population."""

import csv
from pathlib import Path

import pytest
from django.conf import settings

from territory.geo import km_outside_commune
from territory.models import Commune, FormerCommune

pytestmark = pytest.mark.django_db

DATA = Path(settings.BASE_DIR) / "data" / "lozere"


def test_the_former_communes_of_the_communes_nouvelles_are_shipped(shipped_communes):
    """Florac, a sous-préfecture, was missing: « Près de : Florac » found no commune."""
    shipped = dict(FormerCommune.objects.values_list("name", "commune__name"))
    assert {
        "Florac": "Florac Trois Rivières",
        "La Salle-Prunet": "Florac Trois Rivières",
        "Le Pont-de-Montvert": "Pont de Montvert - Sud Mont Lozère",
        "Fraissinet-de-Lozère": "Pont de Montvert - Sud Mont Lozère",
        "Saint-Maurice-de-Ventalon": "Pont de Montvert - Sud Mont Lozère",
        "Banassac": "Banassac-Canilhac",
        "Canilhac": "Banassac-Canilhac",
        "Bédouès": "Bédouès-Cocurès",
        "Cocurès": "Bédouès-Cocurès",
    }.items() <= shipped.items()


def test_the_fixture_holds_every_commune_of_insee_s_history_file(shipped_communes):
    """data/lozere/former_communes.csv (made by scripts/former_communes.py) and the fixture
    agree: each merged commune, under its own code, attached to its current commune."""
    with (DATA / "former_communes.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 20
    merged = {
        old.insee: (old.name, old.commune.insee)
        for old in FormerCommune.objects.filter(kind=FormerCommune.Kind.MERGED).select_related(
            "commune"
        )
    }
    assert merged == {row["insee"]: (row["name"], row["parent_insee"]) for row in rows}


def test_every_town_hall_stands_in_its_commune_or_says_why_not(shipped_communes):
    """Checked against IGN's outlines. Le Malzieu-Forain's and Pourcharesses' town halls stand
    in the neighbouring town (their published address says so), within a kilometre of their
    commune; the published points of three others fell in another commune and were replaced by
    a point of the commune, which the commune says (position_source)."""
    beside = {"48089", "48117"}
    for commune in Commune.objects.all():
        away = km_outside_commune(
            commune.insee, commune.townhall_latitude, commune.townhall_longitude
        )
        if commune.insee in beside:
            assert 0 < away < 1, commune.name
        else:
            assert away == 0, commune.name
    replaced = Commune.objects.exclude(position_source=Commune.PositionSource.TOWNHALL)
    assert sorted(replaced.values_list("name", flat=True)) == [
        "Prévenchères",
        "Saint-André-de-Lancize",
        "Saint-Germain-de-Calberte",
    ]
    points = list(Commune.objects.values_list("townhall_latitude", "townhall_longitude"))
    assert len(set(points)) == len(points)  # two communes shared one point


def test_every_population_says_its_year(shipped_communes):
    """INSEE's legal populations of 2023, in force on 1 January 2026 (decoupage-administratif
    6.0.0)."""
    assert set(Commune.objects.values_list("population_year", flat=True)) == {2023}
