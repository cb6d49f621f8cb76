"""Which events match: the one definition the agenda's page, its map, its feeds and its open data
share. « When » chooses a window of days; the other filters choose events, whose dates in the
window are then expanded (recurrence.py)."""

from datetime import datetime, time, timedelta

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from places.filters import PlaceFilter, PlaceFilterForm, by_code
from places.filters import _without_blanks as without_blanks
from places.models import Audience, Membership, Network, Place, PlaceType

from .models import Event
from .recurrence import MAX_WINDOW, PARIS

DEFAULT_DAYS = 28
COMING_WEEK = timedelta(days=7)
DEFAULT_RADIUS_KM = 10


class EventFilterForm(PlaceFilterForm):
    """Where « near » starts from (as the directory's), and the days asked for."""

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("start"), cleaned.get("end")
        if first and last:
            if last < first:
                self.add_error("end", _("La date de fin vient avant la date de début."))
            elif (last - first) >= MAX_WINDOW:
                self.add_error("end", _("Choisissez au plus un an de dates."))
        return cleaned


class EventFilter(django_filters.FilterSet):
    when = django_filters.ChoiceFilter(
        label=_("Quand"),
        choices=[
            ("today", _("Aujourd'hui")),
            ("week", _("Cette semaine")),
            ("weekend", _("Ce week-end")),
        ],
        empty_label=_("Les prochaines semaines"),
        method="filter_nothing",
    )
    start = django_filters.DateFilter(
        label=_("Du"),
        method="filter_nothing",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end = django_filters.DateFilter(
        label=_("Au"),
        method="filter_nothing",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    # The directory's « near »: a commune typed, or the visitor's position, and a radius.
    near = PlaceFilter.base_filters["near"]
    radius = PlaceFilter.base_filters["radius"]
    lat = PlaceFilter.base_filters["lat"]
    lon = PlaceFilter.base_filters["lon"]
    audience = by_code(_("Publics"), Audience, "filter_audience")
    type = by_code(_("Types de lieu"), PlaceType, "filter_type")
    network = by_code(_("Réseaux"), Network, "filter_network")
    free = django_filters.BooleanFilter(
        label=_("Gratuit"), method="filter_free", widget=forms.CheckboxInput
    )

    class Meta:
        fields = []
        form = EventFilterForm

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(without_blanks(data), *args, **kwargs)

    def filter_queryset(self, queryset):
        return self.matching(queryset).between(*self.window)

    def matching(self, queryset):
        """The events chosen by every filter but « when »."""
        for name, value in self.form.cleaned_data.items():
            queryset = self.filters[name].filter(queryset, value)
        if self.form.origin:
            queryset = queryset.near(*self.form.origin, km=self.radius_km)
        return queryset

    @property
    def radius_km(self):
        radius = self.form.cleaned_data.get("radius") if self.is_bound else None
        return int(radius) if radius else DEFAULT_RADIUS_KM

    @cached_property
    def today(self):
        return timezone.localdate()

    @cached_property
    def days(self):
        """The first and last day asked for (both included)."""
        data = self.form.cleaned_data if self.is_bound and self.form.is_valid() else {}
        today, when = self.today, data.get("when")
        if when == "today":
            return today, today
        if when == "week":
            return today, today + timedelta(days=6 - today.weekday())
        if when == "weekend":
            saturday = today + timedelta(days=max(0, 5 - today.weekday()))
            return saturday, saturday + timedelta(days=6 - saturday.weekday())
        first = data.get("start") or today
        return first, data.get("end") or first + timedelta(days=DEFAULT_DAYS - 1)

    @property
    def window(self):
        """The days asked for, as moments: from the first's midnight to the day after the last."""
        first, last = self.days
        return _midnight(first), _midnight(last + timedelta(days=1))

    def filter_nothing(self, queryset, name, value):
        return queryset  # read through `days` and the form's origin

    def filter_audience(self, queryset, name, value):
        if not value:
            return queryset
        links = queryset.model.audiences.through.objects.filter(audience__in=value)
        return queryset.filter(pk__in=links.values("event_id"))

    def filter_type(self, queryset, name, value):
        if not value:
            return queryset
        links = Place.types.through.objects.filter(placetype__in=value)
        return queryset.filter(place__in=links.values("place_id"))

    def filter_network(self, queryset, name, value):
        if not value:
            return queryset
        members = Membership.objects.current().filter(network__in=value).values("place_id")
        return queryset.filter(Q(network__in=value) | Q(place__in=members))

    def filter_free(self, queryset, name, value):
        return queryset.filter(free=True) if value else queryset


def places_with_event_this_week(now):
    """The places with a published event, not cancelled, that has a date in the seven days from
    `now`: the directory's « un évènement cette semaine » (places.extensions.criteria)."""
    return Event.objects.published().places_with_dates(now, now + COMING_WEEK)


def _midnight(day):
    return datetime.combine(day, time(), tzinfo=PARIS)
