"""A visitor in Chromium: the directory lists the real places and every page passes axe-core."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def assert_no_axe_violation(page):
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_jean_finds_the_france_services_of_marvejols_and_opens_it(site, page):
    """Jean, a farmer, looks for the France Services of Marvejols from the directory."""
    page.goto(site.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Les tiers-lieux de Lozère")
    card = page.locator("article.card", has_text="MSAP de Marvejols")
    expect(card).to_contain_text("Marvejols")
    expect(card).to_contain_text("Aide aux démarches administratives")
    card.get_by_role("link", name="MSAP de Marvejols").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("MSAP de Marvejols")
    expect(page.get_by_text("Localisation approximative")).to_be_visible()


def test_the_skip_link_is_the_first_stop_for_keyboard_users(site, page):
    page.goto(site.url)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Aller au contenu")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()


def test_switching_to_english_keeps_the_page_and_translates_it(site, page):
    page.goto(site.url + "/lieux/bar-latelier/")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bar l'Atelier")
    expect(page.get_by_text("Café / bar").first).to_be_visible()
    expect(page.get_by_role("heading", name="Audiences welcomed")).to_be_visible()


@pytest.mark.parametrize("path", ["/", "/lieux/msap-de-marvejols/", "/a-propos/"])
def test_pages_have_no_accessibility_violation(site, page, path):
    page.goto(site.url + path)
    assert_no_axe_violation(page)


def test_the_directory_reads_on_a_phone(site, page):
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(site.url)
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert not overflow
    assert_no_axe_violation(page)
