"""Opening hours typed the French way, « du lundi au vendredi 9h-12h 14h-17h », read into the
week grid (hours_grid) and so into an OpenStreetMap expression; or refused, saying which words
were not understood and how to write them.

Only what reads one way is understood: days and day ranges (« du lundi au vendredi », « lundi,
mardi », « tous les jours », « en semaine », « le week-end »), time ranges (« 9h-12h », « de 9h30
à 12h », « 14h à 18h », « 9-12h », « midi », « minuit »), « sauf », « fermé » (a day, a period,
public holidays), and periods of the year (« en août », « de juin à septembre », « du 15 juin au
15 septembre »). « Samedi matin » or « sur rendez-vous » say no hours: they are refused, with the
way to write them.
"""

import re
from dataclasses import dataclass, field
from itertools import groupby

from django.core.exceptions import ValidationError
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .hours_grid import MIDNIGHT, Grid, GridError, Season, Week, check_ranges, last_day_of, minutes
from .validators import validate_opening_hours

FRENCH_EXAMPLE = "du lundi au vendredi 9h-12h 14h-17h"
OSM_EXAMPLE = "Mo-Fr 09:00-12:00,14:00-17:00"

DAY_NAMES = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
# Each month's names and abbreviations, with and without accents.
MONTHS = [
    ("janvier", "janv"),
    ("février", "fevrier", "févr", "fevr"),
    ("mars",),
    ("avril", "avr"),
    ("mai",),
    ("juin",),
    ("juillet", "juil"),
    ("août", "aout"),
    ("septembre", "sept"),
    ("octobre", "oct"),
    ("novembre", "nov"),
    ("décembre", "decembre", "déc", "dec"),
]
MONTH_NAMES = {name: number for number, names in enumerate(MONTHS, 1) for name in names}
END_OF_WORD = r"(?![\w'])"
DAY = (
    r"(?:(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)s?|(?:lun|mar|mer|jeu|ven|sam|dim)\.?)"
    + END_OF_WORD
)
TIME = r"(?:(?:2[0-4]|[01]?\d)(?:\s?h(?:[0-5]\d)?|:[0-5]\d)(?!\d)|midi|minuit)"
BARE_HOUR = r"(?:2[0-4]|[01]?\d)"
TO = r"(?:-|à|a|au|jusqu'à|jusqu'a|jusqu'au)"
MONTH = "(?:" + "|".join(sorted(MONTH_NAMES, key=len, reverse=True)) + r")\.?" + END_OF_WORD
DATE = rf"(?:(?:[0-3]?\d)(?:er)?\s+)?{MONTH}"
DAY_AND_NIGHT, WHOLE_WEEK = r"24\s?h?\s?/\s?24", r"7\s?j?\s?/\s?7"
ALWAYS = (
    rf"{DAY_AND_NIGHT}(?:\s?(?:,|et)?\s?{WHOLE_WEEK})?|{WHOLE_WEEK}\s?(?:,|et)?\s?{DAY_AND_NIGHT}"
)

