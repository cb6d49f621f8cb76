"""Printed documents: orientation sheets, booklets and the communauté de communes' report, as
pages to print and as PDF made by WeasyPrint."""

import io
import re
from urllib.parse import urlencode

import pytest
import segno
from django.urls import reverse
from pypdf import PdfReader

from places.links import absolute_url
from places.models import Place
from printing import views
from printing.qr import SCALE
from tests.factories import (
    CommuneFactory,
    EpciFactory,
    EventFactory,
    PlaceFactory,
    ServiceFactory,
    StopFactory,
    lozere_commune,
    next_week_at,
)

pytestmark = pytest.mark.django_db


def pdf_of(response):
    """The PDF a response holds, read by pypdf."""
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    return PdfReader(io.BytesIO(response.content))


def text_of(reader):
    return " ".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def florac():
    return lozere_commune("48061")


@pytest.fixture
def place(florac):
    wifi = ServiceFactory(code="wifi", label_fr="Wi-Fi", pictogram="wifi")
    return PlaceFactory(
        name="Atelier partagé d'essai",
        slug="atelier-essai",
        commune=florac,
        latitude=44.3251,
        longitude=3.5952,
        address="1 rue de l'Essai",
        phone="04 66 00 00 00",
        opening_hours="Mo-Fr 09:00-12:00,14:00-18:00",
        accessibility_note="Rampe côté cour",
        services=[wifi],
    )


