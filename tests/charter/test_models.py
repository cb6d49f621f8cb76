"""The charter's records: a signature names a place and a version, once.

What the shipped charter holds (the six principles, the common base and its services) is checked
with the other shipped data, in tests/places/test_fixtures.py.
"""

import pytest
from django.db import IntegrityError

from charter.models import Signature
from tests.factories import CharterVersionFactory, PlaceFactory

pytestmark = pytest.mark.django_db


def test_a_place_signs_a_version_once():
    """A signature is found back by its natural key (place, version), as fixtures and exports
    name it, and the same place cannot sign the same version twice."""
    version = CharterVersionFactory(number="1")
    place = PlaceFactory(slug="le-relais")
    signature = Signature.objects.create(place=place, version=version)
    assert Signature.objects.get_by_natural_key("le-relais", "1") == signature
    with pytest.raises(IntegrityError):
        Signature.objects.create(place=place, version=version)