# Tried in this order at each position: the longer forms first.
TOKENS = [
    ("always", ALWAYS),
    ("range", rf"entre\s+{TIME}\s+et\s+{TIME}|(?:de\s+|d')?(?:{TIME}|{BARE_HOUR})\s*{TO}\s*{TIME}"),
    ("season", rf"(?:du\s+|de\s+|d'|en\s+)?{DATE}\s*(?:{TO}|et)\s*{DATE}"),
    ("month", rf"(?:en\s+|le\s+|d')?{DATE}"),
    ("day_range", rf"(?:du\s+|de\s+)?{DAY}\s*{TO}\s*{DAY}"),
    ("day", DAY),
    (
        "all_days",
        r"(?:tous\s+les\s+jours|chaque\s+jour|toute\s+la\s+semaine|7\s?j(?:ours)?\s?(?:/|sur)\s?7)"
        + END_OF_WORD,
    ),
    ("weekdays", r"(?:en\s+semaine|jours\s+ouvr[ée]s)" + END_OF_WORD),
    ("weekend", r"(?:le\s+|les\s+)?(?:week-?\s?ends?|fins?\s+de\s+semaine)" + END_OF_WORD),
    ("working_days", r"(?:les\s+)?jours\s+ouvrables" + END_OF_WORD),
    ("holidays", r"(?:(?:les\s+|le\s+)?jours?\s+)?f[ée]ri[ée]s?" + END_OF_WORD),
    ("closed", r"(?:ferm[ée]e?s?|fermeture|clos(?:es?)?)" + END_OF_WORD),
    ("except", r"(?:sauf|except[ée]s?|hors)" + END_OF_WORD),
    ("appointment", r"(?:sur\s+)?(?:rendez[-\s]?vous|rdv)" + END_OF_WORD),
    (
        "vague",
        r"(?:matin(?:s|[ée]es?)?|apr[èe]s[-\s]?midis?|soir(?:s|[ée]es?)?|journ[ée]es?|nuits?|midi)"
        + END_OF_WORD,
    ),
    ("lone_time", TIME),
    ("separator", r";|\n|\.(?!\d)|\|"),
    (
        "filler",
        r"(?:le|les|la|l'|de|du|des|d'|et|ou|en|à|a|au|aux|puis|ouverte?s?|ouverture|horaires?"
        r"|heures?|d'ouverture)" + END_OF_WORD + r"|[,:/()+&-]",
    ),
    ("space", r"\s+"),
    ("word", r"[^\s;,.:/()]+|\S"),
]
SCANNER = re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in TOKENS))
# Typed by phones and word processors for what the patterns write « ' » and « - ».
TYPOGRAPHY = str.maketrans({"’": "'", "‘": "'", "–": "-", "—": "-", "\u00a0": " ", "\u202f": " "})
# What an expression in OpenStreetMap's syntax is recognised by: its days, months, « PH ».
OSM_WORD = re.compile(
    r"\b(?:Mo|Tu|We|Th|Fr|Sa|Su|PH|SH|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|off)\b"
)
MESSAGES = {
    "word": gettext_lazy("« %(words)s » n'est pas compris."),
    "vague": gettext_lazy(
        "« %(words)s » ne dit pas à quelle heure : indiquez les heures, par exemple « samedi "
        "9h-12h »."
    ),
    "appointment": gettext_lazy(
        "« %(words)s » ne s'écrit pas ici : indiquez-le dans « Précisions sur les horaires », et "
        "ici les jours et les heures."
    ),
    "lone_time": gettext_lazy("« %(words)s » : il manque l'heure de fin, par exemple « 9h-12h »."),
    "working_days": gettext_lazy(
        "« %(words)s » se comprend de deux façons : écrivez les jours, par exemple « du lundi au "
        "samedi »."
    ),
}


def to_expression(text):
    """The OpenStreetMap expression for what was typed: as it is when it is one, translated when
    it is French; otherwise a ValidationError saying what to write (OpenStreetMap's syntax to
    someone who wrote in it)."""
    text = text.strip()
    if not text:
        return ""
    try:
        validate_opening_hours(text)
        return text
    except ValidationError as osm_error:
        try:
            return french_grid(text).expression()
        except ValidationError:
            if not OSM_WORD.search(text):
                raise
            hint = _("Vous pouvez aussi les écrire en français, par exemple « %(example)s ».")
            messages = [*osm_error.messages, hint % {"example": FRENCH_EXAMPLE}]
            raise ValidationError(messages, code="invalid_opening_hours") from None


def refuse(reason):
    raise ValidationError(
        _(
            "Horaires d'ouverture invalides : %(reason)s Écrivez-les par exemple « %(french)s », "
            "ou dans la syntaxe d'OpenStreetMap : %(osm)s"
        )
        % {"reason": reason, "french": FRENCH_EXAMPLE, "osm": OSM_EXAMPLE},
        code="invalid_opening_hours",
    )


@dataclass
class Rule:
    """One rule as it is read: when (a period, days), then its times or « fermé »."""

    season: tuple | None = None
    days: set = field(default_factory=set)
    excluded: set = field(default_factory=set)
    ranges: list = field(default_factory=list)
    closed: bool = False
    holidays: bool = False
    excepting: bool = False
    times_first: bool = False
    words: list = field(default_factory=list)

    @property
    def is_blank(self):
        return not (self.days or self.ranges or self.closed or self.holidays)

    @property
    def is_complete(self):
        return bool(self.days) and bool(self.ranges or self.closed)


