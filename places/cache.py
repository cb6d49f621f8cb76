"""Cached pages, cards, map data and the in-memory index: invalidated when the directory changes.

Every cache key carries the data version; any change to a place or what it shows raises the
version, so stale entries are simply never read again (and expire on their own).

The version is held by the database (one row, places.models.DataVersion); each process, or Redis
for all of them, keeps a copy for VERSION_TTL seconds. A change drops that copy at once and again
when its transaction commits, so the process that made it sees it at once, and the others within
VERSION_TTL seconds (at once with Redis); a request reads it once and keeps it to its end, or to a
change it makes. The number only grows, and jumps to the clock (in milliseconds) when that is
ahead: a database restored from a backup goes back to a version whose cached entries showed that
very data, and its next change names entries never used before.
"""

import time
from contextvars import ContextVar
from datetime import UTC, datetime
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import BigIntegerField, F, Value
from django.db.models.functions import Greatest
from django.http import HttpResponse

VERSION_KEY = "places:data-version"
CHANGED_AT_KEY = "places:changed-at"


def _clock():
    return int(time.time() * 1000)


def stored_version():
    """The version in the database, made on first use."""
    from .models import DataVersion

    number = DataVersion.objects.filter(pk=1).values_list("number", flat=True).first()
    if number is None:
        number = DataVersion.objects.get_or_create(pk=1, defaults={"number": _clock()})[0].number
    return number


# The version a request has read, kept to its end: one cache read per page rather than one for
# each of its parts (the page cache, the index, the cards, the facets).
_held = ContextVar("places_data_version", default=None)


def hold_version(**kwargs):
    """request_started: what the request reads of the version is kept to its end."""
    _held.set({})


def release_version(**kwargs):
    """request_finished."""
    _held.set(None)


def data_version():
    held = _held.get()
    if held:
        return held["version"]
    version = cache.get(VERSION_KEY)
    if version is None:
        version = stored_version()
        cache.set(VERSION_KEY, version, timeout=settings.SOLOZERE_VERSION_TTL)
    if held is not None:
        held["version"] = version
    return version


def bump(*args, **kwargs):
    """Signal receiver: the directory changed."""
    from .models import DataVersion

    # Above the stored number, the clock, and the copy in the cache: a restored backup may hold a
    # lower number than versions already named in the cache, even within the same millisecond.
    floor = max(_clock(), (cache.get(VERSION_KEY) or 0) + 1)
    raised = Greatest(F("number") + 1, Value(floor, output_field=BigIntegerField()))
    if not DataVersion.objects.filter(pk=1).update(number=raised):
        DataVersion.objects.get_or_create(pk=1, defaults={"number": floor})
    held = _held.get()
    if held:
        held.clear()
    cache.delete(VERSION_KEY)
    transaction.on_commit(lambda: cache.delete(VERSION_KEY))
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


PAGE_SECONDS = 120


def public_page(name):
    """Serve a public page from the cache to anonymous visitors until the directory changes.

    Pages say what is open now, so an entry also ends with its minute. The page must be the same
    for every anonymous visitor of a language: no CSRF token, no per-request nonce. A visitor with
    a session (signed in, or a message waiting) gets it fresh.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            personal = (
                request.method not in ("GET", "HEAD")
                or settings.SESSION_COOKIE_NAME in request.COOKIES
                or "messages" in request.COOKIES
            )
            if personal:
                return view(request, *args, **kwargs)
            minute = int(time.time() // 60)
            key = f"{request_key(name, request)}:{minute}:{request.path}"
            cached = cache.get(key)
            if cached is not None:
                status, content_type, body = cached
                return HttpResponse(body, status=status, content_type=content_type)
            response = view(request, *args, **kwargs)
            if response.status_code in (200, 400) and not response.cookies:
                cache.set(
                    key,
                    (response.status_code, response["Content-Type"], response.content),
                    PAGE_SECONDS,
                )
            return response

        return wrapped

    return decorator
