"""How a spreadsheet's rows become places, as a django-import-export resource; its two layouts
are in backoffice.imports.layouts.

Every row is read and checked first, asking the database nothing per row: the catalogue, the
communes and the places a row may designate are loaded once, before the first row. A row
designates an existing place when it names the same place in the same commune (accents, case
and punctuation aside) or, in the project's layout, carries its identifier. Such a place is
updated only if the coordinator asks; an empty cell never erases what it says.

Nothing is written until every row is right: then the new and updated places, their links to
the catalogue, their history (who imported, from which file) and their search text are written
together in one short transaction, a few bulk queries whatever the number of rows
(`backoffice.imports.writing`).
"""

from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError
from django.utils.translation import gettext as _
from import_export import resources
from import_export.instance_loaders import BaseInstanceLoader
from import_export.results import RowResult

from places.models import Place
from territory.validators import validate_in_lozere

from . import writing
from .columns import (
    comparable,
)
from .results import ImportResult, PlaceRow

# Checked by the resource itself (slug: the identifier) or already known to exist (commune).
NOT_CLEANED = ["slug", "commune"]


class WriteError(Exception):
    """Writing failed after every row was found right; the message is for the coordinator."""


@dataclass
class Plan:
    """What a line is, known before reading it: the place it designates, or the line it repeats."""

    match: Place | None = None
    repeats: int | None = None


