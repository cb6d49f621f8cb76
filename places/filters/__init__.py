"""Which places match: the one definition shared by the list, the map data and every listing.

Several values within a facet combine with OR, facets combine with AND. Each facet also counts
how many places each of its options would give, all other facets applied.
"""

import hashlib

import django_filters
from django import forms
from django.core.cache import cache
from django.http import QueryDict
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from ..cache import versioned_key
from ..models import Audience, Commune, Epci, Family, Membership, Network, Place, PlaceType, Service
from ..search import search, strip_accents
from .facets import RELATED_FACETS, FacetCounts
from .territory import MENU_LIMIT, CommuneFilter, EpciFilter, find_commune, territory_count

__all__ = ["DEFAULT_RADIUS_KM", "RADIUS_CHOICES_KM", "PlaceFilter", "find_commune"]

DEFAULT_RADIUS_KM = 10
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

    def clean(self):
        cleaned = super().clean()
        latitude, longitude, near = cleaned.get("lat"), cleaned.get("lon"), cleaned.get("near")
        if (latitude is None) != (longitude is None):
            raise forms.ValidationError(_("La position transmise est incomplète."))
        if latitude is not None:
            self.origin = (float(latitude), float(longitude))
            self.origin_label = _("votre position")
        elif near:
            commune = find_commune(near)
            if commune is None or commune.townhall_latitude is None:
                self.add_error(
                    "near",
                    _("Commune inconnue : « %(name)s ». Vérifiez l'orthographe.") % {"name": near},
                )
            else:
                self.origin = (commune.townhall_latitude, commune.townhall_longitude)
                self.origin_label = commune.name
        return cleaned


def checkboxes():
    return forms.CheckboxSelectMultiple


def by_code(label, model, method="filter_related"):
    """A facet of reference data, chosen by code with checkboxes (several values: OR)."""
    return django_filters.ModelMultipleChoiceFilter(
        label=label,
        queryset=model.objects.all(),
        to_field_name="code",
        method=method,
        widget=checkboxes(),
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
    family = by_code(_("Familles de fonctions"), Family)
    service = by_code(_("Services"), Service)
    type = by_code(_("Types de lieu"), PlaceType)
    audience = by_code(_("Publics"), Audience)
    network = by_code(_("Réseaux"), Network, method="filter_network")
    commune = CommuneFilter(
        label=_("Commune"),
        queryset=Commune.objects.all(),
        to_field_name="insee",
        empty_label=_("Toutes"),
    )
    epci = EpciFilter(
        label=_("Communauté de communes"),
        queryset=Epci.objects.all(),
        to_field_name="siren",
        field_name="commune__epci",
        empty_label=_("Toutes"),
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
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    status = django_filters.MultipleChoiceFilter(
        label=_("Statut"), choices=Place.Status.choices, method="filter_status", widget=checkboxes()
    )

    class Meta:
        model = Place
        fields = []
        form = PlaceFilterForm

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(_without_blanks(data), *args, **kwargs)

    @cached_property
    def menus(self):
        """Whether communes are few enough to be offered as menus and suggestions in the page;
        otherwise the page asks for a name or a code, which the same fields understand."""
        return territory_count(Commune) <= MENU_LIMIT

    # Filtering

    def filter_queryset(self, queryset):
        return self.apply(queryset)

    def apply(self, queryset, skip=None):
        """Every filter but `skip`, then « near » when it has an origin."""
        data = self.form.cleaned_data
        for name, value in data.items():
            if name != skip:
                queryset = self.filters[name].filter(queryset, value)
        if not data.get("status") and skip != "status":
            queryset = queryset.active()
        if self.form.origin:
            queryset = queryset.near(*self.form.origin, km=self.radius_km)
        return queryset

    @property
    def radius_km(self):
        radius = self.form.cleaned_data.get("radius") if self.is_bound else None
        return int(radius) if radius else DEFAULT_RADIUS_KM

    @property
    def origin_label(self):
        return self.form.origin_label

    def filter_nothing(self, queryset, name, value):
        return queryset  # read by apply() through the form

    def filter_search(self, queryset, name, value):
        """Text search is the costly part: run it once per search (and share it for two
        minutes), then let the list and every facet count reuse the matching places."""
        return queryset.filter(pk__in=self.search_pks(value))

    def search_pks(self, text):
        known = self.__dict__.setdefault("_search_pks", {})
        if text not in known:
            digest = hashlib.sha256(strip_accents(text).casefold().encode()).hexdigest()
            key = versioned_key("search", digest)
            pks = cache.get(key)
            if pks is None:
                pks = list(search(Place.objects.published(), text).values_list("pk", flat=True))
                cache.set(key, pks, 120)
            known[text] = pks
        return known[text]

    def filter_related(self, queryset, name, value):
        if not value:
            return queryset
        field, key = RELATED_FACETS[name]
        through = getattr(Place, field).through
        return queryset.filter(
            pk__in=through.objects.filter(**{f"{key}__in": value}).values("place_id")
        )

    def filter_network(self, queryset, name, value):
        if not value:
            return queryset
        members = Membership.objects.filter(network__in=value, end_year__isnull=True)
        return queryset.filter(pk__in=members.values("place_id"))

    def filter_accessible(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            accessibility__in=[Place.Accessibility.YES, Place.Accessibility.PARTIAL]
        )

    def filter_open_now(self, queryset, name, value):
        return queryset.filter(pk__in=self.open_pks(self.now)) if value else queryset

    def filter_open_at(self, queryset, name, value):
        return queryset.filter(pk__in=self.open_pks(value))

    @cached_property
    def now(self):
        """One « now » per search, so that every facet count agrees."""
        return timezone.now()

    def open_pks(self, moment):
        """Places open at `moment`: opening hours are read once per search, not once per facet,
        and once a minute for everyone (they change by the minute, or when the data does)."""
        known = self.__dict__.setdefault("_open_pks", {})
        if moment not in known:
            minute = moment.replace(second=0, microsecond=0)
            key = versioned_key("open-pks", minute.isoformat())
            pks = cache.get(key)
            if pks is None:
                pks = Place.objects.published().open_pks(minute)
                cache.set(key, pks, 120)
            known[moment] = pks
        return known[moment]

    def filter_status(self, queryset, name, value):
        return queryset.filter(status__in=value)

    def valid_part(self):
        """The same search without its invalid parameters, to keep offering the facets."""
        data = self.form.data.copy()
        for field in self.errors:
            for key in ("lat", "lon") if field == "__all__" else (field,):
                data.pop(key, None)
        return type(self)(data, queryset=self.queryset, request=self.request)
