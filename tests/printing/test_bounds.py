"""Printed documents are bounded: in time, pages, places and what WeasyPrint may read; and their
pages make a fixed number of queries."""

import csv
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import ImageFile

from printing import pdf, views
from printing.weasy import StaticFetcher
from tests.factories import (
    CommuneFactory,
    EpciFactory,
    PlaceFactory,
    PlaceTypeFactory,
    ServiceFactory,
    lozere_commune,
)
from tests.printing.test_documents import pdf_of

pytestmark = pytest.mark.django_db

# Importing WeasyPrint lets Pillow read truncated images, for the whole process: the site runs it
# in a process of its own (printing.pdf), and its photo checks, in this test process, need them
# refused.
ImageFile.LOAD_TRUNCATED_IMAGES = False

BIGGEST_EPCI = "200069185"  # CC des Terres d'Apcher-Margeride-Aubrac: 20 communes
SEASONAL = "Mo-Fr 09:00-12:00,14:00-18:00; Jul-Aug Mo-Sa 09:00-19:00; Dec 24 off; PH off"


def test_the_fetcher_serves_static_files_and_nothing_else(tmp_path):
    """WeasyPrint reads the site's static files and data: URIs; any other address, a path out
    of the static folder or a file that is not there is refused, so nothing is fetched."""
    fetcher = StaticFetcher("https://solozere.test/static/", [django_settings.BASE_DIR / "static"])
    css = fetcher.fetch("https://solozere.test/static/css/print.css")
    assert b"@page" in css.read() and css.content_type == "text/css"
    assert fetcher.fetch("data:text/plain,ok").read() == b"ok"
    for url in [
        "https://example.org/tracker.png",
        "http://169.254.169.254/latest/meta-data/",
        "file:///etc/passwd",
        "https://solozere.test/static/../../../etc/passwd",
        "https://solozere.test/static/%2e%2e/manage.py",
        "https://solozere.test/static/css/none.css",
        "https://solozere.test/admin/",
    ]:
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_a_document_past_its_time_is_refused_not_waited_for(client, settings):
    """WeasyPrint killed past PDF_TIMEOUT: a 503 page saying why, at once, never a timeout of
    the worker."""
    place = PlaceFactory()
    settings.SOLOZERE_PDF_TIMEOUT = 0.01
    started = time.monotonic()
    response = client.get(reverse("printing:place-sheet-pdf", args=[place.slug]))
    assert time.monotonic() - started < 5
    assert response.status_code == 503
    assert "trop de temps" in response.content.decode()


def test_a_document_past_its_pages_is_refused(client, settings):
    """A document longer than PDF_MAX_PAGES is not made (503 saying why)."""
    epci = EpciFactory()
    commune = CommuneFactory(epci=epci)
    for n in range(6):
        PlaceFactory(name=f"Lieu {n}", commune=commune, opening_hours="Mo-Fr 09:00-17:00")
    settings.SOLOZERE_PDF_MAX_PAGES = 1
    response = client.get(reverse("printing:epci-booklet-pdf", args=[epci.siren]))
    assert response.status_code == 503
    assert "trop long" in response.content.decode()


def test_render_pdf_reads_no_network(settings):
    """An image or stylesheet from another site is left out, the document still made."""
    html = (
        '<html><head><link rel="stylesheet" href="https://example.org/x.css"></head>'
        '<body><p>Bonjour</p><img src="https://example.org/x.png"></body></html>'
    )
    settings.SOLOZERE_PDF_TIMEOUT = 10  # a fetch would hang here: there is no network
    assert pdf.render_pdf(html).startswith(b"%PDF")


