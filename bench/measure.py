"""Server time, queries and size of requests, measured in process for `make bench`."""

import gzip
import os
import statistics
import time
from dataclasses import dataclass

from tests.reliability.stack import percentile

SAMPLES = int(os.environ.get("BENCH_SAMPLES", "60"))


def warm(url):
    """The same request with one more parameter, which no page reads: asked before timing, it
    warms the database's buffers but is never cached (pages cache known parameters only)."""
    return url + ("&" if "?" in url else "?") + "warm=1"


def empty_caches():
    from django.core.cache import cache

    cache.clear()


class Floor:
    """Work a request is compared with, measured in turn with it, but not a request itself."""

    def __init__(self, work):
        self.work = work


@dataclass
class Request:
    """A request as a function of the sample number, asked by a given client (a coordinator's
    for the back-office), cold (nothing cached before each sample) or warm (asked once before)."""

    url_for: object
    client: object = None
    cold: bool = True

    def url(self, number):
        return self.url_for if isinstance(self.url_for, str) else self.url_for(number)

    def warmup_url(self, number):
        """Anonymous cold requests warm up with a parameter no page reads (never cached); the
        back-office, never cached, with the request itself (the admin refuses unknown ones)."""
        url = self.url(number)
        return warm(url) if self.cold and self.client is None else url


class Measure:
    """Server time of requests through the whole Django stack, in process.

    Requests are measured in turn, sample by sample, so that whatever else the machine does
    weighs on each alike. Queries are counted on an empty cache.
    """

    def __init__(self, client):
        self.client = client

    def get(self, request, url):
        response = (request.client or self.client).get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response

    def run(self, request, number, warmup=False):
        if isinstance(request, Floor):
            request.work()
            return
        if warmup:
            self.get(request, request.warmup_url(number))
            return
        if request.cold:
            empty_caches()
        self.get(request, request.url(number))

    def timings(self, requests, samples):
        for request in requests.values():
            for number in range(samples):
                self.run(request, number, warmup=True)
        durations = {name: [] for name in requests}
        for number in range(samples):
            for name, request in requests.items():
                start = time.perf_counter()
                self.run(request, number)
                durations[name].append((time.perf_counter() - start) * 1000)
        return durations

    def queries(self, request):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        self.get(request, request.warmup_url(0))
        empty_caches()
        with CaptureQueriesContext(connection) as captured:
            response = self.get(request, request.url(0))
        return len(captured), response

    def rows(self, requests, samples=SAMPLES):
        """A row per request: queries, p50, p95 and size."""
        requests = {
            name: request if isinstance(request, Floor | Request) else Request(request)
            for name, request in requests.items()
        }
        answers = {
            name: self.queries(request)
            for name, request in requests.items()
            if isinstance(request, Request)
        }
        durations = self.timings(requests, samples)
        rows = {}
        for name, request in requests.items():
            times = {
                "p50": statistics.median(durations[name]),
                "p95": percentile(durations[name], 0.95),
            }
            if isinstance(request, Floor):
                rows[name] = times
                continue
            count, response = answers[name]
            body = b"".join(response.streaming_content) if response.streaming else response.content
            rows[name] = {
                "name": name,
                "url": request.url(0),
                "queries": count,
                "cold": request.cold,
                **times,
                "bytes": len(body),
                "gzip": len(gzip.compress(body)),
            }
        return rows
