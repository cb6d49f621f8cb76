"""Which places to show and what to fetch with them: the rules views never repeat."""

from django.db import models


class PlaceManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class PlaceQuerySet(models.QuerySet):
    def active(self):
        """Places open or in project: a closed place is kept, but not listed by default."""
        return self.exclude(status=self.model.Status.CLOSED)

    def open(self):
        return self.filter(status=self.model.Status.OPEN)

    def located(self):
        return self.filter(latitude__isnull=False, longitude__isnull=False)

    def with_card_data(self):
        """Everything a place card shows, in a fixed number of queries whatever the count."""
        return self.select_related("commune").prefetch_related(
            "types", "families", "services", "memberships__network", "memberships__tier"
        )


PlaceObjects = PlaceManager.from_queryset(PlaceQuerySet)
