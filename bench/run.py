"""`make bench`: Solozère at 100 and at 20,000 places (and 100, then 2,000 events, a quarter of
them weekly), measured in one run on PostgreSQL.

Builds a synthetic national directory in its own database (BENCH_DATABASE_URL, dropped and made
again), measures each request in process (server time, queries, bytes) beside the minimal view,
then what only a running site shows: another editor's wait during a 1,000-row import, stale
answers from two gunicorn workers after a change, and the persona relevance file. Writes
bench/results.md.
"""

import csv
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
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

from bench.measure import SAMPLES, Floor, Measure, Request  # noqa: E402

SIZES = [int(size) for size in os.environ.get("BENCH_SIZES", "100,20000").split(",")]
# The agenda's events at each size of the directory (the last size given for any further one).
EVENT_SIZES = [int(size) for size in os.environ.get("BENCH_EVENTS", "100,2000").split(",")]
IMPORT_ROWS = 1000
SEARCHES = ["coworking", "fablab", "atelier numérique", "wifi", "salle de réunion", "visio"]
TYPO_WORDS = ["coworking", "fablab", "atelier", "comptoir", "fabrique", "relais", "causse"]
LIST_SERVICES = ["wifi", "very-high-speed", "shared-desks"]
LIST_AUDIENCES = ["students", "everyone"]


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


