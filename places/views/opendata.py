"""Open data: the directory as CSV, GeoJSON and a DCAT catalogue entry, with the public filters."""

import csv
import io
import json

from django import forms
from django.core.paginator import EmptyPage, Paginator
from django.db.models import Case, When
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import condition, require_safe

from .. import mednum
from ..filters import PlaceFilter
from ..models import Commune, Epci, Place, Service
from ..opendata import (
    COLUMNS,
    LICENCE,
    LICENCE_NAME,
    csv_row,
    etag,
    last_modified,
    records,
)
from .mapdata import bad_filters

API_PAGE_SIZE = 50
API_MAX_PAGE_SIZE = 200


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
    conditional = condition(etag_func=etag, last_modified_func=last_modified)(view)
    return require_safe(open_to_all(conditional))


def exported(request):
    places = PlaceFilter(request.GET, queryset=Place.objects.published(), request=request)
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
        "mednum_version": mednum.SCHEMA_VERSION,
        "mednum_services": [
            (service, mednum.SERVICES[service.code])
            for service in Service.objects.filter(code__in=mednum.SERVICES)
        ],
    }
    return render(request, "places/open_data.html", context)


@export_endpoint
def places_csv(request):
    places, queryset = exported(request)
    if queryset is None:
        return bad_filters(places)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([header for header, _meaning, _key in COLUMNS])
    writer.writerows(csv_row(data) for data in records(queryset, request))
    return csv_response(buffer, "tiers-lieux-lozere.csv")


@export_endpoint
def mednum_csv(request):
    """The « Lieux de médiation numérique » standard file: complete places only, never guessed."""
    places, queryset = exported(request)
    if queryset is None:
        return bad_filters(places)
    complete, _incomplete = mednum.split(queryset)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(mednum.COLUMNS)
    writer.writerows(mednum.row(place) for place in complete)
    return csv_response(buffer, "lieux-de-mediation-numerique-lozere.csv")


def csv_response(buffer, filename):
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@export_endpoint
def places_geojson(request):
    places, queryset = exported(request)
    if queryset is None:
        return bad_filters(places)
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [data["longitude"], data["latitude"]]}
            if data["latitude"] is not None
            else None,
            "properties": data,
        }
        for data in records(queryset, request)
    ]
    body = json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False)
    return HttpResponse(body, content_type="application/geo+json")


@require_safe
@open_to_all
def catalogue(request):
    """A DCAT description of the dataset, for open-data portals."""
    changed = last_modified(request)
    url = request.build_absolute_uri
    data = {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
        },
        "@type": "dcat:Dataset",
        "@id": url(reverse("places:open-data")),
        "dct:title": "Tiers-lieux de Lozère (Solozère)",
        "dct:description": (
            "Annuaire des tiers-lieux de Lozère : télécentres, coworkings, fablabs, "
            "France Services, cafés, lieux culturels, de formation et itinérants."
        ),
        "dct:publisher": {"@type": "foaf:Organization", "foaf:name": "Lozère Développement"},
        "dct:license": LICENCE,
        "dct:modified": changed.date().isoformat() if changed else None,
        "dct:spatial": "https://www.insee.fr/fr/metadonnees/cog/departement/DEP48-lozere",
        "dcat:distribution": [
            {
                "@type": "dcat:Distribution",
                "dcat:downloadURL": url(reverse(name)),
                "dcat:mediaType": media_type,
                "dct:license": LICENCE,
            }
            for name, media_type in [
                ("places:open-data-csv", "text/csv"),
                ("places:open-data-geojson", "application/geo+json"),
                ("places:open-data-mednum", "text/csv"),
            ]
        ],
    }
    return JsonResponse(data, content_type="application/ld+json")


# Read API


