"""Facets: how many places each option of each criterion would give, all other criteria applied."""

from dataclasses import dataclass

from django.db.models import Count

from ..models import Membership, Network, Place

# facet name → (many-to-many field on Place, foreign key name on its through model)
RELATED_FACETS = {
    "family": ("families", "family"),
    "service": ("services", "service"),
    "type": ("types", "placetype"),
    "audience": ("audiences", "audience"),
}


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


class FacetCounts:
    """The counting half of PlaceFilter: it needs `apply`, `filters`, `form` and `is_valid`."""

    def facets(self):
        if not self.is_valid():
            return []
        facets = [self._related_facet(name) for name in ("family", "service", "type", "audience")]
        facets.append(self._network_facet())
        facets.append(self._status_facet(self.form.cleaned_data.get("status") or []))
        return facets

    def _related_facet(self, name):
        field, key = RELATED_FACETS[name]
        through = getattr(Place, field).through
        matching = self.apply(self.queryset, skip=name).order_by().values("pk")
        counts = dict(
            through.objects.filter(place_id__in=matching)
            .values_list(f"{key}_id")
            .annotate(n=Count("place_id"))
            .values_list(f"{key}_id", "n")
        )
        return self._facet(name, self.filters[name].queryset, counts)

    def _network_facet(self):
        matching = self.apply(self.queryset, skip="network").order_by().values("pk")
        counts = dict(
            Membership.objects.filter(place_id__in=matching, end_year__isnull=True)
            .values_list("network_id")
            .annotate(n=Count("place_id", distinct=True))
            .values_list("network_id", "n")
        )
        return self._facet("network", Network.objects.all(), counts)

    def _facet(self, name, options, counts):
        chosen = set(self.form.data.getlist(name))  # codes, already validated
        return Facet(
            name=name,
            legend=self.filters[name].label,
            options=[
                Option(
                    value=option.code,
                    label=option.label,
                    count=counts.get(option.pk, 0),
                    checked=option.code in chosen,
                    pictogram_url=getattr(option, "pictogram_url", ""),
                )
                for option in options
            ],
        )

    def _status_facet(self, selected):
        matching = self.apply(self.queryset, skip="status").order_by()
        counts = dict(matching.values_list("status").annotate(n=Count("pk")))
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
            "accessible": self.filter_accessible(
                self.apply(self.queryset, skip="accessible"), "accessible", True
            ).count(),
            "open_now": self.apply(self.queryset, skip="open_now")
            .filter(pk__in=self.open_pks(self.now))
            .count(),
        }
