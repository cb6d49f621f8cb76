"""The charter, public; and the network dashboard, for coordinators."""

import csv
from collections import Counter

from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import render

from places.models import Epci, Network, NetworkTier, Place
from places.roles import is_coordinator

from .compliance import Charter, latest_signatures
from .models import CharterVersion, Dimension, Principle, Specialisation


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


def dashboard_rows(request):
    """Member places × common-base items, with the filters of the dashboard."""
    places = (
        Place.objects.active()
        .select_related("commune__epci")
        .prefetch_related("services", "memberships__network", "memberships__tier")
    )
    network, tier, epci = (request.GET.get(key, "") for key in ("network", "tier", "epci"))
    if network:
        places = places.filter(memberships__network__code=network, memberships__end_year=None)
    if tier:
        places = places.filter(memberships__tier__pk=tier, memberships__end_year=None)
    if epci:
        places = places.filter(commune__epci__siren=epci)
    charter = Charter()
    signatures = latest_signatures(places)
    rows = []
    for place in places.distinct():
        service_ids = {service.pk for service in place.services.all()}
        tiers = [m.tier for m in place.memberships.all() if m.tier and m.is_current]
        statuses = charter.statuses(service_ids)
        met = sum(status.met for status in statuses)
        rows.append(
            {
                "place": place,
                "statuses": statuses,
                "met": met,
                "complete": met == len(charter.items),
                "signature": signatures.get(place.pk),
                "tiers": [(t, charter.meets_tier(t.pk, service_ids)) for t in tiers],
            }
        )
    return charter, rows


@staff_member_required
def dashboard(request):
    if not is_coordinator(request.user):
        raise PermissionDenied
    charter, rows = dashboard_rows(request)
    gaps = Counter(status.item.pk for row in rows for status in row["statuses"] if not status.met)
    current = charter.current
    context = {
        "charter": charter,
        "rows": rows,
        "complete": [row for row in rows if row["complete"]],
        "gaps": [
            (
                label,
                sorted(
                    ((item, gaps[item.pk]) for item in charter.items if item.dimension == value),
                    key=lambda pair: -pair[1],
                ),
            )
            for value, label in Dimension.choices
        ],
        "versions": CharterVersion.objects.annotate(count=Count("signatures")),
        "to_resign": [
            row
            for row in rows
            if row["signature"] and current and row["signature"].version != current
        ],
        "networks": Network.objects.all(),
        "tiers": NetworkTier.objects.select_related("network"),
        "epcis": Epci.objects.all(),
        "query": request.GET.urlencode(),
    }
    return render(request, "charter/dashboard.html", context)


@staff_member_required
def dashboard_csv(request):
    if not is_coordinator(request.user):
        raise PermissionDenied
    charter, rows = dashboard_rows(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="charte-socle-commun.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "lieu",
            "commune",
            "charte_signee",
            *(item.code for item in charter.items),
            "socle_complet",
        ]
    )
    for row in rows:
        place = row["place"]
        writer.writerow(
            [
                place.name,
                place.commune.name if place.commune else "",
                row["signature"].version.number if row["signature"] else "",
                *("oui" if status.met else "non" for status in row["statuses"]),
                "oui" if row["complete"] else "non",
            ]
        )
    return response
