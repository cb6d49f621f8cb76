"""Place cards: rendered once, shared by every list, each search putting in its own distance."""

from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from places.cards import RecentCards, cards
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


def test_cards_served_last_are_kept_in_the_process_and_follow_changes(request_):
    place = PlaceFactory(name="Avant")
    cards(request_, [Entry(place.pk)])
    # Neither the shared cache nor the database is read again for a card this process just served.
    with (
        mock.patch.object(cache, "get_many", side_effect=AssertionError),
        CaptureQueriesContext(connection) as queries,
    ):
        (card,) = cards(request_, [Entry(place.pk)])
    assert "Avant" in card and not queries
    place.name = "Après"
    place.save()
    (card,) = cards(request_, [Entry(place.pk)])
    assert "Après" in card


def test_the_process_keeps_a_bounded_number_of_cards():
    recent = RecentCards(2)
    recent.set_many({"a": 1, "b": 2})
    assert recent.get_many(["a"]) == {"a": 1}  # "a" is now the last one read
    recent.set_many({"c": 3})
    assert recent.get_many(["a", "b", "c"]) == {"a": 1, "c": 3}
