"""Cached map data, invalidated whenever the directory changes.

Every cache key carries a data version; any change to a place or what it shows bumps the
version, so stale entries are simply never read again (and expire on their own).
"""

from datetime import UTC, datetime

from django.core.cache import cache

VERSION_KEY = "places:data-version"
CHANGED_AT_KEY = "places:changed-at"


def data_version():
    version = cache.get(VERSION_KEY)
    if version is None:
        version = 1
        cache.add(VERSION_KEY, version, timeout=None)
    return version


def bump(*args, **kwargs):
    """Signal receiver: the directory changed."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, timeout=None)
    cache.set(CHANGED_AT_KEY, datetime.now(UTC), timeout=None)


def changed_at(fallback):
    """When the directory last changed; `fallback()` answers after a cache restart."""
    moment = cache.get(CHANGED_AT_KEY)
    if moment is None:
        moment = fallback()
        if moment is not None:
            cache.set(CHANGED_AT_KEY, moment, timeout=None)
    return moment


def versioned_key(*parts):
    return ":".join(["places", str(data_version()), *map(str, parts)])


def request_key(name, request):
    """A cache key for a GET request's answer: its parameters in any order, its language."""
    query = "&".join(sorted(request.GET.urlencode().split("&")))
    return versioned_key(name, request.LANGUAGE_CODE, query)
