"""Facets: how many places each option of each criterion would give, all other criteria applied."""

from dataclasses import dataclass

from django.utils.translation import get_language

from ..models import Place

FACETS = ["family", "service", "type", "audience", "network"]


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
    """The counting half of PlaceFilter: it needs `index`, `matches`, `criterion`, `filters`,
    `form` and `is_valid`.

    Each count is read from the directory's bitmaps (see index.py): the places matching every
    other criterion, AND the option's places, counted."""

    def facets(self):
        if not self.is_valid():
            return []
        facets = [self._facet(name) for name in FACETS]
        facets.append(self._status_facet(self.form.cleaned_data.get("status") or []))
        return facets

    def _facet(self, name):
        others = self.matches(skip=name).mask
        chosen = set(self.form.data.getlist(name))  # codes, already validated
        masks = self.index.masks
        return Facet(
            name=name,
            legend=self.filters[name].label,
            options=[
                Option(
                    value=code,
                    label=label,
                    count=(others & masks.get((name, pk), 0)).bit_count(),
                    checked=code in chosen,
                    pictogram_url=pictogram_url,
                )
                for pk, code, label, pictogram_url in self.index.labelled_options(
                    name, get_language()
                )
            ],
        )

    def _status_facet(self, selected):
        others = self.matches(skip="status").mask
        return Facet(
            name="status",
            legend=self.filters["status"].label,
            options=[
                Option(
                    value,
                    label,
                    (others & self.index.mask("status", [value])).bit_count(),
                    value in selected,
                )
                for value, label in Place.Status.choices
            ],
        )

    def toggle_counts(self):
        """How many places ticking each yes/no filter would give."""
        if not self.is_valid():
            return {}
        return {
            name: (self.matches(skip=name).mask & self.criterion(name, True)).bit_count()
            for name in ("accessible", "open_now")
        }
