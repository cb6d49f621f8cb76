"""What a place offers of the common base: derived from its services, never typed twice."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Subquery

from places.models import Place

from .models import BaseItem, CharterVersion, Dimension, Signature, TierRequirement


@dataclass
class ItemStatus:
    item: BaseItem
    met: bool


class Charter:
    """The common base and the tier requirements, loaded once and applied to many places."""

    def __init__(self):
        self.items = list(BaseItem.objects.prefetch_related("services"))
        self.item_services = {item.pk: {s.pk for s in item.services.all()} for item in self.items}
        self.current = CharterVersion.objects.current()
        self.requirements = {
            requirement.tier_id: requirement
            for requirement in TierRequirement.objects.prefetch_related("base_items", "services")
        }

    def statuses(self, service_ids):
        """Each common-base item, met when the place offers any service that satisfies it."""
        return [
            ItemStatus(item, bool(self.item_services[item.pk] & service_ids)) for item in self.items
        ]

    @property
    def items_by_dimension(self):
        return [
            (label, [item for item in self.items if item.dimension == value])
            for value, label in Dimension.choices
        ]

    def by_dimension(self, service_ids):
        statuses = self.statuses(service_ids)
        return [
            (label, [status for status in statuses if status.item.dimension == value])
            for value, label in Dimension.choices
        ]

    def meets_tier(self, tier_id, service_ids):
        """None when the tier has no requirements yet; else whether the place meets them."""
        requirement = self.requirements.get(tier_id)
        if requirement is None:
            return None
        items = {item.pk for item in requirement.base_items.all()}
        met = {status.item.pk for status in self.statuses(service_ids) if status.met}
        services = {service.pk for service in requirement.services.all()}
        return items <= met and services <= service_ids

    def rows(self, places):
        """The dashboard's row for each place (with `signed_version`, services and memberships
        fetched: see `for_rows`), from what was fetched: no query."""
        rows = []
        for place in places:
            service_ids = {service.pk for service in place.services.all()}
            tiers = [m.tier for m in place.memberships.all() if m.tier and m.is_current]
            statuses = self.statuses(service_ids)
            met = sum(status.met for status in statuses)
            rows.append(
                {
                    "place": place,
                    "statuses": statuses,
                    "met": met,
                    "complete": met == len(self.items),
                    "version": place.signed_version,
                    "tiers": [(t, self.meets_tier(t.pk, service_ids)) for t in tiers],
                }
            )
        return rows

    def counts(self, places, total):
        """How many of the `total` places meet all the common base, and how many lack each
        item: two queries, whatever the number of places."""
        links = Place.services.through.objects.filter(place__in=places.order_by().values("pk"))
        meeting = dict(
            links.order_by()
            .values("service__base_items")
            .annotate(count=Count("place", distinct=True))
            .values_list("service__base_items", "count")
        )
        complete = (
            places.order_by()
            .annotate(met=Count("services__base_items", distinct=True))
            .filter(met=len(self.items))
            .count()
        )
        return complete, {item.pk: total - meeting.get(item.pk, 0) for item in self.items}

    def to_resign(self, places):
        """The places that signed an earlier version than the current one and not this one (the
        current version is the latest, so it would be their latest signature)."""
        if self.current is None:
            return places.none()
        signed = Signature.objects.filter(place=OuterRef("pk"))
        return places.filter(Exists(signed)).exclude(Exists(signed.filter(version=self.current)))


def with_signed_version(places):
    """Each place with `signed_version`: the version of its latest signature (None if none)."""
    latest = Signature.objects.filter(place=OuterRef("pk")).order_by(
        "-version__published_on", "-version__number"
    )
    return places.annotate(signed_version=Subquery(latest.values("version__number")[:1]))


def for_rows(places):
    """What the dashboard's rows read: the signed version, services, memberships and tiers."""
    return with_signed_version(places).prefetch_related("services", "memberships__tier")


def services_offered(place_pks):
    """{place pk: {service pk, …}} for these places, in one query."""
    offered = {}
    links = Place.services.through.objects.filter(place_id__in=place_pks)
    for place_pk, service_pk in links.values_list("place_id", "service_id"):
        offered.setdefault(place_pk, set()).add(service_pk)
    return offered
