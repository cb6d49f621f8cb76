"""The agenda in Chromium: on a phone first, without JavaScript, in English; axe-core passes and
nothing scrolls sideways. Every test here only reads the shared site (the small directory, whose
made-up place and network have made-up events)."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_no_axe_violation, new_context, shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
PAGES = ["/agenda/", "/agenda/?when=week&free=true", "/agenda/atelier-dessai-hebdomadaire/"]


def assert_no_sideways_scroll(page):
    assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


def check(page, shot):
    """The page passes axe-core and never scrolls sideways; its screenshot is `shot` (`shoot`)."""
    assert_no_axe_violation(page)
    assert_no_sideways_scroll(page)
    shoot(page, shot, full_page=True)


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("path", PAGES)
def test_agenda_pages_pass_axe_and_fit_the_screen(site, page, size, path):
    """Each agenda page, on a phone and a desktop: no axe violation, no sideways scroll."""
    page.set_viewport_size(size)
    page.goto(site.url + path)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_no_axe_violation(page)
    assert_no_sideways_scroll(page)


def test_a_visitor_finds_this_weeks_free_workshop_on_a_phone(site, page):
    """On a phone: « Cette semaine », « Gratuit », then the workshop, its page and its .ics."""
    page.set_viewport_size(PHONE)
    page.goto(site.url + "/agenda/")
    page.get_by_label("Quand").select_option("week")
    page.get_by_label("Gratuit").check()
    page.get_by_role("button", name="Afficher").click()
    assert "when=week" in page.url and "free=true" in page.url
    expect(page.get_by_role("link", name="Projection d'essai")).to_have_count(0)
    page.get_by_role("link", name="Atelier d'essai hebdomadaire").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Atelier d'essai hebdomadaire")
    link = page.get_by_role("link", name="Ajouter à mon agenda")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".ics")


def test_the_agenda_works_without_javascript(site, browser):
    """Without JavaScript the filters still choose events: the form is a plain GET."""
    context = new_context(browser, java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    page.set_viewport_size(PHONE)
    page.goto(site.url + "/agenda/")
    page.get_by_label("Près de (commune)").fill("Florac")
    page.get_by_role("button", name="Afficher").click()
    expect(page.get_by_role("link", name="Rencontre d'essai du réseau").first).to_be_visible()
    assert_no_sideways_scroll(page)
    context.close()


def test_the_agenda_in_english_fits_a_phone(site, browser):
    """In English, on a phone: the page answers, passes axe and does not scroll sideways."""
    context = new_context(browser, locale="en-GB")
    page = context.new_page()
    page.set_viewport_size(PHONE)
    page.goto(site.url + "/langue/en/?next=/agenda/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert_no_axe_violation(page)
    assert_no_sideways_scroll(page)
    context.close()


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_directory_finds_places_with_an_event_this_week(site, browser, size, language):
    """In the directory's criteria, « Un évènement cette semaine » keeps the made-up place (its
    weekly workshop and its film): in French and English, on a phone and a desktop, the list and
    the map agree, axe-core passes and nothing scrolls sideways."""
    context = new_context(browser, locale="fr-FR" if language == "fr" else "en-GB")
    page = context.new_page()
    page.set_viewport_size(size)
    page.goto(site.url + f"/langue/{language}/?next=/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    page.locator("details.criteria > summary").click()
    box = page.locator("input[name=event_week]")
    box.check()
    # Its label says how many places ticking it gives, as the other criteria do.
    expect(page.locator("label", has=box)).to_contain_text("(1)")
    assert_no_axe_violation(page)
    assert_no_sideways_scroll(page)
    name = "phone" if size == PHONE else "desktop"
    box.scroll_into_view_if_needed()
    shoot(page, f"agenda/event-week-form-{language}-{name}")
    page.locator("details.criteria button[type=submit]").click()
    assert "event_week=true" in page.url
    cards = page.locator("article.card")
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text("Atelier partagé d'essai")
    if size == DESKTOP:  # a phone shows the map when asked
        expect(page.locator(".leaflet-marker-icon")).to_have_count(1)
    assert_no_axe_violation(page)
    assert_no_sideways_scroll(page)
    shoot(page, f"agenda/event-week-{language}-{name}", full_page=True)
    context.close()