def test_a_place_sheet_says_what_when_where_and_links_back(client, place):
    """The sheet a France Services agent prints: pictograms with their labels, the hours by
    weekday, the address and access notes, the phone, and a QR code of the place's page."""
    response = client.get(reverse("printing:place-sheet", args=[place.slug]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Atelier partagé d&#x27;essai" in html
    assert "img/pictos/wifi" in html and "Wi-Fi" in html
    assert re.search(r"Lundi</th><td>09:00–12:00, 14:00–18:00", html)
    assert "Samedi</th><td>fermé" in html
    assert "1 rue de l&#x27;Essai" in html and "Rampe côté cour" in html
    assert "04 66 00 00 00" in html
    assert "data-print" in html  # the « Imprimer » button
    assert reverse("printing:place-sheet-pdf", args=[place.slug]) in html


def test_the_qr_code_is_the_absolute_address_of_the_page(client, place):
    """Scanned, the QR code opens the place's public page (SITE_URL, never the request's host)."""
    response = client.get(reverse("printing:place-sheet", args=[place.slug]))
    url = absolute_url(place.get_absolute_url())
    code = segno.make(url, error="m")
    expected = code.svg_inline(scale=SCALE, title=place.name, dark="#000", light="#fff")
    assert expected in response.content.decode()


def test_a_place_sheet_as_pdf(client, place):
    """The same sheet as a PDF of one A4 page, which names the place and its hours."""
    reader = pdf_of(client.get(reverse("printing:place-sheet-pdf", args=[place.slug])))
    assert len(reader.pages) == 1
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    text = text_of(reader)
    assert "Atelier partagé d'essai" in text and "09:00–12:00" in text


def test_an_itinerant_place_sheet_lists_its_stops(client, florac):
    """How to get to a place that travels: its stops, as its page lists them."""
    stop = StopFactory(commune=florac, label="marché", schedule="jeudi matin")
    response = client.get(reverse("printing:place-sheet", args=[stop.place.slug]))
    assert "marché" in response.content.decode() and "jeudi matin" in response.content.decode()


def test_a_search_sheet_prints_the_first_places_found(client, florac, settings):
    """A search's sheet says the search, how many places it found and prints the first ones."""
    wifi = ServiceFactory(code="wifi", label_fr="Wi-Fi")
    for n in range(views.SHEET_PLACES + 2):
        PlaceFactory(name=f"Lieu {n:02}", commune=florac, services=[wifi])
    response = client.get(reverse("printing:search-sheet") + "?service=wifi")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="entry"') == views.SHEET_PLACES
    assert f"{views.SHEET_PLACES + 2} lieux trouvés" in html and "Wi-Fi" in html
    reader = pdf_of(client.get(reverse("printing:search-sheet-pdf") + "?service=wifi"))
    assert "Lieu 00" in text_of(reader)


def test_a_search_without_criterion_is_refused(client, place):
    """The whole directory is not an orientation sheet: a 400 saying to choose a criterion, and
    pointing to the booklets."""
    for name in ("printing:search-sheet", "printing:search-sheet-pdf"):
        response = client.get(reverse(name))
        assert response.status_code == 400
        assert "au moins un critère" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    ["radius=abc&near=Florac", "service=nothing-of-the-sort", "q=" + "a" * 2000, "%ff=%00"],
)
def test_a_bad_search_is_refused_with_its_reason(client, place, query):
    """A search no form sends, or too long, is a 400 page saying why, never a document."""
    response = client.get(reverse("printing:search-sheet-pdf") + "?" + query)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


def test_a_commune_booklet_maps_its_places_and_those_around(client, florac):
    """A commune's booklet: its places and those within reach, numbered on a map drawn from the
    local outlines, in a PDF of a few pages."""
    here = PlaceFactory(name="Lieu de Florac", commune=florac, latitude=44.32, longitude=3.59)
    other = lozere_commune("48146")  # Saint-Étienne-du-Valdonnez, 20 km away
    PlaceFactory(
        name="Lieu des environs",
        commune=other,
        latitude=florac.townhall_latitude + 0.05,
        longitude=florac.townhall_longitude,
    )
    page = client.get(reverse("printing:commune-booklet", args=[florac.insee]))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count("<circle") == 2 and "Lieu des environs" in html
    assert "<svg" in html and "tile" not in html
    reader = pdf_of(client.get(reverse("printing:commune-booklet-pdf", args=[florac.insee])))
    assert len(reader.pages) <= 3
    assert here.name in text_of(reader)


@pytest.fixture
def epci_places(florac):
    open_place = PlaceFactory(name="Lieu ouvert du territoire", commune=florac)
    project = PlaceFactory(
        name="Lieu en projet du territoire", commune=florac, status=Place.Status.PROJECT
    )
    EventFactory(place=open_place, title="Atelier du jeudi", start=next_week_at(10))
    return open_place, project


def test_the_epci_report_has_places_projects_coverage_and_events(client, florac, epci_places):
    """The communauté de communes' page as one report: its places, those in project on their
    own, its coverage service by service, its places' coming events."""
    response = client.get(reverse("printing:epci-report", args=[florac.epci.siren]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Lieux ouverts" in html and "Lieux en projet" in html
    assert "Lieu en projet du territoire" in html
    assert "Couverture par service" in html
    assert "Atelier du jeudi" in html
    assert "Le rapport pour les élus" not in html  # its own link is for the page, not the report
    reader = pdf_of(client.get(reverse("printing:epci-report-pdf", args=[florac.epci.siren])))
    text = text_of(reader)
    assert "Lieu en projet du territoire" in text and "Atelier du jeudi" in text


def test_an_epci_booklet(client, florac, epci_places):
    """A communauté de communes' booklet: its places on its map, in a PDF."""
    reader = pdf_of(client.get(reverse("printing:epci-booklet-pdf", args=[florac.epci.siren])))
    assert "Lieu ouvert du territoire" in text_of(reader)
    assert len(reader.pages) <= 3


def test_pages_link_to_their_documents(client, place, florac):
    """The place page, a search, a commune and a communauté de communes offer their documents."""
    detail = client.get(place.get_absolute_url()).content.decode()
    assert reverse("printing:place-sheet", args=[place.slug]) in detail
    search = client.get(reverse("places:home") + "?service=wifi").content.decode()
    assert reverse("printing:search-sheet") + "?service=wifi" in search
    assert (
        reverse("printing:search-sheet") not in client.get(reverse("places:home")).content.decode()
    )
    commune = client.get(reverse("places:commune", args=[florac.insee])).content.decode()
    assert reverse("printing:commune-booklet-pdf", args=[florac.insee]) in commune
    epci = client.get(reverse("places:epci", args=[florac.epci.siren])).content.decode()
    assert reverse("printing:epci-booklet-pdf", args=[florac.epci.siren]) in epci
    assert reverse("printing:epci-report-pdf", args=[florac.epci.siren]) in epci


def test_unknown_places_and_areas_are_404(client, db):
    """A document of nothing is a 404, as its page."""
    for name, arg in [
        ("printing:place-sheet-pdf", "nowhere"),
        ("printing:commune-booklet-pdf", "99999"),
        ("printing:epci-report-pdf", "000000000"),
    ]:
        assert client.get(reverse(name, args=[arg])).status_code == 404


def test_booklets_are_capped(client, settings):
    """A booklet prints BOOKLET_PLACES places at most, and says there are more."""
    epci = EpciFactory()
    commune = CommuneFactory(epci=epci)
    for n in range(views.BOOKLET_PLACES + 1):
        PlaceFactory(name=f"Lieu {n:03}", commune=commune)
    response = client.get(reverse("printing:epci-booklet", args=[epci.siren]))
    html = response.content.decode()
    assert html.count('<article class="entry') == views.BOOKLET_PLACES
    assert "tous sont sur le site" in html


def test_a_search_sheet_query_string(client, place):
    """The sheet's links keep the search (for the PDF and back to the directory)."""
    query = urlencode({"service": "wifi", "near": "Florac"})
    html = client.get(reverse("printing:search-sheet") + "?" + query).content.decode()
    assert reverse("printing:search-sheet-pdf") + "?" + query.replace("&", "&amp;") in html


def test_hours_are_printed_season_by_season(client, florac):
    """Hours that change within the year are printed season by season, each weekday on a sheet
    and weekdays in a row grouped in a booklet; a day's hours that cannot be told (« sur
    rendez-vous ») fall back to the next seven days, and hours not given say to call."""
    seasonal = PlaceFactory(
        name="Lieu saisonnier",
        commune=florac,
        opening_hours="Mo-Fr 09:00-12:00; Jul-Aug Mo-Sa 09:00-19:00",
    )
    PlaceFactory(
        name="Sur rendez-vous", commune=florac, opening_hours='Mo 10:00-12:00 "sur rendez-vous"'
    )
    PlaceFactory(name="Sans horaires", commune=florac)
    sheet = client.get(reverse("printing:place-sheet", args=[seasonal.slug])).content.decode()
    assert "au 31 août" in sheet and "Samedi</th><td>09:00–19:00" in sheet
    booklet = client.get(reverse("printing:commune-booklet", args=[florac.insee])).content.decode()
    assert "lundi–vendredi 09:00–12:00" in booklet and "lundi–samedi 09:00–19:00" in booklet
    assert "variables, voir la page du lieu." in booklet
    assert "non renseignés : contactez le lieu avant de venir." in booklet
