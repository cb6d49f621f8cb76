"""Onboarding places from a spreadsheet, on django-import-export: read the file, check every
row, then write all or nothing.

- `formats`: CSV (UTF-8 or Windows-1252, `,` or `;`), XLSX and ODS, read into rows of text;
- `columns`: what each column means and how a wrong cell is told;
- `resources`: the two layouts, recognised from their header line (the project's open-data
  CSV, the ANCT's France services list), with matching and checking;
- `results`: what reading found, line by line, and the counts;
- `writing`: the bulk writing of what a file adds or changes, with its history.

The back-office form (backoffice.admin.imports) previews a file and writes it once confirmed; the
`import_places` command does the same for a file of any size.
"""

from django.utils.translation import gettext as _

from opendata.records import COLUMNS

from .formats import FORMATS, MAX_ROWS, ImportFileError
from .formats import read as read_dataset
from .layouts import LAYOUTS, FranceServicesResource, ProjectResource
from .results import ImportResult

__all__ = [
    "FORMATS",
    "LAYOUTS",
    "FranceServicesResource",
    "ImportFileError",
    "ImportResult",
    "ProjectResource",
    "layout_for",
    "read",
]

# What the back-office form accepts; larger files go through `manage.py import_places`.
MAX_FORM_BYTES = 2 * 1024 * 1024
MAX_FORM_ROWS = 5000

# The project's CSV headers, for the import form's help text.
PROJECT_HEADERS = [header for header, _meaning, _key in COLUMNS]


def layout_for(headers):
    """The resource that understands a file with these headers."""
    layout = next((layout for layout in LAYOUTS if layout.recognises(headers)), None)
    if layout is None:
        raise ImportFileError(
            _(
                "Colonnes non reconnues. Utilisez le fichier des données ouvertes de Solozère "
                "(au moins %(expected)s) ou la liste France services de l'ANCT (lib_fs, "
                "insee_com)."
            )
            % {"expected": ", ".join(sorted(ProjectResource.required))}
        )
    return layout


def read(data, max_rows=MAX_ROWS):
    """A file's bytes as (dataset, resource class); ImportFileError if it cannot be imported."""
    dataset = read_dataset(data, max_rows=max_rows)
    layout = layout_for(dataset.headers)
    if not any(cell.strip() for row in dataset for cell in row):
        raise ImportFileError(_("Le fichier ne contient aucune ligne de lieu."))
    return dataset, layout
