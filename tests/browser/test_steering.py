"""Steering the network in Chromium: the coverage page, the charter, the dashboard.

Every test here only reads: they share one live site over the small directory (conftest.py)."""

import pytest
from playwright.sync_api import expect

from tests import directory
from tests.browser.conftest import assert_no_axe_violation, sign_in_as_coordinator

# The database is the module's shared site's (conftest.py); each test's own changes, if any, are
# rolled back.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def test_an_official_reads_the_coverage_of_public_services(site, page):
    """An official picks a service, then a network: every commune is drawn on the map, each row
    names its nearest place and distance, and the figures follow the choice."""
    page.goto(site.url + "/couverture/")
    page.get_by_label("Services").select_option("admin-help")
    page.get_by_role("button", name="Afficher la couverture").click()
    assert "service=admin-help" in page.url
    expect(page.locator("#map path.leaflet-interactive")).to_have_count(len(directory.COMMUNES))
    marvejols = page.get_by_role("row", name="Marvejols 4 764")
    expect(marvejols).to_contain_text("0,0 km")
    before = page.locator(".figures").inner_text()

    page.get_by_label("Services").select_option("")
    page.get_by_label("Réseaux").select_option("occitanie")
    page.get_by_role("button", name="Afficher la couverture").click()
    expect(page.get_by_role("row", name="Saint-Chély-d'Apcher 3 955")).to_contain_text(
        "Télécentre de Saint-Chély-d'Apcher"
    )
    assert page.locator(".figures").inner_text() != before
    expect(page.locator("#map path.leaflet-interactive")).to_have_count(len(directory.COMMUNES))
    assert_no_axe_violation(page)


def test_the_charter_page_passes_axe(site, page):
    """The public charter page shows the six principles and passes axe-core."""
    page.goto(site.url + "/charte/")
    expect(page.get_by_role("heading", name="Six principes")).to_be_visible()
    assert_no_axe_violation(page)


def test_the_charter_dashboard_passes_axe(site, page):
    """A coordinator's charter dashboard (places against the common base) passes axe-core."""
    sign_in_as_coordinator(page, site)
    page.goto(site.url + "/charte/tableau-de-bord/")
    expect(page.get_by_role("heading", name="Lieux et socle commun")).to_be_visible()
    assert_no_axe_violation(page)


def test_a_tourist_office_gets_the_code_to_embed_its_places(site, page):
    """The open-data page gives the iframe code for a communauté de communes, and that code shows
    its places."""
    page.goto(site.url + "/donnees/")
    page.get_by_label("Communauté de communes").select_option("244800470")
    code = page.get_by_label("Code à coller dans votre page").input_value()
    assert "/embed/?epci=244800470" in code and code.startswith("<iframe")
    page.set_content(f"<!doctype html><title>Office</title>{code}")
    frame = page.frame_locator("iframe")
    expect(frame.get_by_text("MSAP de Marvejols")).to_be_visible()