def french_grid(text):
    """The week grid of hours written in French; a ValidationError says what is not understood."""
    rules = []
    for clause in _clauses(_tokens(text)):
        rules += _rules(clause)
    grid = _grid(rules)
    if not grid.expression():
        refuse(_("aucune heure d'ouverture n'y est indiquée."))
    return grid


def _tokens(text):
    """(kind, lowered text, text as typed) of each meaningful word."""
    text = text.translate(TYPOGRAPHY)
    lowered = text.lower()
    shown = text if len(lowered) == len(text) else lowered
    position = 0
    while position < len(lowered):
        match = SCANNER.match(lowered, position)
        kind, original = match.lastgroup, shown[match.start() : match.end()]
        if kind in MESSAGES:
            refuse(MESSAGES[kind] % {"words": original})
        if kind not in ("space", "filler"):
            yield kind, match.group(), original
        position = match.end()


def _clauses(tokens):
    for is_separator, clause in groupby(tokens, key=lambda token: token[0] == "separator"):
        if not is_separator:
            yield list(clause)


def _rules(clause):
    """The rules of one clause: a sentence, or what lies between semicolons. A period at its
    start holds for all its rules; one at the end of a rule, for that rule."""
    finished = []
    clause_season = None
    rule = Rule()

    def start_rule():
        nonlocal rule
        if rule.words:
            finished.append(_checked(rule))
        rule = Rule(season=clause_season)

    for index, (kind, value, original) in enumerate(clause):
        if kind in ("season", "month"):
            season = _season(value, original)
            more = any(later not in ("season", "month") for later, _v, _o in clause[index + 1 :])
            if rule.season is not None or (rule.is_complete and more):
                start_rule()
                clause_season = season
            elif not finished and not rule.days and not rule.ranges:
                clause_season = season
            rule.season = season
        elif kind in ("day", "day_range", "all_days", "weekdays", "weekend", "always"):
            days = _days(kind, value)
            if rule.excepting:
                rule.excluded |= days
            else:
                if rule.is_complete and not rule.times_first:
                    start_rule()
                rule.days |= days
                if kind == "always":
                    rule.ranges.append(("00:00", MIDNIGHT))
        elif kind == "range":
            rule.excepting = False
            if rule.is_complete and rule.times_first:
                start_rule()
            if rule.is_blank:
                rule.times_first = True
            rule.ranges.append(_range(value, original))
        elif kind == "closed":
            if rule.is_complete and rule.ranges:
                start_rule()
            rule.closed = True
        elif kind == "except":
            rule.excepting = True
        elif kind == "holidays":
            if not (rule.closed or rule.excepting):
                refuse(
                    _(
                        "« %(words)s » : seule la fermeture les jours fériés se dit ici (« fermé "
                        "les jours fériés »)."
                    )
                    % {"words": original}
                )
            rule.holidays = True
        rule.words.append(original)
    start_rule()
    return finished


def _checked(rule):
    """The rule, if it says when and what; else a ValidationError naming its words."""
    rule.days -= rule.excluded
    problem = None
    if rule.excluded and not rule.days:
        problem = _("« %(words)s » : « sauf » ne laisse aucun jour.")
    elif rule.closed and rule.ranges:
        problem = _("« %(words)s » : des heures et « fermé » dans la même règle.")
    elif rule.ranges and not rule.days:
        problem = _("« %(words)s » : précisez les jours, par exemple « tous les jours 9h-18h ».")
    elif rule.days and not (rule.ranges or rule.closed):
        problem = _(
            "« %(words)s » : précisez les heures, par exemple « lundi 9h-12h », ou « fermé le "
            "lundi »."
        )
    elif rule.closed and not (rule.days or rule.season or rule.holidays):
        problem = _("« %(words)s » : précisez quand, par exemple « fermé le dimanche ».")
    elif rule.is_blank:
        problem = _(
            "« %(words)s » : précisez les jours et les heures de cette période, ou « fermé »."
        )
    if problem:
        refuse(problem % {"words": " ".join(rule.words)})
    return rule


