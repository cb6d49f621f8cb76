"""The territory's coverage (« maillage »): how far each commune is from a place meeting a need.

Distances are straight lines from each commune's town hall to the nearest open place that meets
the need; an itinerant place counts at each of its stops.
"""

from dataclasses import dataclass, field

from .geo import distance_km
from .models import Commune, Place

BANDS = [5, 10, 20]  # km: < 5, 5–10, 10–20, > 20
BAND_KEYS = ["lt5", "5to10", "10to20", "gt20"]


def band_of(distance):
    """The distance band of a commune; no place at all counts as the farthest band."""
    if distance is None:
        return BAND_KEYS[-1]
    for limit, key in zip(BANDS, BAND_KEYS, strict=False):
        if distance < limit:
            return key
    return BAND_KEYS[-1]


@dataclass
class CommuneCoverage:
    commune: Commune
    distance: float | None
    nearest: Place | None

    @property
    def band(self):
        return band_of(self.distance)

    @property
    def population(self):
        return self.commune.population or 0


@dataclass
class Share:
    """Population of an area, and how much of it lives within each band's limit."""

    name: str
    population: int = 0
    within: dict = field(default_factory=lambda: dict.fromkeys(BANDS, 0))

    def add(self, row):
        self.population += row.population
        for limit in BANDS:
            if row.distance is not None and row.distance <= limit:
                self.within[limit] += row.population

    def percent(self, limit):
        return 100 * self.within[limit] / self.population if self.population else 0.0

    @property
    def percents(self):
        return [(limit, self.percent(limit)) for limit in BANDS]


def points(places):
    """(latitude, longitude, place) for every place, at each stop when it travels."""
    for place in places:
        stops = [stop.coordinates for stop in place.stops.all()] if place.itinerant else []
        stops = [point for point in stops if point]
        if stops:
            for latitude, longitude in stops:
                yield latitude, longitude, place
        elif place.is_located:
            yield place.latitude, place.longitude, place


class Coverage:
    """Coverage of the communes by the given places (already filtered to the need)."""

    def __init__(self, places, communes=None):
        located = list(points(places.prefetch_related("stops__commune")))
        communes = communes if communes is not None else Commune.objects.select_related("epci")
        self.rows = []
        for commune in communes:
            if commune.townhall_latitude is None:
                continue
            origin = (commune.townhall_latitude, commune.townhall_longitude)
            nearest = min(
                ((distance_km(*origin, lat, lon), place) for lat, lon, place in located),
                default=(None, None),
                key=lambda pair: pair[0],
            )
            self.rows.append(CommuneCoverage(commune, *nearest))

    @property
    def total(self):
        share = Share("Lozère")
        for row in self.rows:
            share.add(row)
        return share

    def by_epci(self):
        shares = {}
        for row in self.rows:
            epci = row.commune.epci
            if epci is None:
                continue
            shares.setdefault(epci.pk, Share(epci.name)).add(row)
        return sorted(shares.values(), key=lambda share: share.name)

    def white_zones(self, beyond_km, limit=15):
        """The communes farther than `beyond_km` from the need, most populous first."""
        far = [row for row in self.rows if row.distance is None or row.distance > beyond_km]
        return sorted(far, key=lambda row: (-row.population, row.commune.name))[:limit]

    def band_counts(self):
        counts = dict.fromkeys(BAND_KEYS, 0)
        for row in self.rows:
            counts[row.band] += 1
        return counts
