"""The back-office's own pages in Chromium: invited, Murielle chooses her password on Solozère's
pages; « Mot de passe oublié »; the 403, 404 and the refusal of a form left open too long; on a
phone (390 px) and a desktop, in French and English, never « Django », each page passing axe-core
and never scrolling sideways.

These tests change data: each gets its own live site and small directory (`fresh_site`)."""

import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from playwright.sync_api import expect

from places.models import Place
from tests.browser.conftest import COORDINATOR, assert_fits_and_passes_axe
from tests.browser.test_freshness import COMBINATIONS, PASSWORD, open_page, t
from tests.factories import EventFactory

pytestmark = pytest.mark.browser
DJANGO = re.compile("Django")


def assert_solozere(page):
    """The page names Solozère and never Django, fits a phone and passes axe-core."""
    expect(page.locator("body")).to_contain_text("Solozère")
    expect(page.locator("body")).not_to_contain_text(DJANGO)
    expect(page).not_to_have_title(DJANGO)
    assert_fits_and_passes_axe(page)


def sign_in(page, site, username, password):
    page.goto(site.url + "/admin/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("input[type=submit]").click()


@pytest.mark.parametrize(
    ("viewport", "language"),
    [COMBINATIONS[1], COMBINATIONS[2]],  # phone in English, desktop in French
)
def test_an_invited_animateur_chooses_her_password(fresh_site, browser, viewport, language):
    """A coordinator invites Murielle for the MSAP de Villefort; the e-mail names the place;
    its link opens Solozère's « Choisissez votre mot de passe »; then she signs in."""
    page = open_page(browser, viewport, language)
    sign_in(page, fresh_site, *COORDINATOR)
    page.goto(fresh_site.url + "/admin/auth/user/invite/")
    page.locator("#id_email").fill("murielle@example.org")
    page.locator("#id_first_name").fill("Murielle")
    page.locator("#id_last_name").fill("Causse")
    villefort = Place.objects.get(slug="msap-de-villefort")
    page.locator("#id_places").select_option(str(villefort.pk))
    mail.outbox.clear()
    page.locator("input[type=submit]").click()
    [invitation] = mail.outbox
    assert "MSAP de Villefort" in invitation.subject and "- MSAP de Villefort" in invitation.body
    link = re.search(r"https?://\S+/reset/\S+/", invitation.body).group(0)
    page.context.clear_cookies()

    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        t(language, "Choisissez votre mot de passe")
    )
    expect(page.locator("#content")).to_contain_text("murielle@example.org")
    assert_solozere(page)
    page.locator("#id_new_password1").fill(PASSWORD)
    page.locator("#id_new_password2").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        t(language, "Mot de passe enregistré")
    )
    assert_solozere(page)
    page.get_by_role("link", name=t(language, "Se connecter")).click()
    page.locator("#id_username").fill("murielle@example.org")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    expect(page.get_by_role("link", name="MSAP de Villefort").first).to_be_visible()
    page.context.close()


@pytest.mark.parametrize(("viewport", "language"), COMBINATIONS)
def test_password_and_error_pages_are_solozeres(
    fresh_site, browser, animateur, settings, viewport, language
):
    """« Mot de passe oublié » and its confirmation, an expired link, the back-office's 403 and
    404, and a form refused for its missing CSRF cookie (back-office and public site): each says
    Solozère, in the visitor's language and a phone's width, and passes axe-core."""
    settings.SOLOZERE_COORDINATION_EMAIL = "coordination@example.org"
    page = open_page(browser, viewport, language)
    page.goto(fresh_site.url + "/admin/password_reset/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.get_by_role("heading", level=1)).to_have_text(t(language, "Mot de passe oublié"))
    assert_solozere(page)
    page.locator("#id_email").fill("murielle@example.org")
    page.locator("input[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        t(language, "Vérifiez votre messagerie")
    )
    assert_solozere(page)

    page.goto(fresh_site.url + "/reset/MQ/expire/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        t(language, "Lien expiré ou déjà utilisé")
    )
    assert_solozere(page)

    uid = urlsafe_base64_encode(force_bytes(animateur.pk))
    page.goto(fresh_site.url + f"/reset/{uid}/{default_token_generator.make_token(animateur)}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        t(language, "Choisissez votre mot de passe")
    )
    assert_solozere(page)

    # A form left open while its CSRF cookie went: the login, then a public form.
    page.context.clear_cookies()
    page.goto(fresh_site.url + "/admin/login/")
    page.context.clear_cookies()
    page.locator("#id_username").fill("murielle@example.org")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t(language, "La page a expiré"))
    expect(page.locator("#site-name")).to_be_visible()
    assert_solozere(page)
    page.goto(fresh_site.url + "/suggerer-un-lieu/")
    page.context.clear_cookies()
    page.locator("form.contribute button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t(language, "La page a expiré"))
    expect(page.locator(".site-header")).to_be_visible()
    assert_solozere(page)

    sign_in(page, fresh_site, "murielle@example.org", PASSWORD)
    other = Place.objects.get(slug="msap-de-marvejols")
    response = page.goto(fresh_site.url + f"/admin/places/place/{other.pk}/change/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text(t(language, "Accès refusé"))
    expect(page.get_by_role("link", name="coordination@example.org")).to_be_visible()
    expect(page.locator("#user-tools")).to_be_visible()
    assert_solozere(page)

    response = page.goto(fresh_site.url + "/admin/nulle-part/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text(t(language, "Page introuvable"))
    expect(page.locator("#user-tools")).to_be_visible()
    assert_solozere(page)
    page.context.close()


@pytest.mark.parametrize(("viewport", "language"), COMBINATIONS)
def test_the_pages_an_animateur_meets_pass_axe(fresh_site, browser, animateur, viewport, language):
    """Murielle's home, her list of places, her events and the event form (with a saved event
    of her place): axe-core finds nothing on any, and none scrolls sideways."""
    villefort = Place.objects.get(slug="msap-de-villefort")
    event = EventFactory(place=villefort)
    page = open_page(browser, viewport, language)
    sign_in(page, fresh_site, "murielle@example.org", PASSWORD)
    for path in [
        "/admin/",
        "/admin/places/place/",
        "/admin/agenda/event/",
        "/admin/agenda/event/add/",
        f"/admin/agenda/event/{event.pk}/change/",
    ]:
        response = page.goto(fresh_site.url + path)
        assert response.status == 200, path
        page.wait_for_load_state("networkidle")
        assert_fits_and_passes_axe(page)
    page.context.close()


@pytest.mark.parametrize(("viewport", "language"), [COMBINATIONS[0], COMBINATIONS[3]])
def test_the_coordinators_home_passes_axe(fresh_site, browser, viewport, language):
    """The coordinators' home, with its lists of places to verify, those no reminder can reach
    (no animateur with an address: every place of the small directory) and those to complete,
    passes axe-core (its links among words are underlined) and fits a phone."""
    page = open_page(browser, viewport, language)
    sign_in(page, fresh_site, *COORDINATOR)
    expect(page.locator("#unreachable")).to_be_visible()
    assert_fits_and_passes_axe(page)
    page.context.close()
