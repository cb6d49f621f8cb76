"""Which places match: the one definition shared by every list, map, export and page of places.

Several values within a facet combine with OR, facets combine with AND; text is searched in the
places' stored words (places.search). Each facet also counts how many places each of its options
would give, all other facets applied (facets.py). Everything is answered by the database.
"""

import django_filters
from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django_filters.widgets import BooleanWidget

from territory.fields import (
    MENU_LIMIT,
    CommuneFilter,
    EpciFilter,
    find_commune,
    look_up_commune,
    territory_count,
    unknown_commune_message,
)
from territory.models import Commune, Epci

from .. import extensions
from ..models import Membership, Network, Place, SearchWord
from ..search import words
from .facets import RELATED_FACETS, FacetCounts

__all__ = [
    "DEFAULT_RADIUS_KM",
    "MAX_RADIUS_KM",
    "RADIUS_CHOICES_KM",
    "PlaceFilter",
    "find_commune",
]

DEFAULT_RADIUS_KM = 10
LOCATION_FIELDS = {"near", "radius", "lat", "lon"}  # read through the form's origin
RADIUS_CHOICES_KM = [5, 10, 20, 30, 50]
MAX_RADIUS_KM = 200


def _without_blanks(data):
    """« ?service=&q= » means no filter, as an unticked box does, not an invalid choice."""
    if data is None:
        return None
    cleaned = QueryDict(mutable=True)
    for key in data:
        values = data.getlist(key) if hasattr(data, "getlist") else [data[key]]
        kept = [value for value in values if str(value).strip()]
        if kept:
            cleaned.setlist(key, kept)
    return cleaned


class PlaceFilterForm(forms.Form):
    """Resolves where « near » starts from: the visitor's position, or a commune they typed."""

    origin = None
    origin_label = ""
    near_suggestions = ()  # (label, name to type) when « near » designates no commune
    near_unknown = False

    def clean(self):
        cleaned = super().clean()
        latitude, longitude, near = cleaned.get("lat"), cleaned.get("lon"), cleaned.get("near")
        if (latitude is None) != (longitude is None):
            raise forms.ValidationError(_("La position transmise est incomplète."))
        if latitude is not None:
            self.origin = (float(latitude), float(longitude))
            self.origin_label = _("votre position")
        elif near:
            lookup = look_up_commune(near)
            commune = lookup.commune
            if commune is None or commune.townhall_latitude is None:
                self.near_suggestions = lookup.suggestions
                self.near_unknown = True
                self.add_error("near", unknown_commune_message(near, lookup.suggestions))
            else:
                self.origin = (commune.townhall_latitude, commune.townhall_longitude)
                self.origin_label = lookup.label
        return cleaned

    @property
    def misspelled_only(self):
        """Whether the one thing wrong is a commune name no commune has: a search that needs a word
        changed (« Vouliez-vous dire… ? »), not a bad request."""
        return self.near_unknown and set(self.errors) == {"near"}


def within_reach(moment):
    """Hours are read for a moment of this century: far dates overflow local time."""
    if not 2000 <= moment.year <= 2099:
        raise forms.ValidationError(_("Choisissez une date entre 2000 et 2099."))


def by_code(label, model, method="filter_related"):
    """A facet of reference data, chosen by code with checkboxes (several values: OR)."""
    return django_filters.ModelMultipleChoiceFilter(
        label=label,
        queryset=model.objects.all(),
        to_field_name="code",
        method=method,
        widget=forms.CheckboxSelectMultiple,
    )


