"""The charter as shipped: principles, common base and how it maps to services."""

import pytest
from django.db import IntegrityError

from charter.models import BaseItem, CharterVersion, Dimension, Principle, Signature
from places.models import Place

pytestmark = pytest.mark.django_db


def test_the_six_principles_are_shipped_in_both_languages(shipped_data):
    principles = list(Principle.objects.all())
    assert [p.number for p in principles] == [1, 2, 3, 4, 5, 6]
    assert principles[0].title_fr == "La primauté du lien social et de l'humain"
    assert all(p.text_fr and p.text_en for p in principles)


def test_every_base_item_is_satisfied_by_some_service(shipped_data):
    """A place's compliance is derived from its services: each item must map to at least one."""
    items = BaseItem.objects.prefetch_related("services")
    assert {item.dimension for item in items} == set(Dimension.values)
    assert all(item.services.exists() for item in items)
    assert BaseItem.objects.get(code="wifi").services.get().code == "wifi"


def test_a_place_signs_a_version_once(shipped_data):
    version = CharterVersion.objects.get(number="1")
    place = Place.objects.get(slug="polen")
    signature = Signature.objects.create(place=place, version=version)
    assert Signature.objects.get_by_natural_key("polen", "1") == signature
    with pytest.raises(IntegrityError):
        Signature.objects.create(place=place, version=version)
