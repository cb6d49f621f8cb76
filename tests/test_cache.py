"""The shared cache: with REDIS_URL, servers share cached pages, and none serves one from before
a change, because a cached page is named by the database's state (places.freshness)."""

import os
import uuid

import pytest
from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache
from django.urls import reverse

from places import freshness
from tests.factories import PlaceFactory

pytestmark = pytest.mark.django_db

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def redis_answers():
    import redis

    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


@pytest.fixture
def redis_settings(settings):
    """The cache settings production uses with REDIS_URL, on a key prefix of this test's own."""
    if not redis_answers():
        if os.environ.get("CI_REQUIRE_REDIS"):
            pytest.fail(f"No Redis server answers at {REDIS_URL}")
        pytest.skip("no Redis server on this machine (CI starts one)")
    options = {"LOCATION": REDIS_URL, "KEY_PREFIX": f"test-{uuid.uuid4().hex}", "TIMEOUT": 3600}
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", **options}
    }
    yield options
    cache.clear()


def other_server(options):
    """The same Redis seen from another application server (another process, another client)."""
    return RedisCache(
        options["LOCATION"], {"KEY_PREFIX": options["KEY_PREFIX"], "TIMEOUT": options["TIMEOUT"]}
    )


def test_a_page_cached_by_one_server_is_served_by_another(client, redis_settings, monkeypatch):
    """With Redis, a page made by one application server is served from the cache by another."""
    place = PlaceFactory(name="Partagé")
    url = reverse("places:detail", args=[place.slug])
    assert client.get(url).context is not None
    monkeypatch.setattr(freshness, "cache", other_server(redis_settings))
    response = client.get(url)
    assert response.context is None and "Partagé" in response.content.decode()


def test_no_server_serves_a_page_from_before_a_change(client, redis_settings, monkeypatch):
    """A change made through any server names new pages for all: nothing to delete, no delay."""
    place = PlaceFactory(name="Avant")
    url = reverse("places:geojson")
    assert [f["properties"]["name"] for f in client.get(url).json()["features"]] == ["Avant"]
    place.name = "Après"
    place.save()
    monkeypatch.setattr(freshness, "cache", other_server(redis_settings))
    assert [f["properties"]["name"] for f in client.get(url).json()["features"]] == ["Après"]