class PlaceResource(resources.Resource):
    """What both layouts share: matching, checking, and writing all at once."""

    label = ""
    required = frozenset()  # headers that tell the layout
    name_column = ""
    identifier_column = ""
    precision_column = ""
    constant_fields = ()  # model fields a layout sets on every place it imports

    class Meta:
        model = Place
        instance_loader_class = BaseInstanceLoader  # the plan (before_import) finds places
        use_bulk = True  # rows only collect places: nothing is saved row by row
        batch_size = None  # and everything is written at the end, together
        use_transactions = False  # the writing has its own short transaction
        skip_diff = True

    def __init__(self, update_existing=False, progress=None):
        super().__init__()
        self.update_existing = update_existing
        self.progress = progress
        self.plan = {}
        self.current = self.total = 0

    @classmethod
    def recognises(cls, headers):
        return cls.required <= set(headers)

    @classmethod
    def get_display_name(cls):
        return str(cls.label)

    def get_result_class(self):
        return ImportResult

    def get_row_result_class(self):
        return PlaceRow

    # Before the first row: everything reading needs, in a few queries.

    def before_import(self, dataset, **kwargs):
        for field in self.fields.values():
            field.widget.prepare()
        self.prepare()
        self.plan = self.make_plan(dataset)
        self.total = len(dataset)

    def prepare(self):
        """Load what a layout adds to every place."""

    def make_plan(self, dataset):
        existing, by_slug = {}, {}
        for pk, name, commune_id, slug in Place.objects.published().values_list(
            "pk", "name", "commune_id", "slug"
        ):
            existing.setdefault((comparable(name), commune_id), pk)
            by_slug[slug] = pk
        plan, first_line = {}, {}  # first_line: what designates a place → where it first did
        for number, cells in enumerate(dataset, 1):
            row = dict(zip(dataset.headers, cells, strict=False))
            name = comparable(self.cell(row, self.name_column))
            if not name:
                continue
            commune = self.commune_of(row)
            key = (name, commune.pk if commune else None)
            identifier = self.cell(row, self.identifier_column)
            pk = by_slug.get(identifier) or existing.get(key)
            marks = [("key", key), ("place", pk), ("identifier", identifier)]
            marks = [mark for mark in marks if mark[1]]
            repeated = next((first_line[mark] for mark in marks if mark in first_line), None)
            plan[number] = Plan(match=pk, repeats=repeated)
            for mark in marks:
                first_line.setdefault(mark, number + 1)
        places = Place.objects.select_related("commune").in_bulk(
            [step.match for step in plan.values() if step.match and not step.repeats]
        )
        for step in plan.values():
            step.match = None if step.repeats else places.get(step.match)
        return plan

    @staticmethod
    def cell(row, column):
        return (row.get(column) or "").strip() if column else ""

    def commune_of(self, row):
        field = self.fields["commune"]
        return field.widget.find(
            self.cell(row, field.column_name), self.cell(row, field.widget.name_column)
        )

    # Each row.

    def import_row(self, row, instance_loader, **kwargs):
        number = self.current = kwargs["row_number"]
        if any(str(value or "").strip() for value in row.values()):
            result = self.import_line(row, instance_loader, **kwargs)
        else:  # a blank line between places
            result = self.get_row_result_class()()
            result.import_type, result.blank = RowResult.IMPORT_TYPE_SKIP, True
        if self.progress and (number % 100 == 0 or number == self.total):
            self.progress(number, self.total)
        return result

    def import_line(self, row, instance_loader, **kwargs):
        for field in self.fields.values():  # a missing column reads as empty cells
            row.setdefault(field.column_name, "")
        match = self.plan.get(self.current, Plan()).match
        match_info = (match.pk, match.name) if match else None  # before the row changes it
        result = super().import_row(row, instance_loader, **kwargs)
        commune = self.commune_of(row)
        result.line, result.match = self.current + 1, match_info
        result.name = self.cell(row, self.name_column)
        result.commune = commune.name if commune else ""
        return result

    def get_instance(self, instance_loader, row):
        return self.plan.get(self.current, Plan()).match

    def init_instance(self, row=None):
        return Place()

    def after_init_instance(self, instance, new, row, **kwargs):
        instance.import_links = {}
        instance.import_identifier = ""

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        problems = self.check_line(instance, row)
        if problems:
            errors.setdefault(NON_FIELD_ERRORS, []).extend(problems)
        self.complete(instance, row)
        if self.cell(row, "latitude") and not self.cell(row, self.precision_column):
            instance.location_precision = Place.Precision.EXACT
        if errors:
            raise ValidationError(errors)

    def check_line(self, instance, row):
        problems = []
        if not self.cell(row, self.name_column):
            problems.append(
                _("%(column)s : le nom du lieu est vide.") % {"column": self.name_column}
            )
        repeats = self.plan.get(self.current, Plan()).repeats
        if repeats:
            problems.append(
                _(
                    "Même lieu (même nom et même commune, ou même identifiant) qu'à la ligne "
                    "%(line)s."
                )
                % {"line": repeats}
            )
        identifier = self.cell(row, self.identifier_column)
        if identifier:
            try:
                # The identifier becomes the new place's address: it must be one.
                Place._meta.get_field("slug").run_validators(identifier)
            except ValidationError as error:
                problems.append(
                    _("%(column)s « %(value)s » ne peut pas servir d'adresse web. %(reason)s")
                    % {
                        "column": self.identifier_column,
                        "value": identifier,
                        "reason": " ".join(error.messages),
                    }
                )
            instance.import_identifier = identifier
        try:
            validate_in_lozere(instance.latitude, instance.longitude)
        except ValidationError as error:
            problems.append(
                _("latitude « %(latitude)s », longitude « %(longitude)s » : %(reason)s")
                % {
                    "latitude": instance.latitude,
                    "longitude": instance.longitude,
                    "reason": " ".join(error.messages),
                }
            )
        return problems

    def complete(self, instance, row):
        """What a layout adds to every place it reads."""

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if instance.pk is None or self.update_existing:
            return False
        # Left as it is, but a wrong line is still refused: the file must be right as a whole.
        self.validate_instance(instance, import_validation_errors)
        return True

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """The row's errors and the place's own checks, each naming its column and value.

        No uniqueness or constraint check: they would ask the database once per row (the
        slug is made unique when written, and the model's clean() checks the position)."""
        errors = dict(import_validation_errors or {})
        exclude = [*NOT_CLEANED, *errors]
        if not instance.name:
            exclude.append("name")
        try:
            instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                if name == NON_FIELD_ERRORS and errors:
                    continue  # e.g. « latitude without longitude » after a latitude misread
                errors.setdefault(name, []).extend(
                    self.describe(instance, name, message) for message in messages
                )
        if errors:
            raise ValidationError(ValidationError(errors).messages)

    def describe(self, instance, name, message):
        if name == NON_FIELD_ERRORS:
            return message
        column = next(
            (field.column_name for field in self.fields.values() if field.attribute == name),
            str(Place._meta.get_field(name).verbose_name),
        )
        value = getattr(instance, name)
        value = value.isoformat() if hasattr(value, "isoformat") else value or ""
        return f"{column} « {value} » : {message}"

    def before_save_instance(self, instance, row, **kwargs):
        if instance.pk is None:
            instance.to_verify = True
            if instance.latitude is None:
                instance.place_at_townhall()

    # After the last row: everything written at once, or nothing.

    def bulk_create(self, *args, **kwargs):
        """Nothing here: after_import writes the places with their links and history."""

    def bulk_update(self, *args, **kwargs):
        """Nothing here: after_import writes the places with their links and history."""

    def after_import(self, dataset, result, **kwargs):
        result.layout = self.label
        if self._is_dry_run(kwargs) or not result.ok:
            return
        try:
            writing.write(
                self.create_instances,
                self.update_instances,
                self.updated_fields(),
                user=kwargs.get("user"),
                reason=_("Import du fichier « %(file)s »")
                % {"file": kwargs.get("file_name") or ""},
            )
        except IntegrityError as error:  # e.g. a place given the same address meanwhile
            raise WriteError(
                _(
                    "Un autre changement est arrivé pendant l'enregistrement : rien n'a été "
                    "importé. Déposez le fichier à nouveau."
                )
            ) from error

    def updated_fields(self):
        relations = {field.name for field in Place._meta.many_to_many}
        read = [field.attribute for field in self.fields.values()]
        fields = [name for name in read if name not in relations]
        return list(dict.fromkeys([*fields, *self.constant_fields, "location_precision"]))
