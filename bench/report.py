"""The benchmark's verdicts and its table in bench/results.md (issue 13's ceilings)."""

import platform
from datetime import UTC, datetime

from . import lighthouse

# Ceilings: p95 ÷ the minimal view's p95, measured in turn with it.
PUBLIC_COLD = ["list", "list, 3 filters + near", "list, near a commune", "search", "search (typo)"]
PUBLIC_COLD_LIMIT = 50
PLACE_PAGE_LIMIT = 20
WARM = ["home, warm", "list with filters, warm", "place page, warm"]
WARM_LIMIT = 3
BACKOFFICE = [
    "back-office home",
    "back-office place list",
    "back-office contributions",
    "charter dashboard",
    "coverage page",
]
BACKOFFICE_LIMIT = 100
AGENDA = ["agenda page", "agenda calendar (.ics)", "a place's calendar (.ics)"]
AGENDA_LIMIT = 50
ROOMS = ["rooms free then, near", "rooms free then, equipment", "rooms, no day"]
ROOMS_LIMIT = 50
GEOJSON_LIMIT = 2
GROWTH_LIMIT = 3
# Whole-file exports grow with the directory by nature.
WHOLE_FILES = {"map GeoJSON of every place", "CSV export (whole file)"}
IMPORT_WAIT_LIMIT = 1.0


def checks(runs, waited, stale, relevant):
    small, large = runs[0], runs[-1]
    rows = large["rows"]
    verdicts = []

    def ceiling(names, limit, label):
        worst = max(names, key=lambda name: rows[name]["ratio"])
        value = rows[worst]["ratio"]
        verdicts.append((f"{label} (worst: {worst})", f"{value:.1f}× ≤ {limit}×", value <= limit))

    ceiling(PUBLIC_COLD, PUBLIC_COLD_LIMIT, "list, search, near, filters, cold")
    ceiling(["place page"], PLACE_PAGE_LIMIT, "place page, cold")
    ceiling(BACKOFFICE, BACKOFFICE_LIMIT, "back-office pages, cold, as a coordinator")
    ceiling(WARM, WARM_LIMIT, "anonymous public pages, warm")
    ceiling(AGENDA, AGENDA_LIMIT, f"agenda page and calendars, cold ({large['events']:,} events)")
    ceiling(
        ROOMS,
        ROOMS_LIMIT,
        f"room search, cold ({large.get('rooms', 0):,} rooms, "
        f"{large.get('bookings', 0):,} bookings)",
    )
    geojson = rows["map GeoJSON of every place"]["p50"] / large["floor_geojson"]["p50"]
    verdicts.append(
        (
            "map GeoJSON of every place (p50) ÷ values_list + serialisation floor (p50)",
            f"{geojson:.2f}× ≤ {GEOJSON_LIMIT}×",
            geojson <= GEOJSON_LIMIT,
        )
    )
    growth = {
        name: rows[name]["p95"] / small["rows"][name]["p95"]
        for name in rows
        if name not in WHOLE_FILES
        and name != "minimal view"
        and "p95" in small["rows"].get(name, {})
    }
    worst = max(growth, key=growth.get)
    verdicts.append(
        (
            f"growth from {small['size']:,} to {large['size']:,} places "
            f"({small['events']:,} to {large['events']:,} events), p95, every page but "
            f"whole-file exports (worst: {worst})",
            f"{growth[worst]:.1f}× ≤ {GROWTH_LIMIT}×",
            growth[worst] <= GROWTH_LIMIT,
        )
    )
    changing = [
        name
        for name in rows
        if name in small["rows"] and small["rows"][name].get("queries") != rows[name].get("queries")
    ]
    verdicts.append(
        (
            "queries per request, the same at both sizes",
            ", ".join(changing) or "all equal",
            not changing,
        )
    )
    verdicts.append(
        (
            f"another editor's wait during a {waited['rows']:,}-row import "
            f"({waited['saves']} saves, import {waited['seconds']:.1f} s)",
            f"{waited['max_wait']:.2f} s ≤ {IMPORT_WAIT_LIMIT:g} s",
            waited["max_wait"] <= IMPORT_WAIT_LIMIT and waited["imported"] == waited["rows"],
        )
    )
    verdicts.append(
        (
            f"stale answers after a change, two workers ({stale['answers']} answers)",
            str(stale["stale"]),
            stale["stale"] == 0,
        )
    )
    total = relevant["passed"] + relevant["failed"] + relevant["error"]
    share = relevant["passed"] / total if total else 0
    verdicts.append(
        (
            f"persona relevance file ({relevant['passed']} of {total} cases)",
            f"{share:.0%}",
            total > 0 and share == 1,
        )
    )
    return verdicts


