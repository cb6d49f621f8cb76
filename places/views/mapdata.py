"""Data the map loads: matching places as light GeoJSON, and one commune's outline at a time."""

import orjson
from django.db.models import Avg, Count, F, Max, Min
from django.db.models.functions import Floor
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ..filters import PlaceFilter
from ..freshness import public_page
from ..models import Place, Stop
from ..models.base import in_active_language

SLUG_MARK = "__slug__"
MAP_PARAMS = frozenset(PlaceFilter.base_filters) | {"bbox", "grid"}


def bad_filters(places):
    return JsonResponse(
        {"error": _("Paramètres de recherche invalides."), "fields": places.errors.get_json_data()},
        status=400,
    )


# With ?grid=1, more places than this in view come back as counts per cell of a grid.
GRID_THRESHOLD = 300
GRID_CELLS = 12


@require_GET
@public_page(MAP_PARAMS)
def places_geojson(request):
    """The places the same search would list, as points with just what a marker needs.

    The map asks with ?grid=1 (and the view's ?bbox=west,south,east,north once it moves): when
    more places than GRID_THRESHOLD are in view, it gets one feature per cell of a grid laid over
    the view, with its count, so what it downloads stays small however many places there are.
    """
    places = PlaceFilter(request.GET, queryset=Place.objects.published(), request=request)
    if not places.is_valid():
        return bad_filters(places)
    try:
        box = _bbox(request.GET.get("bbox"))
    except ValueError:
        return JsonResponse(
            {"error": _("bbox attend quatre nombres : ouest,sud,est,nord (en degrés).")},
            status=400,
        )
    queryset = places.qs
    if box:
        west, south, east, north = box
        queryset = queryset.within(south, north, west, east)
    gridded = bool(request.GET.get("grid"))
    data = _gridded(queryset, box) if gridded else _feature_collection(queryset)
    # orjson: ten times json.dumps' speed, for 20,000 places.
    return HttpResponse(orjson.dumps(data), content_type="application/geo+json")


def _bbox(text):
    if not text:
        return None
    west, south, east, north = (float(part) for part in text.split(","))
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise ValueError(text)
    return west, south, east, north


def _gridded(queryset, box):
    """Points when few enough are in view; otherwise one counted feature per grid cell."""
    located = queryset.located().order_by()
    extent = located.aggregate(
        n=Count("pk"),
        south=Min("latitude"),
        north=Max("latitude"),
        west=Min("longitude"),
        east=Max("longitude"),
    )
    if extent["n"] <= GRID_THRESHOLD:
        return _feature_collection(queryset)
    west, south, east, north = box or (
        extent["west"],
        extent["south"],
        extent["east"],
        extent["north"],
    )
    cell = max(east - west, north - south) / GRID_CELLS or 1
    cells = (
        located.annotate(
            column=Floor((F("longitude") - west) / cell), row=Floor((F("latitude") - south) / cell)
        )
        .values("column", "row")
        .annotate(count=Count("pk"), latitude=Avg("latitude"), longitude=Avg("longitude"))
        .order_by("row", "column")
    )
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [round(c["longitude"], 4), round(c["latitude"], 4)],
                },
                "properties": {"count": c["count"]},
            }
            for c in cells
        ],
        "gridded": True,
    }


def catalogue(places):
    """What the popups of `places` name, each once for the whole map: {"types": {code: label},
    "services": {code: [label, pictogram]}}, and each place's type and service codes by pk, in
    the catalogue's order. Two queries, whatever the number of places."""
    ids = places.order_by().values("pk")
    types = (
        Place.types.through.objects.filter(place__in=ids)
        .order_by("placetype__position", "placetype__code")
        .values_list("place_id", "placetype__code", "placetype__label_fr", "placetype__label_en")
    )
    services = (
        Place.services.through.objects.filter(place__in=ids)
        .order_by("service__position", "service__code")
        .values_list(
            "place_id",
            "service__code",
            "service__label_fr",
            "service__label_en",
            "service__pictogram",
        )
    )
    labels = {"types": {}, "services": {}}
    offered = {}
    for pk, code, french, english in types:
        labels["types"][code] = in_active_language(french, english)
        offered.setdefault(pk, ([], []))[0].append(code)
    for pk, code, french, english, pictogram in services:
        labels["services"][code] = [in_active_language(french, english), pictogram]
        offered.setdefault(pk, ([], []))[1].append(code)
    return labels, offered


def _feature_collection(queryset):
    """Each place as a point with what its marker and popup show: name, page, pictogram, whether
    its position is approximate, its types, commune and services (codes, named once in the
    collection's "types" and "services"), and whether it is open now (None: hours unknown)."""
    labels, offered = catalogue(queryset)
    now_open = set(Place.objects.open_expressions(timezone.now()))
    rows = queryset.located().values_list(
        "pk",
        "slug",
        "status",
        "opening_hours",
        "name",
        "latitude",
        "longitude",
        "location_precision",
        "commune__name",
    )
    url = reverse("places:detail", args=[SLUG_MARK])

    def about(pk, slug, status, hours):
        return _about(
            url.replace(SLUG_MARK, slug), offered.get(pk), labels, status, hours, now_open
        )

    features = [
        _point(lat, lon, name, precision == Place.Precision.COMMUNE, commune, about(*place))
        for *place, name, lat, lon, precision, commune in rows
    ]
    # An itinerant place is drawn at each of its stops too, named with where and when it stops;
    # a stop without a point of its own is at its commune's town hall, an approximate position.
    stops = (
        Stop.objects.filter(place__in=queryset.order_by().values("pk"))
        .positioned()
        .order_by("place__name", "position")
        .values_list(
            "place_id",
            "place__slug",
            "place__status",
            "place__opening_hours",
            "place__name",
            "lat",
            "lon",
            "latitude",
            "label",
            "commune__name",
            "schedule",
        )
    )
    for *place, name, lat, lon, own_latitude, label, commune, schedule in stops:
        where = ", ".join(filter(None, [label, commune]))
        stop = " — ".join(filter(None, [where, schedule]))
        title = f"{name} ({stop})" if stop else name
        features.append(_point(lat, lon, title, own_latitude is None, commune, about(*place)))
    return {"type": "FeatureCollection", **labels, "features": features}


def _about(url, offered, labels, status, hours, now_open):
    """What every marker of a place says, at whichever of its stops it stands."""
    types, services = offered or ([], [])
    about = {
        "url": url,
        "picto": labels["services"][services[0]][1] if services else "",
        "types": types,
        "services": services,
        # Open or closed now, as its page says; None when its hours are unknown or it is not open.
        "open": hours in now_open if status == Place.Status.OPEN and hours else None,
    }
    if status != Place.Status.OPEN:
        about["status"] = status
    return about


def _point(lat, lon, name, approximate, commune, about):
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [round(lon, 5), round(lat, 5)]},
        "properties": {"name": name, **about, "approx": approximate, "commune": commune or ""},
    }
