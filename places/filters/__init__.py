"""Which places match: the one definition shared by the list, the map data and every listing.

Several values within a facet combine with OR, facets combine with AND. Each facet also counts
how many places each of its options would give, all other facets applied.

Two readings of the same criteria: `qs` filters a queryset in the database (map data, exports,
coverage), and `matches()` reads the directory's bitmaps in memory (the list and its counts, see
index.py). Tests hold them to the same answers.
"""

import copy

import django_filters
from django import forms
from django.core.cache import cache
from django.http import QueryDict
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from ..cache import versioned_key
from ..models import Commune, Epci, Membership, Place
from .facets import FacetCounts
from .index import RELATED_FACETS, Matches, current_index, positions_of
from .territory import MENU_LIMIT, CommuneFilter, EpciFilter, find_commune, territory_count

__all__ = ["DEFAULT_RADIUS_KM", "RADIUS_CHOICES_KM", "PlaceFilter", "find_commune"]

DEFAULT_RADIUS_KM = 10
LOCATION_FIELDS = {"near", "radius", "lat", "lon"}  # read through the form's origin
ACCESSIBLE = [Place.Accessibility.YES, Place.Accessibility.PARTIAL]
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


class ShallowCopies(dict):
    """A filterset's filters or a form's fields, which django-filter and Django deep-copy for
    every search, copied shallowly instead: a search keeps nothing on them but what `copy_one`
    gives each copy of its own. Deep copies were a tenth of a list page's time."""

    def __deepcopy__(self, memo):
        return {name: self.copy_one(item) for name, item in self.items()}


class SharedFilters(ShallowCopies):
    """A filter keeps its parent, which django-filter sets on each copy, and its method, bound
    here to the copy."""

    @staticmethod
    def copy_one(original):
        clone = copy.copy(original)
        if original.method is not None:
            clone.method = original.method
        return clone


class SharedFields(ShallowCopies):
    """A field is only read by its form; its widget, which rendering may adjust, is its own, and
    so is a menu's queryset, which must not keep one search's rows for the next."""

    @staticmethod
    def copy_one(original):
        clone = copy.copy(original)
        clone.widget = copy.copy(original.widget)
        if isinstance(original, forms.ModelChoiceField):
            clone.queryset = original.queryset  # the setter takes a copy, and gives it the widget
        return clone


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


class OptionsField(forms.MultipleChoiceField):
    """Codes of reference options (services, publics…), cleaned to the options themselves.

    They are checked against the directory's index rather than by a query per criterion."""

    def __init__(self, *, facet, **kwargs):
        self.facet = facet
        super().__init__(**kwargs)

    def validate(self, value):
        forms.Field.validate(self, value)  # required or not; clean() checks the codes

    def clean(self, value):
        codes = super().clean(value)
        if not codes:
            return []
        known = current_index().by_code[self.facet]
        for code in codes:
            if code not in known:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": code},
                )
        return [known[code] for code in codes]


class OptionsFilter(django_filters.Filter):
    field_class = OptionsField


def by_code(label, facet, method="filter_related"):
    """A facet of reference data, chosen by code with checkboxes (several values: OR)."""
    return OptionsFilter(
        label=label,
        facet=facet,
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
    family = by_code(_("Familles de fonctions"), "family")
    service = by_code(_("Services"), "service")
    type = by_code(_("Types de lieu"), "type")
    audience = by_code(_("Publics"), "audience")
    network = by_code(_("Réseaux"), "network", method="filter_network")
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

    def get_form_class(self):
        """Made once: the fields are the same for every search, and each form copies them."""
        cls = type(self)
        if "_form_class" not in cls.__dict__:
            cls._form_class = super().get_form_class()
            cls._form_class.base_fields = SharedFields(cls._form_class.base_fields)
        return cls._form_class

    @cached_property
    def menus(self):
        """Whether communes are few enough to be offered as menus and suggestions in the page;
        otherwise the page asks for a name or a code, which the same fields understand."""
        return territory_count(Commune) <= MENU_LIMIT

    # Filtering

    def filter_queryset(self, queryset):
        """Every filter, then « near » when it has an origin."""
        data = self.form.cleaned_data
        for name, value in data.items():
            queryset = self.filters[name].filter(queryset, value)
        if not data.get("status"):
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
        return queryset  # read by filter_queryset() through the form

    def filter_search(self, queryset, name, value):
        """Text is searched in the directory's index (see index.py), for the database too."""
        pks = self.index.pks
        return queryset.filter(pk__in=[pks[n] for n in positions_of(self.criterion("q", value))])

    def filter_related(self, queryset, name, value):
        if not value:
            return queryset
        field, key, _ = RELATED_FACETS[name]
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
        return queryset.filter(accessibility__in=ACCESSIBLE)

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

    # The same criteria, read from the directory's bitmaps

    @cached_property
    def index(self):
        return current_index()

    def criterion(self, name, value):
        """The bitmap of the published places that a criterion's cleaned value keeps."""
        directory = self.index
        if name in RELATED_FACETS or name == "network":
            return directory.mask(name, [option.pk for option in value])
        if name == "q":
            return directory.search(value)
        if name in ("commune", "epci"):
            return directory.mask(name, [value.pk])
        if name == "accessible":
            return directory.mask("accessibility", ACCESSIBLE)
        if name in ("open_now", "open_at"):
            moment = self.now if name == "open_now" else value
            minute = moment.replace(second=0, microsecond=0)
            return directory.open_at(minute, lambda: self.open_pks(moment))
        if name == "status":
            return directory.mask("status", value)
        raise KeyError(name)

    @cached_property
    def criteria(self):
        """Each criterion in use, as a bitmap."""
        return {
            name: self.criterion(name, value)
            for name, value in self.form.cleaned_data.items()
            if name not in LOCATION_FIELDS and value
        }

    @cached_property
    def nearby(self):
        return self.index.near(*self.form.origin, km=self.radius_km)

    def matches(self, skip=None):
        """The places every criterion but `skip` keeps, read from the index as filter_queryset
        reads them from the database."""
        mask = self.index.everything
        for name, criterion in self.criteria.items():
            if name != skip:
                mask &= criterion
        if "status" not in self.criteria and skip != "status":
            mask &= self.index.mask("status", Place.ACTIVE_STATUSES)
        if not self.form.origin:
            return Matches(self.index, mask)
        near, distances = self.nearby
        return Matches(self.index, mask & near, distances)

    def valid_part(self):
        """The same search without its invalid parameters, to keep offering the facets."""
        data = self.form.data.copy()
        for field in self.errors:
            for key in ("lat", "lon") if field == "__all__" else (field,):
                data.pop(key, None)
        return type(self)(data, queryset=self.queryset, request=self.request)


PlaceFilter.base_filters = SharedFilters(PlaceFilter.base_filters)
