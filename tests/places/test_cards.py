"""Place cards: rendered once, shared by every list, each search putting in its own distance."""

import pytest
from django.test import RequestFactory
from django.utils import translation

from places.cards import cards
from places.filters.index import Entry
from places.models import Place
from tests.factories import PlaceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_():
    request = RequestFactory().get("/")
    request.user = None
    return request


def test_a_cached_card_takes_each_search_its_own_distance(request_, django_assert_num_queries):
    place = PlaceFactory(name="Le Relais", location_precision=Place.Precision.COMMUNE)
    with translation.override("fr"):
        (first,) = cards(request_, [Entry(place.pk, 3.14159)])
        with django_assert_num_queries(0):
            (second,) = cards(request_, [Entry(place.pk, 12.0)])
            (without,) = cards(request_, [Entry(place.pk)])
    assert "Le Relais" in first
    assert "à 3,1 km (position approximative)" in first
    assert "à 12,0 km" in second
    assert "km" not in without
    with translation.override("en"):
        (english,) = cards(request_, [Entry(place.pk, 3.14159)])
    assert "3.1 km away (approximate position)" in english


def test_a_place_deleted_since_the_search_ran_is_left_out(request_):
    kept, gone = PlaceFactory(name="Gardé"), PlaceFactory(name="Parti")
    entries = [Entry(kept.pk), Entry(gone.pk)]
    gone.delete()
    (card,) = cards(request_, entries)
    assert "Gardé" in card
