"""What maps without tiles orient by: the communes' names, the borders between communes, and a
communauté de communes' outline."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from territory.geo import BORDERS_FILE, GEO_DIR, area_outline
from territory.management.commands.draw_borders import borders_text
from territory.models import Commune
from tests.factories import CommuneFactory, lozere_commune, lozere_communes

pytestmark = pytest.mark.django_db


def inside(rings, latitude, longitude):
    """Even-odd ray casting over every ring: inside an area in pieces or with holes."""
    crossings = 0
    for ring in rings:
        for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
            if (y1 > latitude) != (y2 > latitude):
                crossings += longitude < (x2 - x1) * (latitude - y1) / (y2 - y1) + x1
    return crossings % 2 == 1


def rounded(point):
    return tuple(round(value, 4) for value in point)


def test_commune_names_come_most_populous_first_at_their_town_hall(client):
    """Maps write the most populous communes' names first (a few when zoomed out, all when zoomed
    in), at the town hall; a commune without a known town hall has no name on the map."""
    CommuneFactory(insee="48901", name="Petite", population=90)
    CommuneFactory(insee="48902", name="Grande", population=9000, townhall_latitude=44.51)
    CommuneFactory(insee="48903", name="Sans population", population=None)
    CommuneFactory(insee="48904", name="Perdue", townhall_latitude=None, townhall_longitude=None)
    response = client.get(reverse("territory:labels"))
    assert response.status_code == 200
    assert response.json()["communes"] == [
        ["Grande", 44.51, 3.5, 9000],
        ["Petite", 44.5, 3.5, 90],
        ["Sans population", 44.5, 3.5, 0],
    ]


def test_commune_names_are_one_query_and_a_304_until_a_commune_changes(
    client, django_assert_max_num_queries
):
    """152 names or 35 cost the same queries; a browser holding them gets a 304 while no commune
    changed, and the new names once one has."""
    communes = lozere_communes(35)
    url = reverse("territory:labels")
    with django_assert_max_num_queries(2):  # the latest change, the names
        response = client.get(url)
    assert len(response.json()["communes"]) == 35
    assert "max-age=3600" in response["Cache-Control"]
    since = response["Last-Modified"]
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=since).status_code == 304
    a_minute_later = timezone.now() + timedelta(minutes=1)
    Commune.objects.filter(pk=communes[0].pk).update(name="Nouveau nom", updated_at=a_minute_later)
    fresh = client.get(url, HTTP_IF_MODIFIED_SINCE=since)
    assert fresh.status_code == 200
    assert "Nouveau nom" in fresh.content.decode()


def test_the_borders_file_is_what_the_command_draws_from_the_outlines():
    """static/geo/commune-borders.geojson is made by `manage.py draw_borders` from the shipped
    outlines: a change of outlines without drawing the borders again fails here."""
    assert (GEO_DIR / BORDERS_FILE).read_text(encoding="utf-8") == borders_text()


def test_borders_draw_each_shared_edge_once_and_stay_small_for_phones():
    """Each edge between two communes is in the borders once, the département's own edge is not
    (its outline draws it), and the file is under 40 % of the outlines a phone would otherwise
    download when zoomed in."""
    borders = json.loads(borders_text())
    [feature] = borders["features"]
    segments = [
        tuple(sorted((tuple(start), tuple(end))))
        for arc in feature["geometry"]["coordinates"]
        for start, end in zip(arc, arc[1:], strict=False)
    ]
    assert len(segments) == len(set(segments))
    outlines = json.loads((GEO_DIR / "communes.geojson").read_text(encoding="utf-8"))
    shared = {}
    for commune in outlines["features"]:
        geometry = commune["geometry"]
        polygons = geometry["coordinates"]
        if geometry["type"] == "Polygon":
            polygons = [polygons]
        for ring in (ring for polygon in polygons for ring in polygon):
            for start, end in zip(ring, ring[1:], strict=False):
                edge = tuple(sorted((tuple(start), tuple(end))))
                shared[edge] = shared.get(edge, 0) + 1

    def edges(count):
        """The edges held `count` times, as the file writes them (4 decimals)."""
        held = (edge for edge, times in shared.items() if times == count)
        written = {tuple(sorted(map(rounded, edge))) for edge in held}
        return {edge for edge in written if edge[0] != edge[1]}

    assert edges(2) <= set(segments)
    assert not edges(1) & set(segments)
    size = len(borders_text().encode())
    assert size < 0.4 * len((GEO_DIR / "communes.geojson").read_bytes())


def test_an_epci_outline_encloses_its_communes_and_not_its_neighbours(
    client, django_assert_max_num_queries
):
    """The CC du Gévaudan's page draws its outline: Marvejols' town hall is inside, Mende's (CC
    Cœur de Lozère) is not; the outline is made of closed rings, in one query; an unknown
    communauté de communes has no outline (404)."""
    marvejols, mende = lozere_commune("48092"), lozere_commune("48095")
    lozere_commune("48099")  # another of the CC du Gévaudan
    url = reverse("territory:epci-outline", args=[marvejols.epci.siren])
    with django_assert_max_num_queries(1):
        response = client.get(url)
    assert response["Content-Type"] == "application/geo+json"
    geometry = response.json()["geometry"]
    rings = [polygon[0] for polygon in geometry["coordinates"]]
    assert all(ring[0] == ring[-1] for ring in rings)
    assert inside(rings, marvejols.townhall_latitude, marvejols.townhall_longitude)
    assert not inside(rings, mende.townhall_latitude, mende.townhall_longitude)
    assert client.get(reverse("territory:epci-outline", args=["999999999"])).status_code == 404


def test_two_neighbouring_communes_make_one_outline_without_their_shared_border():
    """The outline of two communes that touch is one ring: the border between them is not in
    it."""
    alone = area_outline(["48092"])
    together = area_outline(["48092", "48099"])
    assert len(together["geometry"]["coordinates"]) == 1
    [[ring]] = together["geometry"]["coordinates"]
    [[marvejols]] = alone["geometry"]["coordinates"]
    assert not set(map(tuple, marvejols)) <= set(map(tuple, ring))
