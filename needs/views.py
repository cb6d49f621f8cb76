"""« Je cherche… » on the home page, the alert for a need unanswered, and the unmet demand read
per commune and communauté de communes (page, CSV, and a section of the EPCI's page)."""

from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from contributions import limits
from places.csvfiles import csv_response
from places.freshness import public_page
from territory.fields import look_up_commune
from territory.models import Commune

from . import alerts, reading
from .forms import AlertForm, AreaForm
from .models import Alert, Need, parse_search
from .recording import nearest_commune

# What the visitor said of where they are: the directory's « near », as it reads it.
WHERE = ("near", "radius", "lat", "lon")
MAX_WHERE_LENGTH = 100


def bad_request(message):
    return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")


def _where(data):
    """The « near » part of a request: its commune or position and radius, bounded."""
    return {
        key: value for key in WHERE if (value := str(data.get(key, "")).strip()[:MAX_WHERE_LENGTH])
    }


# « Je cherche… »


def home_section(request, search):
    """places.extensions.home: the needs offered, in their order (one query)."""
    return {"needs": list(Need.objects.offered())}


@require_GET
def go(request):
    """A need's button: the directory's search for it, from where the visitor said they are
    (the commune typed, or the browser's position), as the directory's own « near »."""
    code = request.GET.get("besoin", "").strip()[:50]
    if not code:
        return bad_request(_("Choisissez un besoin."))
    need = Need.objects.offered().filter(code=code).first()
    if need is None:
        raise Http404
    data = QueryDict(need.query, mutable=True)
    data.update(_where(request.GET))
    return redirect(reverse("places:home") + "?" + data.urlencode() + "#resultats")


# Alerts


def alert_offer(request, search):
    """places.extensions.empty_search: the link to be told when a place answers this search."""
    query = alerts.alert_query(request.GET)
    if not query:
        return {"url": None}
    data = QueryDict(query, mutable=True)
    data.update(_where(request.GET))
    return {"url": reverse("needs:alert") + "?" + data.urlencode()}


def _initial_where(data):
    """The commune and radius the alert's form starts from: those of the search."""
    initial = {}
    where = _where(data)
    try:
        if "lat" in where and "lon" in where:
            initial["commune"] = nearest_commune(float(where["lat"]), float(where["lon"]))
        elif "near" in where and (commune := look_up_commune(where["near"]).commune):
            initial["commune"] = commune.insee
    except ValueError:
        pass
    if where.get("radius", "").isdigit():
        initial["radius"] = int(where["radius"])
    if initial.get("commune"):
        initial["commune"] = Commune.objects.filter(insee=initial["commune"]).first()
    return initial


@require_http_methods(["GET", "HEAD", "POST"])
def alert(request):
    """Leave an e-mail to be told when a place near a commune answers a search that found
    nothing: kept unconfirmed until the link of the confirmation e-mail is used."""
    query = alerts.alert_query(request.GET)
    try:
        parse_search(query, allowed=set(alerts.ALERT_KEYS))
    except ValidationError as error:
        return bad_request(" ".join(error.messages))
    if not query:
        return bad_request(_("Cette recherche ne dit pas ce qui est cherché."))
    posted = request.method == "POST"
    form = AlertForm(request.POST if posted else None, initial=_initial_where(request.GET))
    context = {"form": form, "what": alerts.describe_query(query), "state": "ask"}
    status = 200
    if posted:
        if refused := limits.form_refusal(request, form, mails=True):
            status = refused
        elif form.is_spam:
            context["state"] = "sent"
        else:
            created = Alert.objects.create(
                email=form.cleaned_data["email"],
                query=query,
                commune=form.cleaned_data["commune"],
                radius=form.cleaned_data["radius"],
                language=(get_language() or "fr")[:8],
            )
            alerts.send_confirmation(created)
            context["state"] = "sent"
    return render(request, "needs/alert.html", context, status=status)


def _link_page(request, token, action):
    try:
        found = alerts.open_link(token, action)
    except alerts.Refused as refusal:
        context = {"state": "invalid", "reason": str(refusal), "action": action}
        return render(request, "needs/alert_link.html", context, status=400)
    if found is None:
        return render(request, "needs/alert_link.html", {"state": "gone", "action": action})
    state = "ask"
    if request.method == "POST":
        if action == "confirm":
            alerts.confirm(found)
        else:
            found.delete()
        state = "done"
    context = {
        "state": state,
        "action": action,
        "alert": found,
        "what": alerts.describe(found),
    }
    return render(request, "needs/alert_link.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    """The confirmation e-mail's link: a page whose button (a POST) confirms the alert."""
    return _link_page(request, token, "confirm")


@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """Every alert e-mail's link: a page whose button (a POST) deletes the alert."""
    return _link_page(request, token, "unsubscribe")


# Unmet demand

AREA_PARAMS = frozenset({"epci", "commune"})


def _area(request):
    form = AreaForm(request.GET)
    valid = form.is_valid()
    return form, valid, (form.communes() if valid else None)


@require_GET
@public_page(AREA_PARAMS)
def unmet(request):
    """The needs most often unanswered, month by month, everywhere or in an area; and the
    communes whose searches most often found nothing. Anonymous counts, public as coverage is;
    the same search in the directory, to see what it finds today. Cached as any public page:
    counts may be a minute behind."""
    form, valid, communes = _area(request)
    months = reading.months_back()
    rows = reading.by_commune(communes, months) if valid else []
    names = dict(
        Commune.objects.filter(insee__in=[insee for insee, _count in rows]).values_list(
            "insee", "name"
        )
    )
    context = {
        "form": form,
        "months": months,
        "needs": reading.top_needs(communes, months) if valid else [],
        "communes": [(insee, names.get(insee, insee), count) for insee, count in rows],
        "min_shown": reading.MIN_SHOWN,
        "query": urlencode(
            [(key, request.GET[key]) for key in sorted(AREA_PARAMS) if key in request.GET]
        ),
    }
    return render(request, "needs/unmet.html", context, status=200 if valid else 400)


CSV_HEADER = ["mots", "criteres", "criteres_libelles", "mois", "recherches_sans_resultat"]
CSV_LIMIT = 200


@require_GET
@public_page(AREA_PARAMS)
def unmet_csv(request):
    """The unmet demand of the page, one row per need and month."""
    form, valid, communes = _area(request)
    if not valid:
        return bad_request(
            "\n".join(f"{name}: {' '.join(errors)}" for name, errors in form.errors.items())
        )
    months = reading.months_back()
    rows = [
        [need.words, need.criteria, ", ".join(need.labels), first.strftime("%Y-%m"), count]
        for need in reading.top_needs(communes, months, limit=CSV_LIMIT)
        for first, count in zip(months, need.by_month, strict=True)
    ]
    return csv_response("besoins-non-satisfaits.csv", CSV_HEADER, rows)


def epci_section(epci):
    """places.extensions.epci_page: its people's most frequent unmet needs, by month."""
    months = reading.months_back()
    communes = Commune.objects.filter(epci=epci).values("insee")
    return {
        "epci": epci,
        "months": months,
        "needs": reading.top_needs(communes, months, limit=10),
        "url": reverse("needs:unmet") + f"?epci={epci.siren}",
    }
