"""An animateur in Chromium: log in, place the marker, fix the hours, confirm, see the page.

These tests change data: each gets its own live site and small directory (`fresh_site`)."""

import re

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from backoffice.roles import ANIMATEURS
from places.models import Place
from tests.browser.conftest import assert_no_axe_violation

pytestmark = pytest.mark.browser
PASSWORD = "Lozere-2026-fablab"


@pytest.fixture
def animateur(fresh_site):
    """Murielle, animateur of the MSAP de Villefort, who signs in with PASSWORD."""
    user = User.objects.create_user(
        "murielle@example.org",
        "murielle@example.org",
        PASSWORD,
        is_staff=True,
        first_name="Murielle",
        last_name="Causse",
    )
    user.groups.add(Group.objects.get(name=ANIMATEURS))
    Place.objects.get(slug="msap-de-villefort").animateurs.add(user)
    return user


def log_in(page, site):
    page.goto(site.url + "/admin/")
    page.get_by_label("Nom d’utilisateur").fill("murielle@example.org")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()


def test_an_animateur_keeps_their_place_true(fresh_site, page, animateur):
    """Murielle places her marker, is warned of bad hours as she types, saves, confirms the
    information up to date, agrees to be named, and the public page shows it all with her
    name."""
    log_in(page, fresh_site)
    expect(page.get_by_role("heading", name="Vos lieux")).to_be_visible()
    page.get_by_role("link", name="MSAP de Villefort").first.click()

    picker = page.locator("#place-picker")
    expect(picker).to_be_visible()
    box = picker.bounding_box()
    picker.click(position={"x": box["width"] / 2 + 40, "y": box["height"] / 2})
    latitude = page.locator("#id_latitude").input_value()
    assert latitude and latitude != "44.43844"
    expect(page.locator("#id_location_precision")).to_have_value("exact")

    page.locator("#id_opening_hours").fill("Tu-Sa 09:00-12:30")
    expect(page.locator("#hours-preview")).to_contain_text("09:00–12:30")
    page.locator("#id_opening_hours").fill("Ma-Sa 9h")
    expect(page.locator("#hours-preview")).to_contain_text("Horaires d'ouverture invalides")
    page.locator("#id_opening_hours").fill("Tu-Sa 09:00-12:30")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("MSAP de Villefort")

    page.goto(fresh_site.url + "/admin/")
    page.get_by_role("button", name="Les informations sont à jour").click()
    expect(page.locator(".messagelist")).to_contain_text("est confirmé à jour")

    page.goto(fresh_site.url + "/lieux/msap-de-villefort/")
    expect(page.get_by_text("Murielle Causse")).to_have_count(0)  # not before she agrees
    page.goto(fresh_site.url + "/admin/")
    page.get_by_role("link", name="Modifier ce choix").click()
    page.get_by_label("J'accepte que mon nom soit affiché publiquement").check()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".messagelist")).to_contain_text("Votre nom est désormais affiché")

    page.goto(fresh_site.url + "/lieux/msap-de-villefort/")
    expect(page.get_by_role("table")).to_contain_text(re.compile("09:00–12:30"))
    expect(page.get_by_text("Localisation approximative")).to_have_count(0)
    expect(page.get_by_text("Informations vérifiées le")).to_be_visible()
    expect(page.get_by_text("Murielle Causse")).to_be_visible()


@pytest.mark.parametrize("path", ["/admin/", "/admin/places/place/"])
def test_back_office_pages_pass_axe(fresh_site, page, animateur, path):
    """The animateur's home and place list pass axe-core."""
    log_in(page, fresh_site)
    page.goto(fresh_site.url + path)
    assert_no_axe_violation(page)


def test_the_public_can_report_an_error(fresh_site, page):
    """From a place's page a visitor reaches an accessible report form, sends it, and is thanked
    back on the place's page."""
    page.goto(fresh_site.url + "/lieux/msap-de-marvejols/")
    page.get_by_role("link", name="Signaler une erreur").click()
    assert_no_axe_violation(page)
    page.get_by_label("Qu'est-ce qui est inexact ou manque ?").fill("Le numéro a changé.")
    page.get_by_role("button", name="Envoyer").click()
    expect(page.get_by_text("Merci ! Votre message a bien été transmis")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("MSAP de Marvejols")
