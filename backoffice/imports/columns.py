"""What a column's cells mean, and what is wrong with one, in the coordinator's words.

A `Column` is a django-import-export field whose errors name the column and the value, and which
never erases: an empty cell leaves the place as it is. Its widget reads the cell's text; those
that look values up (codes, communes) load them once per import in `prepare()`, so reading a
thousand rows asks the database nothing more.
"""

import datetime
import math
import re

from django.utils.translation import gettext as _
from import_export import fields, widgets

from territory.models import Commune, FormerCommune
from territory.text import strip_accents


def comparable(text):
    """« Télécentre de St-Chély » and « telecentre de st chely » compare equal."""
    return " ".join(re.sub(r"[^\w]+", " ", strip_accents(text).casefold()).split())


class CellError(ValueError):
    """What is wrong with a cell; `column` when it is not the column being read."""

    def __init__(self, message, column=None):
        super().__init__(message)
        self.column = column


class Column(fields.Field):
    """One column of a layout. Many-to-many values are kept on the place (`import_links`)
    and written with it; `m2m_add` adds them to what the place has instead of replacing it."""

    def clean(self, row, **kwargs):
        try:
            return self.widget.clean(row.get(self.column_name), row=row, **kwargs)
        except CellError as error:
            column = error.column or self.column_name
            raise ValueError(f"{column} : {error}") from error

    def save(self, instance, row, is_m2m=False, **kwargs):
        value = self.clean(row, **kwargs)
        if value is None:
            return  # an empty cell changes nothing
        if isinstance(self.widget, Codes):
            instance.import_links[self.attribute] = (value, self.m2m_add)
        else:
            setattr(instance, self.attribute, value)


class Cell(widgets.Widget):
    """A cell read as text; None when empty."""

    def prepare(self):
        """Load what reading needs, once per import."""

    def clean(self, value, row=None, **kwargs):
        text = (value or "").strip()
        return self.read(text, row) if text else None

    def read(self, text, row):
        return text


class Text(Cell):
    """Text; `also` names other columns some files use instead (« courriel » for « mail »)."""

    def __init__(self, also=()):
        super().__init__()
        self.also = also

    def clean(self, value, row=None, **kwargs):
        for text in [value, *(row.get(name) for name in self.also)]:
            if (text or "").strip():
                return text.strip()
        return None


class Address(Cell):
    """The street, then its complement from another column."""

    def __init__(self, complement, max_length):
        super().__init__()
        self.complement, self.max_length = complement, max_length

    def clean(self, value, row=None, **kwargs):
        parts = [(text or "").strip() for text in (value, row.get(self.complement))]
        return ", ".join(part for part in parts if part)[: self.max_length] or None


class Phone(Cell):
    """A phone number; one a spreadsheet kept as a number lost its leading zero (466450000)."""

    def read(self, text, row):
        return f"0{text}" if text.isdigit() and len(text) == 9 else text


class Identifier(Cell):
    """A SIRET or RNA number, spaces left out (« 434 933 123 00029 »)."""

    def read(self, text, row):
        return text.replace(" ", "").replace("\u00a0", "")


class Choice(Cell):
    def __init__(self, choices):
        super().__init__()
        self.choices = choices

    def read(self, text, row):
        if text not in self.choices.values:
            raise CellError(
                _("« %(value)s » n'est pas une valeur possible (%(choices)s).")
                % {"value": text, "choices": ", ".join(self.choices.values)}
            )
        return text


class Number(Cell):
    def read(self, text, row):
        try:
            number = float(text.replace(",", ".").replace(" ", "").replace("\u00a0", ""))
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            raise CellError(_("« %(value)s » n'est pas un nombre.") % {"value": text})
        return number


class YesNo(Cell):
    def read(self, text, row):
        answer = text.casefold()
        if answer not in {"oui", "non"}:
            raise CellError(_("« %(value)s » : répondez « oui » ou « non ».") % {"value": text})
        return answer == "oui"


class Day(Cell):
    """A date as AAAA-MM-JJ (the open-data file) or JJ/MM/AAAA (a French spreadsheet)."""

    def read(self, text, row):
        for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                return datetime.datetime.strptime(text, pattern).date()
            except ValueError:
                continue
        raise CellError(
            _("« %(value)s » n'est pas une date (AAAA-MM-JJ ou JJ/MM/AAAA).") % {"value": text}
        )


class Codes(Cell):
    """Codes of a catalogue (services, types…) separated by « | »."""

    def __init__(self, model):
        super().__init__()
        self.model = model
        self.known = {}

    def prepare(self):
        self.known = {item.code: item for item in self.model.objects.all()}

    def read(self, text, row):
        codes = [code.strip() for code in text.split("|") if code.strip()]
        unknown = [code for code in codes if code not in self.known]
        if unknown:
            raise CellError(_("code inconnu « %(codes)s ».") % {"codes": ", ".join(unknown)})
        return [self.known[code] for code in dict.fromkeys(codes)] or None


class CommuneCell(Cell):
    """A commune by its INSEE code, or else by its name (current or former) in another column."""

    def __init__(self, name_column):
        super().__init__()
        self.name_column = name_column
        self.by_insee, self.by_name = {}, {}

    def prepare(self):
        communes = list(Commune.objects.all())
        self.by_insee = {commune.insee: commune for commune in communes}
        by_pk = {commune.pk: commune for commune in communes}
        for old in FormerCommune.objects.all():
            self.by_name.setdefault(comparable(old.name), by_pk.get(old.commune_id))
        for commune in communes:  # a current name wins over a former one
            self.by_name[comparable(commune.name)] = commune

    def clean(self, value, row=None, **kwargs):
        insee = (value or "").strip()
        name = (row.get(self.name_column) or "").strip()
        commune = self.find(insee, name)
        if commune is None and (insee or name):
            raise CellError(
                _("commune inconnue « %(commune)s ».") % {"commune": insee or name},
                column=None if insee else self.name_column,
            )
        return commune

    def find(self, insee, name):
        commune = self.by_insee.get(insee.zfill(5).upper()) if insee else None
        if commune is None and name:
            commune = self.by_name.get(comparable(name))
        return commune
