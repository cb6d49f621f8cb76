"""The shared cache: with REDIS_URL, every application server sees the same data version."""

import os
import time
import uuid

import pytest
from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache
from django.db.models import F
from django.urls import reverse

from places import cache as versions
from places.models import DataVersion
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
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", **options},
    }
    settings.SOLOZERE_VERSION_TTL = 60
    yield options
    cache.clear()


def other_server(options):
    """The same Redis seen from another application server (another process, another client)."""
    return RedisCache(
        options["LOCATION"], {"KEY_PREFIX": options["KEY_PREFIX"], "TIMEOUT": options["TIMEOUT"]}
    )


def test_servers_share_cached_map_data_and_see_changes_at_once(client, redis_settings):
    place = PlaceFactory(name="Avant")
    url = reverse("places:geojson")
    assert [f["properties"]["name"] for f in client.get(url).json()["features"]] == ["Avant"]
    elsewhere = other_server(redis_settings)
    version = elsewhere.get(versions.VERSION_KEY)
    assert version == versions.data_version()
    assert elsewhere.get(f"places:{version}:geojson:fr:")  # the map data, cached in Redis
    place.name = "Après"
    place.save()
    assert elsewhere.get(versions.VERSION_KEY) is None  # dropped for every server at once
    assert [f["properties"]["name"] for f in client.get(url).json()["features"]] == ["Après"]
    assert elsewhere.get(versions.VERSION_KEY) > version


def test_a_lost_version_is_read_again_from_the_database(redis_settings):
    """Losing the cached copy (a Redis restart, an eviction) invalidates nothing by itself."""
    first = versions.data_version()
    cache.delete(versions.VERSION_KEY)
    assert versions.data_version() == first
    PlaceFactory()
    assert versions.data_version() > first


def test_versions_only_grow_even_from_an_older_backup():
    first = versions.data_version()
    DataVersion.objects.update(number=first - 1000)  # a restored backup
    versions.bump()
    assert versions.data_version() > first


def test_local_memory_copies_expire_so_other_processes_catch_up(settings):
    settings.SOLOZERE_VERSION_TTL = 1
    cache.delete(versions.VERSION_KEY)
    first = versions.data_version()
    DataVersion.objects.update(number=F("number") + 1)  # a change made by another process
    assert versions.data_version() == first
    time.sleep(1.1)
    assert versions.data_version() == first + 1


def test_a_request_reads_the_version_once(client, monkeypatch):
    PlaceFactory(name="Le Relais")
    reads = []
    read = cache.get

    def counted(key, *args, **kwargs):
        reads.extend([key] if key == versions.VERSION_KEY else [])
        return read(key, *args, **kwargs)

    monkeypatch.setattr(cache, "get", counted)
    assert "Le Relais" in client.get(reverse("places:home"), {"q": "relais"}).text
    assert len(reads) == 1  # the page cache, the index, the cards and the facets share it


def test_a_change_made_during_a_request_is_seen_by_the_rest_of_it():
    versions.hold_version()
    try:
        first = versions.data_version()
        PlaceFactory()
        assert versions.data_version() > first
    finally:
        versions.release_version()
