"""Opening hours as a week grid: each day's time ranges, seasons with their own week, and public
holidays closed or not.

The back-office edits hours in this shape and saves the OpenStreetMap expression it writes
(`Grid.expression()`). An expression is read back into a grid only when the grid says the same
hours (`Grid.from_expression()`): the expression the grid would write opens and closes at the
same moments over two years. Anything else (« sur rendez-vous », week numbers, « || »…) stays an
expression, edited as text.
"""

import calendar
import re
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone

from . import hours

DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MIDNIGHT = "24:00"


class GridError(ValueError):
    """Hours a grid cannot hold, with what to say to the person who typed them."""


def minutes(time):
    """ "09:30" as 570; "24:00" as 1440."""
    hour, minute = time.split(":")
    return int(hour) * 60 + int(minute)


@dataclass(frozen=True)
class Week:
    """A week's opening: for each day from Monday, its (start, end) "HH:MM" ranges, in order.

    An end before its start runs past midnight; "24:00" ends at midnight."""

    days: tuple = ((),) * 7

    @property
    def is_closed(self):
        return not any(self.days)

    def replace(self, changes):
        """This week with some days' ranges replaced: {day index: ranges}."""
        return Week(tuple(tuple(changes.get(n, ranges)) for n, ranges in enumerate(self.days)))

    def rules(self, selector=""):
        """OpenStreetMap rules for the open days, days with the same ranges together."""
        groups = {}
        for number, ranges in enumerate(self.days):
            if ranges:
                groups.setdefault(ranges, []).append(number)
        return [
            " ".join(filter(None, [selector, day_selector(numbers), times(ranges)]))
            for ranges, numbers in sorted(groups.items(), key=lambda item: item[1])
        ]


def check_ranges(ranges):
    """Ranges that open at a time and close at another, and do not overlap."""
    spans = []
    for start, end in ranges:
        if start == end:
            raise GridError("empty")
        low, high = minutes(start), minutes(end)
        spans.append((low, high if high > low else high + 24 * 60))
    spans.sort()
    for (_, first_end), (second_start, _) in zip(spans, spans[1:], strict=False):
        if second_start < first_end:
            raise GridError("overlap")
    return ranges


def times(ranges):
    return ",".join(f"{start}-{end}" for start, end in ranges)


def day_selector(numbers):
    """Day numbers as « Mo-Fr », « Mo,We », « Mo-We,Sa »: three days or more in a row as a
    range."""
    runs = []
    for number in numbers:
        if runs and runs[-1][-1] == number - 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{DAYS[run[0]]}-{DAYS[run[-1]]}")
        else:
            parts.extend(DAYS[number] for number in run)
    return ",".join(parts)


@dataclass(frozen=True)
class Season:
    """A period of each year with its own week: from (month, day) to (month, day), 1-based; a
    day of None is the month's first (start) or last (end) day. It may run over New Year."""

    start: tuple
    end: tuple
    week: Week = field(default_factory=Week)

    def selector(self):
        (first_month, first_day), (last_month, last_day) = self.start, self.end
        if first_day is None and last_day is None:
            if first_month == last_month:
                return MONTHS[first_month - 1]
            return f"{MONTHS[first_month - 1]}-{MONTHS[last_month - 1]}"
        first_day = first_day or 1
        last_day = last_day or last_day_of(last_month)
        first = f"{MONTHS[first_month - 1]} {first_day:02d}"
        last = f"{MONTHS[last_month - 1]} {last_day:02d}"
        return first if first == last else f"{first}-{last}"


def last_day_of(month):
    """A month's last day in a leap year: « Feb 29 » is read as Feb 28 in other years."""
    return calendar.monthrange(2024, month)[1]


