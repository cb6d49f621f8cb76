"""Onboarding places from a spreadsheet: read the file, check every row, then save all or nothing.

Two layouts are understood, recognised from their header line:
- the project's own CSV (the « Données ouvertes » export), so a file exported, edited in a
  spreadsheet and imported back keeps every column it can;
- the ANCT's « France services » open-data list (`lib_fs`, `insee_com`, …).

A row matches an existing place when it names the same place in the same commune (accents, case
and punctuation aside), or, in the project's layout, carries that place's identifier. Matched rows
are left alone unless the coordinator asks to update them; a file with any error imports nothing.
"""

import copy
import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .filters import find_commune
from .models import Audience, Commune, Family, Place, PlaceType, Service
from .opendata import COLUMNS
from .search import strip_accents

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
ENCODINGS = ["utf-8-sig", "cp1252"]  # UTF-8 first; Excel's French CSV otherwise.


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message is for the coordinator."""


@dataclass
class Row:
    line: int
    name: str = ""
    values: dict = field(default_factory=dict)
    relations: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)
    identifier: str = ""
    match: Place | None = None

    @property
    def commune(self):
        return self.values.get("commune")


def place_key(name, commune):
    """« Télécentre de St-Chély » and « telecentre de st chely » in the same commune are one."""
    words = re.sub(r"[^\w]+", " ", strip_accents(name).casefold()).split()
    return (" ".join(words), commune.pk if commune else None)


class Layout:
    """How one kind of spreadsheet says what a place is."""

    label = ""
    required = set()

    @classmethod
    def recognises(cls, headers):
        return cls.required <= set(headers)

    def read(self, row, cells):
        raise NotImplementedError


def _text(cells, *names):
    for name in names:
        value = (cells.get(name) or "").strip()
        if value:
            return value
    return ""


def _number(row, text, label):
    if not text:
        return None
    try:
        return float(text.replace(",", ".").replace(" ", ""))
    except ValueError:
        row.errors.append(
            _("%(label)s : « %(value)s » n'est pas un nombre.")
            % {
                "label": label,
                "value": text,
            }
        )
        return None


def _commune(row, insee, name):
    commune = None
    if insee:
        commune = Commune.objects.filter(insee=insee.zfill(5).upper()).first()
    if commune is None and name:
        commune = find_commune(name)
    if commune is None and (insee or name):
        row.errors.append(_("Commune inconnue : « %(commune)s ».") % {"commune": insee or name})
    return commune


class ProjectLayout(Layout):
    label = "Solozère"
    required = {"identifiant", "nom", "code_insee"}
    relations = {
        "types": PlaceType,
        "familles": Family,
        "services": Service,
        "publics": Audience,
    }
    related_names = {
        "types": "types",
        "familles": "families",
        "services": "services",
        "publics": "audiences",
    }
    # CSV header → model field, for the plain text columns.
    texts = {
        "nom": "name",
        "description_courte": "short_description",
        "adresse": "address",
        "horaires": "opening_hours",
        "precisions_horaires": "opening_hours_note",
        "telephone": "phone",
        "courriel": "email",
        "site_web": "website",
        "structure": "structure_name",
        "siret_rna": "legal_identifier",
    }
    choices = {
        "statut": ("status", Place.Status),
        "precision": ("location_precision", Place.Precision),
        "accessibilite_pmr": ("accessibility", Place.Accessibility),
    }

    def __init__(self):
        self.codes = {
            header: {item.code: item for item in model.objects.all()}
            for header, model in self.relations.items()
        }

    def read(self, row, cells):
        row.identifier = _text(cells, "identifiant")
        for header, name in self.texts.items():
            if header in cells:
                row.values[name] = _text(cells, header)
        for header, (name, choices) in self.choices.items():
            value = _text(cells, header)
            if value and value not in choices.values:
                row.errors.append(
                    _("%(column)s : « %(value)s » n'est pas une valeur possible (%(choices)s).")
                    % {"column": header, "value": value, "choices": ", ".join(choices.values)}
                )
            elif value:
                row.values[name] = value
        row.values["commune"] = _commune(row, _text(cells, "code_insee"), _text(cells, "commune"))
        row.values["latitude"] = _number(row, _text(cells, "latitude"), "latitude")
        row.values["longitude"] = _number(row, _text(cells, "longitude"), "longitude")
        itinerant = _text(cells, "itinerant").casefold()
        if itinerant:
            if itinerant not in {"oui", "non"}:
                row.errors.append(_("itinerant : répondez « oui » ou « non »."))
            row.values["itinerant"] = itinerant == "oui"
        verified = _text(cells, "derniere_verification")
        if verified:
            try:
                row.values["verified_on"] = date.fromisoformat(verified)
            except ValueError:
                row.errors.append(
                    _("derniere_verification : « %(value)s » n'est pas une date AAAA-MM-JJ.")
                    % {"value": verified}
                )
        for header, known in self.codes.items():
            codes = [code.strip() for code in _text(cells, header).split("|") if code.strip()]
            unknown = [code for code in codes if code not in known]
            if unknown:
                row.errors.append(
                    _("%(column)s : code inconnu « %(codes)s ».")
                    % {"column": header, "codes": ", ".join(unknown)}
                )
            if codes:
                row.relations[self.related_names[header]] = [
                    known[code] for code in codes if code in known
                ]


class FranceServicesLayout(Layout):
    """The ANCT's list of France services, as published on data.gouv.fr (`;`-separated)."""

    label = "France services (ANCT)"
    required = {"lib_fs"}
    SERVICES = ["admin-help", "digital-help"]

    def __init__(self):
        self.type = PlaceType.objects.filter(code="france-services").first()
        self.mobile = PlaceType.objects.filter(code="mobile").first()
        self.services = list(Service.objects.filter(code__in=self.SERVICES))

    @classmethod
    def recognises(cls, headers):
        return super().recognises(headers) and bool({"insee_com", "lib_com"} & set(headers))

    def read(self, row, cells):
        itinerant = "itin" in strip_accents(_text(cells, "format_fs")).casefold()
        address = _text(cells, "adresse")
        complement = _text(cells, "complement_adresse")
        row.values.update(
            name=_text(cells, "lib_fs"),
            status=Place.Status.OPEN,
            address=", ".join(part for part in (address, complement) if part)[:250],
            phone=_text(cells, "telephone"),
            email=_text(cells, "mail", "courriel", "adresse_mail", "email"),
            website=_text(cells, "site_web", "site_internet"),
            legal_identifier=_text(cells, "siret").replace(" ", ""),
            itinerant=itinerant,
            commune=_commune(row, _text(cells, "insee_com"), _text(cells, "lib_com")),
            latitude=_number(row, _text(cells, "latitude"), "latitude"),
            longitude=_number(row, _text(cells, "longitude"), "longitude"),
        )
        if row.values["latitude"] is not None:
            row.values["location_precision"] = Place.Precision.EXACT
        types = [self.type] + ([self.mobile] if itinerant else [])
        row.relations = {"types": [t for t in types if t], "services": self.services}


