"""`make lighthouse`: Lighthouse's scores for the home page, a search and a place page, and
whether Chromium can install the site, written into bench/results.md's « Lighthouse » section.

The site runs as `make serve` runs it (gunicorn, hashed and compressed static files, DEBUG off),
its pages compressed as production's nginx does (GZIP=true: Django's GZipMiddleware), on the
database `make db` made (the real Lozère data), started and stopped here. Lighthouse (npm,
the version the Makefile pins, installed in .lighthouse/, not committed) drives Debian's Chromium
in its default mobile emulation and simulated « slow 4G » throttling. Lighthouse 12 and later
have no « PWA » category: installability is Chromium's own answer (CDP's
Page.getInstallabilityErrors, through Playwright, in a profile of its own: a private window is
never offered to install).

    python -m bench.lighthouse [--port 8765] [--runs 3]
"""

import argparse
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from statistics import median

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
LIGHTHOUSE = ROOT / ".lighthouse" / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
NAMES = {
    "performance": "performance",
    "accessibility": "accessibility",
    "best-practices": "best practices",
    "seo": "SEO",
}
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 95}
SEARCH = "/?q=coworking"
HEADING = "## Lighthouse"
# Audits that fail on purpose, and why.
BY_DESIGN = {
    "is-crawlable": "by design: robots.txt keeps robots off every address with a query string, "
    "a search listing the places again",
}


def section(text):
    """The « Lighthouse » section of results.md's `text` ("" if it has none): `make bench`
    writes the rest of the file and keeps it."""
    match = re.search(rf"^{HEADING}\n.*?(?=^## |\Z)", text, flags=re.MULTILINE | re.DOTALL)
    return match.group(0) if match else ""


def replaced(text, new):
    old = section(text)
    if old:
        return text.replace(old, new)
    return text.rstrip("\n") + "\n\n" + new


def serve(port):
    """gunicorn as `make serve` runs it; the process, once it answers."""
    environment = {
        **os.environ,
        "DEBUG": "false",
        "STATICFILES_BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
        "WHITENOISE_USE_FINDERS": "false",
        # Pages compressed as production's nginx compresses them (docs/deploy.md).
        "GZIP": "true",
        "SITE_URL": f"http://127.0.0.1:{port}",
    }
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen(
        [str(gunicorn), "solozere.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return server
        except OSError:
            time.sleep(0.2)
    server.send_signal(signal.SIGTERM)
    raise SystemExit("gunicorn did not answer: is the database made (make db)?")


def a_place(base):
    """The place page to measure: the first of the offline list with a phone and hours, else
    the first with a commune (its page draws a map: the heaviest kind), else the first."""
    with urllib.request.urlopen(base + "/hors-ligne/lieux.json", timeout=30) as response:
        places = json.load(response)["places"]
    full = [place for place in places if place["phone"] and place["hours"]]
    located = [place for place in places if place["commune"]]
    return (full or located or places)[0]["url"]


def lighthouse(url, folder):
    """Lighthouse's report of `url`, mobile, simulated slow 4G (its defaults)."""
    output = folder / "report.json"
    subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={output}",
            f"--only-categories={','.join(CATEGORIES)}",
            "--form-factor=mobile",
            "--throttling-method=simulate",
            f"--chrome-flags={CHROME_FLAGS}",
        ],
        check=True,
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        stdout=subprocess.DEVNULL,
    )
    return json.loads(output.read_text(encoding="utf-8"))


def failing(report):
    """The audits that cost points, by category: (title, why if on purpose, display value)."""
    found = {}
    for category in CATEGORIES:
        for ref in report["categories"][category]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                found.setdefault(category, []).append(
                    (audit["title"], BY_DESIGN.get(ref["id"]), audit.get("displayValue", ""))
                )
    return found


