"""The other public pages: a place, the pictogram legend, networks, communes, about."""

from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from .. import hours
from ..cache import public_page
from ..maps import map_config
from ..models import Commune, Epci, Family, Network, Place, PreviousSlug, Service
from ..structured import place_json_ld

NEARBY_KM = 20
LISTED = Q(places__status__in=Place.ACTIVE_STATUSES, places__archived_at__isnull=True)


@public_page("place")
def place_detail(request, slug):
    place = (
        Place.objects.published()
        .with_card_data()
        .prefetch_related("audiences", "stops__commune", "rooms__equipment", "animateurs", "photos")
        .filter(slug=slug)
        .first()
    )
    if place is None:
        previous = get_object_or_404(PreviousSlug.objects.select_related("place"), slug=slug)
        return redirect(previous.place, permanent=True)
    context = {"place": place, "json_ld": place_json_ld(place, request)}
    if place.is_located:
        point = {
            "lat": place.latitude,
            "lon": place.longitude,
            "approx": place.is_approximate,
            "picto": place.main_pictogram,
        }
        context["map_config"] = map_config(point=point, commune=_insee(place.commune))
    if place.opening_hours:
        now = timezone.now()
        context.update(
            open_now=place.is_open_at(now),
            next_opening=hours.next_opening(place.opening_hours, now),
            week=hours.week(place.opening_hours, now),
        )
    return render(request, "places/detail.html", context)


def legend(request):
    """Every pictogram with its meaning, by family of functions."""
    in_use = Count("places", filter=LISTED)
    families = Family.objects.prefetch_related(
        Prefetch("services", queryset=Service.objects.annotate(place_count=in_use))
    )
    return render(request, "places/legend.html", {"families": families})


def network_list(request):
    networks = Network.objects.annotate(
        member_count=Count(
            "memberships__place",
            filter=Q(
                memberships__end_year__isnull=True,
                memberships__place__status__in=Place.ACTIVE_STATUSES,
                memberships__place__archived_at__isnull=True,
            ),
            distinct=True,
        )
    )
    return render(request, "places/network_list.html", {"networks": networks})


def network_detail(request, code):
    network = get_object_or_404(Network.objects.prefetch_related("tiers"), code=code)
    memberships = (
        network.memberships.filter(place__archived_at__isnull=True)
        .select_related("place__commune", "tier")
        .order_by("place__name", "start_year")
    )
    current = [m for m in memberships if m.is_current and m.place.status in Place.ACTIVE_STATUSES]
    tiers = [(tier, sum(m.tier_id == tier.pk for m in current)) for tier in network.tiers.all()]
    context = {
        "network": network,
        "current": current,
        "history": sorted(memberships, key=lambda m: (m.start_year or 0, m.place.name)),
        "tiers": tiers,
        "map_config": map_config(geojson_url=reverse("places:geojson") + f"?network={code}"),
    }
    return render(request, "places/network_detail.html", context)


def commune_detail(request, insee):
    commune = get_object_or_404(
        Commune.objects.select_related("epci").prefetch_related("former_communes"), insee=insee
    )
    here = Place.objects.active().filter(commune=commune).with_card_data()
    nearby = []
    if commune.townhall_latitude is not None:
        nearby = (
            Place.objects.active()
            .exclude(commune=commune)
            .near(commune.townhall_latitude, commune.townhall_longitude, NEARBY_KM)
            .with_card_data()
        )
    context = {
        "commune": commune,
        "places": here,
        "nearby": nearby,
        "nearby_km": NEARBY_KM,
        "map_config": map_config(
            geojson_url=reverse("places:geojson") + f"?near={insee}&radius={NEARBY_KM}",
            commune=insee,
        ),
    }
    return render(request, "places/commune_detail.html", context)


def epci_detail(request, siren):
    epci = get_object_or_404(Epci, siren=siren)
    # Meta.ordering does not apply to aggregating queries: order explicitly.
    communes = epci.communes.annotate(place_count=Count("places", filter=LISTED)).order_by("name")
    context = {
        "epci": epci,
        "communes": communes,
        "population": sum(c.population or 0 for c in communes),
        "places": Place.objects.active().filter(commune__epci=epci).with_card_data(),
        "map_config": map_config(geojson_url=reverse("places:geojson") + f"?epci={siren}"),
    }
    return render(request, "places/epci_detail.html", context)


def about(request):
    """What Solozère is and where its data comes from."""
    context = {
        "place_count": Place.objects.active().count(),
        "commune_count": Commune.objects.count(),
    }
    return render(request, "places/about.html", context)


def _insee(commune):
    return commune.insee if commune else ""
