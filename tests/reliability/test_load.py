"""Load: 32 visitors browse the production stack for a minute, and nobody gets an error.

gunicorn serves the real Lozère data from a throwaway PostgreSQL cluster, as in production (DEBUG
off); the figures (requests, throughput, latency) are printed and written to a JSON file. The real
data, not factories: the figures must be those of the site people use, its real places' pages.
"""

import json
import os

import pytest

from . import stack

pytestmark = pytest.mark.reliability

LOAD_SECONDS = 60
CLIENTS = 32
# What visitors ask for, in proportion: the directory, filtered, a place's page, the map's data,
# the open data and a stylesheet. Pages are cached for anonymous visitors: `{n}` makes a search
# nobody made before, which the database must answer.
MIX = [
    "/",
    "/?q=coworking&visite={n}",
    "/?service=wifi&commune=48095",
    "/lieux/polen/",
    "/carte/lieux.geojson",
    "/",
    "/?service=wifi",
    "/lieux/le-transfo/",
    "/carte/lieux.geojson?service=wifi&commune=48095",
    "/lieux/tiers-truck/",
    "/donnees/lieux.csv",
    "/?commune=48095",
    "/lieux/cowbrac/",
    "/static/css/site.css",
    "/lieux/polen/?visite={n}",
]
SUCCESS = {200, 304}


def browse(load, client, iteration):
    template = MIX[(client + iteration) % len(MIX)]
    load.call(client, "GET", stack.unique(template), label=template)


def test_32_visitors_for_a_minute_get_no_error(site_database, tmp_path, report_figures):
    """32 visitors browsing the production stack for a minute get no error, and the figures are
    reported."""
    environment = stack.django_env(site_database)
    with stack.gunicorn(environment, tmp_path, workers=3, threads=4) as server:
        for template in MIX:
            assert server.get(stack.unique(template)).status == 200, template
        load = stack.Load(server, CLIENTS, browse)
        load.run_for(LOAD_SECONDS)
        log = "\n\n".join(server.tracebacks()) or server.log_tail()

    records = load.records
    failures = [record for record in records if record.status not in SUCCESS]
    figures = {
        "clients": CLIENTS,
        "seconds": LOAD_SECONDS,
        **stack.latency_figures(records, LOAD_SECONDS),
        "errors": len(failures),
        # The machine's load when the clients stopped: the figures depend on what else ran.
        "load_average_1_minute": round(os.getloadavg()[0], 2),
        "cpus": os.cpu_count(),
        "by_path": {
            label: stack.latency_figures([r for r in records if r.label == label], LOAD_SECONDS)
            for label in sorted(set(MIX))
        },
    }
    output = tmp_path / "load-figures.json"
    output.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    report_figures(
        f"{figures['requests']} requests from {CLIENTS} clients in {LOAD_SECONDS} s: "
        f"{figures['throughput_per_second']}/s, p50 {figures['p50_ms']} ms, "
        f"p95 {figures['p95_ms']} ms, max {figures['max_ms']} ms, "
        f"{len(failures)} error(s) ({output})"
    )

    assert records, "the clients made no request"
    assert not failures, (
        f"{len(failures)} of {len(records)} requests failed, e.g.:\n"
        + "\n".join(stack.describe(record) for record in failures[:10])
        + f"\n\nFrom gunicorn's log:\n{log}"
    )
    assert {record.label for record in records} == set(MIX)
