"""What only a running site shows: another editor's wait during a 1,000-row import, stale answers
from two gunicorn workers after a change, and the persona relevance file (`make bench`, after
bench.run has measured each request)."""

import csv
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
IMPORT_ROWS = 1000


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


def stale_answers(folder, environment):
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
    with stack.gunicorn(environment, folder, workers=2, threads=1) as server:
        for _ in range(10):
            for page in pages:
                server.get(page)
        place.name = f"Renommé {place.name}"
        place.save()
        answers = [server.get(page) for _ in range(10) for page in pages]
    stale = [answer for answer in answers if "Renommé" not in answer.text]
    return {"answers": len(answers), "stale": len(stale)}


def relevance(database_url):
    """The persona relevance file, run by pytest on PostgreSQL (the server of `database_url`)."""
    url = urlparse(database_url)
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
