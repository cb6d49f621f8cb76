"""Which places to show and what to fetch with them: the rules views never repeat."""

import math
from functools import reduce
from operator import or_

from django.db import models
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Least
from django.utils.translation import gettext_lazy as _

from territory.geo import bounding_box, distance_expression, distance_km

from . import extensions, hours, search, verification


def information_gaps(model):
    """What a visitor would miss on a place's page, each as (label, condition when missing): the
    animateur's completeness score, counted by the database for any number of places."""

    def none_of(relation):
        return Q(~Exists(getattr(model, relation).through.objects.filter(place=OuterRef("pk"))))

    return {
        "short_description": (_("description courte"), Q(short_description="")),
        "description": (_("description"), Q(description="")),
        "services": (_("services"), none_of("services")),
        "audiences": (_("publics accueillis"), none_of("audiences")),
        "commune": (_("commune"), Q(commune__isnull=True, itinerant=False)),
        "position": (_("position exacte"), ~Q(location_precision=model.Precision.EXACT)),
        "hours": (_("horaires"), Q(opening_hours="")),
        "contact": (_("contact"), Q(phone="", email="", website="")),
        "accessibility": (_("accessibilité"), Q(accessibility=model.Accessibility.UNKNOWN)),
        "legal_identifier": (_("SIRET ou RNA"), Q(legal_identifier="")),
    }


class PlaceManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


def listed(prefix=""):
    """The condition on a place (through a relation's `prefix`, e.g. "places__") that lists it:
    published (not archived) and open or in project. Counts through relations read it too."""
    from .models import Place

    return Q(**{f"{prefix}archived_at__isnull": True, f"{prefix}status__in": Place.ACTIVE_STATUSES})


