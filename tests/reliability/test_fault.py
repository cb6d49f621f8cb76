"""Fault: the database stops under load, and starts again, while gunicorn keeps running.

Visitors browse and send public contributions. While PostgreSQL is down, every answer comes
quickly, and the pages that need the database give the French 503 page (no hang, no traceback);
once it is back, the same gunicorn serves again, and every contribution that was acknowledged is
in the database. Persistent connections (CONN_MAX_AGE=60) prove the health checks reconnect.
The site holds the real Lozère data, so that the load is the one of real pages (a real place's).
"""

import time
import uuid

import pytest

from . import stack

pytestmark = pytest.mark.reliability

CLIENTS = 8
WARM_UP_SECONDS = 8
OUTAGE_SECONDS = 8
AFTER_RECOVERY_SECONDS = 8
# While the database is down: the longest an answer may take.
OUTAGE_ANSWER_LIMIT = 5.0
# Once PostgreSQL accepts connections again: the longest until the site serves again.
RECOVERY_LIMIT = 15.0
PROBE_INTERVAL = 0.25
# Pages that cannot be answered without the database: anonymous visitors may get a page from the
# cache while it is down, so `{n}` makes each one a page nobody asked for before.
DATABASE_PAGES = [
    "/?visite={n}",
    "/lieux/polen/?visite={n}",
    "/?service=wifi&commune=48095&visite={n}",
]
OUTAGE_PROBES = [*DATABASE_PAGES, "/healthz"]
READING = [
    "/",
    "/?visite={n}",
    "/?service=wifi&commune=48095",
    "/lieux/polen/",
    "/lieux/polen/?visite={n}",
    "/carte/lieux.geojson",
    "/donnees/lieux.csv",
    "/static/css/site.css",
]
SUGGEST = "/suggerer-un-lieu/"
SUCCESS = {200, 302}
OUTAGE_STATUSES = {200, 302, 503}
TRACEBACK_MARKERS = ("Traceback", "OperationalError", "psycopg2", 'File "')
MARKER_PREFIX = "reliability-fault-"


class Visitors:
    """The load's scenario: reading, and every third step, a suggestion through the public form."""

    def __init__(self):
        self.run = uuid.uuid4().hex[:8]
        self.acknowledged = []

    def __call__(self, load, client, iteration):
        if iteration % 3 == 2:
            self.contribute(load, client, iteration)
        else:
            template = READING[(client + iteration) % len(READING)]
            load.call(client, "GET", stack.unique(template), label=template)

    def contribute(self, load, client, iteration):
        form = load.call(client, "GET", SUGGEST)
        if form is None or form.status != 200:
            return
        marker = f"{MARKER_PREFIX}{self.run}-{client}-{iteration}"
        fields = {
            "place_name": f"Lieu de test {marker}",
            "commune_name": "Mende",
            "website": "",
            "message": marker,
            "contact_email": "",
            "nickname": "",
        }
        submission = stack.form_submission(load.server, SUGGEST, form, fields)
        answer = load.call(client, "POST", SUGGEST, **submission)
        if answer is not None and answer.status == 302 and answer.headers.get("location") == "/":
            self.acknowledged.append((time.monotonic(), marker))


def probe(server, template):
    path = stack.unique(template)
    try:
        return server.get(path, timeout=OUTAGE_ANSWER_LIMIT * 2)
    except OSError as error:
        pytest.fail(f"{path}: {error!r} instead of an answer")


def probe_until(server, template, wanted, limit):
    """GET the page until it answers `wanted`; returns the seconds it took and that answer."""
    started = time.monotonic()
    statuses = []
    while time.monotonic() - started < limit:
        answer = probe(server, template)
        if answer.status == wanted:
            return time.monotonic() - started, answer
        statuses.append(answer.status)
        time.sleep(PROBE_INTERVAL)
    pytest.fail(f"{template} did not answer {wanted} within {limit} s: {statuses}")


def is_french_503_page(record):
    text = record.body.decode("utf-8", errors="replace")
    return stack.SERVICE_UNAVAILABLE_TITLE in text and not any(
        marker in text for marker in TRACEBACK_MARKERS
    )


def stored_markers(cluster):
    rows = cluster.psql(
        f"SELECT message FROM contributions_contribution WHERE message LIKE '{MARKER_PREFIX}%'",
        database=stack.SITE_DATABASE,
    )
    return set(rows.split())


