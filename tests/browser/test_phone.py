"""A phone first: the menu folds, a search lands on its results, and every public page fits 390
pixels without scrolling sideways, says plainly when it has nothing to show and passes axe-core,
in French and in English; on a desktop the menu is a row and the form stays in view.

Every test here only reads: they share one live site over the small directory (conftest.py).
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_no_axe_violation, new_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
LOCALES = {"fr": "fr-FR", "en": "en-GB"}
# What the tests read, in each language (already translated strings only).
WORDS = {
    "fr": {
        "navigation": "Navigation principale",
        "directory": "Annuaire",
        "networks": "Réseaux",
        "networks_title": "Les réseaux",
        "near": "Près de (commune)",
        "search": "Rechercher",
        "map": "Carte",
        "list": "Liste",
    },
    "en": {
        "navigation": "Main navigation",
        "directory": "Directory",
        "networks": "Networks",
        "networks_title": "Networks",
        "near": "Near (commune)",
        "search": "Search",
        "map": "Map",
        "list": "List",
    },
}
# Every public page, with those that have nothing to show in the small directory: a network
# without members, a commune and an EPCI without places, places without services, a need no
# place meets, a search without results.
PUBLIC_PAGES = [
    "/",
    "/?near=Mende&radius=20",
    "/?q=zzzz",
    "/?near=Atlantide",
    "/lieux/atelier-partage-dessai/",
    "/lieux/projet-de-saint-amans/",
    "/lieux/tiers-truck/",
    "/lieux/atelier-partage-dessai/signaler/",
    "/pictogrammes/",
    "/reseaux/",
    "/reseaux/occitanie/",
    "/reseaux/france-services/",
    "/communes/48095/",
    "/communes/48080/",
    "/intercommunalites/244800470/",
    "/intercommunalites/200006930/",
    "/a-propos/",
    "/donnees/",
    "/couverture/",
    "/couverture/?network=france-services",
    "/charte/",
    "/suggerer-un-lieu/",
    "/embed/?epci=244800470",
]
# Lists, tables and headings shown with nothing in them: an empty state without its sentence.
EMPTY_PARTS = """() => {
  const main = document.querySelector("main") || document.body;
  const shown = (node) => node.checkVisibility() && !node.closest(".leaflet-container");
  const lists = [...main.querySelectorAll("ul, ol, dl, table")]
    .filter((list) => shown(list) && !list.querySelector("li, dt, dd, tbody tr"));
  const headings = [...main.querySelectorAll("h2, h3")].filter((heading) => {
    const next = heading.nextElementSibling;
    const closes = !next || (/^H[23]$/.test(next.tagName) && next.tagName <= heading.tagName);
    return shown(heading) && closes;
  });
  return [...lists, ...headings].map((node) => node.outerHTML.slice(0, 120));
}"""


@pytest.fixture(params=["fr", "en"])
def language(request):
    return request.param


@pytest.fixture
def visitor(browser):
    """Opens a page in a browser of the given size and language, with or without JavaScript."""
    contexts = []

    def open_page(viewport, language, javascript=True):
        context = new_context(
            browser, viewport=viewport, locale=LOCALES[language], java_script_enabled=javascript
        )
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def scrolls_sideways(page):
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


def expanded(page, selector):
    """Whether assistive technologies are told the disclosure is open, from Chromium's own
    accessibility tree."""
    cdp = page.context.new_cdp_session(page)
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    tree = cdp.send("Accessibility.getPartialAXTree", {"nodeId": node, "fetchRelatives": False})
    properties = tree["nodes"][0].get("properties", [])
    return {item["name"]: item["value"]["value"] for item in properties}["expanded"]


def search_near(page, words, commune):
    page.get_by_label(words["near"]).fill(commune)
    page.get_by_role("button", name=words["search"], exact=True).click()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_the_menu_folds_on_a_phone_and_opens_with_the_keyboard(site, visitor, language, javascript):
    """On a phone the navigation is one « Menu » button in a short header, which opens and closes
    with the keyboard (with or without JavaScript); its links follow it in the tab order."""
    words = WORDS[language]
    page = visitor(PHONE, language, javascript)
    page.goto(site.url + "/")
    navigation = page.get_by_role("navigation", name=words["navigation"])
    menu = page.locator("header summary")
    expect(menu).to_have_text("Menu")
    expect(navigation).to_be_hidden()
    assert page.locator("header").bounding_box()["height"] < 160
    assert expanded(page, "header summary") is False
    menu.focus()
    page.keyboard.press("Enter")
    expect(navigation.get_by_role("link", name=words["networks"])).to_be_visible()
    assert expanded(page, "header summary") is True
    page.keyboard.press("Tab")
    expect(navigation.get_by_role("link", name=words["directory"])).to_be_focused()
    assert not scrolls_sideways(page)
    if javascript:  # axe-core runs in the page
        assert_no_axe_violation(page)
    menu.focus()
    page.keyboard.press("Space")
    expect(navigation).to_be_hidden()
    menu.click()
    navigation.get_by_role("link", name=words["networks"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words["networks_title"])
    expect(page.get_by_role("navigation", name=words["navigation"])).to_be_hidden()


def test_the_menu_is_a_row_on_a_desktop(site, visitor, language):
    """On a desktop every link of the navigation shows at once, with no menu to open."""
    words = WORDS[language]
    page = visitor(DESKTOP, language)
    page.goto(site.url + "/")
    expect(page.locator("header summary")).to_be_hidden()
    navigation = page.get_by_role("navigation", name=words["navigation"])
    links = navigation.get_by_role("link")
    expect(links).to_have_count(9)
    tops = {round(box["y"]) for box in (link.bounding_box() for link in links.all())}
    assert len(tops) == 1  # one row
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the site's name
    page.keyboard.press("Tab")
    expect(navigation.get_by_role("link", name=words["directory"])).to_be_focused()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_search_on_a_phone_lands_on_its_results(site, visitor, language, javascript):
    """After a search on a phone the results are on the screen, the form folded into « Modifier
    la recherche » one tap away, and « Carte » shows the map."""
    words = WORDS[language]
    page = visitor(PHONE, language, javascript)
    page.goto(site.url + "/")
    search_near(page, words, "Mende")
    expect(page).to_have_url(re.compile(r"near=Mende.*#resultats$"))
    expect(page.locator("#results-title")).to_be_in_viewport()
    expect(page.locator("article.card", has_text="Bar l'Atelier")).to_be_in_viewport()
    expect(page.get_by_label(words["near"])).to_be_hidden()
    page.locator(".search-panel > summary").click()
    expect(page.get_by_label(words["near"])).to_have_value("Mende")
    assert not scrolls_sideways(page)
    if javascript:
        page.get_by_role("button", name=words["map"]).click()
        expect(page.locator("#map")).to_be_in_viewport()
        expect(page.locator(".leaflet-marker-icon")).to_have_count(1)
        page.get_by_role("button", name=words["list"]).click()
        expect(page.locator("article.card", has_text="Bar l'Atelier")).to_be_visible()
        assert_no_axe_violation(page)


def test_a_longer_search_on_a_phone_scrolls_to_its_results(site, visitor, language):
    """When the results start low (here, a search with no result: the form stays open to change
    it), the page opens at them; the links that change the search land there too."""
    words = WORDS[language]
    page = visitor(PHONE, language)
    page.goto(site.url + "/?q=zzzz&near=Mende&radius=30#resultats")
    expect(page.get_by_label(words["near"])).to_be_visible()  # nothing found: the form stays
    assert page.evaluate("window.scrollY") > 0
    expect(page.locator("#results-title")).to_be_in_viewport()
    expect(page.locator("#resultats .empty")).to_be_in_viewport()
    for link in page.locator("#resultats .empty a, .chips a").all():
        href = link.get_attribute("href")
        if not href.startswith("/?") and href != "/":
            continue  # not another search (an alert when a place answers it)
        assert href == "/" or href.endswith("#resultats"), href


def test_a_mistyped_commune_lands_on_what_to_correct(site, visitor, language):
    """A search the site cannot answer brings the phone to the form and its message, not to an
    empty list."""
    words = WORDS[language]
    page = visitor(PHONE, language)
    page.goto(site.url + "/")
    search_near(page, words, "Atlantide")
    expect(page.locator("#near-error")).to_be_in_viewport()
    expect(page.get_by_label(words["near"])).to_be_in_viewport()


def test_a_search_on_a_desktop_keeps_the_form_in_view(site, visitor, language):
    """On a desktop the form, the results and the map share the screen after a search."""
    words = WORDS[language]
    page = visitor(DESKTOP, language)
    page.goto(site.url + "/")
    search_near(page, words, "Mende")
    expect(page).to_have_url(re.compile(r"#resultats$"))
    expect(page.get_by_label(words["near"])).to_be_in_viewport()
    expect(page.locator("#results-title")).to_be_in_viewport()
    expect(page.locator("#map")).to_be_visible()
    expect(page.get_by_role("button", name=words["map"])).to_be_hidden()


def test_empty_states_say_so_in_a_sentence(site, visitor):
    """A network without members, a commune or EPCI without places, a place without services, a
    need no place meets: each says so in a sentence (in French here; every page in both
    languages is checked for empty lists and headings below)."""
    page = visitor(PHONE, "fr")
    sentences = {
        "/reseaux/france-services/": [
            "Aucun lieu membre pour l'instant.",
            "Aucune adhésion enregistrée.",
        ],
        "/communes/48080/": [
            "Aucun lieu référencé dans la commune.",
            "Aucun autre lieu à proximité.",
        ],
        "/intercommunalites/200006930/": ["Aucun lieu référencé sur ce territoire."],
        "/lieux/projet-de-saint-amans/": [
            "Les services de ce lieu ne sont pas encore renseignés.",
        ],
        "/couverture/?network=france-services": [
            "Aucun lieu ouvert ne répond à ce besoin : toutes les communes sont en zone blanche.",
        ],
        "/?q=zzzz": ["Aucun lieu ne correspond à cette recherche."],
    }
    for path, expected in sentences.items():
        page.goto(site.url + path)
        for sentence in expected:
            expect(page.get_by_text(sentence, exact=True)).to_be_visible()
        assert page.evaluate(EMPTY_PARTS) == [], path


# Each page at 390 px in both languages (longer English words must not push it sideways), and
# axe-core once per size: the markup is the same in both languages.
SWEEP = [(PHONE, "fr", True), (PHONE, "en", False), (DESKTOP, "en", True)]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_fit_a_phone_and_pass_axe(site, visitor, path):
    """Every public page, on a phone in French and English and on a desktop: no sideways
    scrolling at 390 px, no list, table or heading left empty, and no axe-core violation."""
    for viewport, language, axe in SWEEP:
        page = visitor(viewport, language)
        page.goto(site.url + path)
        page.wait_for_load_state("networkidle")
        expect(page.locator("html")).to_have_attribute("lang", language)
        assert not scrolls_sideways(page), (language, viewport)
        assert page.evaluate(EMPTY_PARTS) == [], (language, viewport)
        if axe:
            assert_no_axe_violation(page)
