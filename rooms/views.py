"""`/salles/`, asking for a room, the links of the e-mails, the calendars, the network's view."""

import orjson
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from backoffice.roles import coordinators_only
from contributions import limits
from places import hours
from places.csvfiles import csv_response
from places.maps import DEFAULT_PICTOGRAM, map_config
from places.models import Place
from places.views.listing import query_string

from . import bookings, network
from .emails import booking_component
from .filters import RoomFilter, bookable_rooms
from .forms import RefusalForm, RequestForm
from .models import RoomRequest

PAGE_SIZE = 30
UNLABELLED_ERRORS = {"lat", "lon", "equipment", "kind", "period", "__all__"}
# Calendars hold the accepted bookings from a month back to a year ahead.
FEED_PAST_DAYS = 31


def search_rooms(request):
    rooms = RoomFilter(request.GET, queryset=bookable_rooms(), request=request)
    return rooms, rooms.is_valid()


@require_GET
def search(request):
    """Rooms of the network, by day and time, people, equipment, kind and « near »: with a day
    asked for, only those free then."""
    rooms, valid = search_rooms(request)
    page = (
        rooms.page(request.GET.get("page"), PAGE_SIZE)
        if valid
        else Paginator([], PAGE_SIZE).get_page(1)
    )
    slot = rooms.slot
    context = {
        "filter": rooms,
        "page": page,
        "slot": slot,
        "ask_query": _ask_query(rooms) if slot else "",
        "query": query_string(request, drop={"page"}),
        "map_config": map_config(
            geojson_url=reverse("rooms:geojson") + query_string(request, drop={"page"}),
            origin=rooms.form.origin,
            radius_km=rooms.radius_km if rooms.form.origin else None,
        )
        if valid and page.paginator.count
        else None,
        "listed_errors": [
            (rooms.form[name].label if name in rooms.form.fields else _("Position"), errors)
            for name, errors in rooms.form.errors.items()
            if name in UNLABELLED_ERRORS
        ],
    }
    status = 200 if valid or rooms.form.misspelled_only else 400
    return render(request, "rooms/search.html", context, status=status)


@require_GET
def rooms_geojson(request):
    """The places of the same search's rooms, as points for the map."""
    rooms, valid = search_rooms(request)
    if not valid:
        return JsonResponse(
            {
                "error": _("Paramètres de recherche invalides."),
                "fields": rooms.errors.get_json_data(),
            },
            status=400,
        )
    features = {}
    found = rooms.qs.order_by("place__name", "name").values_list(
        "name",
        "place__pk",
        "place__name",
        "place__slug",
        "place__latitude",
        "place__longitude",
        "place__location_precision",
    )
    for name, pk, place, slug, latitude, longitude, precision in found:
        if latitude is None:
            continue
        feature = features.setdefault(
            pk,
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [round(longitude, 5), round(latitude, 5)],
                },
                "properties": {
                    "name": place,
                    "url": reverse("places:detail", args=[slug]) + "#salles",
                    "picto": DEFAULT_PICTOGRAM,
                    "approx": precision == Place.Precision.COMMUNE,
                    "rooms": [],
                },
            },
        )
        feature["properties"]["rooms"].append(name)
    for feature in features.values():
        properties = feature["properties"]
        properties["name"] = f"{properties['name']} — {', '.join(properties.pop('rooms'))}"
    data = {"type": "FeatureCollection", "features": list(features.values())}
    return HttpResponse(orjson.dumps(data), content_type="application/geo+json")


def _ask_query(rooms):
    start, end = rooms.slot
    start, end = bookings.local(start), bookings.local(end)
    people = rooms.form.cleaned_data.get("people")
    query = f"?date={start:%Y-%m-%d}&start={start:%H:%M}&end={end:%H:%M}"
    return query + (f"&people={people}" if people else "")


@require_http_methods(["GET", "HEAD", "POST"])
def ask(request, pk):
    """« Demander ce créneau »: the form, prefilled from the search; checked again on sending."""
    room = get_object_or_404(bookable_rooms().select_related("place"), pk=pk)
    if request.method == "POST":
        form = RequestForm(request.POST, room=room)
    else:
        form = RequestForm(room=room, initial=_initial(request.GET))
    status = 200
    if request.method == "POST":
        if refused := limits.form_refusal(request, form, mails=True):
            status = refused
        elif form.is_spam:
            return redirect(room.place)
        else:
            data = form.cleaned_data
            try:
                asked = bookings.ask(
                    room,
                    *data["slot"],
                    data["people"],
                    **{
                        key: data[key]
                        for key in ("name", "email", "phone", "organisation", "purpose")
                    },
                )
            except bookings.Refused as refusal:
                form.add_error(None, str(refusal))
                status = 400
            else:
                if asked.status == RoomRequest.Status.ACCEPTED:
                    messages.success(
                        request, _("C'est réservé ! La confirmation part par courriel.")
                    )
                else:
                    messages.success(
                        request,
                        _("Demande envoyée : le lieu vous répondra par courriel."),
                    )
                return redirect(room.place)
    context = {
        "room": room,
        "place": room.place,
        "form": form,
        "week": hours.week(room.rules) if room.rules else None,
    }
    return render(request, "rooms/ask.html", context, status=status)


