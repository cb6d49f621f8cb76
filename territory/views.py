"""What maps load of the territory: a commune's or an area's outline, and where to write the
communes' names."""

from django.db.models import F, Max
from django.http import Http404, JsonResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition, require_GET

from .geo import area_outline, commune_boundary
from .models import Commune


def geojson(feature):
    """Outlines change with IGN's files, once a year: a day in the browser's cache."""
    response = JsonResponse(feature, content_type="application/geo+json")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_GET
def commune_outline(request, insee):
    feature = commune_boundary(insee)
    if feature is None:
        raise Http404
    return geojson(feature)


@require_GET
def epci_outline(request, siren):
    """A communauté de communes' outline: the edges of its communes that no other of them
    shares."""
    codes = Commune.objects.filter(epci__siren=siren).values_list("insee", flat=True)
    feature = area_outline(list(codes))
    if feature is None:
        raise Http404
    return geojson(feature)


def communes_changed(request):
    return Commune.objects.aggregate(latest=Max("updated_at"))["latest"]


@require_GET
@cache_control(public=True, max_age=3600)
@condition(last_modified_func=communes_changed)
def commune_labels(request):
    """Where maps write each commune's name, most populous first: [name, latitude, longitude,
    population]. Maps write the first ones when zoomed out, all when zoomed in. Kept an hour by
    the browser, then answered 304 while no commune has changed."""
    rows = (
        Commune.objects.filter(townhall_latitude__isnull=False)
        .order_by(F("population").desc(nulls_last=True), "name")
        .values_list("name", "townhall_latitude", "townhall_longitude", "population")
    )
    return JsonResponse(
        {
            "communes": [
                [name, round(latitude, 5), round(longitude, 5), population or 0]
                for name, latitude, longitude, population in rows
            ]
        }
    )
