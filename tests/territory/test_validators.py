"""A position must be in Lozère (or just across its border), the right way round, and near its
commune."""

import pytest
from django.core.exceptions import ValidationError

from territory.geo import km_outside_commune, km_outside_lozere
from territory.validators import far_from_commune, validate_in_lozere
from tests.factories import CommuneFactory

MENDE = (44.51782, 3.50117)


def test_a_point_in_lozere_is_zero_km_outside_and_a_point_beyond_is_measured():
    """The distance outside Lozère is zero inside the département and measured beyond it."""
    assert km_outside_lozere(*MENDE) == 0
    # 45.5° N is about 55 km north of Lozère's northern tip (44.97° N).
    assert km_outside_lozere(45.5, 3.5) == pytest.approx(59, abs=5)


def test_positions_in_lozere_and_just_across_the_border_are_accepted():
    """A place in Lozère, or just across its border, is accepted as it is."""
    validate_in_lozere(*MENDE)
    validate_in_lozere(44.5, 2.95)  # a few km into Aveyron: places there serve Lozère too
    validate_in_lozere(None, None)
    validate_in_lozere(95, 3.5)  # no position at all: the latitude field says so


def test_a_position_far_from_lozere_is_refused():
    """A position far from Lozère (a typing slip, another département) is refused with the
    reason."""
    with pytest.raises(ValidationError) as error:
        validate_in_lozere(48.85, 2.35)  # Paris
    assert error.value.code == "outside"
    assert "km de la Lozère" in error.value.messages[0]


def test_swapped_latitude_and_longitude_are_named_as_such():
    """Swapped latitude and longitude are named as such in the error, so the fix is obvious."""
    with pytest.raises(ValidationError) as error:
        validate_in_lozere(MENDE[1], MENDE[0])
    assert error.value.code == "swapped"
    assert "inversées" in error.value.messages[0]


@pytest.mark.django_db
def test_a_position_far_from_its_commune_gets_a_warning():
    """A position in Lozère but far from its commune gets a warning, not a refusal."""
    mende = CommuneFactory(insee="48095", name="Mende")
    assert km_outside_commune("48095", *MENDE) == 0
    assert far_from_commune(mende, *MENDE) == ""
    warning = far_from_commune(mende, 44.80277, 3.27566)  # Saint-Chély-d'Apcher's town hall
    assert warning.startswith("Attention : la position est à ")
    assert "de la commune Mende" in warning
    assert far_from_commune(None, *MENDE) == ""
    assert km_outside_commune("99999", *MENDE) is None  # no outline: nothing to say
