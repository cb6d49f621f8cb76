"""Open data: the directory as CSV (with its Table Schema), GeoJSON, the national standards'
files (« Lieux de médiation numérique », data·inclusion) and a DCAT catalogue entry, with the
public filters.

The read API over the same records is opendata.api."""

import json

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import condition, require_safe

from places.csvfiles import STANDARD, csv_response
from places.links import absolute_url
from places.models import Place, Service
from places.views.mapdata import bad_filters
from territory.models import Commune, Epci

from . import api, datainclusion, mednum, metadata
from .api.filtering import OpenDataFilter
from .records import (
    COLUMNS,
    LICENCE,
    LICENCE_NAME,
    TABLE_SCHEMA,
    csv_row,
    etag,
    last_modified,
    provenance,
    records,
    validated_since,
)


def open_to_all(view):
    """Anyone's site may read these GET endpoints from the browser (CORS)."""

    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        return response

    wrapped.__name__, wrapped.__doc__ = view.__name__, view.__doc__
    return wrapped


def export_endpoint(view):
    """GET or HEAD, readable from any site, answering 304 while nothing changed."""
    conditional = condition(etag_func=etag, last_modified_func=validated_since)(view)
    return require_safe(open_to_all(conditional))


def exported(request):
    places = OpenDataFilter(request.GET, queryset=Place.objects.published(), request=request)
    return places, (places.qs if places.is_valid() else None)


@require_safe
def data_page(request):
    context = {
        "columns": COLUMNS,
        "licence": LICENCE,
        "licence_name": LICENCE_NAME,
        "communes": Commune.objects.only("insee", "name"),
        "epcis": Epci.objects.all(),
        "services": Service.objects.all(),
        "last_modified": last_modified(request),
        "dataset_json_ld": metadata.schema_org(last_modified(request)),
        "page_size": api.PAGE_SIZE,
        "max_page_size": api.MAX_PAGE_SIZE,
        "mednum_version": mednum.SCHEMA_VERSION,
        "mednum_services": [
            (service, mednum.SERVICES[service.code])
            for service in Service.objects.filter(code__in=mednum.SERVICES)
        ],
    }
    return render(request, "opendata/open_data.html", context)


@export_endpoint
def places_csv(request):
    places, queryset = exported(request)
    if queryset is None:
        return bad_filters(places)
    response = csv_response(
        "tiers-lieux-lozere.csv",
        [header for header, _meaning, _key in COLUMNS],
        (csv_row(data) for data in records(queryset)),
    )
    schema = absolute_url(reverse("opendata:csv-schema"))
    response["Link"] = f'<{schema}>; rel="describedby"; type="application/json"'
    return response


@require_safe
@open_to_all
def places_csv_schema(request):
    """lieux.csv's Table Schema (Frictionless), as committed in opendata/schemas/."""
    return HttpResponse(TABLE_SCHEMA, content_type="application/json")


@export_endpoint
def mednum_csv(request):
    """The « Lieux de médiation numérique » standard file: complete places only, never guessed."""
    places, queryset = exported(request)
    if queryset is None:
        return bad_filters(places)
    complete, _incomplete = mednum.split(queryset)
    return csv_response(
        "lieux-de-mediation-numerique-lozere.csv",
        mednum.COLUMNS,
        (mednum.row(place) for place in complete),
        dialect=STANDARD,
        verbatim=mednum.VERBATIM,
    )


def datainclusion_file(request, part):
    places, queryset = exported(request)
    if queryset is None:
        return bad_filters(places)
    structures, services = datainclusion.export(queryset)
    body = datainclusion.dumps(structures if part == "structures" else services)
    return HttpResponse(body, content_type="application/json")


@export_endpoint
def datainclusion_structures(request):
    """data·inclusion's schema (v1): the open places as structures, a JSON list."""
    return datainclusion_file(request, "structures")


@export_endpoint
def datainclusion_services(request):
    """data·inclusion's schema (v1): what those structures offer as services, a JSON list."""
    return datainclusion_file(request, "services")


@export_endpoint
def places_geojson(request):
    places, queryset = exported(request)
    if queryset is None:
        return bad_filters(places)
    features = [
        {
            "type": "Feature",
            "id": data["id"],
            "geometry": {"type": "Point", "coordinates": [data["longitude"], data["latitude"]]}
            if data["latitude"] is not None
            else None,
            "properties": data,
        }
        for data in records(queryset)
    ]
    collection = {"type": "FeatureCollection", **provenance(), "features": features}
    body = json.dumps(collection, ensure_ascii=False)
    return HttpResponse(body, content_type="application/geo+json")


@require_safe
@open_to_all
def catalogue(request):
    """The DCAT-AP catalogue of the open data, for open-data portals (opendata.metadata)."""
    data = metadata.catalogue(last_modified(request))
    return JsonResponse(data, content_type="application/ld+json")
