"""The week grid of the place form: opening hours typed day by day, without JavaScript.

Each day has up to RANGES time ranges; up to SEASONS periods of the year have a week of their own
(a period whose week is left empty is a closing: « congés »); a box closes public holidays. The
field gives a places.hours_grid.Grid, which writes the OpenStreetMap expression. Hours the grid
cannot hold (see Grid.from_expression) are edited as an expression: the grid then shows a note
instead of its rows.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.utils.dates import MONTHS, WEEKDAYS
from django.utils.translation import gettext as _

from places.hours_grid import DAYS, MIDNIGHT, Grid, GridError, Season, Week, check_ranges
from places.hours_grid import last_day_of as days_in_month

RANGES = 3
SEASONS = 2
KEYS = [day.lower() for day in DAYS]
TIME = re.compile(r"(\d{1,2})(?:[:hH](\d\d)?)?")


def grid_of(expression):
    """The grid showing these hours, or None when only the expression can say them."""
    return Grid.from_expression(expression, max_seasons=SEASONS, max_ranges=RANGES)


class WeekGridWidget(forms.Widget):
    template_name = "admin/places/place/hours_grid.html"

    def value_from_datadict(self, data, files, name):
        """The grid's inputs as typed, {"mo-0-start": "09:00", …}; None when the form had no
        grid (its hours were too complex for one)."""
        if f"{name}-sent" not in data:
            return None
        prefix = f"{name}-"
        return {key[len(prefix) :]: data.get(key) for key in data if key.startswith(prefix)}

    def format_value(self, value):
        return as_data(value) if isinstance(value, Grid) else value

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        data = context["widget"]["value"]
        if data is None:
            return context
        base_id = context["widget"]["attrs"].get("id") or f"id_{name}"

        def input_of(key, **extra):
            return {"name": f"{name}-{key}", "id": f"{base_id}-{key}", "value": data.get(key) or ""}

        def week(prefix):
            return [
                {
                    "label": WEEKDAYS[number],
                    "key": f"{prefix}{key}",
                    "ranges": [
                        {
                            "number": n + 1,
                            "start": input_of(f"{prefix}{key}-{n}-start"),
                            "end": input_of(f"{prefix}{key}-{n}-end"),
                        }
                        for n in range(RANGES)
                    ],
                }
                for number, key in enumerate(KEYS)
            ]

        seasons = []
        for number in range(SEASONS):
            prefix = f"s{number}-"
            keys = [key for key in data if key.startswith(prefix)]
            seasons.append(
                {
                    "number": number + 1,
                    "open": any(data.get(key) for key in keys),
                    "from_day": input_of(f"{prefix}from-day"),
                    "from_month": input_of(f"{prefix}from-month"),
                    "to_day": input_of(f"{prefix}to-day"),
                    "to_month": input_of(f"{prefix}to-month"),
                    "week": week(prefix),
                }
            )
        context["widget"] |= {
            "grid": True,
            "week": week(""),
            "seasons": seasons,
            "holidays": input_of("holidays") | {"checked": data.get("holidays") == "on"},
            "sent": input_of("sent"),
            "day_choices": [("", "—")] + [(str(day), str(day)) for day in range(1, 32)],
            "month_choices": [("", "—")] + [(str(n), MONTHS[n]) for n in range(1, 13)],
        }
        return context

    def _render(self, template_name, context, renderer=None):
        # The template lives with the site's, which the default form renderer does not read.
        return super()._render(template_name, context, TemplatesSetting())


def as_data(grid):
    """A grid as its inputs' values."""
    data = {"holidays": "on" if grid.holidays_closed else ""}
    data |= _week_data("", grid.week)
    for number, season in enumerate(grid.seasons):
        prefix = f"s{number}-"
        (first_month, first_day), (last_month, last_day) = season.start, season.end
        data |= {
            f"{prefix}from-day": str(first_day or ""),
            f"{prefix}from-month": str(first_month),
            f"{prefix}to-day": str(last_day or ""),
            f"{prefix}to-month": str(last_month),
        }
        data |= _week_data(prefix, season.week)
    return data


def _week_data(prefix, week):
    data = {}
    for key, ranges in zip(KEYS, week.days, strict=True):
        for n, (start, end) in enumerate(ranges):
            data[f"{prefix}{key}-{n}-start"] = start
            data[f"{prefix}{key}-{n}-end"] = end
    return data


