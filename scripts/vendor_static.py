#!/usr/bin/env python3
"""Copy third-party files from their npm packages, at pinned versions: the front-end's into
static/, the GeoJSON standard's schema into opendata/standards/.

Run it after changing a version below or a service's pictogram in fixtures/reference.json; the
copied files are committed, so the site never loads anything from a CDN or from npm at run time.
"""

import json
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TABLER = "@tabler/icons@3.35.0"
LEAFLET = "leaflet@1.9.4"
MARKERCLUSTER = "leaflet.markercluster@1.5.3"
# GeoJSON's official JSON Schema (RFC 7946), published by geojson.org (github.com/geojson/schema).
GEOJSON_SCHEMA = "geojson-schema@1.0.5"


def npm_pack(spec, workdir):
    """Download one package tarball with npm and unpack it; return its package/ folder."""
    name = subprocess.run(
        ["npm", "pack", spec, "--silent", "--pack-destination", str(workdir)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()[-1]
    with tarfile.open(workdir / name) as archive:
        archive.extractall(workdir / name.removesuffix(".tgz"), filter="data")
    return workdir / name.removesuffix(".tgz") / "package"


# Beyond the services' pictograms: the map's marker for a place whose services are unknown.
EXTRA_PICTOGRAMS = {"map-pin"}


def need_pictograms():
    """The fixed set a need of « Je cherche… » chooses from (needs/pictograms.txt)."""
    lines = (ROOT / "needs" / "pictograms.txt").read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def pictograms():
    """Every pictogram a service of the shipped reference data names, the needs' set, and the
    extra ones."""
    records = json.loads((ROOT / "fixtures" / "reference.json").read_text(encoding="utf-8"))
    services = {r["fields"]["pictogram"] for r in records if r["model"] == "places.service"}
    return sorted(services | need_pictograms() | EXTRA_PICTOGRAMS)


def vendor_tabler(workdir):
    package = npm_pack(TABLER, workdir)
    target = ROOT / "static" / "img" / "pictos"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for name in pictograms():
        shutil.copy(package / "icons" / "outline" / f"{name}.svg", target / f"{name}.svg")
    shutil.copy(package / "LICENSE", target / "LICENSE")
    (target / "SOURCE").write_text(f"{TABLER} (npm), outline icons\n", encoding="utf-8")


def vendor_leaflet(workdir):
    package = npm_pack(LEAFLET, workdir)
    target = ROOT / "static" / "vendor" / "leaflet"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(package / "dist" / "images", target / "images")
    for name in ("leaflet.js", "leaflet.js.map", "leaflet.css"):
        shutil.copy(package / "dist" / name, target / name)
    shutil.copy(package / "LICENSE", target / "LICENSE")
    (target / "SOURCE").write_text(f"{LEAFLET} (npm), dist/\n", encoding="utf-8")


def vendor_markercluster(workdir):
    package = npm_pack(MARKERCLUSTER, workdir)
    target = ROOT / "static" / "vendor" / "leaflet.markercluster"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for name in (
        "leaflet.markercluster.js",
        "leaflet.markercluster.js.map",
        "MarkerCluster.css",
        "MarkerCluster.Default.css",
    ):
        shutil.copy(package / "dist" / name, target / name)
    shutil.copy(package / "MIT-LICENCE.txt", target / "LICENSE")
    (target / "SOURCE").write_text(f"{MARKERCLUSTER} (npm), dist/\n", encoding="utf-8")


def vendor_geojson_schema(workdir):
    """The FeatureCollection schema, byte for byte: the open-data tests validate every GeoJSON
    the site serves against it."""
    package = npm_pack(GEOJSON_SCHEMA, workdir)
    version = GEOJSON_SCHEMA.rsplit("@", 1)[1]
    target = ROOT / "opendata" / "standards" / f"geojson-featurecollection-{version}.json"
    shutil.copy(package / "FeatureCollection.json", target)


def main():
    with tempfile.TemporaryDirectory() as tmp:
        vendor_geojson_schema(Path(tmp))
        vendor_tabler(Path(tmp))
        vendor_leaflet(Path(tmp))
        vendor_markercluster(Path(tmp))


if __name__ == "__main__":
    main()
