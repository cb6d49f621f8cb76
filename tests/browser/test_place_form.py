"""An animateur in Chromium keeps a place's hours and position true: the week grid (with and
without JavaScript), hours typed in French, the position picker drawn without tiles (communes'
outlines and names, click to place, « Centrer sur la commune ») and the address search against a
stand-in of the national address service; on a phone and a desktop, in French and in English.
The form passes axe-core and never scrolls sideways.

These tests change data: each gets its own live site and small directory (`fresh_site`)."""

import re

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from backoffice.roles import ANIMATEURS
from places.models import Place
from tests.browser.conftest import COORDINATOR, assert_no_axe_violation, new_context
from tests.directory import MADE_UP
from tests.factories import MembershipFactory, RoomFactory, StopFactory

pytestmark = pytest.mark.browser
PASSWORD = "Lozere-2026-fablab"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
VIEWS = [
    pytest.param(PHONE, "fr-FR", id="phone-fr"),
    pytest.param(DESKTOP, "fr-FR", id="desktop-fr"),
    pytest.param(PHONE, "en-GB", id="phone-en"),
    pytest.param(DESKTOP, "en-GB", id="desktop-en"),
]
# The made-up place's hours in tests/directory.py, and what the grid adds to them below.
HOURS = "Mo-Fr 09:00-12:00,14:00-18:00"
WITH_SATURDAY = HOURS + "; Sa 10:00-12:00"
WITH_EVERYTHING = WITH_SATURDAY + "; Aug off; PH off"


@pytest.fixture
def animateur(fresh_site):
    """Murielle, animateur of the made-up « Atelier partagé d'essai » of Florac Trois Rivières."""
    user = User.objects.create_user(
        "murielle@example.org", "murielle@example.org", PASSWORD, is_staff=True
    )
    user.groups.add(Group.objects.get(name=ANIMATEURS))
    Place.objects.get(slug=MADE_UP).animateurs.add(user)
    return user


def open_form(browser, site, viewport, locale, javascript=True):
    """A signed-in page on the place's form, in the given size and language."""
    context = new_context(browser, viewport=viewport, locale=locale, java_script_enabled=javascript)
    page = context.new_page()
    page.goto(site.url + "/admin/login/")
    page.locator("#id_username").fill("murielle@example.org")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#login-form [type=submit]").click()
    place = Place.objects.get(slug=MADE_UP)
    page.goto(f"{site.url}/admin/places/place/{place.pk}/change/")
    return page


WIDE = """() => [...document.querySelectorAll('body *')]
    .filter(e => !e.closest('.leaflet-container'))
    .filter(e => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX === 'visible')
    .slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' + e.scrollWidth)"""


def assert_accessible_and_narrow(page):
    """axe-core finds nothing, and the page does not scroll sideways."""
    assert_no_axe_violation(page)
    wide = page.evaluate(WIDE)  # what makes the page scroll sideways, if it does
    assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth"), wide


@pytest.mark.parametrize(("viewport", "locale"), VIEWS)
def test_an_animateur_fills_the_week_grid_and_places_the_marker(
    fresh_site, browser, animateur, ban, viewport, locale
):
    """Saturday morning, holidays closed and August closed typed in the grid write the
    expression as she goes; then she centres the map on her commune (its outline and name drawn
    from local files, no tile asked), clicks to move the marker, finds her address through the
    address search and picks it; everything is saved."""
    page = open_form(browser, fresh_site, viewport, locale)
    asked = []
    page.on("request", lambda request: asked.append(request.url))
    expression = page.locator("#id_opening_hours")
    expect(expression).to_have_value(HOURS)
    expect(page.locator("#hours-preview")).to_contain_text("09:00–12:00")
    assert_accessible_and_narrow(page)

    # Item 7: the week grid.
    page.locator("#id_hours_grid-sa-0-start").fill("10:00")
    page.locator("#id_hours_grid-sa-0-end").fill("12h")
    expect(expression).to_have_value(WITH_SATURDAY)
    page.locator("#id_hours_grid-holidays").check()
    page.locator("details.hours-season summary").first.click()
    page.locator("#id_hours_grid-s0-from-month").select_option("8")
    page.locator("#id_hours_grid-s0-to-month").select_option("8")
    expect(expression).to_have_value(WITH_EVERYTHING)

    # Item 8: the position picker.
    picker = page.locator("#place-picker")
    page.locator(".solozere-picker-tools button").click()
    expect(picker).not_to_have_class(re.compile(r"\bsolozere-picker-far\b"))
    expect(
        picker.locator(".solozere-commune-name", has_text="Florac Trois Rivières")
    ).to_be_visible()
    box = picker.bounding_box()
    picker.click(position={"x": box["width"] / 2 + 30, "y": box["height"] / 2 + 30})
    moved = page.locator("#id_latitude").input_value()
    assert moved and moved != "44.32510"

    page.locator("#id_address").fill("")
    page.locator("#geocoder-query").fill("1 rue de l'Essai")
    page.locator("#geocoder-query").press("Enter")  # searches; does not send the form
    results = page.locator("#geocoder-results button")
    expect(results).to_have_count(2)
    assert_accessible_and_narrow(page)
    results.first.click()
    expect(page.locator("#id_latitude")).to_have_value("44.32510")
    expect(page.locator("#id_longitude")).to_have_value("3.59520")
    expect(page.locator("#id_address")).to_have_value(
        "1 rue de l'Essai, 48400 Florac Trois Rivières"
    )
    assert ban.requests[-1]["citycode"] == "48061"
    assert all(url.startswith(fresh_site.url) for url in asked), "a request left the site"

    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_be_visible()
    place = Place.objects.get(slug=MADE_UP)
    assert place.opening_hours == WITH_EVERYTHING
    assert (place.latitude, place.longitude) == (44.3251, 3.5952)
    page.context.close()


