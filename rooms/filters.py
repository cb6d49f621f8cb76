"""Which rooms match: the one definition of `/salles/` and its map. With a day asked for (and a
time, a half-day or the day), only the rooms free then (bookings.free_q: their hours, seasons and
closed periods, minus accepted bookings, in the database); the directory's « near » reused."""

from datetime import time

import django_filters
from django import forms
from django.core.paginator import Paginator
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from places.filters import PlaceFilter, PlaceFilterForm
from places.filters import _without_blanks as without_blanks
from places.models import Place, Room, Service

from . import bookings

DEFAULT_RADIUS_KM = 20
MAX_PEOPLE = 500
# The half-hours one may choose, from 7:00 to 22:00.
TIMES = [time(hour, minute) for hour in range(7, 23) for minute in (0, 30)][:-1]
TIME_CHOICES = [(f"{moment:%H:%M}", f"{moment:%H:%M}".replace(":", " h ")) for moment in TIMES]
# The site's half-days: said in their labels, never guessed from a room.
PERIODS = {
    "morning": (time(9), time(12)),
    "afternoon": (time(14), time(17)),
    "day": (time(9), time(17)),
}


class RoomFilterForm(PlaceFilterForm):
    """Where « near » starts from (as the directory's), and the slot asked for."""

    slot = None

    def clean(self):
        cleaned = super().clean()
        day, period = cleaned.get("date"), cleaned.get("period")
        first, last = cleaned.get("start"), cleaned.get("end")
        if day is None:
            if first or last or period:
                self.add_error("date", _("Choisissez le jour."))
            return cleaned
        if period:
            first, last = (f"{moment:%H:%M}" for moment in PERIODS[period])
        elif not (first and last):
            first, last = (f"{moment:%H:%M}" for moment in PERIODS["day"])
        start = bookings.moment(day, time.fromisoformat(first))
        end = bookings.moment(day, time.fromisoformat(last))
        if end <= start:
            self.add_error("end", _("La fin du créneau vient avant son début."))
        elif start <= timezone.now():
            self.add_error("date", _("Ce créneau est passé : choisissez une date à venir."))
        elif start - timezone.now() > bookings.MAX_AHEAD:
            self.add_error("date", _("Une salle se demande au plus un an à l'avance."))
        else:
            self.slot = (start, end)
        return cleaned


class RoomFilter(django_filters.FilterSet):
    date = django_filters.DateFilter(
        label=_("Jour"),
        method="filter_nothing",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    period = django_filters.ChoiceFilter(
        label=_("Moment"),
        choices=[
            ("morning", _("Matinée (9 h – 12 h)")),
            ("afternoon", _("Après-midi (14 h – 17 h)")),
            ("day", _("Journée (9 h – 17 h)")),
        ],
        empty_label=_("Les heures ci-dessous"),
        method="filter_nothing",
    )
    start = django_filters.ChoiceFilter(
        label=_("De"), choices=TIME_CHOICES, method="filter_nothing", empty_label="—"
    )
    end = django_filters.ChoiceFilter(
        label=_("À"), choices=TIME_CHOICES, method="filter_nothing", empty_label="—"
    )
    people = django_filters.NumberFilter(
        label=_("Nombre de personnes"),
        method="filter_people",
        min_value=1,
        max_value=MAX_PEOPLE,
        decimal_places=0,
    )
    equipment = django_filters.ModelMultipleChoiceFilter(
        label=_("Équipement"),
        queryset=Service.objects.filter(room__isnull=False).distinct(),
        to_field_name="code",
        method="filter_equipment",
        widget=forms.CheckboxSelectMultiple,
    )
    kind = django_filters.ChoiceFilter(
        label=_("Type d'offre"),
        choices=Room.Kind.choices,
        empty_label=_("Toutes"),
        method="filter_kind",
    )
    # The directory's « near »: a commune typed, or the visitor's position, and a radius.
    near = PlaceFilter.base_filters["near"]
    radius = PlaceFilter.base_filters["radius"]
    lat = PlaceFilter.base_filters["lat"]
    lon = PlaceFilter.base_filters["lon"]

    class Meta:
        fields = []
        form = RoomFilterForm

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(without_blanks(data), *args, **kwargs)

    def filter_queryset(self, queryset):
        for name, value in self.form.cleaned_data.items():
            queryset = self.filters[name].filter(queryset, value)
        if self.form.origin:
            queryset = queryset.filter(place__in=list(self.distances))
        if self.slot:
            start, end = self.slot
            queryset = queryset.with_rules().filter(bookings.free_q(queryset, start, end))
        return queryset

    @property
    def slot(self):
        return self.form.slot if self.is_bound and self.form.is_valid() else None

    @cached_property
    def distances(self):
        """{place pk: km} within the radius of where « near » starts from (one query)."""
        latitude, longitude = self.form.origin
        return Place.objects.open().distances_from(latitude, longitude, self.radius_km)

    @property
    def radius_km(self):
        radius = self.form.cleaned_data.get("radius") if self.is_bound else None
        return int(radius) if radius else DEFAULT_RADIUS_KM

    def page(self, number, per_page):
        """The page asked for of the matching rooms, nearest first when « near » is asked, else
        by place and name: the order is read from light rows (one query), then only the page's
        rooms are fetched whole (select_related, prefetch_related), whatever their number."""
        rows = list(self.qs.order_by("place__name", "name", "pk").values_list("pk", "place_id"))
        near = self.is_bound and self.form.is_valid() and self.form.origin
        if near:
            rows.sort(key=lambda row: self.distances.get(row[1], 0))  # stable: then by name
        page = Paginator(rows, per_page).get_page(number)
        found = (
            Room.objects.filter(pk__in=[pk for pk, _place in page.object_list])
            .select_related("place__commune")
            .prefetch_related("equipment", "photos")
            .in_bulk()
        )
        rooms = [found[pk] for pk, _place in page.object_list]
        for room in rooms:
            room.distance = self.distances.get(room.place_id) if near else None
        page.object_list = rooms
        return page

    def filter_nothing(self, queryset, name, value):
        return queryset  # read through the form's slot and origin

    def filter_people(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(Q(capacity__isnull=True) | Q(capacity__gte=value))

    def filter_equipment(self, queryset, name, value):
        # Every piece of equipment ticked (a room with visio AND a projector).
        for service in value:
            links = Room.equipment.through.objects.filter(service=service)
            queryset = queryset.filter(pk__in=links.values("room_id"))
        return queryset

    def filter_kind(self, queryset, name, value):
        return queryset.filter(kind=value) if value else queryset


def bookable_rooms():
    """The rooms one may ask for: bookable, of an open place the public sees."""
    return Room.objects.filter(
        bookable=True, place__in=Place.objects.published().open().values("pk")
    )
