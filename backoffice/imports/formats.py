"""Reading a spreadsheet into rows of text: CSV (UTF-8 or Windows-1252, `,` or `;`), XLSX, ODS.

Each format is a django-import-export format whose dataset holds one row per line of the sheet
(header on line 1), every cell as text, so that « ligne N » means the same in every format and
in the spreadsheet the coordinator has open. Blank lines inside the sheet are kept as blank rows
(the import skips them) and trailing ones are dropped.

ODS is read here rather than by tablib, whose reader shifts cells when a sheet repeats a cell
(LibreOffice writes `number-columns-repeated` for empty or identical neighbouring cells).
"""

import csv
import datetime
import io
import zipfile

import tablib
from django.utils.translation import gettext as _
from import_export.formats import base_formats

from places.csvfiles import restore

# UTF-8 first (with or without BOM); otherwise Excel's French CSV.
ENCODINGS = ["utf-8-sig", "cp1252"]
# A spreadsheet is a zip: refuse one that would unpack into more than this (a « zip bomb »).
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
# Whatever reads the file, the back-office form asks for fewer (backoffice.imports.MAX_FORM_ROWS).
MAX_ROWS = 100_000
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0"  # Excel 97-2003 (.xls)


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message is for the coordinator."""


def cell_text(value):
    """A cell as the text a coordinator typed: 48095, not 48095.0; a date as AAAA-MM-JJ."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    # Our exports quote a cell a spreadsheet would run as a formula: read it as it was.
    return restore(str(value))


class SheetBuilder:
    """Collects a sheet's lines into a dataset: header first, each later line padded to it."""

    def __init__(self, max_rows=MAX_ROWS):
        self.dataset = tablib.Dataset()
        self.max_rows = max_rows
        self.blank_lines = 0
        self.line = 0

    def add(self, cells, repeat=1):
        cells = [cell_text(cell) for cell in cells]
        while cells and not cells[-1].strip():
            cells.pop()
        if self.line == 0:
            if not cells:
                raise ImportFileError(_("La première ligne doit donner les noms des colonnes."))
            self.line = 1
            self.dataset.headers = [cell.strip() for cell in cells]
            return
        if not cells:  # kept only if something follows
            self.blank_lines += repeat
            return
        for _blank in range(self.blank_lines):
            self._append([])
        self.blank_lines = 0
        for _copy in range(repeat):
            self._append(cells)

    def _append(self, cells):
        self.line += 1
        width = self.dataset.width
        if len(cells) > width:
            raise ImportFileError(
                _(
                    "Ligne %(line)s : %(count)s cellules remplies pour %(width)s colonnes dans "
                    "l'en-tête."
                )
                % {"line": self.line, "count": len(cells), "width": width}
            )
        if len(self.dataset) >= self.max_rows:
            raise ImportFileError(
                _("Le fichier dépasse %(count)s lignes : découpez-le.") % {"count": self.max_rows}
            )
        self.dataset.append(cells + [""] * (width - len(cells)))

    def result(self):
        if self.line == 0:
            raise ImportFileError(_("Le fichier est vide."))
        return self.dataset


class SheetFormat:
    """What the three formats share: bytes in (never decoded by django-import-export), a
    dataset of text out."""

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, max_rows=MAX_ROWS):
        builder = SheetBuilder(max_rows)
        self.read(in_stream, builder)
        return builder.result()


class CSV(SheetFormat, base_formats.CSV):
    def read(self, data, builder):
        text = decode(data)
        first_line = text.split("\n", 1)[0]
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        try:
            for cells in reader:
                builder.add(cells)
        except csv.Error as error:
            raise ImportFileError(
                _("CSV illisible vers la ligne %(line)s : %(error)s")
                % {"line": reader.line_num, "error": error}
            ) from error


class XLSX(SheetFormat, base_formats.XLSX):
    def read(self, data, builder):
        import openpyxl

        check_unpacked_size(data)
        try:
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a damaged file
            raise ImportFileError(_("Ce fichier XLSX est illisible.")) from error
        try:
            for cells in book.worksheets[0].iter_rows(values_only=True):
                builder.add(cells)
        finally:
            book.close()


class ODS(SheetFormat, base_formats.ODS):
    def read(self, data, builder):
        from odf.opendocument import load
        from odf.table import Table, TableRow

        check_unpacked_size(data)
        try:
            document = load(io.BytesIO(data))
        except Exception as error:  # odfpy raises many kinds for a damaged file
            raise ImportFileError(_("Ce fichier ODS est illisible.")) from error
        sheets = document.spreadsheet.getElementsByType(Table)
        if not sheets:
            raise ImportFileError(_("Le fichier est vide."))
        for row in sheets[0].getElementsByType(TableRow):
            builder.add(_ods_cells(row), repeat=_repeated(row, "number-rows-repeated"))


def _repeated(element, attribute):
    from odf.namespaces import TABLENS

    return int(element.attributes.get((TABLENS, attribute)) or 1)


def _ods_cells(row):
    """A row's cells, repeated cells spread out; a run of empty cells only if one follows."""
    from odf import teletype
    from odf.namespaces import OFFICENS

    cells, empty_run = [], 0
    for cell in row.childNodes:
        if cell.qname[1] not in ("table-cell", "covered-table-cell"):
            continue
        count = _repeated(cell, "number-columns-repeated")
        kind = cell.attributes.get((OFFICENS, "value-type"))
        if kind in ("float", "percentage", "currency"):
            value = cell_text(float(cell.attributes.get((OFFICENS, "value"))))
        elif kind == "date":
            value = cell.attributes.get((OFFICENS, "date-value"), "")[:10]
        elif kind == "boolean":
            value = cell_text(cell.attributes.get((OFFICENS, "boolean-value")) == "true")
        else:
            value = "\n".join(
                teletype.extractText(part) for part in cell.childNodes if part.qname[1] == "p"
            )
        if not value:
            empty_run += count
            continue
        cells += [""] * empty_run + [value] * count
        empty_run = 0
    return cells


FORMATS = [CSV, XLSX, ODS]


def decode(data):
    if b"\x00" in data:  # no text holds one, and PostgreSQL refuses it in a query
        raise ImportFileError(
            _(
                "Le fichier contient des caractères nuls (enregistré en UTF-16 ?) : "
                "enregistrez-le en CSV UTF-8."
            )
        )
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(
        _("Le fichier n'est pas un texte lisible : enregistrez-le en CSV UTF-8, XLSX ou ODS.")
    )


def check_unpacked_size(data):
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as error:
        raise ImportFileError(_("Ce tableur est illisible.")) from error
    if unpacked > MAX_UNPACKED_BYTES:
        raise ImportFileError(
            _("Ce tableur est trop volumineux une fois décompressé : découpez-le.")
        )


def format_of(data):
    """The format of a file, told from its content (not its name): ODS and XLSX are zips."""
    if data.startswith(OLE2_SIGNATURE):
        raise ImportFileError(
            _("Ancien format Excel (XLS) : enregistrez le fichier en XLSX ou en CSV.")
        )
    if not data.startswith(b"PK"):
        return CSV
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.read("mimetype").strip() == ODS_MIMETYPE:
                return ODS
    except zipfile.BadZipFile as error:
        raise ImportFileError(_("Ce tableur est illisible.")) from error
    if "xl/workbook.xml" in names:
        return XLSX
    raise ImportFileError(_("Format non reconnu : déposez un fichier CSV, XLSX ou ODS."))


def read(data, max_rows=MAX_ROWS):
    """The dataset of a file's bytes, whatever its format; ImportFileError if unreadable."""
    return format_of(data)().create_dataset(data, max_rows=max_rows)
