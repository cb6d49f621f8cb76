"""The coverage page: for a need, how far Lozère's communes are from a place that meets it."""

import json

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from places.csvfiles import csv_response
from places.filters import PlaceFilter
from places.freshness import public_page
from places.links import absolute_url
from places.models import Audience, Family, Network, Place, PlaceType, Service
from places.views.listing import query_string
from places.views.mapdata import bad_filters
from territory.geo import commune_boundary
from territory.models import Commune, Epci

from .analysis import BAND_KEYS, BANDS, Coverage, reliability, services_near

# Where a visitor is, and when, do not change a commune's coverage: only the need does.
IGNORED = ["near", "lat", "lon", "radius", "page", "status", "open_now", "open_at", "event_week"]
THRESHOLDS = [5, 10, 20]
NEEDS = [
    ("service", Service),
    ("family", Family),
    ("type", PlaceType),
    ("network", Network),
    ("audience", Audience),
]
DEFAULT_THRESHOLD = 10
# Lozère's 152 communes fit in one page; a larger territory's table comes in pages.
COMMUNES_PER_PAGE = 200


class NeedFilter(PlaceFilter):
    """The need, and the communauté de communes whose communes are measured (`epci`): the places
    meeting the need count wherever they stand, a place across the border still serves it."""

    def filter_epci(self, queryset, name, value):
        return queryset

    @property
    def area(self):
        return self.form.cleaned_data.get("epci")

    def communes(self):
        communes = Commune.objects.select_related("epci")
        return communes.filter(epci=self.area) if self.area else communes


def need_filter(request):
    data = request.GET.copy()
    for key in IGNORED:
        data.pop(key, None)
    return NeedFilter(data, queryset=Place.objects.published().open(), request=request)


def coverage_of(places):
    """The coverage of the filter's area (all Lozère without one) by the places it selects."""
    return Coverage(places.qs, places.communes())


def threshold(request):
    value = request.GET.get("radius", "")
    return int(value) if value in {str(t) for t in THRESHOLDS} else DEFAULT_THRESHOLD


COVERAGE_PARAMS = frozenset(PlaceFilter.base_filters) | {"radius"}


@require_GET
@public_page(COVERAGE_PARAMS)
def coverage_page(request):
    places = need_filter(request)
    valid = places.is_valid()
    context = {
        "filter": places,
        "needs": [
            (name, places.filters[name].label, model.objects.all(), request.GET.getlist(name))
            for name, model in NEEDS
        ],
        "epcis": Epci.objects.all(),
        "thresholds": THRESHOLDS,
        "threshold": threshold(request),
        "bands": BAND_KEYS,
        "limits": BANDS,
        "query": query_string(request),
    }
    context["epci"] = places.area.siren if valid and places.area else request.GET.get("epci", "")
    if valid:
        coverage = coverage_of(places)
        context.update(
            area=places.area,
            reliability=reliability(places.qs),
            coverage=coverage,
            rows=Paginator(coverage.by_distance(), COMMUNES_PER_PAGE).get_page(
                request.GET.get("page")
            ),
            rows_query=query_string(request, drop=("page",)),
            white_zones=coverage.white_zones(context["threshold"]),
            map_config={
                "geojson": reverse("coverage:geojson") + query_string(request),
                "communeNames": reverse("territory:labels"),
                "labels": {"zoomIn": _("Zoomer"), "zoomOut": _("Dézoomer"), "none": _("aucun")},
            },
        )
    return render(request, "coverage/coverage.html", context, status=200 if valid else 400)


@require_GET
@public_page(COVERAGE_PARAMS)
def coverage_geojson(request):
    """Every commune's outline with its distance band, for the coverage map."""
    places = need_filter(request)
    if not places.is_valid():
        return bad_filters(places)
    features = []
    for row in coverage_of(places).rows:
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
    return HttpResponse(body, content_type="application/geo+json")


CSV_HEADER = [
    "code_insee",
    "commune",
    "population",
    "annee_population",
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
    rows = (
        [
            row.commune.insee,
            row.commune.name,
            row.population,
            row.commune.population_year,
            row.commune.epci.name if row.commune.epci else "",
            None if row.distance is None else round(row.distance, 1),
            row.band,
            row.nearest.name if row.nearest else "",
            absolute_url(row.nearest.get_absolute_url()) if row.nearest else "",
        ]
        for row in coverage_of(places).rows
    )
    return csv_response("couverture-lozere.csv", CSV_HEADER, rows)


def epci_section(epci):
    """The communauté de communes' page shows, service by service, what its communes have within
    the white zones' default distance (places.extensions.epci_page)."""
    return {"epci": epci, "area_coverage": services_near(epci, DEFAULT_THRESHOLD)}
