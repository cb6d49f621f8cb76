"""Cached map data, invalidated whenever the directory changes.

Every cache key carries a data version; any change to a place or what it shows bumps the
version, so stale entries are simply never read again (and expire on their own).

A version starts from the clock, in milliseconds, not from 1: if the version key is lost (a cache
restart, an eviction, the local-memory TTL), the new one never names entries of an older one.
"""

import time
from datetime import UTC, datetime
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

VERSION_KEY = "places:data-version"
CHANGED_AT_KEY = "places:changed-at"


def _fresh_version():
    return int(time.time() * 1000)


def data_version():
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, _fresh_version(), timeout=settings.SOLOZERE_LOCAL_VERSION_TTL)
        version = cache.get(VERSION_KEY) or _fresh_version()
    return version


def bump(*args, **kwargs):
    """Signal receiver: the directory changed."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, _fresh_version(), timeout=settings.SOLOZERE_LOCAL_VERSION_TTL)
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
