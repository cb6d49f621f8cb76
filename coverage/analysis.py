"""The territory's coverage (« maillage »): how far each commune is from a place meeting a need.

Distances are straight lines from each commune's town hall to the nearest open place that meets
the need; an itinerant place counts at each of its stops.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q

from places.models import Place, Service, Stop
from territory.geo import bounding_box, nearest
from territory.models import Commune, population_year

BANDS = [5, 10, 20]  # km: < 5, 5–10, 10–20, > 20
BAND_KEYS = ["lt5", "5to10", "10to20", "gt20"]
# How far from each town hall the nearest place is looked for first, then farther.
SEARCH_KM = [2**n for n in range(11)]  # 1, 2, 4… 1,024 km


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
    epci: object = None

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
    """(latitude, longitude, (name, pk)) where each place is: where it stands, or at each of its
    stops when it travels. Two queries."""
    yield from places.stationary().values_list("latitude", "longitude", "name", "pk")
    stops = Stop.objects.positioned().filter(place__in=places.touring().order_by().values("pk"))
    yield from stops.values_list("lat", "lon", "place__name", "place_id")


class Coverage:
    """Coverage of the communes by the given places (already filtered to the need): each
    commune's nearest place, found by a bounded search (see geo.nearest)."""

    def __init__(self, places, communes=None):
        communes = communes if communes is not None else Commune.objects.select_related("epci")
        communes = list(communes.filter(townhall_latitude__isnull=False))
        located = [(lat, lon, (name, pk)) for lat, lon, name, pk in points(places)]
        origins = [(commune.townhall_latitude, commune.townhall_longitude) for commune in communes]
        found = nearest(located, origins, SEARCH_KM)
        by_pk = Place.objects.only("name", "slug").in_bulk({key[1] for _km, key in found if key})
        self.rows = [
            CommuneCoverage(commune, distance, by_pk[key[1]] if key else None)
            for commune, (distance, key) in zip(communes, found, strict=True)
        ]

    @property
    def population_year(self):
        """The year of the legal populations the shares count, if the communes share one."""
        return population_year(row.commune for row in self.rows)

    @property
    def reached(self):
        """Whether any commune has a place meeting the need at all."""
        return any(row.nearest for row in self.rows)

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
            shares.setdefault(epci.pk, Share(epci.name, epci=epci)).add(row)
        return sorted(shares.values(), key=lambda share: share.name)

    def by_distance(self):
        """Every commune, nearest to the need first, those without any place last."""
        return sorted(self.rows, key=lambda row: (row.distance is None, row.distance or 0))

    def white_zones(self, beyond_km, limit=15):
        """The communes farther than `beyond_km` from the need, most populous first."""
        far = [row for row in self.rows if row.distance is None or row.distance > beyond_km]
        return sorted(far, key=lambda row: (-row.population, row.commune.name))[:limit]

    def band_counts(self):
        counts = dict.fromkeys(BAND_KEYS, 0)
        for row in self.rows:
            counts[row.band] += 1
        return counts


@dataclass
class Reliability:
    """How far the places measured can be trusted, said before any white zone is read."""

    places: int
    unplaced: int  # counted nowhere: no position, no stop with one
    unverified: int  # « à vérifier », or never confirmed by the place


def reliability(places):
    """The places' count, and how many have no position or are unverified: one query."""
    counts = places.order_by().aggregate(
        places=Count("pk", distinct=True),
        unplaced=Count("pk", distinct=True, filter=Q(pk__in=places.unplaced().values("pk"))),
        unverified=Count("pk", distinct=True, filter=Q(pk__in=places.unverified().values("pk"))),
    )
    return Reliability(**counts)


@dataclass
class ServiceCoverage:
    """For one service, what an area's communes have within reach."""

    service: Service
    communes: int  # communes whose town hall is within reach of an open place offering it
    percent: float  # the share of the area's inhabitants they hold
    places: int  # the area's listed places offering it


@dataclass
class AreaCoverage:
    km: float
    communes: int
    population: int
    rows: list


def services_near(epci, km):
    """For each service of the catalogue, how many of a communauté de communes' communes (and
    inhabitants) have an open place offering it within `km` of their town hall, wherever the
    place stands (across the border too), and how many of the area's listed places offer it.

    A fixed number of queries: the open places within `km` of the area, with their services, are
    read once; each service is measured among them in turn."""
    communes = list(epci.communes.filter(townhall_latitude__isnull=False))
    services = list(
        Service.objects.order_by("family__position", "family__code", "position", "code")
    )
    listed_here = Place.objects.active().in_epci(epci).order_by().values("pk")
    offered_here = dict(
        Place.services.through.objects.filter(place__in=listed_here)
        .order_by()
        .values("service_id")
        .annotate(count=Count("place_id", distinct=True))
        .values_list("service_id", "count")
    )
    population = sum(commune.population or 0 for commune in communes)
    located, offers = _places_around(communes, km)
    origins = [(commune.townhall_latitude, commune.townhall_longitude) for commune in communes]
    rows = []
    for service in services:
        offering = offers.get(service.pk, set())
        around = [point for point in located if point[2] in offering]
        found = nearest(around, origins, [km]) if around and origins else []
        reached = [
            commune
            for commune, (distance, _key) in zip(communes, found, strict=False)
            if distance is not None and distance <= km
        ]
        reached_population = sum(commune.population or 0 for commune in reached)
        rows.append(
            ServiceCoverage(
                service,
                communes=len(reached),
                percent=100 * reached_population / population if population else 0.0,
                places=offered_here.get(service.pk, 0),
            )
        )
    return AreaCoverage(km, len(communes), population, rows)


def _places_around(communes, km):
    """The open places within `km` of these town halls (a box around them: where they stand, or
    where they stop), as (latitude, longitude, place pk), and the pks offering each service."""
    if not communes:
        return [], {}
    lats = [commune.townhall_latitude for commune in communes]
    lons = [commune.townhall_longitude for commune in communes]
    boxes = [
        bounding_box(lat, lon, km)
        for lat in (min(lats), max(lats))
        for lon in (min(lons), max(lons))
    ]
    south, north = min(box[0][0] for box in boxes), max(box[0][1] for box in boxes)
    west, east = min(box[1][0] for box in boxes), max(box[1][1] for box in boxes)
    places = Place.objects.published().open()
    standing = places.stationary().within(south, north, west, east)
    stopping = (
        Stop.objects.positioned()
        .filter(place__in=places.touring().order_by().values("pk"))
        .within(south, north, west, east)
    )
    located = [
        *standing.values_list("latitude", "longitude", "pk"),
        *stopping.values_list("lat", "lon", "place_id"),
    ]
    offers = {}
    pairs = Place.services.through.objects.filter(
        Q(place__in=standing.order_by().values("pk")) | Q(place__in=stopping.values("place_id"))
    ).values_list("service_id", "place_id")
    for service, place in pairs:
        offers.setdefault(service, set()).add(place)
    return located, offers
