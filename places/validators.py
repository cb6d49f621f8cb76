"""Validators for the formats the directory speaks: OSM opening hours, SIRET and RNA numbers;
and for dates that cannot be ahead of today."""

import re

import opening_hours
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

OPENING_HOURS_EXAMPLE = "Mo-Fr 09:00-12:00,14:00-18:00; Jul-Aug Mo-Sa 09:00-19:00"


def validate_opening_hours(value):
    """Accept only what opening-hours-py parses, saying where the expression goes wrong."""
    if not value:
        return
    try:
        opening_hours.OpeningHours(value)
    except (opening_hours.ParserError, ValueError) as error:
        column = _error_column(str(error))
        where = _(" (vers le caractère %(column)s)") % {"column": column} if column else ""
        raise ValidationError(
            _(
                "Horaires d'ouverture invalides%(where)s. Utilisez la syntaxe « opening_hours » "
                "d'OpenStreetMap, par exemple : %(example)s"
            ),
            code="invalid_opening_hours",
            params={"where": where, "example": OPENING_HOURS_EXAMPLE},
        ) from error


def _error_column(message):
    """opening-hours-py reports errors as ' --> line:column'; keep the column for people."""
    match = re.search(r"-->\s*\d+:(\d+)", message)
    return match.group(1) if match else None


def _luhn_ok(digits):
    total = 0
    for index, char in enumerate(reversed(digits)):
        number = int(char)
        if index % 2:
            number *= 2
            if number > 9:
                number -= 9
        total += number
    return total % 10 == 0


# La Poste's establishments share one SIREN and are numbered with a different checksum.
LA_POSTE_SIREN = "356000000"
RNA_PATTERN = re.compile(r"^W[0-9][0-9AB]\d{7}$")


def validate_legal_identifier(value):
    """A structure is identified by its SIRET (14 digits) or, for an association, its RNA."""
    if not value:
        return
    if re.fullmatch(r"\d{14}", value):
        if value.startswith(LA_POSTE_SIREN):
            valid = sum(int(d) for d in value) % 5 == 0
        else:
            valid = _luhn_ok(value)
        if not valid:
            raise ValidationError(
                _("Ce SIRET n'est pas valide : vérifiez les chiffres (la clé de contrôle échoue)."),
                code="invalid_siret",
            )
        return
    if not RNA_PATTERN.match(value):
        raise ValidationError(
            _(
                "Indiquez un SIRET (14 chiffres, sans espace) ou un numéro RNA "
                "(W suivi de 9 caractères, par exemple W481000123)."
            ),
            code="invalid_legal_identifier",
        )


def validate_not_in_future(value):
    """A verification happened on a day that has come (a date ahead would silence reminders)."""
    if value and value > timezone.localdate():
        raise ValidationError(
            _("Cette date est à venir : une vérification est datée d'aujourd'hui au plus tard."),
            code="future_date",
        )
