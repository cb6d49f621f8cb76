"""`make bench`: Solozère at 100 and at 20,000 places (and 100, then 2,000 events, a quarter of
them weekly), measured in one run on PostgreSQL.

Builds a synthetic national directory in its own database (BENCH_DATABASE_URL, dropped and made
again), measures each request in process (server time, queries, bytes) beside the minimal view,
then what only a running site shows: another editor's wait during a 1,000-row import, stale
answers from two gunicorn workers after a change, and the persona relevance file. Writes
bench/results.md.
"""

import json
import os
import sys
import tempfile
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
# The network's rooms and their accepted bookings at each size (the last given for any further).
ROOM_SIZES = [int(size) for size in os.environ.get("BENCH_ROOMS", "100,2000").split(",")]
BOOKING_SIZES = [int(size) for size in os.environ.get("BENCH_BOOKINGS", "2500,50000").split(",")]
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


def rooms_requests(today, commune):
    """`/salles/`, anonymous and cold: each sample a morning of another day, near a commune and
    for six people, or every room without a day."""

    def day(number):
        return (today + timedelta(days=1 + number % 30)).isoformat()

    return {
        "minimal view": Request("/bench/minimal/", cold=False),
        "rooms free then, near": Request(
            lambda n: f"/salles/?date={day(n)}&period=morning&people=6&near={commune}&radius=50"
        ),
        "rooms free then, equipment": Request(
            lambda n: f"/salles/?date={day(n)}&start=14:00&end=16:00&equipment=videoconference"
        ),
        "rooms, no day": Request("/salles/"),
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


def main():
    recreate_database()
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from agenda.models import Event
    from bench import dataset, indexes, report, running
    from opendata.api import PAGE_SIZE as API_PAGE_SIZE
    from places.models import Place, Room
    from rooms.models import RoomRequest
    from territory.models import Commune

    call_command("migrate", verbosity=0)
    call_command("loaddata", "epci", "communes", "reference", "charter", verbosity=0)
    measure = Measure(Client())
    coordinator = coordinator_client()
    runs = []
    for number, size in enumerate(SIZES):
        dataset.grow(size)
        dataset.grow_events(EVENT_SIZES[min(number, len(EVENT_SIZES) - 1)])
        dataset.grow_rooms(
            ROOM_SIZES[min(number, len(ROOM_SIZES) - 1)],
            BOOKING_SIZES[min(number, len(BOOKING_SIZES) - 1)],
        )
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
            rooms_requests(timezone.localdate(), busiest.insee),
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
                "rooms": Room.objects.count(),
                "bookings": RoomRequest.objects.count(),
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
        environment = {**os.environ, **ENVIRONMENT, "PYTHONPATH": str(ROOT)}
        stale = running.stale_answers(folder, environment)
        print(f"stale answers: {stale}", flush=True)
        waited = running.import_wait(folder)
        print(f"import: {waited}", flush=True)
    relevant = running.relevance(DATABASE_URL)
    print(f"relevance: {relevant['summary']}", flush=True)
    results = report.write(runs, index_effects, waited, stale, relevant, HERE)
    print(results, flush=True)
    return 0 if report.all_met(runs, waited, stale, relevant) else 1


if __name__ == "__main__":
    sys.exit(main())