class PlaceFilter(FacetCounts, django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Rechercher"), method="filter_search", max_length=200, strip=True
    )
    near = django_filters.CharFilter(
        label=_("Près de (commune)"), method="filter_nothing", max_length=100
    )
    radius = django_filters.NumberFilter(
        label=_("Rayon (km)"),
        method="filter_nothing",
        min_value=1,
        max_value=MAX_RADIUS_KM,
        decimal_places=0,
    )
    lat = django_filters.NumberFilter(
        method="filter_nothing", min_value=-90, max_value=90, widget=forms.HiddenInput
    )
    lon = django_filters.NumberFilter(
        method="filter_nothing", min_value=-180, max_value=180, widget=forms.HiddenInput
    )
    family = by_code(_("Familles de fonctions"), RELATED_FACETS["family"][1])
    service = by_code(_("Services"), RELATED_FACETS["service"][1])
    type = by_code(_("Types de lieu"), RELATED_FACETS["type"][1])
    audience = by_code(_("Publics"), RELATED_FACETS["audience"][1])
    network = by_code(_("Réseaux"), Network, "filter_network")
    commune = CommuneFilter(
        label=_("Commune"),
        queryset=Commune.objects.all(),
        to_field_name="insee",
        empty_label=_("Toutes"),
        method="filter_commune",
    )
    epci = EpciFilter(
        label=_("Communauté de communes"),
        queryset=Epci.objects.all(),
        to_field_name="siren",
        empty_label=_("Toutes"),
        method="filter_epci",
    )
    accessible = django_filters.BooleanFilter(
        label=_("Accessible aux personnes à mobilité réduite"),
        method="filter_accessible",
        widget=forms.CheckboxInput,
    )
    open_now = django_filters.BooleanFilter(
        label=_("Ouvert maintenant"), method="filter_open_now", widget=forms.CheckboxInput
    )
    open_at = django_filters.DateTimeFilter(
        label=_("Ouvert le (jour et heure)"),
        method="filter_open_at",
        validators=[within_reach],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    # Answered by the agenda (places.extensions.criteria): a published event, not cancelled, with
    # a date in the next seven days.
    event_week = django_filters.BooleanFilter(
        label=_("Un évènement cette semaine"),
        method="filter_criterion",
        widget=forms.CheckboxInput,
    )
    # Yes (true, 1), no (false, 0) or unsaid, then the search's own default
    # (projects_by_default): a checkbox's widget cannot tell « no » from « unsaid ».
    include_projects = django_filters.BooleanFilter(
        label=_("Inclure les lieux en projet"), method="filter_nothing", widget=BooleanWidget
    )
    status = django_filters.MultipleChoiceFilter(
        label=_("Statut"),
        choices=Place.Status.choices,
        method="filter_status",
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Place
        fields = []
        form = PlaceFilterForm

    # Whether a search that names no status and says nothing of projects lists them with the
    # open places. The site's pages do not: a visitor looks for a place to go to today.
    projects_by_default = False

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(_without_blanks(data), *args, **kwargs)

    @cached_property
    def menus(self):
        """Whether communes are few enough to be offered as menus and suggestions in the page;
        otherwise the page asks for a name or a code, which the same fields understand."""
        return territory_count(Commune) <= MENU_LIMIT

    # Filtering

    def filter_queryset(self, queryset, skip=None):
        """The places matching every filter but `skip` (matching_anywhere()), then « near » when
        it has an origin; nearest first, else best match first for a text search."""
        queryset = self.matching_anywhere(queryset, skip)
        data = self.form.cleaned_data
        if self.form.origin:
            return queryset.near(*self.form.origin, km=self.radius_km, distances=self.nearby)
        if data.get("q") and self.search.terms:
            return queryset.by_relevance(self.search.terms)
        return queryset

    def matching_anywhere(self, queryset, skip=None):
        """Every filter but `skip` and, unless some statuses are asked for, the open places, with
        the projects when asked (include_projects) or by default (projects_by_default)."""
        data = self.form.cleaned_data
        for name, value in data.items():
            if name != skip:
                queryset = self.filters[name].filter(queryset, value)
        if not data.get("status") and skip != "status":
            queryset = queryset.active() if self.with_projects(skip) else queryset.active().open()
        return queryset

    def with_projects(self, skip=None):
        """Whether places in project are listed when no status is asked for; counting what
        ticking « include projects » would give (skip) counts them."""
        asked = self.form.cleaned_data.get("include_projects")
        if skip == "include_projects":
            return True
        return self.projects_by_default if asked is None else asked

    def nearest_further(self):
        """For a « near » search: the nearest place the same search finds at any distance, with
        its `distance`; None when it finds none with a position (or there is no origin)."""
        if not self.form.origin:
            return None
        return self.matching_anywhere(self.queryset).nearest_to(*self.form.origin)

    @property
    def radius_km(self):
        radius = self.form.cleaned_data.get("radius") if self.is_bound else None
        return int(radius) if radius else DEFAULT_RADIUS_KM

    @property
    def origin_label(self):
        return self.form.origin_label

    @cached_property
    def nearby(self):
        """The places within the radius, and how far: read once for the list and every facet."""
        return self.queryset.distances_from(*self.form.origin, km=self.radius_km)

    @cached_property
    def search(self):
        """How the text search was understood: its terms, near misses, unknown words."""
        return SearchWord.objects.interpret(self.form.cleaned_data.get("q") or "")

    @cached_property
    def text_matches(self):
        """The places whose words hold every term, read once for the list and every facet: a
        common word would otherwise be looked for again in each count."""
        terms = self.search.terms
        return list(self.queryset.matching(terms).order_by().values_list("pk", flat=True))

    def filter_nothing(self, queryset, name, value):
        return queryset  # read by filter_queryset() through the form

    def filter_search(self, queryset, name, value):
        if not self.search.terms and (self.search.unknown or not words(value)):
            return queryset.none()  # no place has these words, or there is no word at all
        return queryset.filter(pk__in=self.text_matches)

    def filter_related(self, queryset, name, value):
        if not value:
            return queryset
        field, _model = RELATED_FACETS[name]
        relation = getattr(Place, field)
        key = relation.field.m2m_reverse_field_name()
        links = relation.through.objects.filter(**{f"{key}__in": value})
        return queryset.filter(pk__in=links.values("place_id"))

    def filter_network(self, queryset, name, value):
        if not value:
            return queryset
        members = Membership.objects.current().filter(network__in=value)
        return queryset.filter(pk__in=members.values("place_id"))

    def filter_commune(self, queryset, name, value):
        return queryset.in_commune(value)

    def filter_epci(self, queryset, name, value):
        return queryset.in_epci(value)

    def filter_accessible(self, queryset, name, value):
        return queryset.filter(accessibility__in=Place.ACCESSIBLE) if value else queryset

    def filter_open_now(self, queryset, name, value):
        return queryset.open_with(self.open_expressions(self.now)) if value else queryset

    def filter_open_at(self, queryset, name, value):
        return queryset.open_with(self.open_expressions(value))

    def filter_criterion(self, queryset, name, value):
        return queryset.filter(pk__in=self.criterion_places(name)) if value else queryset

    def criterion_places(self, name):
        """The places another app's criterion keeps (places.extensions.criteria), read once per
        search however many facets ask; none when no app answers it."""
        known = self.__dict__.setdefault("_criterion_places", {})
        if name not in known:
            rule = extensions.criteria.get(name)
            known[name] = rule(self.now) if rule else []
        return known[name]

    def filter_status(self, queryset, name, value):
        return queryset.filter(status__in=value)

    @cached_property
    def now(self):
        """One « now » per search, so that every facet count agrees."""
        return timezone.now()

    def open_expressions(self, moment):
        """The opening hours open at `moment`, read once per search however many facets ask."""
        known = self.__dict__.setdefault("_open_expressions", {})
        if moment not in known:
            known[moment] = Place.objects.open_expressions(moment)
        return known[moment]

    def valid_part(self):
        """The same search without its invalid parameters, to keep offering the facets."""
        data = self.form.data.copy()
        for field in self.errors:
            for key in ("lat", "lon") if field == "__all__" else (field,):
                data.pop(key, None)
        return type(self)(data, queryset=self.queryset, request=self.request)
