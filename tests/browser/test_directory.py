"""Visitors in Chromium: the personas of the workshop find their place, on a desktop and a phone,
with the keyboard, in English, and without JavaScript; every page passes axe-core."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 740}


def assert_no_axe_violation(page):
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def search(page, *, what="", near="", radius=None):
    page.get_by_label("Que cherchez-vous ?").fill(what)
    page.get_by_label("Près de (commune)").fill(near)
    if radius:
        page.get_by_label("Dans un rayon de").select_option(str(radius))
    page.get_by_role("button", name="Rechercher", exact=True).click()


def markers(page):
    return page.locator(".leaflet-marker-icon")


def test_jean_finds_the_france_services_near_marvejols(site, page):
    """Jean, a farmer, needs orientation at the France Services of Marvejols."""
    page.goto(site.url)
    page.get_by_text("Affiner la recherche").click()
    page.get_by_role("checkbox", name=re.compile("^Aide aux démarches administratives")).check()
    search(page, near="Marvejols")
    expect(
        page.get_by_role("heading", level=2, name=re.compile("à moins de 10 km de Marvejols"))
    ).to_be_visible()
    card = page.locator("article.card", has_text="MSAP de Marvejols")
    expect(card).to_contain_text("à 0,0 km")
    expect(markers(page).first).to_be_visible()
    card.get_by_role("link", name="MSAP de Marvejols").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("MSAP de Marvejols")
    expect(page.get_by_text("Localisation approximative")).to_be_visible()
    assert "service=admin-help" not in page.url


def test_marie_louise_finds_digital_help_near_saint_chely(site, page):
    """Marie-Louise, 80, without a car, wants to learn digital skills near Saint-Chély."""
    page.goto(site.url)
    search(page, what="numérique", near="Saint-Chély-d'Apcher", radius=5)
    card = page.locator("article.card", has_text="Télécentre de Saint-Chély-d'Apcher")
    expect(card).to_contain_text("Accompagnement au numérique")
    assert "near=Saint-Ch" in page.url  # the search is a shareable address
    page.go_back()
    page.go_forward()
    expect(card).to_be_visible()


def test_justine_finds_an_informal_place_for_young_people_in_mende_on_her_phone(site, page):
    """Justine, 16, in Mende, on her phone: the list first, then the map."""
    page.set_viewport_size(PHONE)
    page.goto(site.url + "/?near=Mende&audience=young-people")
    card = page.locator("article.card", has_text="Bar l'Atelier")
    expect(card).to_be_visible()
    expect(page.locator("#map")).to_be_hidden()
    page.get_by_role("button", name="Carte").click()
    expect(page.locator("#map")).to_be_visible()
    expect(card).to_be_hidden()
    expect(markers(page)).to_have_count(1)
    map_box = page.locator("#map").bounding_box()
    marker_box = markers(page).first.bounding_box()
    assert map_box["x"] <= marker_box["x"] <= map_box["x"] + map_box["width"]
    assert map_box["y"] <= marker_box["y"] <= map_box["y"] + map_box["height"]
    markers(page).first.click()
    page.get_by_role("link", name="Voir la fiche").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bar l'Atelier")
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert not overflow


def test_an_empty_search_suggests_how_to_widen_it(site, page):
    page.goto(site.url + "/?near=Villefort&radius=5&service=videoconference")
    expect(page.get_by_text("Aucun lieu ne correspond à cette recherche.")).to_be_visible()
    page.get_by_role("link", name="Chercher dans un rayon de 10 km").click()
    assert "radius=10" in page.url
    page.get_by_role("link", name="Chercher sans le critère « Services »").click()
    expect(page.locator("article.card", has_text="MSAP de Villefort")).to_be_visible()


def test_a_bad_commune_gets_a_clear_message_and_keeps_the_form(site, page):
    response = page.goto(site.url + "/?near=Atlantide&service=cafe")
    assert response.status == 400
    expect(page).to_have_title(re.compile("^Erreur dans la recherche"))
    expect(page.get_by_text("Commune inconnue : «\u00a0Atlantide\u00a0»")).to_be_visible()
    expect(page.locator("input[name=service][value=cafe]")).to_be_checked()
    expect(page.locator("#map")).to_have_count(0)


def test_the_directory_works_with_the_keyboard_alone(site, page):
    page.goto(site.url)
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Aller au contenu")).to_be_focused()
    page.keyboard.press("Enter")
    search_box = page.get_by_label("Que cherchez-vous ?")
    for _ in range(10):
        if search_box.evaluate("el => el === document.activeElement"):
            break
        page.keyboard.press("Tab")
    expect(search_box).to_be_focused()
    page.keyboard.type("Marvejols")
    page.keyboard.press("Enter")
    link = page.get_by_role("link", name="MSAP de Marvejols")
    link.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("MSAP de Marvejols")


def test_the_map_does_not_trap_keyboard_focus(site, page):
    page.goto(site.url + "/?near=Mende&radius=30")
    page.locator("#map").focus()
    for _ in range(60):
        page.keyboard.press("Tab")
        if not page.evaluate("document.getElementById('map').contains(document.activeElement)"):
            break
    assert not page.evaluate("document.getElementById('map').contains(document.activeElement)")


def test_switching_to_english_keeps_the_page_and_translates_it(site, page):
    page.goto(site.url + "/lieux/bar-latelier/")
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bar l'Atelier")
    expect(page.get_by_text("Café / bar").first).to_be_visible()
    expect(page.get_by_role("heading", name="Audiences welcomed")).to_be_visible()
    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Directory"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Find a third place in Lozère")


def test_the_list_works_without_javascript(site, browser):
    context = browser.new_context(java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    page.goto(site.url)
    page.get_by_label("Près de (commune)").fill("Marvejols")
    page.get_by_label("Près de (commune)").press("Enter")
    expect(page.locator("article.card", has_text="MSAP de Marvejols")).to_be_visible()
    expect(page.get_by_role("button", name="Autour de moi")).to_be_hidden()
    context.close()


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/?near=Mende&radius=20&service=cafe",
        "/?q=zzzz",
        "/lieux/msap-de-marvejols/",
        "/pictogrammes/",
        "/reseaux/",
        "/reseaux/occitanie/",
        "/communes/48095/",
        "/intercommunalites/244800470/",
        "/a-propos/",
        "/donnees/",
        "/embed/?epci=244800470",
        "/suggerer-un-lieu/",
    ],
)
def test_pages_have_no_accessibility_violation(site, page, path):
    page.goto(site.url + path)
    page.wait_for_load_state("networkidle")
    assert_no_axe_violation(page)


def test_the_directory_has_no_accessibility_violation_on_a_phone(site, page):
    page.set_viewport_size(PHONE)
    page.goto(site.url + "/?near=Mende")
    assert_no_axe_violation(page)
    page.get_by_role("button", name="Carte").click()
    assert_no_axe_violation(page)
