"""The site's URLs, plus the floor the benchmark compares pages with."""

from django.http import HttpResponse
from django.template import engines
from django.urls import include, path

from places.models import Place

TRIVIAL = engines["django"].from_string("<!doctype html><title>x</title><p>{{ name }}</p>")


def minimal(request):
    """One query, a trivial template: what any Django page costs at the least."""
    place = Place.objects.only("name").order_by("pk").first()
    return HttpResponse(TRIVIAL.render({"name": place.name if place else ""}))


urlpatterns = [
    path("bench/minimal/", minimal),
    path("", include("solozere.urls")),
]
