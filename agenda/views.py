"""The agenda's pages and calendars, all from one EventFilter."""

from datetime import timedelta
from itertools import groupby

import orjson
from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from contributions import limits
from places.freshness import public_page
from places.maps import DEFAULT_PICTOGRAM, map_config
from places.models import Network, Place
from places.views.listing import query_string
from territory.models import Epci

from . import feeds, registrations
from .filters import EventFilter
from .forms import ProposalForm, RegistrationForm
from .models import Event, Registration
from .recurrence import MAX_WINDOW, local
from .structured import event_json_ld

SEARCH_PARAMS = frozenset(EventFilter.base_filters)
MAX_LISTED = 300  # dates on one page; a narrower search shows the rest
# Calendars without dates asked for: the last month and the coming year.
FEED_PAST = timedelta(days=31)
UPCOMING_ON_PAGE = 10
UNLABELLED_ERRORS = {"lat", "lon", "audience", "type", "network", "free", "when"}


def search_events(request, queryset=None):
    events = EventFilter(
        request.GET, queryset=queryset or Event.objects.published(), request=request
    )
    return events, events.is_valid()


def dates_of(events, limit=None):
    """The dates of the matching events in the search's window, in order (at most `limit`)."""
    return events.matching(events.queryset).dates(*events.window, limit=limit)


@public_page(SEARCH_PARAMS)
def agenda(request):
    """By day: what happens in the tiers-lieux, filtered by when, where, for whom, and price."""
    events, valid = search_events(request)
    dates = dates_of(events, limit=MAX_LISTED + 1) if valid else []
    shown = dates[:MAX_LISTED]
    asked = events.form.data
    map_query = query_string(request) if {"when", "start", "end"} & set(asked) else None
    context = {
        "filter": events,
        "days": [(day, list(items)) for day, items in groupby(shown, key=lambda o: o.day)],
        "truncated": len(dates) > MAX_LISTED,
        "first_day": events.days[0],
        "last_day": events.days[1],
        "ics_url": reverse("agenda:ics") + query_string(request),
        "map_config": map_config(
            geojson_url=reverse("agenda:geojson")
            + (map_query or query_string(request, replace={"when": "week"})),
            origin=events.form.origin if valid else None,
            radius_km=events.radius_km if valid and events.form.origin else None,
        )
        if valid
        else None,
        # Errors of fields without a place of their own in the form, listed at its top.
        "listed_errors": [
            (events.form[name].label if name in events.form.fields else _("Position"), errors)
            for name, errors in events.form.errors.items()
            if name in UNLABELLED_ERRORS or name == "__all__"
        ],
    }
    status = 200 if valid or events.form.misspelled_only else 400
    return render(request, "agenda/agenda.html", context, status=status)


@public_page()
def event_detail(request, slug):
    event = get_object_or_404(Event.objects.published().with_page_data(), slug=slug)
    now = timezone.now()
    upcoming = event.occurrences(now, now + MAX_WINDOW)[:UPCOMING_ON_PAGE]
    taken = registrations.taken_seats(event) if event.registers_here else {}
    context = {
        "event": event,
        "upcoming": [
            (occurrence, registrations.is_full(event, taken.get(occurrence.start, 0)))
            for occurrence in upcoming
        ],
        "json_ld": event_json_ld(event, upcoming),
        "point": event.coordinates,
    }
    if point := event.coordinates:
        context["map_config"] = map_config(
            point={
                "lat": point[0],
                "lon": point[1],
                "approx": event.is_approximate,
                "picto": DEFAULT_PICTOGRAM,
            }
        )
    return render(request, "agenda/event_detail.html", context)


