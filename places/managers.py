"""Which places to show and what to fetch with them: the rules views never repeat."""

from datetime import timedelta

from django.db import models
from django.db.models import Prefetch, Q

from . import hours
from .geo import bounding_box, distance_expression


class PlaceManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class PlaceQuerySet(models.QuerySet):
    def published(self):
        """Every place the public may see: all but the archived (« deleted ») ones."""
        return self.filter(archived_at__isnull=True)

    def active(self):
        """Places open or in project: a closed place is kept, but not listed by default."""
        return self.published().filter(status__in=self.model.ACTIVE_STATUSES)

    def stale(self, today, days):
        """Listed places nobody has confirmed for `days` days (or ever)."""
        limit = today - timedelta(days=days)
        return self.active().filter(Q(verified_on__isnull=True) | Q(verified_on__lt=limit))

    def open(self):
        return self.filter(status=self.model.Status.OPEN)

    def located(self):
        return self.filter(latitude__isnull=False, longitude__isnull=False)

    def near(self, latitude, longitude, km):
        """Places within km of a point, nearest first, each with its `distance` in km."""
        (lat_min, lat_max), (lon_min, lon_max) = bounding_box(latitude, longitude, km)
        return (
            self.filter(latitude__range=(lat_min, lat_max), longitude__range=(lon_min, lon_max))
            .annotate(distance=distance_expression(latitude, longitude))
            .filter(distance__lte=km)
            .order_by("distance", "name")
        )

    def open_pks(self, moment):
        """Primary keys of the open places whose opening hours say they are open at `moment`.

        Each distinct expression is read once: many places share the same hours."""
        when = hours.local_naive(moment)
        candidates = self.open().exclude(opening_hours="").values_list("pk", "opening_hours")
        verdicts = {}
        open_now = set()
        for pk, expression in candidates:
            if expression not in verdicts:
                verdicts[expression] = hours.is_open(expression, when)
            if verdicts[expression]:
                open_now.add(pk)
        return open_now

    def with_card_data(self):
        """Everything a place card shows, in a fixed number of queries whatever the count."""
        from .models import Membership

        memberships = Membership.objects.select_related("network", "tier")
        return self.select_related("commune").prefetch_related(
            "types", "families", "services", Prefetch("memberships", queryset=memberships)
        )


PlaceObjects = PlaceManager.from_queryset(PlaceQuerySet)
