"""Maps that orient without tiles, and the officials' coverage, in Chromium: on a desktop and a
390 px phone, in French and in English, each page passing axe-core and never scrolling sideways.

Every test here only reads: they share one live site over the small directory (conftest.py).
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_no_axe_violation, new_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# (viewport, Accept-Language): each item is walked on both, in both languages.
VISITS = {
    "desktop-fr": (DESKTOP, "fr-FR"),
    "phone-en": (PHONE, "en-GB"),
    "phone-fr": (PHONE, "fr-FR"),
    "desktop-en": (DESKTOP, "en-GB"),
}
MADE_UP = "Atelier partagé d'essai"  # exact position in Florac, hours and four services
GEVAUDAN = "244800470"  # CC du Gévaudan: Marvejols and Bourgs sur Colagne in the directory


@pytest.fixture(params=list(VISITS))
def visitor(request, browser):
    """A page in a browser of the visit's size and language."""
    viewport, locale = VISITS[request.param]
    context = new_context(browser, viewport=viewport, locale=locale)
    page = context.new_page()
    page.phone = viewport is PHONE
    page.english = locale.startswith("en")
    yield page
    context.close()


def assert_no_sideways_scroll(page):
    assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


def show_map(page):
    """On a phone, where a list and its map take turns, the visitor switches to the map; a page
    without the switch (a communauté de communes') shows its map below its list."""
    if page.phone and page.locator("[data-show=map]").count():
        page.get_by_role("button", name="Map" if page.english else "Carte").click()
    expect(page.locator("#map")).to_be_visible()


def names(page):
    return page.locator(".leaflet-communeNames-pane .commune-name")


def test_the_map_names_communes_and_draws_their_borders_when_zoomed_in(site, visitor):
    """Without a tile server, the map of the whole directory names the main towns (Mende first),
    a few when zoomed out and more when zoomed in, where the borders between communes appear;
    the names are for the eyes only: hidden from screen readers, never focused."""
    page = visitor
    page.goto(site.url + "/")
    show_map(page)
    expect(names(page).filter(has_text=re.compile("^Mende$")).first).to_be_visible()
    pane = page.locator(".leaflet-communeNames-pane")
    expect(pane).to_have_attribute("aria-hidden", "true")
    assert names(page).evaluate_all("nodes => nodes.every(n => n.tabIndex < 0)")
    borders = page.locator(".leaflet-communeBorders-pane path")
    zoom_out = page.get_by_role("button", name="Zoom out" if page.english else "Dézoomer")
    zoom_in = page.get_by_role("button", name="Zoom in" if page.english else "Zoomer", exact=True)

    def zoom(button, times):
        for _ in range(times):
            button.click()
            page.wait_for_timeout(350)  # Leaflet's zoom animation

    zoom(zoom_out, 3)  # the whole département, whatever the places framed
    expect(borders).to_have_count(0)
    expect(names(page).filter(has_text=re.compile("^Mende$")).first).to_be_visible()
    assert names(page).count() <= 20  # zoomed out: the main towns only (map-communes.js)
    zoom(zoom_in, 4)
    expect(borders.first).to_be_attached()
    assert page.locator(".leaflet-communeBorders-pane").get_attribute("aria-hidden") == "true"
    assert names(page).count() >= 1
    assert_no_axe_violation(page)
    assert_no_sideways_scroll(page)


def test_a_popup_gives_type_commune_services_and_whether_open_now(site, visitor):
    """A marker's popup names the place's types, its commune, its services as pictograms (each
    with its name) and whether it is open now, as its page says, with a link to that page."""
    page = visitor
    page.goto(site.url + "/?near=Florac&radius=5")
    show_map(page)
    page.locator(f'.leaflet-marker-icon[title="{MADE_UP}"]').click()
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text(MADE_UP)
    fablab = "Fablab / makerspace" if page.english else "Fablab / atelier de fabrication"
    expect(popup.locator(".popup-meta")).to_contain_text(fablab)
    expect(popup).to_contain_text("Florac Trois Rivières")
    pictos = popup.get_by_role("list", name="Services").get_by_role("img")
    expect(pictos).to_have_count(4)
    expect(popup.get_by_role("img", name="Wi-Fi")).to_be_visible()
    state = popup.locator(".popup-state").inner_text()
    open_now, closed = (
        ("Open now", "Closed right now")
        if page.english
        else (
            "Ouvert maintenant",
            "Fermé en ce moment",
        )
    )
    assert state in {open_now, closed}
    assert_no_axe_violation(page)
    assert_no_sideways_scroll(page)
    popup.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(MADE_UP)
    expect(page.locator(".tag", has_text=state)).to_be_visible()  # the same, unless a minute ticked


