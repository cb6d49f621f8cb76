"""Write the borders between communes that maps draw when zoomed in, from their outlines."""

import json

from django.core.management.base import BaseCommand

from territory.geo import BORDERS_FILE, GEO_DIR, commune_borders


def borders_text():
    """static/geo/commune-borders.geojson as the outlines in static/geo/communes.geojson give it."""
    with (GEO_DIR / "communes.geojson").open(encoding="utf-8") as handle:
        borders = commune_borders(json.load(handle))
    return json.dumps(borders, separators=(",", ":")) + "\n"


class Command(BaseCommand):
    help = (
        "Écrit static/geo/commune-borders.geojson : les limites entre communes, chacune une "
        "seule fois, tirées de static/geo/communes.geojson (à relancer quand ce fichier change)."
    )

    def handle(self, **options):
        text = borders_text()
        (GEO_DIR / BORDERS_FILE).write_text(text, encoding="utf-8")
        self.stdout.write(f"{BORDERS_FILE} : {len(text.encode()) // 1024} Kio")
