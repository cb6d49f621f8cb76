#!/usr/bin/env python3
"""Replace the town-hall points known to be wrong in data/lozere/communes.csv.

Checked against IGN's commune outlines (static/geo/communes.geojson), five published town-hall
points fall outside their commune. Two are right: the directory of service-public.fr gives these
town halls an address in the neighbouring commune (Le Malzieu-Forain's in Le Malzieu-Ville,
Pourcharesses' in Villefort). Three are wrong: the address is in the commune itself, yet the
point lies in another one (Saint-André-de-Lancize and Saint-Germain-de-Calberte even share the
same point). No shipped source gives their right position, so none is invented: each gets a
point inside its own outline (where its widest east-west crossing through the outline's
centroid is halved, as « point on surface » algorithms do), and `position_source` says so.

Idempotent: run it again after updating communes.csv from its sources.
"""

import csv
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CSV = ROOT / "data" / "lozere" / "communes.csv"
OUTLINES = ROOT / "static" / "geo" / "communes.geojson"
# Published point in another commune, address in the commune itself (annuaire service-public.fr).
WRONG = {"48119", "48136", "48155"}
TOWNHALL, OUTLINE = "mairie", "contour"


def polygons(feature):
    geometry = feature["geometry"]
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    return geometry["coordinates"]


def centroid_latitude(feature):
    area = moment = 0.0
    for polygon in polygons(feature):
        for ring in polygon:
            for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
                cross = x1 * y2 - x2 * y1
                area += cross
                moment += (y1 + y2) * cross
    return moment / (3 * area)


def point_on_surface(feature):
    """(latitude, longitude) of a point surely inside the outline."""
    latitude = centroid_latitude(feature)
    crossings = sorted(
        x1 + (latitude - y1) * (x2 - x1) / (y2 - y1)
        for polygon in polygons(feature)
        for ring in polygon
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True)
        if (y1 > latitude) != (y2 > latitude)
    )
    west, east = max(zip(crossings[::2], crossings[1::2], strict=True), key=lambda s: s[1] - s[0])
    return round(latitude, 5), round((west + east) / 2, 5)


def main():
    outlines = {
        feature["properties"]["insee"]: feature
        for feature in json.loads(OUTLINES.read_text(encoding="utf-8"))["features"]
    }
    with CSV.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        columns = list(reader.fieldnames)
        rows = list(reader)
    if "position_source" not in columns:
        columns.insert(columns.index("townhall_lon") + 1, "position_source")
    for row in rows:
        if row["kind"] != "COM":
            row["position_source"] = ""
        elif row["insee"] in WRONG:
            latitude, longitude = point_on_surface(outlines[row["insee"]])
            row["townhall_lat"], row["townhall_lon"] = latitude, longitude
            row["position_source"] = OUTLINE
        else:
            row["position_source"] = row.get("position_source") or TOWNHALL
    with CSV.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, columns, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    main()
