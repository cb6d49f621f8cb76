"""The directory's in-memory index answers as the database does, for any mix of criteria."""

import random
from datetime import datetime

import pytest
from django.http import QueryDict
from django.utils import timezone

from places.filters import RADIUS_CHOICES_KM, PlaceFilter
from places.filters.facets import FACETS
from places.models import Audience, Commune, Family, Network, Place, PlaceType, Service

pytestmark = pytest.mark.django_db

CODES = {
    "family": Family,
    "service": Service,
    "type": PlaceType,
    "audience": Audience,
    "network": Network,
}


def random_query(rng):
    """A mix of criteria, as a visitor might tick them."""
    query = QueryDict(mutable=True)
    for name, model in CODES.items():
        if rng.random() < 0.3:
            codes = list(model.objects.values_list("code", flat=True))
            query.setlist(name, rng.sample(codes, rng.randint(1, 2)))
    if rng.random() < 0.2:
        query.setlist("status", rng.sample(list(Place.Status.values), rng.randint(1, 2)))
    if rng.random() < 0.2:
        query["accessible"] = "true"
    if rng.random() < 0.2:
        moment = datetime(2026, 11, 23 + rng.randint(0, 6), rng.randint(7, 20), rng.choice([0, 30]))
        query["open_at"] = moment.strftime("%Y-%m-%dT%H:%M")
    communes = Commune.objects.filter(places__isnull=False).distinct()
    if rng.random() < 0.15:
        query["commune"] = rng.choice(list(communes.values_list("insee", flat=True)))
    elif rng.random() < 0.15:
        query["epci"] = rng.choice(list(communes.values_list("epci__siren", flat=True)))
    if rng.random() < 0.4:
        origin = rng.choice(list(communes))
        query["lat"] = f"{origin.townhall_latitude:.5f}"
        query["lon"] = f"{origin.townhall_longitude:.5f}"
        query["radius"] = str(rng.choice(RADIUS_CHOICES_KM))
    return query


def in_database(query):
    places = PlaceFilter(query, queryset=Place.objects.published())
    assert places.is_valid(), places.errors
    return list(places.qs.values_list("pk", "name"))


@pytest.mark.parametrize("seed", range(15))
def test_the_index_finds_counts_and_orders_as_the_database(shipped_data, seed):
    rng = random.Random(seed)
    query = random_query(rng)
    places = PlaceFilter(query, queryset=Place.objects.published())
    assert places.is_valid(), places.errors
    matches = places.matches()
    expected = in_database(query)
    found = [entry.pk for entry in matches[0 : len(matches)]]
    assert set(found) == {pk for pk, _ in expected}, query.urlencode()
    if "lat" in query:
        distances = [entry.distance for entry in matches[0 : len(matches)]]
        assert distances == sorted(distances)
    else:
        names = dict(expected)
        assert [names[pk] for pk in found] == [name for _, name in expected]

    # Each option's count is what ticking it alone (other criteria kept) would give.
    for facet in places.facets():
        for option in facet.options:
            alone = query.copy()
            alone.setlist(facet.name, [option.value])
            assert option.count == len(in_database(alone)), (query.urlencode(), facet.name)
    for name, count in places.toggle_counts().items():
        ticked = query.copy()
        ticked[name] = "true"
        assert count == len(in_database(ticked)), (query.urlencode(), name)


def test_facets_cover_every_criterion_with_options():
    assert set(FACETS) == set(CODES)


def test_open_now_is_read_at_the_same_minute_by_both(shipped_data, monkeypatch):
    monday = timezone.make_aware(datetime(2026, 11, 23, 10, 30))
    monkeypatch.setattr(timezone, "now", lambda: monday)
    query = QueryDict("open_now=true")
    places = PlaceFilter(query, queryset=Place.objects.published())
    assert places.is_valid()
    assert {entry.pk for entry in places.matches()[0:1000]} == {pk for pk, _ in in_database(query)}