def test_the_site_survives_a_database_outage(cluster, site_database, tmp_path, report_figures):
    """Under load, PostgreSQL stops and starts again: quick French 503 pages meanwhile, the same
    gunicorn serving after, and every acknowledged contribution kept."""
    environment = stack.django_env(site_database, CONN_MAX_AGE=60)
    visitors = Visitors()
    outage_probes = []
    with stack.gunicorn(environment, tmp_path, workers=3, threads=4) as server:
        load = stack.Load(server, CLIENTS, visitors)
        load.start()
        try:
            time.sleep(WARM_UP_SECONDS)
            stop_requested = time.monotonic()
            cluster.stop(mode="fast")
            stopped = time.monotonic()
            home = DATABASE_PAGES[0]
            time_to_503, first_503 = probe_until(server, home, 503, OUTAGE_ANSWER_LIMIT)
            outage_probes.append((home, first_503))
            while time.monotonic() - stopped < OUTAGE_SECONDS:
                outage_probes += [(path, probe(server, path)) for path in OUTAGE_PROBES]
                time.sleep(PROBE_INTERVAL)
            start_requested = time.monotonic()
            cluster.start()
            started = time.monotonic()
            time_to_recover, _ = probe_until(server, home, 200, RECOVERY_LIMIT)
            time.sleep(AFTER_RECOVERY_SECONDS)
        finally:
            load.stop()
        for template in OUTAGE_PROBES:
            assert probe(server, template).status == 200, template
        log = "\n\n".join(server.tracebacks()) or server.log_tail()

    records = load.records
    before = [r for r in records if r.finished < stop_requested]
    # Every request the outage may have touched: in flight when it began, or sent during it.
    during = [r for r in records if r.finished >= stop_requested and r.started < start_requested]
    # Once pg_ctl says the server accepts connections, every request must succeed.
    after = [r for r in records if r.started >= started]
    acknowledged_before = [m for moment, m in visitors.acknowledged if moment < stop_requested]
    acknowledged_after = [m for moment, m in visitors.acknowledged if moment >= started]
    missing = {marker for _, marker in visitors.acknowledged} - stored_markers(cluster)
    unavailable = [r for r in records if r.status == 503]
    figures = {
        "requests": len(records),
        "stop_seconds": round(stopped - stop_requested, 2),
        "time_to_first_503_seconds": round(time_to_503, 2),
        "slowest_answer_while_down_seconds": round(max((r.seconds for r in during), default=0), 2),
        "answers_while_down": len(during),
        "503_while_down": sum(r.status == 503 for r in during),
        "start_seconds": round(started - start_requested, 2),
        "first_home_page_after_start_seconds": round(time_to_recover, 2),
        "slowest_answer_after_start_seconds": round(max((r.seconds for r in after), default=0), 2),
        "contributions_acknowledged": len(visitors.acknowledged),
        "contributions_missing": len(missing),
    }
    report_figures(", ".join(f"{name} {value}" for name, value in figures.items()))

    def explain(failures):
        examples = "\n".join(stack.describe(record) for record in failures[:10])
        return f"{len(failures)} request(s):\n{examples}\n\nFrom gunicorn's log:\n{log}"

    broken = [r for r in records if r.error or r.status not in OUTAGE_STATUSES]
    assert not broken, "connection errors or unexpected statuses: " + explain(broken)
    failed_before = [r for r in before if r.status not in SUCCESS]
    assert not failed_before, "failures before the outage: " + explain(failed_before)
    slow = [r for r in during if r.seconds >= OUTAGE_ANSWER_LIMIT]
    assert not slow, "slow answers while the database was down: " + explain(slow)
    not_the_page = [r for r in unavailable if not is_french_503_page(r)]
    assert not not_the_page, "503 without the French page, or with a trace: " + explain(
        not_the_page
    )
    for path, answer in outage_probes:
        assert answer.status == 503, f"{path} answered {answer.status} while the database was down"
        assert answer.seconds < OUTAGE_ANSWER_LIMIT, f"{path} took {answer.seconds:.1f} s"
        if path in DATABASE_PAGES:
            assert stack.SERVICE_UNAVAILABLE_TITLE in answer.text, path
            assert answer.headers.get("retry-after") == "30", path
    assert sum(r.status == 503 for r in during) > 0, (
        "the load saw no 503 while the database was down"
    )
    failed_after = [r for r in after if r.status not in SUCCESS]
    assert not failed_after, "failures once the database was back: " + explain(failed_after)
    assert after, "no request once the database was back"
    assert acknowledged_before, "no contribution was acknowledged before the outage"
    assert acknowledged_after, "no contribution was acknowledged after the outage"
    assert not missing, f"acknowledged contributions lost: {sorted(missing)}"
