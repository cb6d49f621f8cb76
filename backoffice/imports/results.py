"""What reading a file found, line by line, as the preview and the command tell it."""

from django.utils.translation import ngettext
from import_export.results import Result, RowResult


class PlaceRow(RowResult):
    """One line of the file, as the preview and the command tell it."""

    def __init__(self):
        super().__init__()
        self.line = None
        self.name = ""
        self.commune = ""
        self.match = None  # (pk, name) of the place the line designates
        self.blank = False

    @property
    def messages(self):
        found = list(self.validation_error.messages) if self.validation_error else []
        return found + [str(error.error) for error in self.errors]


class ImportResult(Result):
    """The outcome of reading (and maybe writing) a file, counted as coordinators count it."""

    layout = ""

    @property
    def lines(self):
        return [row for row in self.rows if not row.blank]

    @property
    def refused(self):
        return [row for row in self.lines if row.messages]

    @property
    def created(self):
        return sum(1 for row in self.lines if row.is_new())

    @property
    def updated(self):
        return sum(1 for row in self.lines if row.is_update())

    @property
    def matched(self):
        return sum(1 for row in self.lines if row.match and row.is_valid())

    @property
    def skipped(self):
        return sum(1 for row in self.lines if row.is_skip())

    @property
    def ok(self):
        return not self.has_errors() and not self.has_validation_errors()

    @property
    def summary(self):
        """« 3 lieux créés (à vérifier), 1 mis à jour, 2 ignorés. »"""
        created, updated, skipped = self.created, self.updated, self.skipped
        return (
            ngettext(
                "%(created)s lieu créé (à vérifier)",
                "%(created)s lieux créés (à vérifier)",
                created,
            )
            % {"created": created}
            + ", "
            + ngettext("%(updated)s mis à jour", "%(updated)s mis à jour", updated)
            % {"updated": updated}
            + ", "
            + ngettext("%(skipped)s ignoré", "%(skipped)s ignorés", skipped) % {"skipped": skipped}
            + "."
        )
