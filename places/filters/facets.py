"""Facets: how many places each option of each criterion would give, all other criteria applied.

Each facet is one query grouping the matching places' links by option: a constant number of
queries per page, whatever the number of places.
"""

from dataclasses import dataclass

from django.db.models import Count

from ..models import Audience, Family, Membership, Network, Place, PlaceType, Service

# facet name → (many-to-many field on Place, option model)
RELATED_FACETS = {
    "family": ("families", Family),
    "service": ("services", Service),
    "type": ("types", PlaceType),
    "audience": ("audiences", Audience),
}
FACETS = [*RELATED_FACETS, "network"]
TOGGLES = ["accessible", "open_now", "event_week", "include_projects"]


@dataclass
class Option:
    value: str
    label: str
    count: int
    checked: bool
    pictogram_url: str = ""


@dataclass
class Facet:
    name: str
    legend: str
    options: list

    @property
    def options_checked_first(self):
        """Ticked options lead, so a long list never hides what is chosen."""
        return sorted(self.options, key=lambda option: not option.checked)


def _counts_by_option(name, places):
    """{option pk: how many of `places` have it}."""
    if name == "network":
        links = Membership.objects.current().values("network_id", "place_id")
        key = "network_id"
        # A place may have two current memberships of one network (two start years).
        count = Count("place_id", distinct=True)
    else:
        field, _model = RELATED_FACETS[name]
        relation = getattr(Place, field)
        key = f"{relation.field.m2m_reverse_field_name()}_id"
        links = relation.through.objects.values(key, "place_id")
        count = Count("place_id")  # a link is unique: counting rows counts places
    rows = (
        links.filter(place_id__in=places.order_by().values("pk"))
        .order_by()
        .values(key)
        .annotate(count=count)
        .values_list(key, "count")
    )
    return dict(rows)


def _options(name):
    model = Network if name == "network" else RELATED_FACETS[name][1]
    return model.objects.all()


class FacetCounts:
    """The counting half of PlaceFilter: it needs `filter_queryset(queryset, skip)`, `queryset`,
    `filters`, `form` and `is_valid`."""

    def facets(self):
        if not self.is_valid():
            return []
        facets = [self._facet(name) for name in FACETS]
        facets.append(self._status_facet())
        return facets

    def _others(self, skip):
        return self.filter_queryset(self.queryset, skip=skip)

    def _facet(self, name):
        counts = _counts_by_option(name, self._others(name))
        chosen = {option.pk for option in self.form.cleaned_data.get(name) or []}
        return Facet(
            name=name,
            legend=self.filters[name].label,
            options=[
                Option(
                    value=option.code,
                    label=option.label,
                    count=counts.get(option.pk, 0),
                    checked=option.pk in chosen,
                    pictogram_url=getattr(option, "pictogram_url", ""),
                )
                for option in _options(name)
            ],
        )

    def _status_facet(self):
        selected = self.form.cleaned_data.get("status") or []
        counts = dict(
            self._others("status")
            .order_by()
            .values("status")
            .annotate(n=Count("pk"))
            .values_list("status", "n")
        )
        return Facet(
            name="status",
            legend=self.filters["status"].label,
            options=[
                Option(value, label, counts.get(value, 0), value in selected)
                for value, label in Place.Status.choices
            ],
        )

    def toggle_counts(self):
        """How many places ticking each yes/no filter would give."""
        if not self.is_valid():
            return {}
        return {
            name: self.filters[name].filter(self._others(name), True).count() for name in TOGGLES
        }
