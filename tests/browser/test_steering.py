"""Steering the network in Chromium: the coverage page, the charter, the dashboard."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def assert_no_axe_violation(page):
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_an_official_reads_the_coverage_of_france_services(site, page):
    page.goto(site.url + "/couverture/")
    page.get_by_label("Réseaux").select_option("france-services")
    page.get_by_role("button", name="Afficher la couverture").click()
    assert "network=france-services" in page.url
    expect(page.locator("#map path.leaflet-interactive")).to_have_count(152)
    marvejols = page.get_by_role("row", name="Marvejols 4 764")
    expect(marvejols).to_contain_text("0,0 km")
    before = page.locator(".figures").inner_text()

    page.get_by_label("Réseaux").select_option("")
    page.get_by_label("Services").select_option("digital-help")
    page.get_by_role("button", name="Afficher la couverture").click()
    expect(page.get_by_role("row", name="Saint-Chély-d'Apcher 3 955")).to_contain_text(
        "Télécentre de Saint-Chély-d'Apcher"
    )
    assert page.locator(".figures").inner_text() != before
    expect(page.locator("#map path.leaflet-interactive")).to_have_count(152)
    assert_no_axe_violation(page)


def test_the_charter_page_passes_axe(site, page):
    page.goto(site.url + "/charte/")
    expect(page.get_by_role("heading", name="Six principes")).to_be_visible()
    assert_no_axe_violation(page)


def test_the_charter_dashboard_passes_axe(site, page):
    user = User.objects.create_user(
        "c@example.org", "c@example.org", "Lozere-2026-x", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Coordinateurs"))
    page.goto(site.url + "/admin/")
    page.get_by_label("Nom d’utilisateur").fill("c@example.org")
    page.get_by_label("Mot de passe").fill("Lozere-2026-x")
    page.get_by_role("button", name="Connexion").click()
    page.goto(site.url + "/charte/tableau-de-bord/")
    expect(page.get_by_role("heading", name="Lieux et socle commun")).to_be_visible()
    assert_no_axe_violation(page)


def test_a_tourist_office_gets_the_code_to_embed_its_places(site, page):
    page.goto(site.url + "/donnees/")
    page.get_by_label("Communauté de communes").select_option("244800470")
    code = page.get_by_label("Code à coller dans votre page").input_value()
    assert "/embed/?epci=244800470" in code and code.startswith("<iframe")
    page.set_content(f"<!doctype html><title>Office</title>{code}")
    frame = page.frame_locator("iframe")
    expect(frame.get_by_text("MSAP de Marvejols")).to_be_visible()
