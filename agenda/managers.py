"""Which events to show and what to fetch with them: the rules views never repeat."""

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from places.managers import listed
from places.models import Membership, Place, Stop
from territory.geo import bounding_box, distance_km

from . import recurrence

# What a list of dates fetches with each event to say where it is held.
WHERE = ("event__place__commune", "event__stop__commune", "event__network", "event__commune")


class EventQuerySet(models.QuerySet):
    def published(self):
        """Events the public sees: published, of a listed place (or of a network)."""
        return self.filter(published=True).filter(Q(place__isnull=True) | listed("place__"))

    def between(self, start, end):
        """Events with a date in [start, end): an EXISTS on the table of occurrences when it
        holds the window (the coming year and the past month), else those that may have one."""
        if _stored(start, end):
            return self.filter(Exists(_dates_in(start, end).filter(event=OuterRef("pk"))))
        return self.may_be_between(start, end)

    def may_be_between(self, start, end):
        """Events that may have a date in [start, end): their first begins before the end and
        their last (unknown for a rule that never stops) ends after the start. The dates
        themselves are then expanded (recurrence.occurrences)."""
        from .models import EventChange

        moved_earlier = Exists(EventChange.objects.filter(event=OuterRef("pk"), start__lt=end))
        return self.filter(
            Q(start__lt=end) | moved_earlier, Q(last_end__isnull=True) | Q(last_end__gt=start)
        )

    def dates(self, start, end, limit=None, related=WHERE):
        """The dates of these events in [start, end), by start, title and event, at most
        `limit`: rows of the table of occurrences with their event (a fixed number of queries,
        whatever the number of events), or the events' expanded dates outside its window. Each
        has .event, .start, .end and .day.

        `related`: what is fetched with each event from the table, where it is held by default;
        a list that never says where (a place's own page) asks for `("event",)`, and PostgreSQL
        then plans one join instead of seven."""
        if _stored(start, end):
            found = (
                _dates_in(start, end)
                .filter(event__in=self.order_by().values("pk"))
                .select_related(*related)
                .order_by("start", "event__title", "event_id")
            )
            return list(found[:limit] if limit is not None else found)
        events = self.may_be_between(start, end).with_page_data()
        found = sorted(
            (o for event in events for o in event.occurrences(start, end)),
            key=lambda o: (o.start, o.event.title, o.event.pk),
        )
        return found[:limit] if limit is not None else found

    def first_dates(self, start, end):
        """{pk: start of its first date in [start, end)} of these events that have one, in the
        order of those first dates (then title and pk)."""
        if _stored(start, end):
            rows = (
                _dates_in(start, end)
                .filter(event__in=self.order_by().values("pk"))
                .order_by("start", "event__title", "event_id")
                .values_list("event_id", "start")
            )
        else:
            rows = ((o.event.pk, o.start) for o in self.dates(start, end))
        firsts = {}
        for pk, begins in rows:
            firsts.setdefault(pk, begins)
        return firsts

    def places_with_dates(self, start, end):
        """The pks of the places whose events (these, less the cancelled ones) have a date in
        [start, end), recurrences expanded: the directory's « un évènement cette semaine » (a
        subquery on the table of occurrences, when it holds the window)."""
        events = self.exclude(status=self.model.Status.CANCELLED).filter(place__isnull=False)
        if _stored(start, end):
            return events.between(start, end).order_by().values("place_id")
        events = (
            events.may_be_between(start, end)
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


def _stored(start, end):
    return recurrence.is_stored(start, end, timezone.localdate())


def _dates_in(start, end):
    """The table's dates that end after `start` and begin before `end`."""
    from .models import Occurrence

    return Occurrence.objects.filter(start__lt=end, end__gt=start)


def _within(stops, latitude, longitude, km):
    return [
        pk
        for pk, lat, lon in stops.values_list("pk", "lat", "lon")
        if distance_km(latitude, longitude, lat, lon) <= km
    ]
