"""Which events to show and what to fetch with them: the rules views never repeat."""

from django.db import models
from django.db.models import Exists, OuterRef, Q

from places.managers import listed
from places.models import Membership, Place, Stop
from territory.geo import bounding_box, distance_km


class EventQuerySet(models.QuerySet):
    def published(self):
        """Events the public sees: published, of a listed place (or of a network)."""
        return self.filter(published=True).filter(Q(place__isnull=True) | listed("place__"))

    def between(self, start, end):
        """Events that may have a date in [start, end): their first begins before the end and
        their last (unknown for a rule that never stops) ends after the start. The dates
        themselves are then expanded (recurrence.occurrences)."""
        from .models import EventChange

        moved_earlier = Exists(EventChange.objects.filter(event=OuterRef("pk"), start__lt=end))
        return self.filter(
            Q(start__lt=end) | moved_earlier, Q(last_end__isnull=True) | Q(last_end__gt=start)
        )

    def places_with_dates(self, start, end):
        """The pks of the places whose events (these, less the cancelled ones) have a date in
        [start, end), recurrences expanded: the directory's « un évènement cette semaine »."""
        events = (
            self.exclude(status=self.model.Status.CANCELLED)
            .filter(place__isnull=False)
            .between(start, end)
            .only("pk", "uid", "place_id", "start", "end", "rule", "exceptions")
            .prefetch_related("changes")
            .order_by()
        )
        return sorted({event.place_id for event in events if event.occurrences(start, end)})

    def of_network(self, network):
        """A network's own events and those of its current members."""
        members = Membership.objects.current().filter(network=network).values("place_id")
        return self.filter(Q(network=network) | Q(place__in=members))

    def in_epci(self, epci):
        """Events held in a communauté de communes: at a place, a stop or a commune there."""
        places = Place.objects.in_epci(epci).values("pk")
        return self.filter(
            Q(stop__commune__epci=epci)
            | Q(stop__isnull=True, place__in=places)
            | Q(place__isnull=True, commune__epci=epci)
        )

    def near(self, latitude, longitude, km):
        """Events within km of a point: at a stop there, at a place there (an itinerant place's
        event without a stop is as near as its nearest stop), or in a commune whose town hall
        is there."""
        (south, north), (west, east) = bounding_box(latitude, longitude, km)
        places = Place.objects.published().distances_from(latitude, longitude, km)
        stops = _within(
            Stop.objects.with_position().within(south, north, west, east),
            latitude,
            longitude,
            km,
        )
        communes = Q(
            place__isnull=True,
            commune__townhall_latitude__range=(south, north),
            commune__townhall_longitude__range=(west, east),
        )
        nearby = self.filter(
            Q(stop__in=stops) | Q(stop__isnull=True, place__in=list(places)) | communes
        )
        far_communes = [
            pk
            for pk, lat, lon in nearby.filter(communes).values_list(
                "pk", "commune__townhall_latitude", "commune__townhall_longitude"
            )
            if distance_km(latitude, longitude, lat, lon) > km
        ]
        return nearby.exclude(pk__in=far_communes)

    def with_page_data(self):
        """Everything a list of events shows, in a fixed number of queries."""
        return self.select_related(
            "place__commune", "stop__commune", "network", "commune"
        ).prefetch_related("audiences", "changes")


def _within(stops, latitude, longitude, km):
    return [
        pk
        for pk, lat, lon in stops.values_list("pk", "lat", "lon")
        if distance_km(latitude, longitude, lat, lon) <= km
    ]
