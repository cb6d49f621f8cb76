"""The directory: the filter form, the list and the map, all from one PlaceFilter."""

import math
from urllib.parse import urlencode

from csp.decorators import csp_replace
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.clickjacking import xframe_options_exempt

from territory.models import Commune, FormerCommune
from territory.text import strip_accents

from .. import extensions
from ..filters import MAX_RADIUS_KM, RADIUS_CHOICES_KM, PlaceFilter
from ..freshness import public_page, uncached
from ..maps import map_config
from ..models import Place

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
    "event_week",
    "include_projects",
}
EMBED_LIMIT = 100
LOCATION_KEYS = {"page", "lat", "lon", "radius"}
TEXT_KEYS = {"q", "near"}
# What the directory's pages read: anything else is answered, never cached.
SEARCH_PARAMS = frozenset(PlaceFilter.base_filters) | {"page"}


def search_places(request):
    """The search a request asks for, and the places it gives (none when it is invalid)."""
    places = PlaceFilter(request.GET, queryset=Place.objects.published(), request=request)
    valid = places.is_valid()
    return places, valid, (places.qs if valid else Place.objects.none())


@public_page(SEARCH_PARAMS)
def directory(request):
    """Home: find a place by need, place and time; the map draws the same places on Lozère."""
    places, valid, matching = search_places(request)
    page = Paginator(matching.with_card_data(), PAGE_SIZE).get_page(request.GET.get("page"))
    empty = valid and not page.paginator.count
    in_use = _keys_in_use(request, places)
    active = active_filters(request, places, in_use)
    toggle_counts = places.toggle_counts()
    context = {
        "filter": places,
        "page": page,
        "facets": places.facets() if valid else places.valid_part().facets(),
        "toggle_counts": toggle_counts,
        "projects_left_out": projects_left_out(request, places, toggle_counts, page),
        "radius_choices": sorted({*RADIUS_CHOICES_KM, places.radius_km}),
        "commune_names": _commune_names() if places.menus else [],
        "active_filters": active,
        "criteria_count": len(in_use - TEXT_KEYS),
        "further": further(request, places) if empty else None,
        # Other apps' sections: the home's (a search without words nor criteria, from anywhere),
        # and an empty result's (places.extensions).
        "home_sections": []
        if in_use - {"near"}
        else extensions.home.render(request=request, search=places),
        "empty_sections": extensions.empty_search.render(request=request, search=places)
        if empty
        else [],
        # A search that found places folds its form on a phone, for the places to show.
        "fold_search": bool(page.paginator.count) and not SEARCH_PARAMS.isdisjoint(request.GET),
        "map_config": map_config(
            geojson_url=reverse("places:geojson") + query_string(request, drop={"page"}),
            commune=request.GET.get("commune", ""),
            origin=places.form.origin,
            radius_km=places.radius_km if places.form.origin else None,
        )
        if valid
        else None,
        "unlocated": matching.filter(latitude__isnull=True).count() if valid else 0,
        "page_query": query_string(request, drop={"page"}),
        "search_extensions": extensions.search.templates,
        "near_suggestions": [
            (label, reverse("places:home") + query_string(request, {"page"}, {"near": name}))
            for label, name in places.form.near_suggestions
        ],
        # Fields with no place of their own in the form: their errors are listed at its top.
        "listed_errors": [
            (places.form[name].label, errors)
            for name, errors in places.form.errors.items()
            if name in UNLABELLED_ERRORS
        ],
    }
    response = render(
        request, "places/directory.html", context, status=search_status(places, valid)
    )
    if empty:
        # Each search that finds nothing reaches the apps told of it (unmet demand), so its page
        # is never served from the cache.
        for told in extensions.unanswered:
            told(request, places)
        uncached(response)
    return response


def search_status(places, valid):
    """400 for a request no form could have sent; a misspelled commune is a search like any."""
    return 200 if valid or places.form.misspelled_only else 400


def _commune_names():
    """Current and former commune names, for the « near » field's suggestions."""
    current = Commune.objects.values_list("name", flat=True)
    former = FormerCommune.objects.values_list("name", flat=True)
    return sorted(set(current) | set(former))


SUGGESTIONS = 10


def commune_suggestions(request):
    """Commune names starting with what the visitor typed, for the « near » field's list."""
    typed = strip_accents(request.GET.get("q", "")).strip()[:100]
    names = []
    if len(typed) >= 2:
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


def further(request, places):
    """For an empty « near » search: the nearest place the same search finds further away, and
    the same search over a radius that reaches it (None when no radius offered can)."""
    nearest = places.nearest_further()
    if nearest is None:
        return None
    radius = radius_reaching(nearest.distance)
    url = None
    if radius is not None:
        url = reverse("places:home") + query_string(
            request, drop={"page"}, replace={"radius": str(radius)}
        )
    return {"place": nearest, "radius": radius, "url": url}


# A hair beyond the nearest place: the list measures distances again, rounded its own way.
REACH_MARGIN_KM = 0.01


def radius_reaching(km):
    """The smallest radius offered that reaches `km`, else `km` rounded up to a whole number
    within the largest radius a search takes; None beyond it."""
    reach = km + REACH_MARGIN_KM
    offered = [choice for choice in RADIUS_CHOICES_KM if choice >= reach]
    if offered:
        return offered[0]
    return math.ceil(reach) if reach <= MAX_RADIUS_KM else None


def projects_left_out(request, places, toggle_counts, page):
    """How many places in project the search would add if asked to, and the address that asks;
    None when it lists them already (or asks for statuses of its own)."""
    if not places.is_valid() or places.form.cleaned_data.get("status") or places.with_projects():
        return None
    count = toggle_counts.get("include_projects", 0) - page.paginator.count
    if count <= 0:
        return None
    url = reverse("places:home") + query_string(
        request, drop={"page"}, replace={"include_projects": "true"}
    )
    return {"count": count, "url": url}


@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})
@public_page(SEARCH_PARAMS)
def embed(request):
    """The map and the list, without the site around them, for other sites' iframes."""
    places, valid, matching = search_places(request)
    context = {
        "filter": places,
        "places": matching.with_card_data()[:EMBED_LIMIT],
        "count": matching.count(),
        "full_url": reverse("places:home") + query_string(request),
        "map_config": map_config(
            geojson_url=reverse("places:geojson") + query_string(request),
            origin=places.form.origin,
            radius_km=places.radius_km if places.form.origin else None,
        )
        if valid
        else None,
    }
    return render(request, "places/embed.html", context, status=search_status(places, valid))
