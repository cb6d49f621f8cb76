"""The CSV files the site writes: one writer for every export, public or back-office.

Two dialects, one per audience:

- `FOR_PEOPLE` (the open data's `lieux.csv`, the coverage file, the charter dashboard): what a
  French spreadsheet opens right on a double-click. UTF-8 with a byte-order mark, without which
  Excel reads the accents as Windows-1252; `;` between columns, the list separator of French
  Excel and LibreOffice, which put a comma-separated row in a single column; a decimal comma, else
  Excel FR reads 12.3 as text, or as a date (12 March). It is also what R's `read.csv2` reads,
  and pandas with `sep=";", decimal=","`. A first line `sep=;` was not used: Excel then ignores
  the byte-order mark, and every program reads that line as the header.
- `STANDARD` (the « Lieux de médiation numérique » file): UTF-8 without a mark, `,` and `.`, as
  the national standard asks of the files its programs read.

Formula injection (OWASP « CSV injection »): a spreadsheet runs a cell beginning with `=`, `+`, `-`,
`@`, a tab or a carriage return as a formula. Every *text* cell beginning so is written with a
leading single quote, which shows it as text. Numbers (int, float, Decimal) are written as
numbers, never prefixed: -3.49 is a longitude, not a formula, and the standard requires numbers
there. A column named in `verbatim` is written as it is; only for values the code has already
checked against a pattern that admits no formula (the standard's `telephone`, `+33` and nine
digits, which the standard requires to begin with `+`).
"""

import csv
import io
from dataclasses import dataclass
from decimal import Decimal

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


@dataclass(frozen=True)
class Dialect:
    delimiter: str
    decimal: str
    byte_order_mark: bool
    line_end: str


FOR_PEOPLE = Dialect(delimiter=";", decimal=",", byte_order_mark=True, line_end="\r\n")
STANDARD = Dialect(delimiter=",", decimal=".", byte_order_mark=False, line_end="\n")


def neutralise(value):
    """A text a spreadsheet would run as a formula, made to read as text (OWASP)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return QUOTE + value
    return value


def restore(text):
    """A cell read back from one of these files, without the quote `neutralise` added."""
    if text.startswith(QUOTE) and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def _is_number(value):
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def positional(number):
    """A number in positional notation (never 1e-05), with a decimal point."""
    return format(Decimal(repr(number)), "f") if isinstance(number, float) else str(number)


def _cell(value, dialect, verbatim):
    if value is None:
        return ""
    if _is_number(value):
        return positional(value).replace(".", dialect.decimal)
    value = str(value)
    return value if verbatim else neutralise(value)


def write(header, rows, dialect=FOR_PEOPLE, verbatim=()):
    """The text of a CSV file: `header`, then `rows` (sequences of cells, in the header's order).

    Cells may be text, numbers or None (an empty cell); `verbatim` names columns written as is."""
    kept = [name in verbatim for name in header]
    buffer = io.StringIO()
    if dialect.byte_order_mark:
        buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=dialect.delimiter, lineterminator=dialect.line_end)
    writer.writerow(_cell(name, dialect, False) for name in header)
    for row in rows:
        writer.writerow(_cell(value, dialect, keep) for value, keep in zip(row, kept, strict=True))
    return buffer.getvalue()


def csv_response(filename, header, rows, dialect=FOR_PEOPLE, verbatim=()):
    """A CSV file to download (see `write`)."""
    response = HttpResponse(
        write(header, rows, dialect, verbatim), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