class WeekGridField(forms.Field):
    widget = WeekGridWidget

    def to_python(self, value):
        """The Grid of the inputs, or None when the form had no grid."""
        if value is None:
            return None
        errors = []
        week = _week_of("", value, errors, _usual_range)
        seasons = []
        for number in range(SEASONS):
            season = _season_of(number, value, errors)
            if season:
                seasons.append(season)
        if errors:
            raise ValidationError(errors, code="invalid_grid")
        return Grid(week, tuple(seasons), value.get("holidays") == "on")

    def bound_data(self, data, initial):
        # A form posted without its grid shows it again as it was.
        return initial if data is None else data

    def has_changed(self, initial, data):
        if data is None:
            return False
        try:
            return self.to_python(data) != (initial or Grid())
        except ValidationError:
            return True


def _usual_range(day, number):
    return _("%(day)s, plage %(number)s") % {"day": day, "number": number}


def _week_of(prefix, data, errors, where):
    """The week of these inputs; what is wrong in them, named by `where(day, range number)`."""
    days = []
    for number, key in enumerate(KEYS):
        ranges = []
        for n in range(RANGES):
            place = where(WEEKDAYS[number], n + 1)
            start = _time(data.get(f"{prefix}{key}-{n}-start"), place, errors)
            end = _time(data.get(f"{prefix}{key}-{n}-end"), place, errors)
            if start is None and end is None:
                continue
            if start is None or end is None:
                errors.append(
                    _("%(where)s : indiquez l'heure d'ouverture et l'heure de fermeture.")
                    % {"where": place}
                )
                continue
            end = MIDNIGHT if end == "00:00" else end
            if start == MIDNIGHT:
                start = "00:00"
            if start == end:
                errors.append(
                    _("%(where)s : l'ouverture et la fermeture sont à la même heure.")
                    % {"where": place}
                )
                continue
            ranges.append((start, end))
        ranges.sort()
        try:
            check_ranges(ranges)
        except GridError:
            errors.append(
                _("%(day)s : des plages horaires se chevauchent.") % {"day": WEEKDAYS[number]}
            )
        days.append(tuple(ranges))
    return Week(tuple(days))


def _time(value, where, errors):
    """ "HH:MM" from what a time input sends (or, without one, « 9:30 », « 9h30 », « 9h »)."""
    value = (value or "").strip()
    if not value:
        return None
    match = TIME.fullmatch(value)
    hour, minute = (int(match[1]), int(match[2] or 0)) if match else (99, 0)
    if hour > 24 or minute > 59 or (hour == 24 and minute):
        errors.append(
            _("%(where)s : « %(value)s » n'est pas une heure.") % {"where": where, "value": value}
        )
        return None
    return f"{hour:02d}:{minute:02d}"


def _season_of(number, data, errors):
    prefix = f"s{number}-"
    label = _("Période %(number)s") % {"number": number + 1}

    def where(day, range_number):
        return _("Période %(season)s, %(day)s, plage %(number)s") % {
            "season": number + 1,
            "day": day,
            "number": range_number,
        }

    week = _week_of(prefix, data, errors, where)
    values = {
        part: _number(data.get(f"{prefix}{part}"), limit)
        for part, limit in (("from-day", 31), ("from-month", 12), ("to-day", 31), ("to-month", 12))
    }
    first_month, last_month = values["from-month"], values["to-month"]
    if first_month is None or last_month is None:
        unused = first_month is None and last_month is None and week.is_closed
        if not (unused and values["from-day"] is None and values["to-day"] is None):
            message = _("%(season)s : indiquez ses mois de début et de fin.")
            errors.append(message % {"season": label})
        return None
    first_day, last_day = values["from-day"], values["to-day"]
    if (first_day is None) != (last_day is None):
        first_day, last_day = first_day or 1, last_day or days_in_month(last_month)
    for month, day in ((first_month, first_day), (last_month, last_day)):
        if day is not None and day > days_in_month(month):
            errors.append(
                _("%(season)s : le %(day)s %(month)s n'existe pas.")
                % {"season": label, "day": day, "month": MONTHS[month]}
            )
            return None
    return Season((first_month, first_day), (last_month, last_day), week)


def _number(value, limit):
    """A day or month chosen in a list; anything else is no choice."""
    value = (value or "").strip()
    # ASCII digits only (« ² » is a digit to str.isdigit, not to int), and short: a number of
    # thousands of digits is refused by int() itself.
    if not (value.isascii() and value.isdigit() and len(value) <= 2):
        return None
    return int(value) if 1 <= int(value) <= limit else None
