"""What a place offers of the common base: derived from its services, never typed twice."""

from dataclasses import dataclass

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


def latest_signatures(places):
    """Each place's most recent signature, in one query: {place_id: Signature}.

    `places` limits the query; None means every place (a page of cards asks once for all).
    """
    signatures = Signature.objects.select_related("version")
    if places is not None:
        signatures = signatures.filter(place__in=places)
    latest = {}
    for signature in signatures.order_by("version__published_on", "version__number"):
        latest[signature.place_id] = signature
    return latest