class PlaceQuerySet(models.QuerySet):
    def published(self):
        """Every place the public may see: all but the archived (« deleted ») ones."""
        return self.filter(archived_at__isnull=True)

    def active(self):
        """Places open or in project: a closed place is kept, but not listed by default."""
        return self.filter(listed())

    def to_confirm(self, today):
        """Listed places « à vérifier » or « à reconfirmer » on that day: the ones whose page
        does not say « vérifiées le … » alone (places.verification, Place.verification)."""
        return self.active().filter(verification.needs_confirmation_q(today))

    def open(self):
        return self.filter(status=self.model.Status.OPEN)

    def animated_by(self, user):
        """The places a user is an animateur of."""
        return self.filter(animateurs=user)

    def with_gaps(self):
        """Each place with `lacks_<name>` for every piece of information it lacks (see
        information_gaps), read by Place.missing_information()."""
        return self.annotate(
            **{
                f"lacks_{name}": ExpressionWrapper(missing, output_field=BooleanField())
                for name, (_label, missing) in information_gaps(self.model).items()
            }
        )

    def incomplete(self):
        """Places lacking any of the information a visitor expects."""
        gaps = information_gaps(self.model).values()
        return self.filter(reduce(or_, (missing for _label, missing in gaps)))

    def in_tier(self, tier):
        """Current members of a network at that tier."""
        from .models import Membership

        members = Membership.objects.current().filter(tier=tier)
        return self.filter(pk__in=members.values("place_id"))

    def located(self):
        return self.filter(latitude__isnull=False, longitude__isnull=False)

    def within(self, south, north, west, east):
        return self.filter(latitude__range=(south, north), longitude__range=(west, east))

    def touring(self):
        """Itinerant places with a stop on the map: they are where they stop."""
        from .models import Stop

        return self.filter(itinerant=True, pk__in=Stop.objects.positioned().values("place_id"))

    def stationary(self):
        """Located places that are where they stand: every located place but the touring ones."""
        return self.located().exclude(pk__in=self.model.objects.touring().values("pk"))

    def unplaced(self):
        """Places on no map and in no distance: no position of their own, and no stop with one."""
        return self.filter(latitude__isnull=True).exclude(
            pk__in=self.model.objects.touring().values("pk")
        )

    def unverified(self):
        """Places whose facts the place has not confirmed: marked « à vérifier », or never
        verified."""
        return self.filter(Q(to_verify=True) | Q(verified_on__isnull=True))

    def distances_from(self, latitude, longitude, km):
        """{place pk: its distance in km} for the places within km of a point: a place by its
        position, an itinerant place by its nearest stop. The database finds what lies in the
        bounding box (an index on positions); the exact distance is measured here."""
        from .models import Stop

        (south, north), (west, east) = bounding_box(latitude, longitude, km)
        stops = Stop.objects.filter(place__in=self.values("pk")).with_position()
        points = [
            *self.within(south, north, west, east).values_list("pk", "latitude", "longitude"),
            *stops.within(south, north, west, east).values_list("place_id", "lat", "lon"),
        ]
        found = {}
        for pk, there_latitude, there_longitude in points:
            distance = distance_km(latitude, longitude, there_latitude, there_longitude)
            if distance <= km and distance < found.get(pk, math.inf):
                found[pk] = distance
        return found

    def near(self, latitude, longitude, km, distances=None):
        """Places within km of a point, nearest first, each with its `distance` in km (see
        with_distance). `distances`: distances_from() already read for the same point (a
        search's facets ask it once)."""
        if distances is None:
            distances = self.distances_from(latitude, longitude, km)
        return (
            self.filter(pk__in=list(distances))
            .with_distance(latitude, longitude)
            .order_by("distance", "name")
        )

    def with_distance(self, latitude, longitude):
        """Each place with its `distance` in km from a point, computed by the database: an
        itinerant place is as near as its nearest stop; None for a place with no position."""
        from .models import Stop

        nearest_stop = Subquery(
            Stop.objects.filter(place=OuterRef("pk"))
            .with_position()
            .annotate(distance=distance_expression(latitude, longitude, F("lat"), F("lon")))
            .order_by("distance")
            .values("distance")[:1]
        )
        own = distance_expression(latitude, longitude)
        # SQLite's LEAST() is NULL when either side is: each side falls back on the other.
        distance = Least(Coalesce(own, nearest_stop), Coalesce(nearest_stop, own))
        return self.annotate(distance=distance)

    def nearest_to(self, latitude, longitude):
        """The nearest of these places to a point, at any distance, with its `distance` in km
        (one query); None if none has a position."""
        return (
            self.with_distance(latitude, longitude)
            .filter(distance__isnull=False)
            .order_by("distance", "name")
            .only("pk", "name", "slug")
            .first()
        )

    def in_commune(self, commune):
        """Places in a commune, and itinerant places that stop there."""
        from .models import Stop

        stopping = Stop.objects.filter(commune=commune).values("place_id")
        return self.filter(Q(commune=commune) | Q(pk__in=stopping))

    def in_epci(self, epci):
        """Places in a communauté de communes, and itinerant places that stop there."""
        from .models import Stop

        stopping = Stop.objects.filter(commune__epci=epci).values("place_id")
        return self.filter(Q(commune__epci=epci) | Q(pk__in=stopping))

    def open_expressions(self, moment):
        """The opening hours, among those of open places, that say « open » at `moment`: each
        distinct expression is read once, however many places share it."""
        when = hours.local_naive(moment)
        expressions = (
            self.model.objects.open()
            .exclude(opening_hours="")
            .order_by()
            .values_list("opening_hours", flat=True)
            .distinct()
        )
        return [expression for expression in expressions if hours.is_open(expression, when)]

    def open_with(self, expressions):
        """Open places whose hours are among `expressions` (see open_expressions)."""
        return self.open().filter(opening_hours__in=expressions)

    def open_at(self, moment):
        """Places open at `moment`."""
        return self.open_with(self.open_expressions(moment))

    def matching(self, terms):
        """Places whose words hold every term (see places.search)."""
        for term in terms:
            self = self.filter(search_text__contains=search.pattern(term))
        return self

    def by_relevance(self, terms):
        """Best first: a term found in the name or what the place offers weighs twice a term
        found only in its descriptions or its commune."""
        rank = sum(
            (
                Case(
                    When(search_main__contains=search.pattern(term), then=Value(2)),
                    default=Value(1),
                    output_field=IntegerField(),
                )
                for term in terms
            ),
            Value(0),
        )
        return self.annotate(relevance=rank).order_by("-relevance", "name", "pk")

    def with_card_data(self):
        """Everything a place card shows, in a fixed number of queries whatever the count."""
        from .models import Membership

        memberships = Membership.objects.select_related("network", "tier")
        return self.select_related("commune").prefetch_related(
            "types",
            "families",
            "services",
            Prefetch("memberships", queryset=memberships),
            *extensions.card.prefetches,
        )


PlaceObjects = PlaceManager.from_queryset(PlaceQuerySet)


class StopQuerySet(models.QuerySet):
    def with_position(self):
        """Each stop with its point as `lat` and `lon`: its own, or its commune's town hall."""
        return self.annotate(
            lat=Coalesce("latitude", "commune__townhall_latitude"),
            lon=Coalesce("longitude", "commune__townhall_longitude"),
        )

    def within(self, south, north, west, east):
        return self.filter(lat__range=(south, north), lon__range=(west, east))

    def positioned(self):
        """Stops with a point (see with_position)."""
        return self.with_position().filter(lat__isnull=False, lon__isnull=False)


class StopManager(models.Manager.from_queryset(StopQuerySet)):
    def get_by_natural_key(self, place_slug, position):
        return self.get(place__slug=place_slug, position=position)