def test_the_place_and_commune_maps_name_the_communes_around(site, visitor):
    """A place's map and a commune's map, zoomed in, name the communes around and draw their
    borders, and pass axe-core."""
    page = visitor
    for path in ("/lieux/atelier-partage-dessai/", "/communes/48095/"):
        page.goto(site.url + path)
        expect(page.locator("#map")).to_be_visible()
        expect(names(page).first).to_be_visible()
        expect(page.locator(".leaflet-communeBorders-pane path").first).to_be_attached()
        page.wait_for_load_state("networkidle")
        assert_no_axe_violation(page)
        assert_no_sideways_scroll(page)


def test_an_official_reads_how_complete_the_data_is_then_filters_by_epci(site, visitor):
    """On the coverage page, a banner says how many places have no position or are unverified
    before the figures and the white zones; the official picks a communauté de communes, sees
    its communes only, and a row's communauté de communes leads to its page."""
    page = visitor
    page.goto(site.url + "/couverture/?service=admin-help")
    banner = page.locator("section.reliability")
    expect(banner).to_be_visible()
    expect(banner.get_by_role("listitem")).to_have_count(2)
    top = page.evaluate(
        """() => [document.querySelector('section.reliability').getBoundingClientRect().top,
                  document.getElementById('figures-title').getBoundingClientRect().top]"""
    )
    assert top[0] < top[1]
    assert_no_axe_violation(page)
    assert_no_sideways_scroll(page)

    label = "Community of communes" if page.english else "Communauté de communes"
    page.get_by_label(label, exact=True).select_option(GEVAUDAN)
    page.get_by_role(
        "button", name="Show the coverage" if page.english else "Afficher la couverture"
    ).click()
    assert f"epci={GEVAUDAN}" in page.url
    table = page.locator("table[aria-labelledby=communes-title]")
    expect(table.locator("tbody tr")).to_have_count(2)  # the directory's communes of CC du Gévaudan
    expect(page.locator("#map path.leaflet-interactive").first).to_be_attached()
    assert_no_axe_violation(page)
    assert_no_sideways_scroll(page)
    table.locator("tbody tr").first.get_by_role("link", name="CC du Gévaudan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("CC du Gévaudan")


def test_the_epci_page_draws_its_outline_its_coverage_per_service_and_its_places(site, visitor):
    """The communauté de communes' page frames its outline on the map with its places' markers,
    gives its coverage service by service (a row per service, leading to the coverage of that
    service there) and lists its places."""
    page = visitor
    page.goto(site.url + f"/intercommunalites/{GEVAUDAN}/")
    show_map(page)
    outline = page.locator('#map path[stroke-dasharray="6 4"]')
    expect(outline).to_have_count(1)
    expect(page.locator(".leaflet-marker-icon").first).to_be_visible()
    services = page.locator("table.service-coverage")
    admin_help = (
        "Help with administrative procedures"
        if page.english
        else ("Aide aux démarches administratives")
    )
    row = services.locator("tbody tr", has_text=admin_help)
    expect(row).to_contain_text(re.compile(r"\d+ / \d+"))
    expect(page.locator("article.card", has_text="MSAP de Marvejols")).to_be_attached()
    page.wait_for_load_state("networkidle")
    assert_no_axe_violation(page)
    assert_no_sideways_scroll(page)
    row.get_by_role("link", name=admin_help).click()
    assert "service=admin-help" in page.url and f"epci={GEVAUDAN}" in page.url
    expect(page.locator("section.reliability")).to_be_visible()


def test_the_pages_work_without_javascript(site, browser):
    """Without JavaScript the coverage page and the EPCI page still give their tables."""
    context = new_context(browser, java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    page.goto(site.url + f"/couverture/?epci={GEVAUDAN}")
    expect(page.locator("section.reliability")).to_be_visible()
    expect(page.locator("table[aria-labelledby=communes-title] tbody tr")).to_have_count(2)
    page.goto(site.url + f"/intercommunalites/{GEVAUDAN}/")
    expect(page.locator("table.service-coverage tbody tr").first).to_be_visible()
    context.close()
