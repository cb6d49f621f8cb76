"""Whether what the public sees has changed, read from the database by every process alike.

Every row a public page shows is `Tracked` (it has an `updated_at`), or touches the `Tracked` row
it belongs to when it changes (a stop, a membership, a photo touch their place: see
places.signals). One query reads each tracked table's latest change and row count (the count
tells a deletion); together they are the directory's state:

- its latest change is the `Last-Modified` of pages and exports;
- its digest names cached pages and ETags, so a page cached before a change is never served
  after it commits, by any process or server, and nothing has to be deleted.

A transaction that commits long after it wrote could, in principle, carry an older change time
than one committed meanwhile; the digest then still changes with the row count only when rows
come or go. Writes here are short (forms, bulk imports that stamp their rows at the end), and
cached pages live a minute at most.
"""

import hashlib
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import wraps

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date, parse_etags, quote_etag

from territory.models import Tracked


@dataclass(frozen=True)
class State:
    latest: datetime | None
    digest: str


def tracked_models():
    return [model for model in apps.get_models() if issubclass(model, Tracked)]


def _as_datetime(value):
    if value is None or isinstance(value, datetime):
        return value
    moment = parse_datetime(value)  # SQLite gives text
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def read_state():
    """The directory's state now: one query over every tracked table."""
    quote = connection.ops.quote_name
    sql = " UNION ALL ".join(
        f"SELECT {index}, MAX({quote('updated_at')}), COUNT(*) FROM {quote(model._meta.db_table)}"
        for index, model in enumerate(tracked_models())
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        rows = sorted(cursor.fetchall())
    changes = [_as_datetime(latest) for _index, latest, _count in rows]
    latest = max(filter(None, changes), default=None)
    seen = "|".join(
        f"{change.isoformat() if change else ''}:{count}"
        for change, (*_, count) in zip(changes, rows, strict=True)
    )
    return State(latest, hashlib.sha256(seen.encode()).hexdigest()[:24])


def state(request):
    """The state a request reads, once however many times it asks."""
    if not hasattr(request, "_directory_state"):
        request._directory_state = read_state()
    return request._directory_state


def this_minute():
    """What answers say may change each minute while the directory does not (what is open now,
    an event this week): the minute is part of every validator."""
    return int(time.time() // 60)


def last_modified(request, *args, **kwargs):
    """The directory's last change."""
    return state(request).latest


def validated_since(request, *args, **kwargs):
    """The `Last-Modified` of an answer: the directory's last change, or the minute begun."""
    latest = last_modified(request)
    if latest is None:
        return None
    return max(latest, datetime.fromtimestamp(this_minute() * 60, UTC))


def known_query(request, params):
    """The request's parameters that the page reads, in a stable order; None if it has others
    (a tracking tag, a typo: the page is made for it but never cached)."""
    pairs = sorted((key, value) for key, values in request.GET.lists() for value in values)
    if any(key not in params for key, _value in pairs):
        return None
    return "&".join(f"{key}={value}" for key, value in pairs)


def etag(request, query, *extra):
    """Same state, same page and parameters, same language: same ETag."""
    parts = [state(request).digest, request.path, query, request.LANGUAGE_CODE, *map(str, extra)]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def is_personal(request):
    """A signed-in visitor, or one with a message waiting, gets a page made for them."""
    return (
        request.method not in ("GET", "HEAD")
        or settings.SESSION_COOKIE_NAME in request.COOKIES
        or "messages" in request.COOKIES
    )


def public_page(params=frozenset()):
    """Anonymous visitors' pages, from the shared cache while the directory has not changed.

    A page is cached for a minute at most (pages say what is open now), under its path, the
    parameters it reads (`params`), its language and the directory's state; a visitor holding
    its ETag gets a 304. A request with any other parameter is answered but never cached, and
    so is a page larger than PAGE_CACHE_MAX_BYTES: what the cache holds stays bounded. A view
    marks a response `uncached` (`uncached(response)`) when each request of it must reach it: the
    directory's searches that find nothing are counted as unmet demand.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            query = None if is_personal(request) else known_query(request, params)
            if query is None:
                response = view(request, *args, **kwargs)
                patch_cache_control(response, private=True, no_cache=True)
                return response
            tag = quote_etag(etag(request, query, this_minute()))
            # Compressed by GZipMiddleware (settings.GZIP), the ETag comes back weak: same page.
            held = parse_etags(request.headers.get("If-None-Match", ""))
            if tag in {held_tag.removeprefix("W/") for held_tag in held}:
                response = HttpResponseNotModified()
            else:
                # (status, headers, body): named apart from the older (status, type, body).
                key = f"response:{tag}"
                cached = cache.get(key)
                if cached is None:
                    response = view(request, *args, **kwargs)
                    if getattr(response, "uncached", False):
                        # Neither kept nor given an ETag: the next request reaches the view too.
                        patch_cache_control(response, private=True, no_cache=True)
                        return response
                    _keep(key, response)
                else:
                    status, headers, body = cached
                    response = HttpResponse(body, status=status, headers=headers)
            response["ETag"] = tag
            if (latest := validated_since(request)) is not None:
                response["Last-Modified"] = http_date(latest.timestamp())
            patch_cache_control(response, public=True, no_cache=True)
            patch_vary_headers(response, ["Accept-Language", "Cookie"])
            return response

        return wrapped

    return decorator


VALIDATORS = {"etag", "last-modified", "cache-control", "vary", "expires"}


def uncached(response):
    """Mark a response of a `public_page` view as one never served from the cache nor by a 304."""
    response.uncached = True
    return response


def _keep(key, response):
    if response.status_code not in (200, 400) or response.cookies or response.streaming:
        return
    if len(response.content) > settings.SOLOZERE_PAGE_CACHE_MAX_BYTES:
        return
    # The view's own headers (a file's name, what robots may do), not the validators, set here.
    headers = {k: v for k, v in response.items() if k.lower() not in VALIDATORS}
    body = (response.status_code, headers, response.content)
    cache.set(key, body, settings.SOLOZERE_PAGE_CACHE_SECONDS)