def propose(request, slug):
    """The public proposes an event of a place: kept unpublished until a coordinator checks it."""
    place = get_object_or_404(Place.objects.active(), slug=slug)
    form = ProposalForm(request.POST if request.method == "POST" else None, place=place)
    status = 200
    if request.method == "POST":
        status = limits.form_refusal(request, form) or 200
        if status == 200:
            if not form.is_spam:
                form.save()
            messages.success(
                request,
                _("Merci ! L'équipe de Solozère publiera l'évènement après l'avoir vérifié."),
            )
            return redirect(place)
    return render(request, "agenda/propose.html", {"form": form, "place": place}, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def register(request, slug):
    """Registering for a date of an event that takes registrations on Solozère: a seat, or the
    waiting list when the date is full."""
    event = get_object_or_404(Event.objects.published().with_page_data(), slug=slug)
    if not event.registers_here:
        raise Http404
    dates = registrations.upcoming(event)
    open_ = event.takes_registrations and bool(dates)
    data = request.POST if request.method == "POST" and open_ else None
    form = RegistrationForm(
        data, dates=dates, taken=registrations.taken_seats(event), limit=event.registration_limit
    )
    status = 200
    if request.method == "POST":
        if not open_:
            form.refuse(_("Les inscriptions à cet évènement sont closes."))
            status = 400
        elif refused := limits.form_refusal(request, form, mails=True):
            status = refused
        elif form.is_spam:
            return redirect(event)
        else:
            try:
                registration = registrations.register(
                    event,
                    form.cleaned_data["occurrence"],
                    form.cleaned_data["name"],
                    form.cleaned_data["email"],
                    form.cleaned_data["phone"],
                )
            except registrations.Refused as refusal:
                form.add_error(None, str(refusal))
                status = 400
            else:
                if registration.status == Registration.Status.WAITING:
                    messages.info(
                        request,
                        _(
                            "C'est complet : vous êtes sur la liste d'attente. Si une place se "
                            "libère, elle sera pour vous, dans l'ordre d'inscription."
                        ),
                    )
                else:
                    messages.success(request, _("Merci, vous êtes inscrit !"))
                return redirect(event)
    context = {"event": event, "form": form, "open": open_}
    return render(request, "agenda/register.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def cancel_registration(request, token):
    """The cancel link of a confirmation e-mail: a page whose button (a POST) cancels."""
    try:
        registration = registrations.open_link(token)
    except registrations.Refused as refusal:
        context = {"state": "invalid", "reason": str(refusal)}
        return render(request, "agenda/cancel_registration.html", context, status=400)
    if registration is None:
        return render(request, "agenda/cancel_registration.html", {"state": "gone"})
    if request.method == "POST":
        registrations.cancel(registration)
        state = "done"
    else:
        state = "ask"
    context = {"state": state, "registration": registration, "event": registration.event}
    return render(request, "agenda/cancel_registration.html", context)


@require_GET
@public_page()
def event_ics(request, slug):
    """« Ajouter à mon agenda »: the event alone, as a calendar file."""
    event = get_object_or_404(Event.objects.published().with_page_data(), slug=slug)
    return feeds.ics_response([event], event.title, f"{event.slug}.ics")


def _bad_request(events):
    reasons = "\n".join(
        f"{name}: {message}" for name, messages in events.errors.items() for message in messages
    )
    return HttpResponse(
        _("Paramètres de recherche invalides.") + "\n" + reasons,
        status=400,
        content_type="text/plain; charset=utf-8",
    )


def json_bad_request(events):
    return JsonResponse(
        {"error": _("Paramètres de recherche invalides."), "fields": events.errors.get_json_data()},
        status=400,
    )


def _feed_events(request, queryset, name, filename):
    events, valid = search_events(request, queryset)
    if not valid:
        return _bad_request(events)
    asked = {"when", "start", "end"} & set(events.form.data)
    matching = events.qs if asked else _coming(events)
    return feeds.ics_response(matching.with_page_data(), name, filename)


def _coming(events):
    """Without dates asked for, a calendar holds the last month and the coming year."""
    today = timezone.now()
    return events.matching(events.queryset).between(today - FEED_PAST, today + MAX_WINDOW)


@require_GET
@public_page(SEARCH_PARAMS)
def agenda_ics(request):
    """The agenda as a calendar to subscribe to, with the page's filters."""
    return _feed_events(
        request,
        Event.objects.published(),
        feeds.calendar_name(_("tiers-lieux de Lozère")),
        "agenda.ics",
    )


@require_GET
@public_page(SEARCH_PARAMS)
def place_ics(request, slug):
    place = get_object_or_404(Place.objects.published(), slug=slug)
    queryset = Event.objects.published().filter(place=place)
    return _feed_events(request, queryset, feeds.calendar_name(place.name), "agenda.ics")


@require_GET
@public_page(SEARCH_PARAMS)
def network_ics(request, code):
    network = get_object_or_404(Network, code=code)
    queryset = Event.objects.published().of_network(network)
    return _feed_events(request, queryset, feeds.calendar_name(network.label), "agenda.ics")


@require_GET
@public_page(SEARCH_PARAMS)
def epci_ics(request, siren):
    epci = get_object_or_404(Epci, siren=siren)
    queryset = Event.objects.published().in_epci(epci)
    return _feed_events(request, queryset, feeds.calendar_name(epci.name), "agenda.ics")


@require_GET
@public_page(SEARCH_PARAMS)
def events_geojson(request):
    """The dates of the same search as points (this week's, for the agenda's map)."""
    events, valid = search_events(request)
    if not valid:
        return json_bad_request(events)
    features = {}
    firsts = events.matching(events.queryset).first_dates(*events.window)
    found = Event.objects.filter(pk__in=list(firsts)).with_page_data().in_bulk()
    for pk, begins in firsts.items():
        event = found[pk]
        if not (point := event.coordinates):
            continue
        features[event.pk] = {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round(point[1], 5), round(point[0], 5)]},
            "properties": {
                "name": f"{event.title} — {local(begins):%d/%m %H:%M}",
                "url": event.get_absolute_url(),
                "picto": DEFAULT_PICTOGRAM,
                "approx": event.is_approximate,
            },
        }
    data = {"type": "FeatureCollection", "features": list(features.values())}
    return HttpResponse(orjson.dumps(data), content_type="application/geo+json")
