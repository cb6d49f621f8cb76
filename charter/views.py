"""The charter, public; and the network dashboard, for coordinators."""

from itertools import islice

import django_filters
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from backoffice.roles import coordinators_only
from places.csvfiles import csv_response
from places.filters import PlaceFilter
from places.models import Network, NetworkTier, Place
from places.views.listing import query_string
from territory.models import Epci

from .compliance import Charter, for_rows, services_offered, with_signed_version
from .models import CharterVersion, Dimension, Principle, Specialisation

PAGE_SIZE = 50
LISTED = 20
CSV_CHUNK = 1000


def charter_page(request):
    """The six principles, the common base with its pictograms, the specialisations."""
    context = {
        "principles": Principle.objects.all(),
        "charter": Charter(),
        "dimensions": Dimension.choices,
        "specialisations": Specialisation.objects.prefetch_related("services"),
        "version": CharterVersion.objects.current(),
    }
    return render(request, "charter/charter.html", context)


class DashboardFilter(PlaceFilter):
    """The directory's filters, and a network's tier; places in project are counted with the
    open ones unless asked not to (coordinators follow them too)."""

    projects_by_default = True

    tier = django_filters.ModelChoiceFilter(
        label=_("Niveau"), queryset=NetworkTier.objects.all(), method="filter_tier"
    )

    def filter_tier(self, queryset, name, value):
        return queryset.in_tier(value)


def dashboard_places(request):
    """The dashboard's filters, and the places they ask for in name order (None if invalid)."""
    places = DashboardFilter(request.GET, queryset=Place.objects.published(), request=request)
    return places, places.qs.order_by("name", "pk") if places.is_valid() else None


def reason(filters):
    """Each invalid filter and why, for the 400 page."""
    return " ; ".join(
        f"{filters.filters[name].label if name in filters.filters else name} : {' '.join(messages)}"
        for name, messages in filters.errors.items()
    )


@coordinators_only
def dashboard(request):
    """Which members lack what of the common base: figures for all, the places page by page."""
    filters, places = dashboard_places(request)
    context = {
        "reason": reason(filters) if filters.errors else "",
        "networks": Network.objects.all(),
        "tiers": NetworkTier.objects.select_related("network"),
        "epcis": Epci.objects.all(),
        "query": query_string(request, drop={"page"}),
    }
    if places is None:
        return render(request, "charter/dashboard.html", context, status=400)
    charter = Charter()
    page = Paginator(for_rows(places), PAGE_SIZE).get_page(request.GET.get("page"))
    total = page.paginator.count
    complete, gaps = charter.counts(places, total)
    to_resign = charter.to_resign(places)
    context.update(
        charter=charter,
        page=page,
        rows=charter.rows(page.object_list),
        total=total,
        complete=complete,
        gaps=[
            (label, sorted(((item, gaps[item.pk]) for item in items), key=lambda pair: -pair[1]))
            for label, items in charter.items_by_dimension
        ],
        versions=CharterVersion.objects.annotate(count=Count("signatures")),
        to_resign_count=to_resign.count(),
        to_resign=with_signed_version(to_resign)[:LISTED],
    )
    return render(request, "charter/dashboard.html", context)


@coordinators_only
def dashboard_csv(request):
    """Every place the filters ask for, whatever the page: read in chunks, as plain values."""
    filters, places = dashboard_places(request)
    if places is None:
        return render(request, "400.html", {"reason": reason(filters)}, status=400)
    charter = Charter()
    header = ["lieu", "commune", "charte_signee", *(item.code for item in charter.items)]
    return csv_response(
        "charte-socle-commun.csv", [*header, "socle_complet"], csv_rows(charter, places)
    )


def csv_rows(charter, places):
    rows = with_signed_version(places).values_list("pk", "name", "commune__name", "signed_version")
    rows = rows.iterator(chunk_size=CSV_CHUNK)
    while chunk := list(islice(rows, CSV_CHUNK)):
        offered = services_offered([pk for pk, *_rest in chunk])
        for pk, name, commune, version in chunk:
            statuses = charter.statuses(offered.get(pk, set()))
            yield [
                name,
                commune or "",
                version or "",
                *("oui" if status.met else "non" for status in statuses),
                "oui" if all(status.met for status in statuses) else "non",
            ]
