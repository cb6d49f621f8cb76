"""The benchmark's verdicts, its table in bench/results.md and its chart in bench/latency.svg."""

import platform
from datetime import UTC, datetime

GEOJSON_LIMIT = 2.0
LIST_LIMIT = 5.0
SEARCH_LIMIT = 3.0
THROUGHPUT_SHARE = 0.4
TRANSFER_BUDGET = 250 * 1024
# Requests whose times are compared with each other: measured in turn, sample by sample.
SIDE_BY_SIDE = ["minimal view", "list, 3 filters + near", "list (no search)", "search (typo)"]
COMPARED = [
    "home",
    "list, 3 filters + near",
    "search (typo)",
    "place page",
    "map GeoJSON",
    "CSV export",
]


def ratios(run):
    rows = run["rows"]
    return {
        "geojson": (
            rows["map GeoJSON"]["p50"] / run["floor_geojson"]["p50"],
            GEOJSON_LIMIT,
            "map GeoJSON of every place (p50) ÷ values_list() + json.dumps of the same fields",
        ),
        "list": (
            rows["list, 3 filters + near"]["p95"] / rows["minimal view"]["p95"],
            LIST_LIMIT,
            "list with 3 filters + near (p95) ÷ minimal view: one query, trivial template (p95)",
        ),
        "search": (
            rows["search (typo)"]["p95"] / rows["list (no search)"]["p95"],
            SEARCH_LIMIT,
            "typo-tolerant search (p95) ÷ the same list without search (p95)",
        ),
    }


def transfer_total(run):
    return sum(run["transfer"].values())


def map_growth(runs):
    small, large = runs[0], runs[-1]
    grown = large["transfer"].get("map data", 0) / max(1, small["transfer"].get("map data", 1))
    places = large["size"] / small["size"]
    return grown, places


def checks(runs, load):
    large = runs[-1]
    verdicts = []
    for _key, (value, limit, meaning) in ratios(large).items():
        verdicts.append((meaning, f"{value:.2f} ≤ {limit:g}", value <= limit))
    for name in COMPARED:
        counts = [run["rows"][name]["queries"] for run in runs]
        verdicts.append(
            (
                f"queries per request, {name}",
                " = ".join(str(count) for count in counts),
                len(set(counts)) == 1,
            )
        )
    home, minimal = load["/"], load["/bench/minimal/"]
    share = home["rps"] / minimal["rps"]
    verdicts.append(
        (
            "home throughput ÷ minimal view's, on gunicorn",
            f"{share:.0%} ≥ {THROUGHPUT_SHARE:.0%}",
            share >= THROUGHPUT_SHARE,
        )
    )
    verdicts.append(
        (
            "errors under load",
            str(home["errors"] + minimal["errors"]),
            home["errors"] + minimal["errors"] == 0,
        )
    )
    total = transfer_total(large)
    verdicts.append(
        (
            "home page transfer, gzipped (HTML, CSS, JS, map data)",
            f"{total / 1024:.0f} KB ≤ {TRANSFER_BUDGET // 1024} KB",
            total <= TRANSFER_BUDGET,
        )
    )
    grown, places = map_growth(runs)
    verdicts.append(
        (
            "map data growth for the growth in places",
            f"×{grown:.1f} for ×{places:.0f}",
            grown <= places**0.5,
        )
    )
    return verdicts


def all_met(runs, load):
    return all(met for _name, _value, met in checks(runs, load))


def console(run):
    lines = [f"\n{run['size']} places"]
    for row in run["rows"].values():
        lines.append(
            f"  {row['name']:<28} q={row['queries']:>3}  p50={row['p50']:7.1f} ms  "
            f"p95={row['p95']:7.1f} ms  {row['gzip'] / 1024:7.1f} KB gz"
        )
    lines.append(f"  floor GeoJSON p50={run['floor_geojson']['p50']:.1f} ms")
    lines.append(f"  home transfer {transfer_total(run) / 1024:.0f} KB gz")
    return "\n".join(lines)


