"""The directory read without a network: the page listing the places the service worker stored,
and the compact list it stores (/hors-ligne/lieux.json).

The service worker (solozere/views.py: `service_worker`, static/js/sw.js) keeps the list when it
installs and each time it is read online; the page (static/js/offline.js) reads it from there,
online or not, with the time it was made.
"""

import orjson
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.views.decorators.http import require_safe

from .. import hours
from ..freshness import public_page
from ..models import Place


@require_safe
@public_page()
def offline_page(request):
    """The list of places kept on the device, with a box to search it (JavaScript reads it)."""
    return render(request, "places/offline.html")


@require_safe
@public_page()
def offline_places(request):
    """Every place the directory lists (open or in project) with what a visitor needs to reach
    it without a network: name, page, commune, types, status, phone, and its hours for the seven
    days from now (the list says when it was made), with the note on its hours. Two queries
    whatever the count, and the directory's state."""
    now = timezone.now()
    places = (
        Place.objects.published()
        .active()
        .select_related("commune")
        .prefetch_related("types")
        .order_by("name", "pk")
    )
    data = {
        "made": now.isoformat(timespec="seconds"),
        "places": [_record(place, now) for place in places],
    }
    return HttpResponse(orjson.dumps(data), content_type="application/json")


def _record(place, now):
    record = {
        "name": place.name,
        "url": place.get_absolute_url(),
        "commune": place.commune.name if place.commune else "",
        "itinerant": place.itinerant,
        "types": [kind.label for kind in place.types.all()],
        "phone": place.phone,
        "hours": [
            [date_format(day, "l j/m").capitalize(), [f"{start}–{end}" for start, end in slots]]
            for day, slots in hours.week(place.opening_hours, now)
        ]
        if place.opening_hours
        else [],
        "note": place.opening_hours_note,
    }
    if place.status != Place.Status.OPEN:
        record["status"] = capfirst(place.get_status_display())
    return record