LAYOUTS = [ProjectLayout, FranceServicesLayout]


def check_size(size):
    if size > MAX_BYTES:
        raise ImportFileError(
            _("Le fichier dépasse %(size)s Mo : découpez-le.") % {"size": MAX_BYTES // 2**20}
        )


def decode(data):
    check_size(len(data))
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(_("Le fichier n'est pas un texte lisible : enregistrez-le en CSV UTF-8."))


def read(data):
    """Rows of a CSV file's bytes, each converted and checked; the layout's label."""
    text = decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    headers = [(name or "").strip() for name in reader.fieldnames or []]
    reader.fieldnames = headers
    layout_class = next((layout for layout in LAYOUTS if layout.recognises(headers)), None)
    if layout_class is None:
        expected = ", ".join(sorted(ProjectLayout.required))
        raise ImportFileError(
            _(
                "Colonnes non reconnues. Utilisez le CSV des données ouvertes de Solozère "
                "(au moins %(expected)s) ou la liste France services de l'ANCT (lib_fs, insee_com)."
            )
            % {"expected": expected}
        )
    layout = layout_class()
    rows = []
    try:
        for cells in reader:
            if len(rows) >= MAX_ROWS:
                raise ImportFileError(
                    _("Le fichier dépasse %(count)s lignes : découpez-le.") % {"count": MAX_ROWS}
                )
            if not any((value or "").strip() for value in cells.values() if isinstance(value, str)):
                continue
            row = Row(line=reader.line_num)
            if None in cells:
                row.errors.append(_("Plus de cellules que de colonnes dans l'en-tête."))
            layout.read(row, {key: value for key, value in cells.items() if key})
            row.name = row.values.get("name", "")
            rows.append(row)
    except csv.Error as error:
        raise ImportFileError(
            _("CSV illisible vers la ligne %(line)s : %(error)s")
            % {"line": reader.line_num, "error": error}
        ) from error
    if not rows:
        raise ImportFileError(_("Le fichier ne contient aucune ligne de lieu."))
    return layout.label, rows


def check(rows):
    """Match rows to existing places and to each other, then validate each as a place."""
    existing = {}
    for place in Place.objects.published().select_related("commune"):
        existing.setdefault(place_key(place.name, place.commune), place)
    by_slug = {place.slug: place for place in existing.values()}
    seen = {}
    for row in rows:
        if not row.name:
            row.errors.append(_("Le nom du lieu est vide."))
            continue
        key = place_key(row.name, row.commune)
        if key in seen:
            row.errors.append(
                _("Même lieu, même commune que la ligne %(line)s.") % {"line": seen[key]}
            )
            continue
        seen[key] = row.line
        row.match = by_slug.get(row.identifier) or existing.get(key)
        _validate(row)
    return rows


def _validate(row):
    # A copy: checking must not change the place the next rows and the preview see.
    place = _build(row, copy.copy(row.match) or Place(), update=row.match is not None)
    if place.slug == "" and row.identifier:
        place.slug = row.identifier
    try:
        place.full_clean(exclude=["slug"], validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            label = Place._meta.get_field(name).verbose_name if name != "__all__" else _("lieu")
            row.errors.extend(f"{label} : {message}" for message in messages)


def _build(row, place, update):
    """The place a row describes; when updating, empty cells keep what the place says."""
    for name, value in row.values.items():
        if update and value in ("", None):
            continue
        setattr(place, name, value)
    if place.latitude is not None and not place.location_precision:
        place.location_precision = Place.Precision.EXACT
    return place


def save(rows, update_existing, user=None):
    """Create (and, if asked, update) the places of checked rows; all or nothing.

    Returns the counts (created, updated, skipped). Raises ValueError if any row has an error:
    callers show the errors instead.
    """
    if any(row.errors for row in rows):
        raise ValueError("rows with errors are never saved")
    created = updated = skipped = 0
    with transaction.atomic():
        for row in rows:
            if row.match and not update_existing:
                skipped += 1
                continue
            place = _build(row, row.match or Place(), update=row.match is not None)
            if row.match is None:
                place.to_verify = True
                if row.identifier and not Place.objects.filter(slug=row.identifier).exists():
                    place.slug = row.identifier
                if place.latitude is None:
                    place.place_at_townhall()
            place._history_user = user
            place.save()
            for name, items in row.relations.items():
                getattr(place, name).set(items)
            if row.match:
                updated += 1
            else:
                created += 1
    return created, updated, skipped


# The project's CSV headers, for the import form's help text.
PROJECT_HEADERS = [header for header, _meaning, _key in COLUMNS]