def typo(number):
    """A different misspelling each time: a letter dropped, or two swapped."""
    word = TYPO_WORDS[number % len(TYPO_WORDS)]
    at = 1 + (number // len(TYPO_WORDS)) % (len(word) - 2)
    if (number // (len(TYPO_WORDS) * (len(word) - 2))) % 2:
        return word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    return word[:at] + word[at + 1 :]


def floor_geojson():
    """The least it costs to serialise the map's fields for every place: values_list + dumps."""
    from places.models import Place
    from places.views.mapdata import catalogue

    places = Place.objects.active()
    labels, offered = catalogue(places)
    rows = list(
        places.located().values_list(
            "pk", "slug", "name", "latitude", "longitude", "location_precision", "commune__name"
        )
    )
    json.dumps([labels, [[*row, *offered.get(row[0], ([], []))] for row in rows]])


def nearby(number):
    """Each sample a few tens of metres from the last: a new search every time."""
    return number * 0.0005


def public_requests(lat, lon, insee, places):
    """Anonymous visitors' requests; each sample of a cold one is a new search."""
    filters = "&".join(f"service={code}" for code in LIST_SERVICES) + "".join(
        f"&audience={code}" for code in LIST_AUDIENCES
    )
    return {
        "minimal view": Request("/bench/minimal/", cold=False),
        "list": Request(lambda n: f"/?page={1 + n % 20}"),
        "list, 3 filters + near": Request(
            lambda n: f"/?{filters}&status=open&lat={lat + nearby(n):.5f}&lon={lon:.5f}&radius=20"
        ),
        "list, near a commune": Request(lambda n: f"/?near={insee}&radius={5 + n % 40}"),
        "search": Request(lambda n: f"/?q={SEARCHES[n % len(SEARCHES)]}&page={1 + n % 3}"),
        "search (typo)": Request(lambda n: f"/?q={typo(n)}"),
        "place page": Request(lambda n: f"/lieux/{places[n % len(places)]}/"),
    }


def warm_requests(places):
    """The same pages asked again by anonymous visitors: served from the cache."""
    return {
        "minimal view": Request("/bench/minimal/", cold=False),
        "home, warm": Request("/", cold=False),
        "list with filters, warm": Request("/?service=wifi&status=open", cold=False),
        "place page, warm": Request(f"/lieux/{places[0]}/", cold=False),
    }


def backoffice_requests(coordinator):
    return {
        "minimal view": Request("/bench/minimal/", cold=False),
        "back-office home": Request("/admin/", coordinator),
        "back-office place list": Request("/admin/places/place/", coordinator),
        "back-office contributions": Request("/admin/contributions/contribution/", coordinator),
        "charter dashboard": Request(
            lambda n: f"/charte/tableau-de-bord/?page={1 + n % 5}", coordinator
        ),
        "coverage page": Request(
            lambda n: f"/couverture/?service={LIST_SERVICES[n % 3]}", coordinator
        ),
    }


def other_requests(lat, lon, pages):
    """Measured for their growth and queries; whole-file exports grow with the directory."""
    return {
        "map data near a point": Request(
            lambda n: f"/carte/lieux.geojson?lat={lat + nearby(n):.5f}&lon={lon:.5f}&radius=20"
        ),
        "API page": Request(lambda n: f"/api/lieux/?page={1 + n * 7 % pages}"),
        "CSV export (whole file)": Request(lambda n: f"/donnees/lieux.csv?sample={n}"),
    }


def agenda_requests(today):
    """The agenda's page and calendars, anonymous and cold; each sample of the page and of the
    whole calendar a search from another day."""
    from bench.dataset import FEED_PLACE

    def day(number):
        return (today + timedelta(days=number % 30)).isoformat()

    return {
        "minimal view": Request("/bench/minimal/", cold=False),
        "agenda page": Request(lambda n: f"/agenda/?start={day(n)}"),
        "agenda calendar (.ics)": Request(lambda n: f"/agenda.ics?start={day(n)}"),
        "a place's calendar (.ics)": Request(f"/lieux/{FEED_PLACE}/agenda.ics"),
    }


def coordinator_client():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client

    from backoffice.roles import COORDINATORS

    user, _ = get_user_model().objects.get_or_create(
        username="bench-coordinator", defaults={"is_staff": True}
    )
    user.groups.add(Group.objects.get(name=COORDINATORS))
    client = Client()
    client.force_login(user)
    return client


def import_wait(folder):
    """Another editor saves a phone number again and again while 1,000 rows are imported."""
    from django.core.management import call_command
    from django.db import connection

    from opendata.records import COLUMNS
    from places.models import Place
    from territory.models import Commune

    communes = list(Commune.objects.filter(insee__startswith="48").values_list("insee", flat=True))
    path = Path(folder) / "import.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow([header for header, _meaning, _key in COLUMNS])
        for n in range(IMPORT_ROWS):
            cells = {"identifiant": f"lieu-importe-{n}", "nom": f"Lieu importé {n}"}
            cells.update(code_insee=communes[n % len(communes)], services="wifi|shared-desks")
            cells.update(statut="open", types="coworking", publics="everyone")
            writer.writerow([cells.get(header, "") for header, _meaning, _key in COLUMNS])
    editor = Place.objects.filter(slug__startswith="lieu-synthetique").order_by("pk").first()
    done, failure = threading.Event(), []

    def run_import():
        try:
            call_command("import_places", str(path), verbosity=0)
        except Exception as error:  # reported below: the bench must say why it failed
            failure.append(error)
        finally:
            connection.close()
            done.set()

    started = time.perf_counter()
    thread = threading.Thread(target=run_import)
    thread.start()
    waits = []
    while not done.is_set():
        editor.phone = f"04 66 {len(waits) % 100:02d} 00 00"
        start = time.perf_counter()
        editor.save()
        waits.append(time.perf_counter() - start)
        time.sleep(0.02)
    thread.join()
    if failure:
        raise failure[0]
    return {
        "rows": IMPORT_ROWS,
        "seconds": time.perf_counter() - started,
        "saves": len(waits),
        "max_wait": max(waits, default=0.0),
        "imported": Place.objects.filter(slug__startswith="lieu-importe").count(),
    }


def stale_answers(folder):
    """Two gunicorn workers with warm caches; a place renamed; how many answers still say the
    old name (each page asked enough times for both workers to answer)."""
    from django.db.models import Count

    from places.models import Place
    from tests.reliability import stack

    # A located place of a commune with few places, so the commune's list shows it.
    place = (
        Place.objects.active()
        .located()
        .annotate(neighbours=Count("commune__places"))
        .filter(neighbours__lte=10)
        .order_by("pk")
        .first()
    )
    insee = place.commune.insee
    pages = [
        f"/lieux/{place.slug}/",
        f"/?commune={insee}",
        f"/carte/lieux.geojson?commune={insee}",
        f"/api/lieux/{place.slug}/",
    ]
    environment = {**os.environ, **ENVIRONMENT, "PYTHONPATH": str(ROOT)}
    with stack.gunicorn(environment, folder, workers=2, threads=1) as server:
        for _ in range(10):
            for page in pages:
                server.get(page)
        place.name = f"Renommé {place.name}"
        place.save()
        answers = [server.get(page) for _ in range(10) for page in pages]
    stale = [answer for answer in answers if "Renommé" not in answer.text]
    return {"answers": len(answers), "stale": len(stale)}


def relevance():
    """The persona relevance file, run by pytest on PostgreSQL."""
    url = urlparse(DATABASE_URL)
    test_url = url._replace(path="/solozere").geturl()
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "solozere.settings",
        "DATABASE_URL": test_url,
        "TEST_DATABASE_NAME": "test_solozere_bench_relevance",
    }
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "tests/places/test_relevance.py",
            "-q",
            "-p",
            "no:cacheprovider",
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else result.stderr
    counts = dict.fromkeys(("passed", "failed", "error"), 0)
    for number, word in re.findall(r"(\d+) (passed|failed|error)", summary):
        counts[word] += int(number)
    return {"summary": summary, **counts}


def main():
    recreate_database()
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from agenda.models import Event
    from bench import dataset, indexes, report
    from opendata.api import PAGE_SIZE as API_PAGE_SIZE
    from places.models import Place
    from territory.models import Commune

    call_command("migrate", verbosity=0)
    call_command("loaddata", "epci", "communes", "reference", "charter", verbosity=0)
    measure = Measure(Client())
    coordinator = coordinator_client()
    runs = []
    for number, size in enumerate(SIZES):
        dataset.grow(size)
        dataset.grow_events(EVENT_SIZES[min(number, len(EVENT_SIZES) - 1)])
        with connection.cursor() as cursor:
            # Settled as a live database is: no autovacuum of the new rows during the timings.
            cursor.execute("VACUUM ANALYZE")
        found = Place.objects.open().filter(
            services__code__in=LIST_SERVICES, audiences__code__in=LIST_AUDIENCES
        )
        busiest = Commune.objects.filter(places__in=found).order_by("-population", "insee").first()
        lat, lon = busiest.townhall_latitude, busiest.townhall_longitude
        places = list(
            Place.objects.filter(slug__startswith="lieu-synthetique")
            .order_by("pk")
            .values_list("slug", flat=True)[: SAMPLES + 10]
        )
        pages = -(-Place.objects.active().count() // API_PAGE_SIZE)
        rows = {}
        for group in (
            public_requests(lat, lon, busiest.insee, places),
            warm_requests(places),
            backoffice_requests(coordinator),
            agenda_requests(timezone.localdate()),
        ):
            measured = measure.rows(group)
            minimal = measured.pop("minimal view")
            for name, row in measured.items():
                rows[name] = {**row, "ratio": row["p95"] / minimal["p95"]}
            rows.setdefault("minimal view", minimal)
        geojson = measure.rows(
            {"map GeoJSON of every place": "/carte/lieux.geojson", "floor": Floor(floor_geojson)}
        )
        floor = geojson.pop("floor")
        rows.update(geojson)
        rows.update(measure.rows(other_requests(lat, lon, pages), samples=max(10, SAMPLES // 6)))
        runs.append(
            {
                "size": Place.objects.count(),
                "events": Event.objects.count(),
                "rows": rows,
                "floor_geojson": floor,
            }
        )
        print(report.console(runs[-1]), flush=True)
    requests = {
        **public_requests(lat, lon, busiest.insee, places),
        **other_requests(lat, lon, pages),
    }
    index_effects = indexes.effects(measure, requests)
    with tempfile.TemporaryDirectory() as folder:
        stale = stale_answers(folder)
        print(f"stale answers: {stale}", flush=True)
        waited = import_wait(folder)
        print(f"import: {waited}", flush=True)
    relevant = relevance()
    print(f"relevance: {relevant['summary']}", flush=True)
    results = report.write(runs, index_effects, waited, stale, relevant, HERE)
    print(results, flush=True)
    return 0 if report.all_met(runs, waited, stale, relevant) else 1


if __name__ == "__main__":
    sys.exit(main())