def installability(base):
    """Chromium's reasons not to offer installing the site ([] : installable)."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as profile, sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, args=CHROME_FLAGS.split()
        )
        page = context.new_page()
        page.goto(base + "/", wait_until="load")
        page.wait_for_function("() => navigator.serviceWorker.ready.then(() => true)")
        session = context.new_cdp_session(page)
        errors = session.send("Page.getInstallabilityErrors")["installabilityErrors"]
        manifest = session.send("Page.getAppManifest")
        context.close()
    return [error["errorId"] for error in errors], manifest


def score(value):
    return round(value * 100)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--runs", type=int, default=3, help="runs per page; the median is kept")
    arguments = parser.parse_args()
    if not LIGHTHOUSE.exists():
        raise SystemExit("Lighthouse is missing: run `make lighthouse`.")
    version = json.loads(
        (ROOT / ".lighthouse/node_modules/lighthouse/package.json").read_text(encoding="utf-8")
    )["version"]
    base = f"http://127.0.0.1:{arguments.port}"
    server = serve(arguments.port)
    load_before = os.getloadavg()[0]
    try:
        pages = [("home page", "/"), ("search", SEARCH), ("place page", a_place(base))]
        results = []
        for name, path in pages:
            runs = []
            for _ in range(arguments.runs):
                with tempfile.TemporaryDirectory() as folder:
                    runs.append(lighthouse(base + path, Path(folder)))
            scores = {
                category: median(score(run["categories"][category]["score"]) for run in runs)
                for category in CATEGORIES
            }
            results.append((name, path, scores, failing(runs[-1]), runs[-1]))
            print(name, path, scores, flush=True)
        errors, manifest = installability(base)
        print("installability errors:", errors or "none", flush=True)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    load = (load_before, os.getloadavg()[0])
    write(results, errors, manifest, version, arguments.runs, load)


def write(results, errors, manifest, version, runs, load):
    chromium = subprocess.run(
        [CHROMIUM, "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        HEADING,
        "",
        f"Written by `make lighthouse` on {now} ({platform.machine()}, Lighthouse {version}, "
        f"{chromium}): the real Lozère data on SQLite, served by gunicorn as `make serve` does "
        "(DEBUG off, hashed and compressed static files) with pages compressed by Django "
        "(GZIP=true) as production's nginx compresses them, Lighthouse's mobile emulation "
        "and simulated « slow 4G » "
        f"throttling, {runs} run(s) per page (median). Targets: performance ≥ 95, "
        "accessibility 100, best practices ≥ 95, installable. Lighthouse simulates the network "
        "but runs the page's scripts on this machine's processor: Total Blocking Time, and so "
        "performance, drop when it is busy (load average "
        f"{load[0]:.1f} when the run began, {load[1]:.1f} when it ended, on "
        f"{os.cpu_count()} cores).",
        "",
        "| page | " + " | ".join(NAMES[c] for c in CATEGORIES) + " |",
        "| --- | " + " | ".join("---" for _ in CATEGORIES) + " |",
    ]
    for name, path, scores, _failing, _report in results:
        cells = []
        for category in CATEGORIES:
            value = scores[category]
            missed = category in TARGETS and value < TARGETS[category]
            cells.append(f"**{value:g}**" if missed else f"{value:g}")
        lines.append(f"| {name} (`{path}`) | " + " | ".join(cells) + " |")
    installable = "yes" if not errors else "**no**: " + ", ".join(errors)
    manifest_errors = [e["message"] for e in manifest.get("errors", [])]
    lines += [
        "",
        f"Installable (Chromium's Page.getInstallabilityErrors): {installable}. "
        f"Manifest errors: {', '.join(manifest_errors) or 'none'}.",
        "",
        "Lighthouse's measure of this machine's speed (benchmarkIndex, last run; below 1,000 "
        "it warns that the processor is slower than it expects): "
        + ", ".join(
            f"{name} {report['environment']['benchmarkIndex']:.0f}"
            for name, _path, _scores, _failing, report in results
        )
        + ". Its warnings: "
        + (
            "; ".join(
                sorted(
                    {
                        warning
                        for _name, _path, _scores, _failing, report in results
                        for warning in report.get("runWarnings", [])
                    }
                )
            )
            or "none"
        )
        + ".",
        "",
        "Metrics (last run): "
        + "; ".join(
            f"{name}: FCP {report['audits']['first-contentful-paint']['displayValue']}, "
            f"LCP {report['audits']['largest-contentful-paint']['displayValue']}, "
            f"TBT {report['audits']['total-blocking-time']['displayValue']}, "
            f"CLS {report['audits']['cumulative-layout-shift']['displayValue']}"
            for name, _path, _scores, _failing, report in results
        )
        + ".",
        "",
    ]
    costs = [
        f"- {name}, {NAMES[category]}: {title}"
        + (f" ({shown})" if shown else "")
        + (f", {why}" if why else "")
        for name, _path, _scores, found, _report in results
        for category, audits in found.items()
        for title, why, shown in audits
    ]
    if costs:
        lines += ["Audits still costing points:", "", *costs, ""]
    path = HERE / "results.md"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    path.write_text(replaced(text, "\n".join(lines)), encoding="utf-8")
    print(f"{path.relative_to(ROOT)}: « Lighthouse » written")


if __name__ == "__main__":
    shutil.which("node") or sys.exit("Lighthouse needs Node.js (apt-get install nodejs npm).")
    main()
