"""Server time, queries and size of requests, measured in process for `make bench`."""

import gzip
import os
import statistics
import time

from tests.reliability.stack import percentile

SAMPLES = int(os.environ.get("BENCH_SAMPLES", "60"))


def warm(url):
    """The same request with one more parameter, which nothing reads: asked before timing, as
    an earlier visitor's, it warms what visitors share (the index, the cards of the places it
    shows) but not the page cache, which keys pages by all their parameters."""
    return url + ("&" if "?" in url else "?") + "warm=1"


def empty_caches():
    """No page, card or map data cached anywhere: the shared cache, and this process's cards."""
    from django.core.cache import cache

    from places.cards import recent

    cache.clear()
    recent.clear()


class Floor:
    """Work a request is compared with, measured in turn with it, but not a request itself."""

    def __init__(self, work):
        self.work = work


class Measure:
    """Server time of requests through the whole Django stack, in process.

    A request is given as a function of the sample number, so that each sample can be a new
    search (a new visitor's, which no cache has seen) while what every visitor shares stays
    cached, as on a running server: the directory's index, the cards of places already shown.
    Queries are counted on an empty cache. A Floor among the requests is timed alike.
    """

    def __init__(self, client):
        self.client = client

    def get(self, url):
        response = self.client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response

    def run(self, url_for, number, warmup=False):
        if isinstance(url_for, Floor):
            url_for.work()
        else:
            url = url_for(number)
            self.get(warm(url) if warmup else url)

    def timings(self, requests, samples, cold=False):
        """Server times of each request (name → function of the sample number), their samples
        taken in turn so that whatever else the machine does weighs on each alike."""
        for url_for in requests.values():
            for number in range(samples):
                self.run(url_for, number, warmup=True)
        durations = {name: [] for name in requests}
        for number in range(samples):
            for name, url_for in requests.items():
                if cold:
                    empty_caches()
                start = time.perf_counter()
                self.run(url_for, number)
                durations[name].append((time.perf_counter() - start) * 1000)
        return durations

    def queries(self, url):
        """Queries of a request on an empty cache. What the index keeps a minute (the places
        open now, read once a minute by each process) is made first, by an earlier visitor's
        request in the same minute."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        while True:
            self.get(warm(url))
            minute = int(time.time() // 60)
            empty_caches()
            with CaptureQueriesContext(connection) as captured:
                response = self.get(url)
            if int(time.time() // 60) == minute:
                return len(captured), response

    def rows(self, requests, samples=SAMPLES, cold=False):
        """A row per request: queries, p50, p95 and size."""
        requests = {
            name: (lambda url: lambda number: url)(url_for) if isinstance(url_for, str) else url_for
            for name, url_for in requests.items()
        }
        answers = {
            name: self.queries(url_for(0))
            for name, url_for in requests.items()
            if not isinstance(url_for, Floor)
        }
        durations = self.timings(requests, samples, cold)
        rows = {}
        for name, url_for in requests.items():
            times = {"p50": statistics.median(durations[name])}
            times["p95"] = percentile(durations[name], 0.95)
            if isinstance(url_for, Floor):
                rows[name] = times
                continue
            count, response = answers[name]
            body = b"".join(response.streaming_content) if response.streaming else response.content
            rows[name] = {
                "name": name,
                "url": url_for(0),
                "queries": count,
                **times,
                "bytes": len(body),
                "gzip": len(gzip.compress(body)),
            }
        return rows

    def row(self, name, url_for, samples=SAMPLES, cold=False):
        return self.rows({name: url_for}, samples, cold)[name]
