"""Printed documents in Chromium (issue 19, item 2, and item 4's report): the orientation sheet of
a place and of a search, a commune's booklet and a communauté de communes' report, as pages made
for printing, on a phone and a desktop, in French and in English: they fit, pass axe-core, show
their « Imprimer » button, and print (print media) without their tools. Any public page printed
loses its navigation, search form and map.

Screenshots, as seen and as printed, go to SHOTS_DIR. Every test here only reads: they share one
live site over the small directory (conftest.py)."""

import pytest
from playwright.sync_api import expect

from tests.browser import conftest
from tests.browser.conftest import ALL
from tests.browser.test_place_practical import assert_drawn_fits_and_passes_axe
from tests.directory import MADE_UP

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

DOCUMENTS = {
    "place-sheet": f"/lieux/{MADE_UP}/fiche/",
    "search-sheet": "/fiche/?near=Florac&radius=30",
    "commune-booklet": "/communes/48061/livret/",
    "epci-report": "/intercommunalites/200069151/rapport/",
}


def shoot(page, name):
    conftest.shoot(page, f"print/{name}", full_page=True)


@pytest.mark.parametrize("document", DOCUMENTS)
@pytest.mark.parametrize(("screen", "language"), ALL)
def test_documents_fit_pass_axe_and_print_without_their_tools(
    site, visit, screen, language, document
):
    """Each document fits the screen, passes axe, offers « Imprimer » (JavaScript on); printed,
    its tools are gone and its QR code and content remain."""
    page = visit(screen, language)
    response = page.goto(site.url + DOCUMENTS[document])
    assert response.status == 200
    print_button = page.locator("[data-print]")
    expect(print_button).to_be_visible()
    expect(page.locator(".document-qr svg")).to_be_visible()
    assert_drawn_fits_and_passes_axe(page)
    shoot(page, f"{document}-{screen}-{language}")
    page.emulate_media(media="print")
    expect(print_button).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    shoot(page, f"{document}-{screen}-{language}-print")


def test_the_sheet_names_the_place_its_hours_and_its_way(site, visit):
    """The sheet a France Services agent prints says what the place offers, with pictograms and
    their labels, when it opens, where it is and how to reach it."""
    page = visit("desktop", "fr")
    page.goto(site.url + DOCUMENTS["place-sheet"])
    expect(page.get_by_role("heading", level=1)).to_have_text("Atelier partagé d'essai")
    expect(page.locator(".pictos li").first).to_contain_text("Wi-Fi")
    expect(page.get_by_role("row", name="Lundi")).to_contain_text("09:00–12:00")
    expect(page.get_by_text("1 rue de l'Essai")).to_be_visible()
    expect(page.get_by_text("04 66 00 00 00")).to_be_visible()


@pytest.mark.parametrize("path", [f"/lieux/{MADE_UP}/", "/?near=Florac", "/communes/48061/"])
def test_any_public_page_prints_without_navigation_form_or_map(site, visit, path):
    """Printed, a public page keeps its content and drops the site's navigation, the search
    form, the map and the print links; the place page links to its sheet."""
    page = visit("desktop", "fr")
    page.goto(site.url + path)
    page.emulate_media(media="print")
    for hidden in [".site-header", ".site-footer", ".search-panel", "[data-map-panel]"]:
        if page.locator(hidden).count():
            expect(page.locator(hidden).first).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    name = path.strip("/").replace("/", "-").replace("?", "").replace("=", "-") or "home"
    shoot(page, f"page-{name}-print")


def test_pages_lead_to_their_documents(site, visit):
    """From a place's page to its sheet, from a search to its sheet, from a communauté de
    communes to its report."""
    page = visit("desktop", "fr")
    page.goto(site.url + f"/lieux/{MADE_UP}/")
    page.get_by_role("link", name="Fiche d'orientation à imprimer").click()
    expect(page).to_have_url(site.url + DOCUMENTS["place-sheet"])
    page.goto(site.url + "/?near=Florac&radius=30")
    page.get_by_role("link", name="Imprimer une fiche d'orientation de ces lieux").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lieux pour votre recherche")
    page.goto(site.url + "/intercommunalites/200069151/")
    page.get_by_role("link", name="à imprimer depuis le navigateur").last.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("CC Gorges Causses Cévennes")
