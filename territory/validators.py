"""Checks of a position typed or imported for a place: in Lozère, the right way round, and
in its commune."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .geo import km_outside_commune, km_outside_lozere

# Places just across the border serve Lozère too; farther, the position is a mistake.
LOZERE_MARGIN_KM = 10
# Commune outlines are simplified: a point this close to its commune is taken as in it.
COMMUNE_MARGIN_KM = 2


def validate_in_lozere(latitude, longitude):
    """Refuse a position outside Lozère (past the margin), saying so when latitude and
    longitude look swapped."""
    if latitude is None or longitude is None:
        return
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return  # not a position at all: the fields' own validators say so
    away = km_outside_lozere(latitude, longitude)
    if away <= LOZERE_MARGIN_KM:
        return
    if km_outside_lozere(longitude, latitude) <= LOZERE_MARGIN_KM:
        raise ValidationError(
            _(
                "La latitude et la longitude semblent inversées : en Lozère, la latitude est "
                "proche de 44,5 et la longitude de 3,5."
            ),
            code="swapped",
        )
    raise ValidationError(
        _("Cette position se trouve à %(km)s km de la Lozère : vérifiez-la.") % {"km": round(away)},
        code="outside",
    )


def far_from_commune(commune, latitude, longitude):
    """A warning when a position lies far outside its commune's outline, else ""."""
    if commune is None or latitude is None or longitude is None:
        return ""
    away = km_outside_commune(commune.insee, latitude, longitude)
    if away is None or away <= COMMUNE_MARGIN_KM:
        return ""
    return _(
        "Attention : la position est à %(km)s km de la commune %(commune)s. Vérifiez la "
        "commune ou la position."
    ) % {"km": round(away), "commune": commune.name}