def _days(kind, value):
    if kind in ("all_days", "always"):
        return set(range(7))
    if kind == "weekdays":
        return set(range(5))
    if kind == "weekend":
        return {5, 6}
    numbers = [_day_number(name) for name in re.findall(DAY, value)]
    if kind == "day":
        return set(numbers)
    first, last = numbers
    if first <= last:
        return set(range(first, last + 1))
    return {*range(first, 7), *range(last + 1)}  # « du samedi au lundi »


def _day_number(name):
    return next(n for n, day in enumerate(DAY_NAMES) if day.startswith(name.rstrip(".")[:3]))


def _range(value, original):
    start, end = (_time(part) for part in re.findall(rf"{TIME}|{BARE_HOUR}(?=\s*{TO})", value))
    if start == MIDNIGHT:
        start = "00:00"
    if end == "00:00":
        end = MIDNIGHT
    if start == end:
        refuse(_("« %(words)s » : la plage ouvre et ferme à la même heure.") % {"words": original})
    return start, end


def _time(text):
    """« 9h », « 9h30 », « 09:30 », « 9 » (before « -12h »), « midi », « minuit » as "HH:MM"."""
    if text == "midi":
        return "12:00"
    if text == "minuit":
        return MIDNIGHT
    hour, minute = re.fullmatch(r"(\d{1,2})\s?(?:[h:](\d\d)?)?", text).groups()
    hour, minute = int(hour), int(minute or 0)
    if hour > 24 or (hour == 24 and minute):
        refuse(_("« %(words)s » n'est pas une heure.") % {"words": text})
    return f"{hour:02d}:{minute:02d}"


def _season(value, original):
    """A period of the year: ((month, day or None), (month, day or None))."""
    dates = re.findall(rf"(?:([0-3]?\d)(?:er)?\s+)?({MONTH})", value)
    (first_day, first_month), (last_day, last_month) = dates[0], dates[-1]
    start = (MONTH_NAMES[first_month.rstrip(".")], int(first_day) if first_day else None)
    end = (MONTH_NAMES[last_month.rstrip(".")], int(last_day) if last_day else None)
    problem = None
    if (start[1] is None) != (end[1] is None):
        problem = _(
            "« %(words)s » : donnez les deux dates, par exemple « du 15 juin au 15 septembre »."
        )
    elif " et " in value and (end[0] - start[0]) % 12 != 1:
        problem = _("« %(words)s » : écrivez la période « de … à … », ou une règle par période.")
    elif any(day is not None and not 1 <= day <= last_day_of(month) for month, day in (start, end)):
        problem = _("« %(words)s » n'est pas une date.")
    if problem:
        refuse(problem % {"words": original})
    return start, end


def _grid(rules):
    """Rules applied as French reads them: a day's times add up within a period, « fermé »
    wins over times, and a period changes only the days it names."""
    scopes = {}
    for rule in rules:
        if rule.days or rule.season:
            scopes.setdefault(rule.season, []).append(rule)
    week = _week(Week(), scopes.pop(None, []), replace=False)
    seasons = tuple(
        Season(start, end, _week(week, season_rules, replace=True))
        for (start, end), season_rules in scopes.items()
    )
    return Grid(week, seasons, any(rule.holidays for rule in rules))


def _week(start, rules, replace):
    days = dict(enumerate(list(ranges) for ranges in start.days))
    named = set()
    for rule in rules:
        if rule.closed:
            continue
        for day in rule.days:
            if replace and day not in named:
                days[day] = []
            named.add(day)
            days[day] += [pair for pair in rule.ranges if pair not in days[day]]
    for rule in rules:
        if rule.closed:
            for day in rule.days or range(7):
                days[day] = []
    for number, ranges in days.items():
        ranges.sort(key=lambda pair: minutes(pair[0]))
        try:
            check_ranges(ranges)
        except GridError:
            refuse(_("le %(day)s, des plages horaires se chevauchent.") % {"day": WEEKDAYS[number]})
    return Week(tuple(tuple(days[n]) for n in range(7)))