@dataclass(frozen=True)
class Grid:
    """A place's hours as the back-office grid shows them."""

    week: Week = field(default_factory=Week)
    seasons: tuple = ()
    holidays_closed: bool = False

    @property
    def is_empty(self):
        return self.week.is_closed and not self.seasons and not self.holidays_closed

    def expression(self):
        """The OpenStreetMap expression: the usual week, then each season (whose days closed
        but open before it are said closed), then public holidays."""
        if self.is_empty:
            return ""
        rules = self.week.rules()
        earlier = [self.week]
        for season in self.seasons:
            selector = season.selector()
            if season.week.is_closed:
                rules.append(f"{selector} off")
            else:
                rules += season.week.rules(selector)
                closing = [
                    n
                    for n, ranges in enumerate(season.week.days)
                    if not ranges and any(week.days[n] for week in earlier)
                ]
                if closing:
                    rules.append(f"{selector} {day_selector(closing)} off")
            earlier.append(season.week)
        if all(week.is_closed for week in earlier):
            return ""  # never open: the hours are not known
        if self.holidays_closed:
            rules.append("PH off")
        return "; ".join(rules)

    @classmethod
    def from_expression(cls, expression, max_seasons=None, max_ranges=None):
        """The grid of an expression, or None when the grid cannot say the same hours."""
        expression = (expression or "").strip()
        if not expression:
            return cls()
        try:
            grid = _read(expression)
        except GridError:
            return None
        if max_seasons is not None and len(grid.seasons) > max_seasons:
            return None
        weeks = [grid.week, *(season.week for season in grid.seasons)]
        if max_ranges is not None and any(len(day) > max_ranges for w in weeks for day in w.days):
            return None
        return grid if same_hours(expression, grid.expression()) else None


def same_hours(first, second):
    """Whether two expressions open and close at the same moments over this year and the next."""
    year = timezone.localdate().year
    start, end = datetime(year, 1, 1), datetime(year + 2, 1, 1)
    try:
        return list(hours.parse(first).intervals(start, end)) == list(
            hours.parse(second or "Mo-Su off").intervals(start, end)
        )
    except (ValueError, hours.opening_hours.ParserError):
        return False


# Reading an expression back: only the shapes Grid.expression() writes, and the close variants
# people type (a rule for all days, « closed », days listed in any order).

TIME = r"(?:[01]?\d|2[0-3]):[0-5]\d"
END = rf"(?:{TIME}|24:00)"
TIMES = rf"{TIME}-{END}(?:,{TIME}-{END})*"
DAY = "|".join(DAYS)
DAYS_PATTERN = rf"(?:{DAY})(?:-(?:{DAY}))?(?:,(?:{DAY})(?:-(?:{DAY}))?)*"
MONTH = "|".join(MONTHS)
DATE = rf"(?:{MONTH})(?: [0-3]?\d)?"
RULE = re.compile(
    rf"(?:(?P<dates>{DATE}(?:-{DATE})?) )?(?P<days>{DAYS_PATTERN})? ?(?P<what>{TIMES}|off|closed)"
)


def _read(expression):
    if expression == "24/7":
        return Grid(Week(((("00:00", MIDNIGHT),),) * 7))
    base, seasons, holidays_closed = {}, [], False
    for text in (part.strip() for part in expression.split(";")):
        if holidays_closed:
            raise GridError("rule after PH off")
        if text in ("PH off", "PH closed"):
            holidays_closed = True
            continue
        match = RULE.fullmatch(text)
        if not match:
            raise GridError(text)
        days = _days(match["days"])
        ranges = () if match["what"] in ("off", "closed") else _ranges(match["what"])
        if match["dates"] is None:
            if seasons:
                raise GridError("usual week after a season")
            base |= dict.fromkeys(days, ranges)
            continue
        start, end = _dates(match["dates"])
        if not seasons or (seasons[-1][0], seasons[-1][1]) != (start, end):
            seasons.append((start, end, {}))
        seasons[-1][2].update(dict.fromkeys(days, ranges))
    week = Week().replace(base)
    return Grid(
        week,
        tuple(Season(start, end, week.replace(changes)) for start, end, changes in seasons),
        holidays_closed,
    )


def _days(text):
    if not text:
        return list(range(7))
    numbers = []
    for part in text.split(","):
        first, _, last = part.partition("-")
        low, high = DAYS.index(first), DAYS.index(last or first)
        span = range(low, high + 1) if low <= high else [*range(low, 7), *range(high + 1)]
        numbers.extend(span)
    return numbers


def _ranges(text):
    ranges = tuple(tuple(time.zfill(5) for time in part.split("-")) for part in text.split(","))
    check_ranges(ranges)
    return tuple(sorted(ranges, key=lambda pair: minutes(pair[0])))


def _dates(text):
    first, _, last = text.partition("-")
    start, end = _date(first), _date(last or first)
    if (start[1] is None) != (end[1] is None):
        raise GridError(text)
    for month, day in (start, end):
        if day is not None and not 1 <= day <= last_day_of(month):
            raise GridError(text)
    return start, end


def _date(text):
    month, _, day = text.partition(" ")
    return MONTHS.index(month) + 1, int(day) if day else None
