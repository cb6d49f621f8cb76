"""The directory: the filter form, the list and the map, all from one PlaceFilter."""

import hashlib
from urllib.parse import urlencode

from csp.decorators import csp_replace
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.clickjacking import xframe_options_exempt

from ..cache import public_page, versioned_key
from ..filters import RADIUS_CHOICES_KM, PlaceFilter
from ..maps import map_config
from ..models import Commune, FormerCommune, Place
from ..search import strip_accents

PAGE_SIZE = 24
UNLABELLED_ERRORS = {
    "family",
    "service",
    "type",
    "audience",
    "network",
    "status",
    "lat",
    "lon",
    "accessible",
    "open_now",
}
EMBED_LIMIT = 100
LOCATION_KEYS = {"page", "lat", "lon", "radius"}
TEXT_KEYS = {"q", "near"}


@public_page("directory")
def directory(request):
    """Home: find a place by need, place and time; the map draws the same places on Lozère."""
    places = PlaceFilter(request.GET, queryset=Place.objects.published(), request=request)
    valid = places.is_valid()
    matching = places.matches() if valid else []
    page = Paginator(matching, PAGE_SIZE).get_page(request.GET.get("page"))
    empty = valid and not page.paginator.count
    in_use = _keys_in_use(request, places)
    active = active_filters(request, places, in_use)
    context = {
        "filter": places,
        "page": page,
        "facets": places.facets() if valid else places.valid_part().facets(),
        "toggle_counts": places.toggle_counts(),
        "radius_choices": sorted({*RADIUS_CHOICES_KM, places.radius_km}),
        "commune_names": _commune_names() if places.menus else [],
        "active_filters": active,
        "criteria_count": len(in_use - TEXT_KEYS),
        "wider": wider_radius(request, places) if empty else None,
        "map_config": map_config(
            geojson_url=reverse("places:geojson") + query_string(request, drop={"page"}),
            commune=request.GET.get("commune", ""),
            origin=places.form.origin,
            radius_km=places.radius_km if places.form.origin else None,
        )
        if valid
        else None,
        "unlocated": matching.unlocated() if valid else 0,
        "page_query": query_string(request, drop={"page"}),
        # Fields with no place of their own in the form: their errors are listed at its top.
        "listed_errors": [
            (places.form[name].label, errors)
            for name, errors in places.form.errors.items()
            if name in UNLABELLED_ERRORS
        ],
    }
    return render(request, "places/directory.html", context, status=200 if valid else 400)


def _commune_names():
    """Current and former commune names, for the « near » field's suggestions."""

    def names():
        current = Commune.objects.values_list("name", flat=True)
        former = FormerCommune.objects.values_list("name", flat=True)
        return sorted(set(current) | set(former))

    return cache.get_or_set(versioned_key("commune-names"), names, 3600)


SUGGESTIONS = 10


def commune_suggestions(request):
    """Commune names starting with what the visitor typed, for the « near » field's list."""
    typed = strip_accents(request.GET.get("q", "")).strip()[:100]
    names = []
    if len(typed) >= 2:
        digest = hashlib.sha256(typed.casefold().encode()).hexdigest()
        key = f"places:commune-suggestions:{digest}"
        names = cache.get(key)
        if names is None:
            names = sorted(
                {
                    *Commune.objects.filter(name__unaccent__istartswith=typed).values_list(
                        "name", flat=True
                    )[:SUGGESTIONS],
                    *FormerCommune.objects.filter(name__unaccent__istartswith=typed).values_list(
                        "name", flat=True
                    )[:SUGGESTIONS],
                }
            )[:SUGGESTIONS]
            cache.set(key, names, 3600)
    response = JsonResponse(names, safe=False)
    response["Cache-Control"] = "public, max-age=3600"
    return response


def query_string(request, drop=(), replace=None):
    replace = replace or {}
    pairs = [
        (key, value)
        for key, values in request.GET.lists()
        if key not in drop
        for value in ([replace[key]] if key in replace else values)
    ]
    pairs += [(key, value) for key, value in replace.items() if key not in request.GET]
    encoded = urlencode(pairs)
    return f"?{encoded}" if encoded else ""


def active_filters(request, places, in_use):
    """Each filter in use, with the address of the same search without it."""
    home = reverse("places:home")
    return [
        (_filter_label(places, key, request), home + query_string(request, drop={key, "page"}))
        for key in request.GET
        if key in in_use
    ]


def _keys_in_use(request, places):
    return {
        key
        for key in request.GET
        if key in places.filters and key not in LOCATION_KEYS and any(request.GET.getlist(key))
    }


def _filter_label(places, key, request):
    """A text filter is named by what was typed (« zzzz »), the others by their facet."""
    if key in TEXT_KEYS:
        return request.GET[key]
    return places.filters[key].label


def wider_radius(request, places):
    """For an empty « near » search, the same search over twice the distance."""
    if not places.form.origin or places.radius_km >= max(RADIUS_CHOICES_KM):
        return None
    wider = min(places.radius_km * 2, max(RADIUS_CHOICES_KM))
    url = reverse("places:home") + query_string(
        request, drop={"page"}, replace={"radius": str(wider)}
    )
    return wider, url


@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})
@public_page("embed")
def embed(request):
    """The map and the list, without the site around them, for other sites' iframes."""
    places = PlaceFilter(request.GET, queryset=Place.objects.published(), request=request)
    valid = places.is_valid()
    matching = places.matches() if valid else []
    context = {
        "filter": places,
        "places": matching[:EMBED_LIMIT],
        "count": len(matching),
        "full_url": reverse("places:home") + query_string(request),
        "map_config": map_config(
            geojson_url=reverse("places:geojson") + query_string(request),
            origin=places.form.origin,
            radius_km=places.radius_km if places.form.origin else None,
        )
        if valid
        else None,
    }
    return render(request, "places/embed.html", context, status=200 if valid else 400)
