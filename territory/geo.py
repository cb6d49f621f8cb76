"""Distances on the sphere, in Python and in SQL, and the local boundaries of Lozère."""

import json
import math
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.db.models import Case, F, FloatField, Value, When
from django.db.models.functions import ASin, Cos, Power, Radians, Sin, Sqrt
from django.db.models.lookups import GreaterThan

EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180


def distance_km(lat1, lon1, lat2, lon2):
    """Great-circle (haversine) distance between two points, in kilometres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((phi2 - phi1) / 2) ** 2
        + math.cos(phi1) * math.cos(phi2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, a)))


def distance_expression(lat, lon, lat_field="latitude", lon_field="longitude"):
    """The same haversine distance computed by the database (PostgreSQL or SQLite), to fields
    named or given as expressions. As in distance_km(), rounding never takes ASIN() past 1 (which
    PostgreSQL refuses) for a point at the other end of the Earth."""
    there_lat = F(lat_field) if isinstance(lat_field, str) else lat_field
    there_lon = F(lon_field) if isinstance(lon_field, str) else lon_field
    half_dlat = Radians(there_lat - Value(lat)) / 2
    half_dlon = Radians(there_lon - Value(lon)) / 2
    a = Power(Sin(half_dlat), 2) + Value(math.cos(math.radians(lat))) * Cos(
        Radians(there_lat)
    ) * Power(Sin(half_dlon), 2)
    # Not LEAST(): PostgreSQL's ignores NULL, and a place without a position has no distance.
    a = Case(
        When(GreaterThan(a, Value(1.0)), then=Value(1.0)), default=a, output_field=FloatField()
    )
    return Value(2 * EARTH_RADIUS_KM) * ASin(Sqrt(a), output_field=FloatField())


def bounding_box(lat, lon, km):
    """A box that contains every point within km of (lat, lon): an indexable pre-filter."""
    dlat = km / KM_PER_DEGREE
    dlon = km / (KM_PER_DEGREE * max(math.cos(math.radians(lat)), 0.01))
    return (lat - dlat, lat + dlat), (lon - dlon, lon + dlon)


def nearest(points, origins, radii_km):
    """For each origin (latitude, longitude), the nearest of `points` (latitude, longitude, key)
    as (distance in km, key), or (None, None) when there are no points; among points as near,
    the smallest key.

    A bounded search: for each radius in turn, the points are put in cells a little larger than
    the radius, and each origin still without a point within the radius looks in the nine cells
    around its own; the origins left (none nearer than the last radius) look at every point.
    """
    found = [None] * len(origins)
    # Cells are as wide as a circle of the radius gets where the parallels are closest.
    farthest = max((abs(place[0]) for place in [*points, *origins]), default=0)
    closest_parallels = max(math.cos(math.radians(farthest)), 0.01)
    for km in radii_km:
        remaining = [index for index, best in enumerate(found) if best is None]
        if not remaining or not points:
            break
        angle = km / EARTH_RADIUS_KM
        height = 1.01 * math.degrees(angle)
        width = 1.01 * math.degrees(math.asin(min(1.0, math.sin(angle) / closest_parallels)))
        cells = {}
        for point in points:
            cells.setdefault((point[0] // height, point[1] // width), []).append(point)
        for index in remaining:
            lat, lon = origins[index]
            row, column = lat // height, lon // width
            near = [
                point
                for dy in (-1, 0, 1)
                for dx in (-1, 0, 1)
                for point in cells.get((row + dy, column + dx), ())
            ]
            best = _closest(lat, lon, near)
            if best is not None and best[0] <= km:
                found[index] = best
    return [
        best or _closest(*origin, points) or (None, None)
        for best, origin in zip(found, origins, strict=True)
    ]


def _closest(lat, lon, points):
    return min(
        (
            (distance_km(lat, lon, there_lat, there_lon), key)
            for there_lat, there_lon, key in points
        ),
        default=None,
    )


GEO_DIR = Path(settings.BASE_DIR) / "static" / "geo"


@lru_cache(maxsize=1)
def _commune_boundaries():
    with (GEO_DIR / "communes.geojson").open(encoding="utf-8") as handle:
        collection = json.load(handle)
    return {feature["properties"]["insee"]: feature for feature in collection["features"]}


def commune_boundaries():
    """Every commune's outline, as GeoJSON features: what a printed map draws around an area."""
    return list(_commune_boundaries().values())


def commune_boundary(insee):
    """One commune's outline as a GeoJSON feature, or None: the map never loads them all."""
    return _commune_boundaries().get(insee)


def _polygons(geometry):
    return [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]


def km_outside_commune(insee, latitude, longitude):
    """How far a point lies outside a commune's outline (0 inside), or None without outline."""
    feature = commune_boundary(insee)
    if feature is None:
        return None
    rings = [ring for polygon in _polygons(feature["geometry"]) for ring in polygon]
    return _km_outside(rings, latitude, longitude)


def km_outside_lozere(latitude, longitude):
    """How far a point lies outside the département's outline: 0 inside."""
    return _km_outside(_departement_rings(), latitude, longitude)


