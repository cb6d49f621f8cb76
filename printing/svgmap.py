"""Maps for printed documents, drawn on the server as SVG from the local outlines.

No tile server and nothing fetched: the département's outline, the communes' outlines and the
area's (territory.geo, what the site's maps load) and numbered dots for the places, in an
equirectangular projection, exact enough over a département.
"""

import math

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from territory.geo import area_outline, commune_boundaries, commune_boundary, departement_outline

WIDTH = 600
HEIGHT = 420
MARGIN = 0.08  # of the frame, around what it shows
# Points closer than this (in the drawing's units) to the one before are left out of a line.
STEP = 0.6


def polygon_rings(feature):
    """The rings of a GeoJSON feature's (Multi)Polygon, or none for None."""
    if feature is None:
        return []
    geometry = feature["geometry"]
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    return [ring for polygon in polygons for ring in polygon]


class Frame:
    """Longitude and latitude to the drawing's x and y, framing `points` (longitude, latitude)."""

    def __init__(self, points):
        lons = [lon for lon, _lat in points]
        lats = [lat for _lon, lat in points]
        self.squash = math.cos(math.radians((min(lats) + max(lats)) / 2))
        width = max((max(lons) - min(lons)) * self.squash, 0.02)
        height = max(max(lats) - min(lats), 0.02)
        self.scale = (1 - 2 * MARGIN) * min(WIDTH / width, HEIGHT / height)
        self.centre = ((min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2)

    def xy(self, lon, lat):
        x = WIDTH / 2 + (lon - self.centre[0]) * self.squash * self.scale
        y = HEIGHT / 2 - (lat - self.centre[1]) * self.scale
        return round(x, 1), round(y, 1)

    def shows(self, ring):
        """Whether any point of the ring falls in the drawing."""
        return any(0 <= x <= WIDTH and 0 <= y <= HEIGHT for x, y in map(self.point, ring))

    def point(self, lonlat):
        return self.xy(*lonlat)

    def path(self, rings):
        parts = []
        for ring in rings:
            points = []
            for lon, lat in ring:
                x, y = self.xy(lon, lat)
                if not points or abs(x - points[-1][0]) + abs(y - points[-1][1]) >= STEP:
                    points.append((x, y))
            if len(points) > 2:
                parts.append("M" + "L".join(f"{x} {y}" for x, y in points) + "Z")
        return "".join(parts)


def area_map(title, insee_codes, dots, labels=()):
    """An SVG map of the area the communes `insee_codes` make (its outline dashed), among the
    communes around (thin) within the département, with `dots`: (number, latitude, longitude)
    drawn as numbered dots, and `labels`: (name, latitude, longitude) written there (the area's
    communes at their town hall). The frame holds the area and the dots."""
    communes = [commune_boundary(code) for code in insee_codes]
    area = polygon_rings(area_outline(insee_codes)) if len(insee_codes) > 1 else []
    framed = [ring for feature in communes for ring in polygon_rings(feature)]
    area = area or framed
    points = [tuple(point) for ring in framed for point in ring]
    points += [(lon, lat) for _number, lat, lon in dots]
    if not points:  # no outline, no dot: the département
        points = [tuple(point) for ring in departement_outline() for point in ring]
    frame = Frame(points)
    around = [
        ring
        for feature in commune_boundaries()
        for ring in polygon_rings(feature)
        if frame.shows(ring)
    ]
    names = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="middle" font-size="9" fill="#4b5a66" '
        'font-family="DejaVu Sans, sans-serif">{}</text>',
        ((x, y - 13, name) for name, lat, lon in labels for x, y in [frame.xy(lon, lat)]),
    )
    marks = format_html_join(
        "",
        '<g><circle cx="{}" cy="{}" r="9" fill="#fff" stroke="#0b5e55" stroke-width="2.5"/>'
        '<text x="{}" y="{}" text-anchor="middle" font-size="10" font-weight="bold" '
        'font-family="DejaVu Sans, sans-serif" fill="#000">{}</text></g>',
        ((x, y, x, y + 3.5, number) for number, lat, lon in dots for x, y in [frame.xy(lon, lat)]),
    )
    return format_html(
        '<svg class="print-map" width="100%" viewBox="0 0 {} {}" role="img" aria-label="{}" '
        'xmlns="http://www.w3.org/2000/svg">'
        '<rect width="{}" height="{}" fill="#fff"/>'
        '<path d="{}" fill="#f2f6f5" stroke="#4b5a66" stroke-width="1"/>'
        '<path d="{}" fill="none" stroke="#9aa8a6" stroke-width="0.6"/>'
        '<path d="{}" fill="none" stroke="#b3541e" stroke-width="2.5" stroke-dasharray="6 3"/>'
        "{}{}</svg>",
        WIDTH,
        HEIGHT,
        title,
        WIDTH,
        HEIGHT,
        mark_safe(frame.path(departement_outline())),
        mark_safe(frame.path(around)),
        mark_safe(frame.path(area)),
        names,
        marks,
    )
