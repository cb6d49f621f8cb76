"""What printed documents show of places: each place with its hours for a sheet of paper, its
number on the map, and the search a sheet was printed for.

A sheet stays on a fridge or a notice board for weeks: it gives the hours of a week by weekday
(season by season when they change within the year), not of the next seven dates as the page.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.dates import WEEKDAYS

from places import hours
from places.models import Place, Stop

# Seasons a sheet lists at most; beyond, it sends to the page.
SEASONS = 3


@dataclass
class Entry:
    """A place as a document prints it."""

    number: int
    place: Place
    seasons: list = field(default_factory=list)  # see _season()
    week: list = field(default_factory=list)  # the next seven days, when seasons cannot be told
    more_seasons: bool = False

    @property
    def position(self):
        """(latitude, longitude) of the place, or of its first stop with one, or None."""
        if self.place.is_located:
            return self.place.latitude, self.place.longitude
        for stop in self.place.stops.all():
            lat = stop.latitude if stop.latitude is not None else _townhall(stop, "latitude")
            lon = stop.longitude if stop.longitude is not None else _townhall(stop, "longitude")
            if lat is not None and lon is not None:
                return lat, lon
        return None


def _townhall(stop, axis):
    return getattr(stop.commune, f"townhall_{axis}", None) if stop.commune else None


def with_sheet_data(queryset):
    """Everything a sheet shows of its places, in a fixed number of queries."""
    stops = Stop.objects.select_related("commune")
    return queryset.with_card_data().prefetch_related(
        Prefetch("stops", queryset=stops), "audiences"
    )


def entries(places, now):
    """Each place numbered from 1, with its hours read for a sheet."""
    made = []
    for number, place in enumerate(places, start=1):
        entry = Entry(number, place)
        if place.opening_hours:
            year = hours.year(place.opening_hours, now)
            if year is None:
                entry.week = hours.week(place.opening_hours, now)
            else:
                entry.seasons = [_season(period, year) for period in year.periods[:SEASONS]]
                entry.more_seasons = len(year.periods) > SEASONS
        made.append(entry)
    return made


def _season(period, year):
    """(first day, last day, each weekday's slots, the same grouped) of a season; no days when
    it lasts the whole year shown."""
    days = [(WEEKDAYS[day], period.weekdays.get(day, [])) for day in range(7)]
    whole = len(year.periods) == 1
    return (None if whole else period.first, None if whole else period.last, days, grouped(days))


def grouped(days):
    """Weekdays in a row with the same hours as one line (« lundi–vendredi »), for booklets:
    [(days, slots)], closed days left out."""
    runs = []
    for name, slots in days:
        if runs and runs[-1][2] == slots:
            runs[-1][1] = name
        else:
            runs.append([name, name, slots])
    return [
        (first if first == last else f"{first}–{last}", slots)
        for first, last, slots in runs
        if slots
    ]


def dots(entries):
    """(number, latitude, longitude) of each entry with a position, for svgmap.area_map()."""
    return [(entry.number, *entry.position) for entry in entries if entry.position]


def labels(communes):
    """(name, latitude, longitude) of each commune's town hall, for svgmap.area_map()."""
    return [
        (commune.name, commune.townhall_latitude, commune.townhall_longitude)
        for commune in communes
        if commune.townhall_latitude is not None
    ]


def summary(places):
    """The search of a valid PlaceFilter in words: (label, value) for each criterion given."""
    form = places.form
    told = []
    for name, value in form.cleaned_data.items():
        if name in {"lat", "lon", "radius", "near"} or not value:
            continue
        if hasattr(value, "__iter__") and not isinstance(value, str):
            value = ", ".join(str(item) for item in value)
        told.append((form[name].label, "" if value is True else value))
    if form.origin:
        told.append((form["radius"].label, f"{places.radius_km} — {form.origin_label}"))
    return told