@export_endpoint
def api_list(request):
    places, queryset = exported(request)
    if queryset is None:
        return bad_filters(places)
    try:
        size = min(int(request.GET.get("page_size", API_PAGE_SIZE)), API_MAX_PAGE_SIZE)
        number = int(request.GET.get("page", 1))
        if size < 1:
            raise ValueError
        page = Paginator(queryset.values_list("pk", flat=True), size).page(number)
    except (ValueError, EmptyPage):
        return JsonResponse(
            {"error": _("Paramètres de pagination invalides : page et page_size.")}, status=400
        )
    return JsonResponse(
        {
            "count": page.paginator.count,
            "page": page.number,
            "pages": page.paginator.num_pages,
            "next": _page_url(request, page.next_page_number()) if page.has_next() else None,
            "previous": _page_url(request, page.previous_page_number())
            if page.has_previous()
            else None,
            "results": records(_in_order(page.object_list), request),
        },
        json_dumps_params={"ensure_ascii": False},
    )


def _in_order(ids):
    """A queryset of a page's places that keeps the page's order."""
    ids = list(ids)
    order = Case(*(When(pk=pk, then=index) for index, pk in enumerate(ids)))
    return Place.objects.filter(pk__in=ids).order_by(order) if ids else Place.objects.none()


def _page_url(request, number):
    query = request.GET.copy()
    query["page"] = number
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


@require_safe
@open_to_all
def api_detail(request, slug):
    found = records(Place.objects.published().filter(slug=slug), request)
    if not found:
        raise Http404
    return JsonResponse(found[0], json_dumps_params={"ensure_ascii": False})


MULTIPLE_FIELDS = (forms.MultipleChoiceField, forms.ModelMultipleChoiceField)


@require_safe
@open_to_all
def openapi(request):
    """The API's OpenAPI 3 description, its filters read from the PlaceFilter itself."""
    filters = PlaceFilter(queryset=Place.objects.none()).filters
    parameters = [
        {
            "name": name,
            "in": "query",
            "required": False,
            "description": str(definition.label or name),
            "schema": {"type": "array", "items": {"type": "string"}}
            if issubclass(definition.field_class, MULTIPLE_FIELDS)
            else {"type": "string"},
            "explode": True,
        }
        for name, definition in filters.items()
    ]
    paging = [
        {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
        {
            "name": "page_size",
            "in": "query",
            "schema": {"type": "integer", "minimum": 1, "maximum": API_MAX_PAGE_SIZE},
        },
    ]
    place = {
        "type": "object",
        "properties": {key: {"description": str(meaning)} for _header, meaning, key in COLUMNS},
    }
    error = {"type": "object", "properties": {"error": {"type": "string"}}}
    spec = {
        "openapi": "3.0.3",
        "info": {
            "title": "API Solozère",
            "version": "1.0",
            "description": "Lecture de l'annuaire des tiers-lieux de Lozère.",
            "license": {"name": LICENCE_NAME, "url": LICENCE},
        },
        "servers": [{"url": request.build_absolute_uri("/")}],
        "paths": {
            reverse("places:api-list"): {
                "get": {
                    "summary": "Liste des lieux, avec les filtres du site",
                    "parameters": parameters + paging,
                    "responses": {
                        "200": {
                            "description": "Une page de lieux",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "properties": {
                                            "count": {"type": "integer"},
                                            "next": {"type": "string", "nullable": True},
                                            "previous": {"type": "string", "nullable": True},
                                            "results": {"type": "array", "items": place},
                                        },
                                    }
                                }
                            },
                        },
                        "400": {
                            "description": "Paramètre invalide, avec la raison",
                            "content": {"application/json": {"schema": error}},
                        },
                    },
                }
            },
            reverse("places:api-detail", args=["SLUG"]).replace("SLUG", "{slug}"): {
                "get": {
                    "summary": "Un lieu",
                    "parameters": [
                        {
                            "name": "slug",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "Le lieu",
                            "content": {"application/json": {"schema": place}},
                        },
                        "404": {"description": "Lieu inconnu"},
                    },
                }
            },
        },
    }
    return JsonResponse(spec, json_dumps_params={"ensure_ascii": False})