def biggest_epci_full():
    """The biggest communauté de communes, its communes real, with BOOKLET_PLACES places filled
    in as much as a place can be: every service, seasonal hours, long texts."""
    rows = csv.DictReader((Path(django_settings.BASE_DIR) / "data/lozere/communes.csv").open())
    codes = [row["insee"] for row in rows if row["epci_siren"] == BIGGEST_EPCI]
    communes = [lozere_commune(code) for code in codes]
    services = [
        ServiceFactory(code=f"service-{n}", label_fr=f"Service numéro {n}", pictogram="wifi")
        for n in range(12)
    ]
    types = [PlaceTypeFactory(code=f"type-{n}") for n in range(3)]
    for n in range(views.BOOKLET_PLACES + 5):
        commune = communes[n % len(communes)]
        PlaceFactory(
            name=f"Lieu au nom assez long pour tenir sur deux lignes numéro {n}",
            commune=commune,
            latitude=commune.townhall_latitude,
            longitude=commune.townhall_longitude,
            address="12 avenue de la Gare, bâtiment B, deuxième étage",
            short_description="Un lieu partagé. " * 12,
            opening_hours=SEASONAL,
            opening_hours_note="Fermé les jours fériés. " * 3,
            phone="04 66 00 00 00",
            email="lieu@example.org",
            website="https://lieu.example.org/une/page/assez/longue/",
            accessibility_note="Rampe et ascenseur. " * 3,
            services=services,
            types=types,
        )
    return communes[0].epci


@pytest.mark.parametrize("name", ["printing:epci-booklet-pdf", "printing:epci-report-pdf"])
def test_the_worst_booklet_is_made_well_within_its_bounds(client, name):
    """The biggest EPCI's booklet and report, every place at its fullest, are made within
    PDF_TIMEOUT and PDF_MAX_PAGES: a real request never reaches the bounds (measured: see
    docs/deploy.md)."""
    epci = biggest_epci_full()
    started = time.monotonic()
    reader = pdf_of(client.get(reverse(name, args=[epci.siren])))
    took = time.monotonic() - started
    assert took < django_settings.SOLOZERE_PDF_TIMEOUT, took
    assert len(reader.pages) <= django_settings.SOLOZERE_PDF_MAX_PAGES, len(reader.pages)
    print(f"{name}: {len(reader.pages)} pages in {took:.1f} s")


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "name", ["printing:commune-booklet", "printing:epci-booklet", "printing:epci-report"]
)
def test_booklets_make_a_fixed_number_of_queries(client, name):
    """Query-count guard: ten times the places, the same number of queries."""
    epci = EpciFactory()
    commune = CommuneFactory(epci=epci, townhall_latitude=44.5, townhall_longitude=3.5)
    service = ServiceFactory()
    arg = commune.insee if name == "printing:commune-booklet" else epci.siren
    counts = []
    for total in (3, 30):
        while commune.places.count() < total:
            PlaceFactory(commune=commune, services=[service], opening_hours="Mo-Fr 09:00-17:00")
        counts.append(queries_for(client, reverse(name, args=[arg])))
    assert counts[0] == counts[1], counts


def test_a_search_sheet_makes_a_fixed_number_of_queries(client):
    """Query-count guard for a search's sheet: as many queries for 3 places as for 12."""
    service = ServiceFactory(code="wifi")
    commune = CommuneFactory()
    counts = []
    for total in (3, views.SHEET_PLACES):
        while commune.places.count() < total:
            PlaceFactory(commune=commune, services=[service])
        counts.append(queries_for(client, reverse("printing:search-sheet") + "?service=wifi"))
    assert counts[0] == counts[1], counts


def test_a_pdf_is_cached_as_the_pages_are(client, monkeypatch):
    """A PDF asked for again while the directory has not changed comes from the page cache
    (places.freshness), WeasyPrint not run again; a change to the directory makes it anew."""
    place = PlaceFactory()
    url = reverse("printing:place-sheet-pdf", args=[place.slug])
    first = client.get(url)
    assert first["X-Robots-Tag"] == "noindex"

    def not_again(*args, **kwargs):
        raise AssertionError("WeasyPrint run again")

    monkeypatch.setattr(pdf, "render_pdf", not_again)
    assert client.get(url).content == first.content
    place.name = "Nouveau nom"
    place.save()
    with pytest.raises(AssertionError, match="run again"):
        client.get(url)
