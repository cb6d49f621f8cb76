"""`/salles/` in Chromium, on a phone and a desktop, in French and English, with and without
JavaScript. Each page passes axe-core and nothing scrolls sideways. Screenshots go to SHOTS_DIR for
people to look at (the request form's: test_rooms_requests.py)."""

import pytest
from playwright.sync_api import expect

from tests import directory
from tests.browser.conftest import new_context
from tests.browser.test_agenda import DESKTOP, PHONE, assert_no_sideways_scroll, check
from tests.factories import next_monday_at

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

MONDAY = f"{next_monday_at(10):%Y-%m-%d}"


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_room_search(site, browser, size, language):
    """A morning next Monday, for six people: both made-up rooms are free and listed with
    « Demander ce créneau » (whose link carries the slot); for twenty people, none."""
    context = new_context(browser, locale="fr-FR" if language == "fr" else "en-GB")
    page = context.new_page()
    page.set_viewport_size(size)
    page.goto(site.url + f"/langue/{language}/?next=/salles/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    page.locator("input[name=date]").fill(MONDAY)
    page.locator("select[name=period]").select_option("morning")
    page.locator("input[name=people]").fill("6")
    page.locator("button.button-primary").click()
    expect(page.locator(".room-card")).to_have_count(2)
    link = page.locator(".room-card a.button-primary").first
    assert f"date={MONDAY}" in link.get_attribute("href")
    name = "phone" if size == PHONE else "desktop"
    check(page, f"rooms/1-search-{language}-{name}")
    page.locator("input[name=people]").fill("20")
    page.locator("button.button-primary").click()
    expect(page.locator(".room-card")).to_have_count(0)
    context.close()


def test_the_room_search_works_without_javascript(site, browser):
    """Without JavaScript, the search is a plain GET form; a day alone means the whole day (9 h –
    17 h): the room that closes at lunch is left out."""
    context = new_context(browser, java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    page.set_viewport_size(PHONE)
    page.goto(site.url + "/salles/")
    page.get_by_label("Jour").fill(MONDAY)
    page.get_by_label("Près de (commune)").fill("Florac")
    page.get_by_role("button", name="Chercher").click()
    expect(page.locator(".room-card")).to_have_count(1)
    expect(page.locator(".room-card h2")).to_have_text(directory.ROOMS[0])
    assert_no_sideways_scroll(page)
    context.close()