def all_met(runs, waited, stale, relevant):
    return all(met for _name, _value, met in checks(runs, waited, stale, relevant))


def console(run):
    lines = [f"\n{run['size']} places, {run['events']} events"]
    for name, row in run["rows"].items():
        ratio = f"  ×{row['ratio']:.1f}" if "ratio" in row else ""
        lines.append(
            f"  {name:<34} q={row['queries']:>3}  p50={row['p50']:8.1f} ms  "
            f"p95={row['p95']:8.1f} ms  {row['gzip'] / 1024:7.1f} KB gz{ratio}"
        )
    lines.append(f"  floor GeoJSON p50={run['floor_geojson']['p50']:.1f} ms")
    return "\n".join(lines)


def _cell(row):
    ratio = f", ×{row['ratio']:.1f}" if "ratio" in row else ""
    return (
        f"{row['queries']}, {row['p50']:.1f} ms, {row['p95']:.1f} ms, "
        f"{row['gzip'] / 1024:.1f} KB{ratio}"
    )


def write(runs, index_effects, waited, stale, relevant, folder):
    small, large = runs[0], runs[-1]
    lines = [
        "# Benchmark results",
        "",
        f"Written by `make bench` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC "
        f"({platform.processor() or platform.machine()}, Python {platform.python_version()}, "
        "PostgreSQL, its new rows vacuumed and analysed before timing). Server time is measured "
        "in process through the whole Django stack (middleware, templates), p95 over "
        "samples taken in turn with the minimal view (one query, a trivial template), so that "
        "whatever else the machine does weighs on both alike; the ratio is the request's p95 ÷ "
        "the minimal view's. « Cold »: nothing cached, and each sample a new search (another "
        "position, page, word or misspelling). « Warm »: the same page asked again by "
        "anonymous visitors, served from the cache after one query (the directory's state). "
        "Queries are counted on an empty cache. The synthetic directory spreads places over "
        "5,000 communes, clustered around 40 cities.",
        "",
        f"## Verdicts ({large['size']:,} places)",
        "",
        "| check | measured | met |",
        "| --- | --- | --- |",
    ]
    lines += [
        f"| {name} | {value} | {'yes' if met else '**no**'} |"
        for name, value, met in checks(runs, waited, stale, relevant)
    ]
    lines += [
        "",
        "## Requests",
        "",
        "Queries, p50, p95, gzipped size, and the p95 ratio to the minimal view where measured "
        "beside it.",
        "",
        f"| request | {small['size']:,} places | {large['size']:,} places |",
        "| --- | --- | --- |",
    ]
    for name, row in large["rows"].items():
        before = small["rows"].get(name)
        lines.append(f"| {name} | {_cell(before) if before else '—'} | {_cell(row)} |")
    lines.append(
        "| floor: values_list + json.dumps of the map's fields | "
        + " | ".join(f"{run['floor_geojson']['p50']:.1f} ms (p50)" for run in (small, large))
        + " |"
    )
    lines += [
        "",
        "## What each index buys",
        "",
        "| index | request | p95 without | p95 with | why |",
        "| --- | --- | --- | --- | --- |",
    ]
    lines += [
        f"| `{effect['index']}` | {effect['request']} | {effect['without']:.1f} ms | "
        f"{effect['with']:.1f} ms | {effect['why']} |"
        for effect in index_effects
    ]
    lines += [
        "",
        "## Writes, freshness, relevance",
        "",
        f"- Import of {waited['rows']:,} new places (`manage.py import_places`, bulk writes with "
        f"their history) took {waited['seconds']:.1f} s; meanwhile another editor saved a "
        f"place {waited['saves']} times, the longest save taking {waited['max_wait']:.2f} s.",
        f"- Two gunicorn workers, their caches warm, a place renamed: {stale['stale']} of "
        f"{stale['answers']} answers still showed the old name.",
        f"- Persona relevance file (tests/places/test_relevance.py) on PostgreSQL: "
        f"{relevant['summary']}.",
        "",
    ]
    profile = folder / "profile.md"
    if profile.exists():
        lines += ["## Where a ceiling is missed, and why", "", profile.read_text(encoding="utf-8")]
    text = "\n".join(lines)
    # `make lighthouse` writes a section of its own: kept as it is.
    path = folder / "results.md"
    kept = lighthouse.section(path.read_text(encoding="utf-8")) if path.exists() else ""
    text = lighthouse.replaced(text, kept) if kept else text
    path.write_text(text, encoding="utf-8")
    return text
