"""Distances on the sphere, in Python and in SQL, and the local boundaries of Lozère."""

import json
import math
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.db.models import F, FloatField, Value
from django.db.models.functions import ASin, Cos, Power, Radians, Sin, Sqrt

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
    """The same haversine distance computed by the database (PostgreSQL or SQLite)."""
    half_dlat = Radians(F(lat_field) - Value(lat)) / 2
    half_dlon = Radians(F(lon_field) - Value(lon)) / 2
    a = Power(Sin(half_dlat), 2) + Value(math.cos(math.radians(lat))) * Cos(
        Radians(F(lat_field))
    ) * Power(Sin(half_dlon), 2)
    return Value(2 * EARTH_RADIUS_KM) * ASin(Sqrt(a), output_field=FloatField())


def bounding_box(lat, lon, km):
    """A box that contains every point within km of (lat, lon): an indexable pre-filter."""
    dlat = km / KM_PER_DEGREE
    dlon = km / (KM_PER_DEGREE * max(math.cos(math.radians(lat)), 0.01))
    return (lat - dlat, lat + dlat), (lon - dlon, lon + dlon)


GEO_DIR = Path(settings.BASE_DIR) / "static" / "geo"


@lru_cache(maxsize=1)
def _commune_boundaries():
    with (GEO_DIR / "communes.geojson").open(encoding="utf-8") as handle:
        collection = json.load(handle)
    return {feature["properties"]["insee"]: feature for feature in collection["features"]}


def commune_boundary(insee):
    """One commune's outline as a GeoJSON feature, or None: the map never loads them all."""
    return _commune_boundaries().get(insee)


@lru_cache(maxsize=1)
def _departement_rings():
    with (GEO_DIR / "departement.geojson").open(encoding="utf-8") as handle:
        geometry = json.load(handle)["features"][0]["geometry"]
    polygons = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        polygons = [polygons]
    return [polygon[0] for polygon in polygons]  # outer rings; Lozère has no holes


def in_lozere(latitude, longitude):
    """Whether a point lies inside the département's outline (ray casting)."""
    return any(_inside(ring, longitude, latitude) for ring in _departement_rings())


def _inside(ring, x, y):
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside
