"""`make bench`: Solozère at 100 and at 20,000 places, measured in one run on PostgreSQL.

Builds a synthetic national directory in its own database (BENCH_DATABASE_URL, dropped and made
again), measures each public request in process (server time, queries, bytes), compares the pages
with their floors side by side, runs a bounded load on gunicorn over loopback, checks what each
index buys, and writes bench/results.md and bench/latency.svg.
"""

import gzip
import json
import os
import re
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres:postgres@127.0.0.1:5432/solozere_bench"
)
ENVIRONMENT = {
    "DJANGO_SETTINGS_MODULE": "bench.settings",
    "DATABASE_URL": DATABASE_URL,
    "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
    "SECRET_KEY": "bench-only-not-secret-" + "x" * 40,
    "DEBUG": "false",
    "CONN_MAX_AGE": "60",
}
os.environ.update(ENVIRONMENT)
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

from bench.measure import SAMPLES, Floor, Measure  # noqa: E402

SIZES = [100, 20_000]


LOAD_SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "15"))
LOAD_CLIENTS = 16
WORKERS = 2 * (os.cpu_count() or 1) + 1


def recreate_database():
    import psycopg2

    url = urlparse(DATABASE_URL)
    name = url.path.lstrip("/")
    admin = psycopg2.connect(
        host=url.hostname,
        port=url.port or 5432,
        user=url.username,
        password=url.password,
        dbname="postgres",
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


TYPO_WORDS = ["coworking", "fablab", "atelier", "comptoir", "fabrique", "relais", "causse"]


def typo(number):
    """A different misspelling each time: a letter dropped, or two swapped."""
    word = TYPO_WORDS[number % len(TYPO_WORDS)]
    at = 1 + (number // len(TYPO_WORDS)) % (len(word) - 2)
    if (number // (len(TYPO_WORDS) * (len(word) - 2))) % 2:
        return word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    return word[:at] + word[at + 1 :]


def floor_geojson():
    """The least it costs to serialise the map's fields for every place: values_list + dumps."""
    from django.db.models import OuterRef, Subquery

    from places.models import Place

    main = Place.services.through.objects.filter(place=OuterRef("pk")).order_by(
        "service__position", "service__code"
    )
    rows = list(
        Place.objects.active()
        .located()
        .annotate(picto=Subquery(main.values("service__pictogram")[:1]))
        .values_list("slug", "name", "latitude", "longitude", "location_precision", "picto")
    )
    json.dumps(rows)


def index_build():
    """What building the directory's in-memory index costs, once per data version and process:
    its queries and time, the text search's part (built on the first search) apart."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from places.filters import index

    with CaptureQueriesContext(connection) as captured:
        start = time.perf_counter()
        directory = index.current_index()  # the directory changed: built again, for what follows
        middle = time.perf_counter()
        directory.search("x")
        end = time.perf_counter()
    return {
        "queries": len(captured),
        "criteria_ms": (middle - start) * 1000,
        "text_ms": (end - middle) * 1000,
    }


def home_transfer(client):
    """Everything the home page makes a browser download, gzipped (no tiles)."""
    from django.contrib.staticfiles import finders

    html = client.get("/").content
    total = {"html": len(gzip.compress(html))}
    for path in sorted(set(re.findall(rb'(?:src|href)="(/static/[^"?#]+)"', html))):
        found = finders.find(path.decode()[len("/static/") :])
        if found and not found.endswith((".png", ".ico", ".svg")):
            total[path.decode()] = len(gzip.compress(Path(found).read_bytes()))
    config = re.search(rb'id="map-config" type="application/json">(.*?)</script>', html, re.S)
    if config:
        data = json.loads(config.group(1))
        url = data["geojson"] + ("&" if "?" in data["geojson"] else "?") + "grid=1"
        total["map data"] = len(gzip.compress(client.get(url).content))
    return total


def throughput(paths):
    """Requests per second on gunicorn (loopback, bounded), for each path in turn."""
    from tests.reliability import stack

    environment = {**os.environ, **ENVIRONMENT, "PYTHONPATH": str(ROOT)}
    results = {"clients": LOAD_CLIENTS, "seconds": LOAD_SECONDS, "workers": WORKERS}
    with (
        tempfile.TemporaryDirectory() as logs,
        stack.gunicorn(environment, logs, workers=WORKERS, threads=1) as server,
    ):
        for path in paths:
            results[path] = _hammer(server.origin + path)
    return results


def _hammer(url):
    counts = {"ok": 0, "errors": 0}
    lock = threading.Lock()
    for _ in range(20):  # warm every worker
        urllib.request.urlopen(url, timeout=10).read()
    stop = time.monotonic() + LOAD_SECONDS

    def client():
        while time.monotonic() < stop:
            try:
                with urllib.request.urlopen(url, timeout=10) as response:
                    response.read()
                    ok = response.status == 200
            except OSError:
                ok = False
            with lock:
                counts["ok" if ok else "errors"] += 1

    threads = [threading.Thread(target=client) for _ in range(LOAD_CLIENTS)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    return {**counts, "rps": counts["ok"] / elapsed}


LIST_SERVICES = ["wifi", "very-high-speed", "shared-desks"]
LIST_AUDIENCES = ["students", "everyone"]


def nearby(number):
    """Each sample a few tens of metres from the last."""
    return number * 0.0005


def requests(lat, lon, places, pages):
    """The measured requests, each a function of the sample number (see Measure); `pages`: how
    many pages the API has."""
    return {
        "home": "/",
        "list, 3 filters + near": lambda n: (
            "/?"
            + "&".join(f"service={code}" for code in LIST_SERVICES)
            + "".join(f"&audience={code}" for code in LIST_AUDIENCES)
            + f"&status=open&lat={lat + nearby(n):.5f}&lon={lon:.5f}&radius=20"
        ),
        "list (no search)": lambda n: f"/?status=open&sample={n}",
        "search (typo)": lambda n: f"/?status=open&q={typo(n)}",
        "place page": lambda n: f"/lieux/{places[n % len(places)]}/",
        "map GeoJSON": lambda n: f"/carte/lieux.geojson?sample={n}",
        "map data near a point": lambda n: (
            f"/carte/lieux.geojson?lat={lat + nearby(n):.5f}&lon={lon:.5f}&radius=20"
        ),
        "API page": lambda n: f"/api/lieux/?page={1 + n * 7 % pages}",
        "CSV export": lambda n: f"/donnees/lieux.csv?sample={n}",
        "minimal view": "/bench/minimal/",
    }


def main():
    recreate_database()
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from bench import dataset, indexes, report
    from places.cache import bump
    from places.models import Commune, Place
    from places.views.opendata import API_PAGE_SIZE

    call_command("migrate", verbosity=0)
    call_command("loaddata", "epci", "communes", "reference", "charter", verbosity=0)
    client = Client()
    measure = Measure(client)
    runs = []
    for size in SIZES:
        dataset.grow(size)
        bump()  # bulk inserts send no signal: say the directory changed, as an import does
        with connection.cursor() as cursor:
            # Settled as a live database is: no autovacuum of the new rows during the timings.
            cursor.execute("VACUUM ANALYZE")
        built = index_build()
        # The most populated commune with a place the list finds: a list with results.
        found = Place.objects.open().filter(
            services__code__in=LIST_SERVICES, audiences__code__in=LIST_AUDIENCES
        )
        busiest = Commune.objects.filter(places__in=found).order_by("-population", "insee").first()
        places = list(
            Place.objects.filter(slug__startswith="lieu-synthetique")
            .order_by("pk")
            .values_list("slug", flat=True)[: SAMPLES + 10]
        )
        pages = -(-Place.objects.active().count() // API_PAGE_SIZE)
        urls = requests(busiest.townhall_latitude, busiest.townhall_longitude, places, pages)
        # The requests whose times are compared are measured in turn, side by side.
        rows = measure.rows({name: urls[name] for name in report.SIDE_BY_SIDE})
        rows.update(
            measure.rows({"map GeoJSON": urls["map GeoJSON"], "floor": Floor(floor_geojson)})
        )
        floor = rows.pop("floor")
        for name, url in urls.items():
            if name not in rows:
                samples = 10 if name == "CSV export" else SAMPLES
                rows[name] = measure.row(name, url, samples=samples)
        rows = {name: rows[name] for name in urls}
        # The same requests made again, as a crowd making the same search gets them.
        for name in ("list, 3 filters + near", "search (typo)"):
            rows[f"{name}, repeated"] = measure.row(f"{name}, repeated", urls[name](0))
        # And on an empty cache: no page, no card rendered yet (the index stays built).
        rows["search (typo), empty cache"] = measure.row(
            "search (typo), empty cache", urls["search (typo)"], cold=True
        )
        runs.append(
            {
                "size": Place.objects.count(),
                "rows": rows,
                "floor_geojson": floor,
                "index": built,
                "transfer": home_transfer(client),
            }
        )
        print(report.console(runs[-1]), flush=True)
    load = throughput(["/bench/minimal/", "/"])
    index_effects = indexes.effects(measure, urls)
    results = report.write(runs, load, index_effects, HERE)
    print(results, flush=True)
    return 0 if report.all_met(runs, load) else 1


if __name__ == "__main__":
    sys.exit(main())
