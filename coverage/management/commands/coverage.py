"""Print the territory's coverage for a need: the figures of the public coverage page."""

from django.core.management.base import BaseCommand, CommandError
from django.http import QueryDict

from coverage.analysis import Coverage
from places.filters import PlaceFilter
from places.models import Place

NEEDS = ["service", "family", "type", "network", "audience"]


class Command(BaseCommand):
    help = (
        "Affiche, pour un besoin (--service visioconference, --network france-services…), la part "
        "de la population à moins de 5, 10 et 20 km d'un lieu ouvert qui y répond, par "
        "communauté de communes, et les zones blanches."
    )

    def add_arguments(self, parser):
        for need in NEEDS:
            parser.add_argument(f"--{need}", action="append", default=[], metavar="CODE")
        parser.add_argument("--radius", type=int, default=10, help="Seuil des zones blanches (km).")

    def handle(self, radius, **options):
        query = QueryDict(mutable=True)
        for need in NEEDS:
            query.setlist(need, options[need])
        places = PlaceFilter(query, queryset=Place.objects.published().open())
        if not places.is_valid():
            problems = "; ".join(
                f"--{field} : {' '.join(errors)}" for field, errors in places.errors.items()
            )
            raise CommandError(f"Besoin invalide : {problems}")
        coverage = Coverage(places.qs)
        total = coverage.total
        year = coverage.population_year
        legal = f" (populations légales {year} de l'INSEE)" if year else ""
        self.stdout.write(f"Lozère — {total.population} habitants{legal}")
        for limit, percent in total.percents:
            self.stdout.write(f"  à moins de {limit} km : {percent:.1f} %")
        self.stdout.write("\nPar communauté de communes (< 5 / < 10 / < 20 km) :")
        for share in coverage.by_epci():
            figures = " / ".join(f"{percent:.0f} %" for _limit, percent in share.percents)
            self.stdout.write(f"  {share.name} ({share.population} hab.) : {figures}")
        self.stdout.write(f"\nZones blanches (à plus de {radius} km) :")
        for row in coverage.white_zones(radius):
            where = "aucun lieu" if row.distance is None else f"{row.distance:.1f} km"
            self.stdout.write(f"  {row.commune.name} ({row.population} hab.) : {where}")
