"""The coverage page: for a need, how far Lozère's communes are from a place that meets it."""

import csv
import json

from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ..cache import request_key
from ..coverage import BAND_KEYS, BANDS, Coverage
from ..filters import PlaceFilter
from ..geo import commune_boundary
from ..models import Audience, Family, Network, Place, PlaceType, Service
from .listing import query_string
from .mapdata import CACHE_SECONDS, bad_filters

# Where a visitor is, and when, do not change a commune's coverage: only the need does.
IGNORED = ["near", "lat", "lon", "radius", "page", "status", "open_now", "open_at"]
THRESHOLDS = [5, 10, 20]
NEEDS = [
    ("service", Service),
    ("family", Family),
    ("type", PlaceType),
    ("network", Network),
    ("audience", Audience),
]
DEFAULT_THRESHOLD = 10


def need_filter(request):
    data = request.GET.copy()
    for key in IGNORED:
        data.pop(key, None)
    return PlaceFilter(data, queryset=Place.objects.published().open(), request=request)


def threshold(request):
    value = request.GET.get("radius", "")
    return int(value) if value in {str(t) for t in THRESHOLDS} else DEFAULT_THRESHOLD


@require_GET
def coverage_page(request):
    places = need_filter(request)
    valid = places.is_valid()
    context = {
        "filter": places,
        "needs": [
            (name, places.filters[name].label, model.objects.all(), request.GET.getlist(name))
            for name, model in NEEDS
        ],
        "thresholds": THRESHOLDS,
        "threshold": threshold(request),
        "bands": BAND_KEYS,
        "limits": BANDS,
        "query": query_string(request),
    }
    if valid:
        coverage = Coverage(places.qs)
        context.update(
            coverage=coverage,
            rows=sorted(coverage.rows, key=lambda row: (row.distance is None, row.distance or 0)),
            white_zones=coverage.white_zones(context["threshold"]),
            map_config={
                "geojson": reverse("places:coverage-geojson") + query_string(request),
                "labels": {"zoomIn": _("Zoomer"), "zoomOut": _("Dézoomer"), "none": _("aucun")},
            },
        )
    return render(request, "places/coverage.html", context, status=200 if valid else 400)


@require_GET
def coverage_geojson(request):
    """Every commune's outline with its distance band, for the coverage map."""
    places = need_filter(request)
    if not places.is_valid():
        return bad_filters(places)
    key = request_key("coverage", request)
    body = cache.get(key)
    if body is None:
        features = []
        for row in Coverage(places.qs).rows:
            outline = commune_boundary(row.commune.insee)
            if outline is None:
                continue
            properties = {
                "insee": row.commune.insee,
                "name": row.commune.name,
                "band": row.band,
                "distance": None if row.distance is None else round(row.distance, 1),
                "nearest": row.nearest.name if row.nearest else "",
            }
            features.append({**outline, "properties": properties})
        body = json.dumps({"type": "FeatureCollection", "features": features})
        cache.set(key, body, CACHE_SECONDS)
    return HttpResponse(body, content_type="application/geo+json")


CSV_HEADER = [
    "code_insee",
    "commune",
    "population",
    "communaute_de_communes",
    "distance_km",
    "tranche",
    "lieu_le_plus_proche",
    "adresse_du_lieu",
]


@require_GET
def coverage_csv(request):
    places = need_filter(request)
    if not places.is_valid():
        return bad_filters(places)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="couverture-lozere.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_HEADER)
    for row in Coverage(places.qs).rows:
        writer.writerow(
            [
                row.commune.insee,
                row.commune.name,
                row.population,
                row.commune.epci.name if row.commune.epci else "",
                "" if row.distance is None else f"{row.distance:.1f}",
                row.band,
                row.nearest.name if row.nearest else "",
                request.build_absolute_uri(row.nearest.get_absolute_url()) if row.nearest else "",
            ]
        )
    return response
