"""Data the map loads: matching places as light GeoJSON, and one commune's outline at a time."""

import json

from django.core.cache import cache
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ..cache import request_key
from ..filters import PlaceFilter
from ..geo import commune_boundary
from ..models import Place

CACHE_SECONDS = 600
SLUG_MARK = "__slug__"


def bad_filters(places):
    return JsonResponse(
        {"error": _("Paramètres de recherche invalides."), "fields": places.errors.get_json_data()},
        status=400,
    )


@require_GET
def places_geojson(request):
    """The places the same search would list, as points with just what a marker needs."""
    places = PlaceFilter(request.GET, queryset=Place.objects.published(), request=request)
    if not places.is_valid():
        return bad_filters(places)
    key = request_key("geojson", request)
    body = cache.get(key)
    if body is None:
        body = json.dumps(_feature_collection(places.qs), separators=(",", ":"))
        cache.set(key, body, CACHE_SECONDS)
    return HttpResponse(body, content_type="application/geo+json")


def _feature_collection(queryset):
    main_service = Place.services.through.objects.filter(place=OuterRef("pk")).order_by(
        "service__position", "service__code"
    )
    rows = (
        queryset.located()
        .annotate(picto=Subquery(main_service.values("service__pictogram")[:1]))
        .values_list("slug", "name", "latitude", "longitude", "location_precision", "picto")
    )
    url = reverse("places:detail", args=[SLUG_MARK])
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [round(lon, 5), round(lat, 5)]},
                "properties": {
                    "name": name,
                    "url": url.replace(SLUG_MARK, slug),
                    "picto": picto or "",
                    "approx": precision == Place.Precision.COMMUNE,
                },
            }
            for slug, name, lat, lon, precision, picto in rows
        ],
    }


@require_GET
def commune_outline(request, insee):
    feature = commune_boundary(insee)
    if feature is None:
        raise Http404
    response = JsonResponse(feature, content_type="application/geo+json")
    response["Cache-Control"] = "public, max-age=86400"
    return response