def _km_outside(rings, latitude, longitude):
    """0 for a point inside the rings (holes are rings too: even-odd), else its distance to
    their nearest edge, on a plane tangent at the point (exact enough over a few dozen km)."""
    inside = False
    for ring in rings:
        inside ^= _inside(ring, longitude, latitude)
    if inside:
        return 0.0
    across = KM_PER_DEGREE * math.cos(math.radians(latitude))

    def plane(point):
        return (point[0] - longitude) * across, (point[1] - latitude) * KM_PER_DEGREE

    return min(
        _from_origin(plane(start), plane(end))
        for ring in rings
        for start, end in zip(ring, ring[1:] + ring[:1], strict=True)
    )


def _from_origin(start, end):
    """Distance from (0, 0) to the segment start–end."""
    (x1, y1), (x2, y2) = start, end
    dx, dy = x2 - x1, y2 - y1
    length = dx * dx + dy * dy
    t = 0.0 if length == 0 else max(0.0, min(1.0, -(x1 * dx + y1 * dy) / length))
    return math.hypot(x1 + t * dx, y1 + t * dy)


@lru_cache(maxsize=1)
def _departement_rings():
    with (GEO_DIR / "departement.geojson").open(encoding="utf-8") as handle:
        geometry = json.load(handle)["features"][0]["geometry"]
    polygons = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        polygons = [polygons]
    return [polygon[0] for polygon in polygons]  # outer rings; Lozère has no holes


def departement_outline():
    """The département's outer rings, each a list of [longitude, latitude]: what printed maps
    draw around an area."""
    return _departement_rings()


def in_lozere(latitude, longitude):
    """Whether a point lies inside the département's outline (ray casting)."""
    return any(_inside(ring, longitude, latitude) for ring in _departement_rings())


def _inside(ring, x, y):
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


# Lines shared by two communes, drawn thin when the map is zoomed in, with 4 decimals (about
# 10 m). The département's own edge is departement.geojson's.
BORDERS_FILE = "commune-borders.geojson"
BORDERS_DECIMALS = 4


def _edges(features):
    """Each edge of the features' rings, (start, end) in a fixed order, with how many rings hold
    it: the outlines are topologically clean (IGN), so a shared edge is held twice."""
    counts = {}
    for feature in features:
        for polygon in _polygons(feature["geometry"]):
            for ring in polygon:
                for start, end in zip(ring, ring[1:], strict=False):
                    edge = tuple(sorted((tuple(start), tuple(end))))
                    if edge[0] != edge[1]:
                        counts[edge] = counts.get(edge, 0) + 1
    return counts


def _neighbours(edges):
    linked = {}
    for start, end in sorted(edges):
        linked.setdefault(start, []).append(end)
        linked.setdefault(end, []).append(start)
    return linked


def _walk(linked, start, through):
    """Follow unused edges from `start` while `through(point)` allows; the edges are used up."""
    line = [start]
    while linked[line[-1]]:
        here = line[-1]
        there = linked[here].pop(0)
        linked[there].remove(here)
        line.append(there)
        if there == start or not through(there):
            break
    return line


def _lines(edges, split_at_junctions):
    """The edges joined end to end: into arcs between junctions (points where other than two
    edges meet), or into closed rings."""
    linked = _neighbours(edges)
    degree = {point: len(ends) for point, ends in linked.items()}
    lines = []
    if split_at_junctions:
        for point in sorted(linked):  # arcs from each junction first, then what loops alone
            while degree[point] != 2 and linked[point]:
                lines.append(_walk(linked, point, lambda there: degree[there] == 2))
    for point in sorted(linked):
        while linked[point]:
            lines.append(_walk(linked, point, lambda there: True))
    return lines


def commune_borders(collection, decimals=BORDERS_DECIMALS):
    """The borders between communes of a FeatureCollection, each drawn once, as one
    MultiLineString: about a third of the size of every outline, for phones zoomed in."""
    shared = [edge for edge, count in _edges(collection["features"]).items() if count > 1]
    arcs = []
    for arc in _lines(shared, split_at_junctions=True):
        points = [[round(x, decimals), round(y, decimals)] for x, y in arc]
        points = [point for n, point in enumerate(points) if n == 0 or point != points[n - 1]]
        if len(points) > 1:
            arcs.append(points)
    geometry = {"type": "MultiLineString", "coordinates": arcs}
    feature = {"type": "Feature", "properties": {}, "geometry": geometry}
    return {"type": "FeatureCollection", "features": [feature]}


def area_outline(insee_codes):
    """The outline of the area these communes make together (a communauté de communes), as a
    GeoJSON feature, or None when none has an outline: the edges only one of them holds, joined
    into rings (an area in several pieces, or with a hole, has several)."""
    features = [commune_boundary(insee) for insee in insee_codes]
    features = [feature for feature in features if feature is not None]
    if not features:
        return None
    edges = [edge for edge, count in _edges(features).items() if count == 1]
    rings = [[list(point) for point in ring] for ring in _lines(edges, split_at_junctions=False)]
    geometry = {"type": "MultiPolygon", "coordinates": [[ring] for ring in rings]}
    return {"type": "Feature", "properties": {}, "geometry": geometry}