def _initial(query):
    """What the search's link carries, kept only where it reads as the form's field."""
    fields = RequestForm.base_fields
    kept = {}
    for key in ("date", "start", "end", "people"):
        value = query.get(key)
        if not value:
            continue
        try:
            fields[key].clean(value)
        except ValidationError:
            continue
        kept[key] = value
    return kept


# The signed link, not a cookie, is what allows the step (as backoffice's « Toujours exact »): a
# forged cross-site POST would need the link itself, and the buttons work in mail apps' own
# browsers, which may keep no cookie. Never kept by a cache, the phone's included (templates/sw.js):
# the place's page shows who asked.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def cancel(request, token):
    """The requester's cancel link: a page whose button (a POST) cancels."""
    template = "rooms/cancel.html"
    found, answered = _opened(request, token, "requester", template)
    if answered:
        return answered
    state, error = "ask", ""
    if request.method == "POST":
        try:
            found = bookings.cancel(found, RoomRequest.Side.REQUESTER)
            state = "done"
        except bookings.Refused as refusal:
            error = str(refusal)
    if state == "ask" and found.status not in (
        RoomRequest.Status.ASKED,
        RoomRequest.Status.ACCEPTED,
    ):
        state = "over"
    context = {"state": state, "booking": found, "error": error}
    return render(request, template, context, status=400 if error else 200)


@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def answer(request, token):
    """The place's link: the request, and buttons to accept, refuse (with a reason) or cancel."""
    template = "rooms/answer.html"
    found, answered = _opened(request, token, "place", template)
    if answered:
        return answered
    refusal_form = RefusalForm(request.POST if request.POST.get("action") == "refuse" else None)
    error, status = "", 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "accept":
                found = bookings.accept(found)
                messages.success(request, _("Demande acceptée : le demandeur est prévenu."))
            elif action == "refuse" and refusal_form.is_valid():
                found = bookings.refuse(found, refusal_form.cleaned_data["reason"])
                messages.success(request, _("Demande refusée : le demandeur est prévenu."))
            elif action == "cancel":
                found = bookings.cancel(found, RoomRequest.Side.PLACE)
                messages.success(request, _("Réservation annulée : le demandeur est prévenu."))
            elif action != "refuse":
                error = _("Choisissez une réponse.")
        except bookings.Refused as refused:
            error = str(refused)
        if error or refusal_form.errors:
            status = 400
        else:
            return redirect(request.path)
    context = {
        "state": "show",
        "booking": found,
        "refusal_form": refusal_form,
        "error": error,
    }
    return render(request, template, context, status=status)


def _opened(request, token, side, template):
    """The request a signed link of `side` opens, or the page saying the link is not valid (400)
    or the request gone."""
    try:
        found = bookings.open_link(token, side)
    except bookings.Refused as refusal:
        context = {"state": "invalid", "reason": str(refusal)}
        return None, render(request, template, context, status=400)
    if found is None:
        return None, render(request, template, {"state": "gone"})
    return found, None


# Calendars


def _accepted(**where):
    now = timezone.now()
    return (
        RoomRequest.objects.filter(status=RoomRequest.Status.ACCEPTED, **where)
        .filter(
            end__gte=now - timezone.timedelta(days=FEED_PAST_DAYS),
            start__lte=now + bookings.MAX_AHEAD,
        )
        .select_related("room__place")
        .order_by("start", "pk")
    )


def _ics(found, name, detailed):
    from agenda.recurrence import calendar

    components = [booking_component(booking, detailed) for booking in found]
    body = calendar(components, name).to_ical()
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="salles.ics"'
    if detailed:
        response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
def room_ics(request, pk):
    """A room's busy times (no one's name), to subscribe to."""
    room = get_object_or_404(bookable_rooms().select_related("place"), pk=pk)
    return _ics(_accepted(room=room), f"{room.name} — {room.place.name}", detailed=False)


@require_GET
def place_ics(request, slug):
    """The busy times of a place's rooms."""
    place = get_object_or_404(Place.objects.published(), slug=slug)
    return _ics(_accepted(room__place=place), _("Salles — %s") % place.name, detailed=False)


@never_cache
@require_GET
def private_ics(request, token):
    """A place's bookings with who, why and how to reach them: the secret address its animateurs
    receive (signed, never linked from a public page; it changes when they do)."""
    place = bookings.calendar_place(token)
    if place is None:
        raise Http404
    return _ics(_accepted(room__place=place), _("Salles — %s") % place.name, detailed=True)


# The network's view


@coordinators_only
def network_view(request):
    """Requests, acceptance rate, response time and occupancy per room and month, for a year."""
    year = network.year_asked(request.GET.get("annee"))
    if year is None:
        return render(request, "rooms/network.html", {"invalid": True}, status=400)
    rows, totals = network.figures(year)
    context = {
        "year": year,
        "rows": rows,
        "totals": totals,
        "years": network.years(),
        "csv_url": reverse("rooms:network-csv") + f"?annee={year}",
        "title": _("Salles du réseau"),
    }
    return render(request, "rooms/network.html", context)


@coordinators_only
def network_csv(request):
    year = network.year_asked(request.GET.get("annee"))
    if year is None:
        return HttpResponse(_("Année invalide."), status=400, content_type="text/plain")
    rows, _totals = network.figures(year)
    return csv_response(f"salles-{year}.csv", network.csv_header(), network.csv_rows(rows))
