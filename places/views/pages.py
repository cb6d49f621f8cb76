"""The other public pages: a place, the pictogram legend, networks, communes, about."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from territory.models import Commune, Epci, population_year

from .. import extensions, hours
from ..freshness import public_page
from ..managers import listed
from ..maps import map_config
from ..models import Family, Network, Place, PreviousSlug, Service
from ..structured import open_graph_image, place_json_ld

NEARBY_KM = 20
# These pages list places in project with the open ones (marked as such): so do their maps.
WITH_PROJECTS = "include_projects=true"
User = get_user_model()


@public_page()
def place_detail(request, slug):
    place = (
        Place.objects.published()
        .with_card_data()
        .prefetch_related(
            "audiences",
            "stops__commune",
            # Each animateur with their consent to be named, in the same query.
            Prefetch("animateurs", queryset=User.objects.select_related("animateur_consent")),
            "photos",
            *extensions.page.prefetches,
        )
        .filter(slug=slug)
        .first()
    )
    if place is None:
        previous = get_object_or_404(PreviousSlug.objects.select_related("place"), slug=slug)
        return redirect(previous.place, permanent=True)
    context = {
        "place": place,
        # The place's own photos: a room's are shown with the room (rooms' page section).
        "photos": [photo for photo in place.photos.all() if photo.room_id is None],
        "json_ld": place_json_ld(place),
        "open_graph_image": open_graph_image(place),
        "page_extensions": extensions.page.templates,
        # Whom a visitor asks when the place has no contact details.
        "coordination_email": settings.SOLOZERE_COORDINATION_EMAIL,
        "head_extensions": extensions.head.templates,
    }
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


@public_page()
def legend(request):
    """Every pictogram with its meaning, by family of functions."""
    in_use = Count("places", filter=listed("places__"))
    families = Family.objects.prefetch_related(
        Prefetch("services", queryset=Service.objects.annotate(place_count=in_use))
    )
    return render(request, "places/legend.html", {"families": families})


@public_page()
def network_list(request):
    networks = Network.objects.with_member_count()
    return render(request, "places/network_list.html", {"networks": networks})


@public_page()
def network_detail(request, code):
    network = get_object_or_404(Network.objects.prefetch_related("tiers"), code=code)
    memberships = (
        network.memberships.of_published_places()
        .select_related("place__commune", "tier")
        .order_by("place__name", "start_year")
    )
    current = [m for m in memberships if m.is_current and m.place.is_listed]
    tiers = [(tier, sum(m.tier_id == tier.pk for m in current)) for tier in network.tiers.all()]
    context = {
        "network": network,
        "current": current,
        "history": sorted(memberships, key=lambda m: (m.start_year or 0, m.place.name)),
        "tiers": tiers,
        "map_config": map_config(
            geojson_url=reverse("places:geojson") + f"?network={code}&{WITH_PROJECTS}"
        ),
        "head_extensions": extensions.head.templates,
    }
    return render(request, "places/network_detail.html", context)


@public_page()
def commune_detail(request, insee):
    commune = get_object_or_404(
        Commune.objects.select_related("epci").prefetch_related("former_communes"), insee=insee
    )
    here = Place.objects.active().in_commune(commune).with_card_data()
    nearby = []
    if commune.townhall_latitude is not None:
        nearby = (
            Place.objects.active()
            .exclude(pk__in=here.values("pk"))
            .near(commune.townhall_latitude, commune.townhall_longitude, NEARBY_KM)
            .with_card_data()
        )
    context = {
        "commune": commune,
        "places": here,
        "nearby": nearby,
        "nearby_km": NEARBY_KM,
        "map_config": map_config(
            geojson_url=reverse("places:geojson")
            + f"?near={insee}&radius={NEARBY_KM}&{WITH_PROJECTS}",
            commune=insee,
        ),
        "sections": extensions.commune_page.render(commune=commune),
    }
    return render(request, "places/commune_detail.html", context)


@public_page()
def epci_detail(request, siren):
    """A communauté de communes: its outline on the map, its places and communes, and what other
    apps add (coverage: what its places cover, service by service)."""
    epci = get_object_or_404(Epci, siren=siren)
    communes = epci_communes(epci)
    context = {
        "epci": epci,
        "communes": communes,
        "population": sum(c.population or 0 for c in communes),
        "population_year": population_year(communes),
        "places": Place.objects.active().in_epci(epci).with_card_data(),
        "map_config": map_config(
            geojson_url=reverse("places:geojson") + f"?epci={siren}&{WITH_PROJECTS}",
            area=reverse("territory:epci-outline", args=[siren]),
        ),
        "head_extensions": extensions.head.templates,
        "sections": extensions.epci_page.render(epci=epci),
    }
    return render(request, "places/epci_detail.html", context)


def epci_communes(epci):
    """A communauté de communes' communes by name, each with its count of listed places."""
    # Meta.ordering does not apply to aggregating queries: order explicitly.
    return epci.communes.annotate(place_count=Count("places", filter=listed("places__"))).order_by(
        "name"
    )


@public_page()
def about(request):
    """What Solozère is and where its data comes from."""
    context = {
        "place_count": Place.objects.active().count(),
        "commune_count": Commune.objects.count(),
        "population_year": population_year(Commune.objects.only("population", "population_year")),
    }
    return render(request, "places/about.html", context)


def _insee(commune):
    return commune.insee if commune else ""