@pytest.mark.parametrize(("viewport", "locale"), [VIEWS[0], VIEWS[3]])
def test_hours_typed_in_french_are_understood_or_refused_clearly(
    fresh_site, browser, animateur, viewport, locale
):
    """« du lundi au vendredi 9h-12h 14h-17h » shows its expression in the preview and is saved
    so; « samedi matin » is refused with an example, in the preview and on saving."""
    page = open_form(browser, fresh_site, viewport, locale)
    expression = page.locator("#id_opening_hours")
    expression.fill("samedi matin")
    expect(page.locator("#hours-preview")).to_contain_text("« matin »")
    page.locator("input[name=_save]").click()
    error = page.locator(".field-opening_hours .errorlist")
    expect(error).to_contain_text("du lundi au vendredi 9h-12h 14h-17h")
    assert_accessible_and_narrow(page)

    page.locator("#id_opening_hours").fill("du lundi au vendredi 9h-12h 14h-17h")
    expect(page.locator("#hours-preview code")).to_have_text("Mo-Fr 09:00-12:00,14:00-17:00")
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_be_visible()
    assert Place.objects.get(slug=MADE_UP).opening_hours == "Mo-Fr 09:00-12:00,14:00-17:00"
    page.context.close()


@pytest.mark.parametrize(("viewport", "locale"), [VIEWS[0], VIEWS[3]])
def test_the_week_grid_works_without_javascript(fresh_site, browser, animateur, viewport, locale):
    """Without JavaScript the grid is plain inputs: Saturday typed, the form sent, the hours
    saved; a range without its end comes back as an error naming it."""
    page = open_form(browser, fresh_site, viewport, locale, javascript=False)
    page.locator("#id_hours_grid-sa-0-start").fill("10:00")
    page.locator("input[name=_save]").click()
    expect(page.locator(".field-hours_grid .errorlist li")).to_have_count(1)
    assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    page.locator("#id_hours_grid-sa-0-end").fill("12:00")
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_be_visible()
    assert Place.objects.get(slug=MADE_UP).opening_hours == WITH_SATURDAY
    page.context.close()


@pytest.mark.parametrize(("viewport", "locale"), VIEWS)
def test_a_coordinators_place_forms_pass_axe(fresh_site, browser, ban, viewport, locale):
    """A coordinator's add and change forms hold every widget (ticked lists of several values,
    the archiving date and time, the inlines with saved rows of each kind): axe-core finds
    nothing on either, with no rule left out and no script mending Django's widgets, nor with the
    address search's results shown, and neither scrolls sideways."""
    place = Place.objects.get(slug=MADE_UP)
    StopFactory(place=place, commune=place.commune)
    MembershipFactory(place=place)
    RoomFactory(place=place)
    context = new_context(browser, viewport=viewport, locale=locale)
    page = context.new_page()
    page.goto(fresh_site.url + "/admin/login/")
    page.locator("#id_username").fill(COORDINATOR[0])
    page.locator("#id_password").fill(COORDINATOR[1])
    page.locator("#login-form [type=submit]").click()
    page.goto(fresh_site.url + "/admin/places/place/add/")
    expect(page.locator("#place-picker")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert_accessible_and_narrow(page)
    page.goto(f"{fresh_site.url}/admin/places/place/{place.pk}/change/")
    expect(page.locator("#stops-group tbody tr.has_original")).not_to_have_count(0)
    expect(page.locator("#memberships-group tbody tr.has_original")).not_to_have_count(0)
    expect(page.locator("#id_services input[type=checkbox]").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert_accessible_and_narrow(page)
    page.locator("#geocoder-query").press("Enter")
    expect(page.locator("#geocoder-results button")).to_have_count(2)
    assert_accessible_and_narrow(page)
    context.close()


def test_the_place_form_needs_no_script_of_ours_to_pass_axe(fresh_site, browser, animateur):
    """Without the place form's own script (so nothing can mend a widget after it is drawn:
    the fixes are in the HTML served), the animateur's form still passes axe-core (which needs
    JavaScript itself, so only our script is kept out)."""
    context = new_context(browser, viewport=PHONE, locale="fr-FR")
    context.route("**/admin-place.js", lambda route: route.abort())
    page = context.new_page()
    page.goto(fresh_site.url + "/admin/login/")
    page.locator("#id_username").fill("murielle@example.org")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#login-form [type=submit]").click()
    place = Place.objects.get(slug=MADE_UP)
    page.goto(f"{fresh_site.url}/admin/places/place/{place.pk}/change/")
    expect(page.locator("#id_hours_grid-mo-0-start")).to_be_visible()
    expect(page.locator("#place-picker")).to_have_count(0)  # the script did not run
    page.wait_for_load_state("networkidle")
    assert_accessible_and_narrow(page)
    context.close()