def write(runs, load, index_effects, folder):
    lines = [
        "# Benchmark results",
        "",
        f"Written by `make bench` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC "
        f"({platform.processor() or platform.machine()}, Python {platform.python_version()}, "
        "PostgreSQL, its new rows vacuumed and analysed before timing). Server time is "
        "measured in process through the whole Django stack "
        "(middleware, templates). Each sample of a search is a new search (another position, "
        "another misspelling, another place): no cached page answers it, and its filters, "
        "counts and page are computed afresh. What visitors share stays as on a running "
        "server: the directory's in-memory index (built once per data version) and the cards "
        "of places already shown (each timed request is asked once before timing with one more "
        "parameter, which nothing reads but the page cache's key). The minimal view and the "
        "three pages the verdicts compare with it or with each other are measured in turn, "
        "sample by sample, so that whatever else the machine does weighs on each alike; so are "
        "the map GeoJSON and its floor. "
        "« repeated » rows ask the same again; the « empty cache » row asks with no page or card "
        "cached at all. The home page is the same for every visitor and is served cached. "
        "Queries are counted on an empty cache, index built: the index's own queries are "
        "counted once per data version, below, and it reads which places are open once a "
        "minute.",
        "",
        "## Verdicts (20,000 places)",
        "",
        "| check | measured | met |",
        "| --- | --- | --- |",
    ]
    lines += [
        f"| {name} | {value} | {'yes' if met else '**no**'} |"
        for name, value, met in checks(runs, load)
    ]
    lines += ["", "## Requests", ""]
    header = "| request | " + " | ".join(
        f"{run['size']:,} places: queries, p50, p95, gzip" for run in runs
    )
    lines += [header + " |", "| --- |" + " --- |" * len(runs)]
    for name in runs[0]["rows"]:
        cells = [
            f"{row['queries']}, {row['p50']:.1f} ms, {row['p95']:.1f} ms, "
            f"{row['gzip'] / 1024:.1f} KB"
            for row in (run["rows"][name] for run in runs)
        ]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    floors = " | ".join(
        f"{run['floor_geojson']['p50']:.1f} ms (p50), {run['floor_geojson']['p95']:.1f} ms (p95)"
        for run in runs
    )
    lines.append(f"| floor: values_list() + json.dumps | {floors} |")
    lines += [
        "",
        "## The directory's in-memory index",
        "",
        "Built once per data version in each process, on the first request that needs it: the "
        "criteria (bitmaps of places per service, type, public, network, status, commune, "
        "position cell), then on the first search the text (distinct words and their places).",
        "",
        "| places | queries | criteria | text |",
        "| --- | --- | --- | --- |",
    ]
    for run in runs:
        built = run["index"]
        lines.append(
            f"| {run['size']:,} | {built['queries']} | {built['criteria_ms']:.0f} ms | "
            f"{built['text_ms']:.0f} ms |"
        )
    lines += [
        "",
        "## Home page transfer (gzipped)",
        "",
        "| file | " + " | ".join(f"{run['size']:,} places" for run in runs) + " |",
        "| --- |" + " --- |" * len(runs),
    ]
    for name in runs[-1]["transfer"]:
        cells = [f"{run['transfer'].get(name, 0) / 1024:.1f} KB" for run in runs]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += [
        "| **total** | "
        + " | ".join(f"**{transfer_total(run) / 1024:.1f} KB**" for run in runs)
        + " |",
        "",
        "## Throughput on gunicorn",
        "",
        f"Loopback, {load['clients']} concurrent clients, {load['seconds']} s per page, "
        f"{load['workers']} gunicorn workers, 20,000 places.",
        "",
        "| page | requests/s | errors |",
        "| --- | --- | --- |",
    ]
    for path in ("/bench/minimal/", "/"):
        lines.append(f"| `{path}` | {load[path]['rps']:.0f} | {load[path]['errors']} |")
    lines += [
        "",
        "## Indexes",
        "",
        "Each index is dropped, its request measured, then made again and measured again.",
        "",
        "| index | request | p95 without | p95 with | what it serves |",
        "| --- | --- | --- | --- | --- |",
    ]
    for effect in index_effects:
        lines.append(
            f"| {effect['index']} | {effect['request']} | {effect['without']:.1f} ms | "
            f"{effect['with']:.1f} ms | {effect['why']} |"
        )
    lines.append("")
    (folder / "results.md").write_text("\n".join(lines), encoding="utf-8")
    (folder / "latency.svg").write_text(chart(runs), encoding="utf-8")
    return "\n".join(lines)


def label_heights(ends, gap=14):
    """Where each line's label goes: beside its end, pushed down when it would overlap."""
    placed = {}
    previous = None
    for name, height in sorted(ends.items(), key=lambda item: item[1]):
        height = height if previous is None else max(height, previous + gap)
        placed[name] = previous = height
    return placed


def chart(runs):
    """p95 against the number of places, one line per request (log scale on both axes)."""
    import math

    width, height, margin = 900, 420, 60
    right = width - 220  # room for the labels
    names = [*COMPARED, "minimal view"]
    values = [run["rows"][name]["p95"] for run in runs for name in names]
    top = 10 ** math.ceil(math.log10(max(values)))
    bottom = 10 ** math.floor(math.log10(max(0.1, min(values))))
    sizes = [run["size"] for run in runs]

    def x(size):
        span = math.log10(sizes[-1]) - math.log10(sizes[0]) or 1
        return margin + (math.log10(size) - math.log10(sizes[0])) / span * (right - margin)

    def y(ms):
        span = math.log10(top) - math.log10(bottom)
        return (
            height - margin - (math.log10(ms) - math.log10(bottom)) / span * (height - 2 * margin)
        )

    colours = ["#1b5e20", "#0d47a1", "#b71c1c", "#4a148c", "#e65100", "#006064", "#616161"]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'font-family="sans-serif" font-size="12">',
        "<title>Server time (p95) against the number of places</title>",
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<line x1="{margin}" y1="{height - margin}" x2="{right}" '
        f'y2="{height - margin}" stroke="black"/>',
        f'<line x1="{margin}" y1="{margin}" x2="{margin}" y2="{height - margin}" stroke="black"/>',
    ]
    tick = bottom
    while tick <= top:
        parts.append(
            f'<text x="{margin - 6}" y="{y(tick) + 4:.0f}" text-anchor="end">{tick:g} ms</text>'
            f'<line x1="{margin}" y1="{y(tick):.0f}" x2="{right}" y2="{y(tick):.0f}" '
            'stroke="#ddd"/>'
        )
        tick *= 10
    for size in sizes:
        parts.append(
            f'<text x="{x(size):.0f}" y="{height - margin + 18}" text-anchor="middle">'
            f"{size:,} places</text>"
        )
    labels = label_heights({name: y(runs[-1]["rows"][name]["p95"]) for name in names})
    for index, name in enumerate(names):
        colour = colours[index % len(colours)]
        points = " ".join(f"{x(run['size']):.0f},{y(run['rows'][name]['p95']):.0f}" for run in runs)
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>'
        )
        parts.append(
            f'<text x="{right + 6}" y="{labels[name] + 4:.0f}" fill="{colour}">{name}</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts)
