"""Visitors in Chromium act on what they find (issue 16, items 2 and 3): a place's page says first
how to get there, when it opens and whom to call; cards show practical facts; an empty search
says how far the nearest place is; places in project are listed when asked for. On a phone and
a desktop, in French and in English, every page passes axe-core and none scrolls sideways.

Every test here only reads: they share one live site over the small directory (conftest.py)."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ALL, assert_fits_and_passes_axe, sign_in_as_coordinator

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

# What the pages say in each language (strings translated in the catalogues).
WORDS = {
    "fr": {
        "where": "Où",
        "hours": "Horaires",
        "contact": "Contact",
        "services": "Services",
        "open_state": re.compile("^(Ouvert maintenant|Fermé en ce moment)$"),
        "no_contact": "Pas encore de coordonnées.",
        "empty": "Aucun lieu ne correspond à cette recherche.",
        "within_30": "Chercher dans un rayon de 30 km",
        "project": "En projet",
    },
    "en": {
        "where": "Where",
        "hours": "Opening hours",
        "contact": "Contact",
        "services": "Services",
        "open_state": re.compile("^(Open now|Closed right now)$"),
        "no_contact": "No contact details yet.",
        "empty": "No place matches this search.",
        "within_30": "Search within 30 km",
        "project": "In project",
    },
}
PLACE = "/lieux/atelier-partage-dessai/"  # made up, with every practical fact filled in
NO_CONTACT = "/lieux/msap-de-marvejols/"  # as the network's documents give it: no contact yet


def assert_drawn_fits_and_passes_axe(page):
    """Once the page's map has drawn (its data fetched), it fits and passes axe-core."""
    page.wait_for_load_state("networkidle")
    assert_fits_and_passes_axe(page)


def heading(page, name):
    return page.get_by_role("heading", level=2, name=name, exact=True)


@pytest.mark.parametrize(("screen", "language"), ALL)
def test_a_place_page_says_how_to_get_there_before_what_it_offers(site, visit, screen, language):
    """Where (with the route planner and how precise the position is), this week's hours with
    « open now », and the contact come before the services; on a desktop they are the left
    column, on a phone they come first."""
    words = WORDS[language]
    page = visit(screen, language)
    page.goto(site.url + PLACE)
    expect(page.locator("header .card-meta .tag", has_text=words["open_state"])).to_be_visible()
    where, hours, contact, services = (
        heading(page, words[key]).bounding_box()
        for key in ("where", "hours", "contact", "services")
    )
    assert where["y"] < hours["y"] < contact["y"]
    if screen == "phone":
        assert contact["y"] < services["y"]
    else:
        assert where["x"] < services["x"] and abs(where["y"] - services["y"]) < 200
    directions = page.locator("a.directions")
    expect(directions).to_have_attribute(
        "href", "https://www.openstreetmap.org/directions?route=%3B44.32510%2C3.59520"
    )
    expect(directions).to_be_visible()
    expect(page.locator("table.hours tbody tr")).to_have_count(7)
    expect(page.get_by_role("link", name="04 66 00 00 00")).to_have_attribute(
        "href", "tel:04 66 00 00 00"
    )
    assert_drawn_fits_and_passes_axe(page)


@pytest.mark.parametrize(("screen", "language"), ALL)
def test_a_place_without_contact_says_whom_to_ask(site, visit, screen, language):
    """The MSAP of Marvejols has no contact details yet: its page says so and leads to the form
    that reaches the network's coordination (no coordination address is set here)."""
    words = WORDS[language]
    page = visit(screen, language)
    page.goto(site.url + NO_CONTACT)
    practical = page.locator("section.place-side")
    expect(practical.get_by_text(words["no_contact"])).to_be_visible()
    expect(practical.locator("a.directions")).to_be_visible()  # placed at its town hall
    assert_drawn_fits_and_passes_axe(page)
    practical.locator('a[href="/lieux/msap-de-marvejols/signaler/"]').click()
    expect(page.locator("form.contribute")).to_be_visible()


@pytest.mark.parametrize(("screen", "language"), ALL)
def test_cards_show_practical_facts_and_projects_only_when_asked(site, visit, screen, language):
    """Cards show the type, the commune, « open now » and the services' pictograms, never the
    common base's score; places in project are left out until asked for, then marked."""
    words = WORDS[language]
    page = visit(screen, language)
    page.goto(site.url + "/")
    card = page.locator("article.card", has_text="Atelier partagé d'essai")
    expect(card.locator(".card-where")).to_contain_text("Florac Trois Rivières")
    expect(card.locator(".tag", has_text=words["open_state"])).to_be_visible()
    expect(card.locator(".pictos img")).to_have_count(4)
    expect(page.locator("article.card", has_text="Socle")).to_have_count(0)
    expect(page.locator("article.card", has_text="Le Rucher du Monastier")).to_have_count(0)
    assert_drawn_fits_and_passes_axe(page)
    page.locator('a[href="/?include_projects=true"]').click()
    project = page.locator("article.card", has_text="Le Rucher du Monastier")
    expect(project.locator(".tag-status")).to_have_text(words["project"])
    assert_drawn_fits_and_passes_axe(page)


@pytest.mark.parametrize(("screen", "language"), ALL)
def test_an_empty_near_search_says_how_far_the_nearest_place_is(site, visit, screen, language):
    """No café within 5 km of Villefort: the page names the nearest one, how far it is, and one
    click searches a radius that reaches it."""
    words = WORDS[language]
    page = visit(screen, language)
    page.goto(site.url + "/?near=Villefort&radius=5&service=cafe")
    expect(page.get_by_text(words["empty"])).to_be_visible()
    empty = page.locator(".empty")
    expect(empty.get_by_role("link", name="Atelier partagé d'essai")).to_be_visible()
    expect(empty).to_contain_text("29,6 km" if language == "fr" else "29.6 km")
    assert_drawn_fits_and_passes_axe(page)
    empty.get_by_role("link", name=words["within_30"]).click()
    assert "radius=30" in page.url
    expect(page.locator("article.card", has_text="Atelier partagé d'essai")).to_be_visible()


def test_coordinators_still_see_the_common_base_on_cards(site, page):
    """Signed in, a coordinator's cards keep the common base's score."""
    sign_in_as_coordinator(page, site)
    page.goto(site.url + "/")
    card = page.locator("article.card", has_text="Atelier partagé d'essai")
    expect(card.locator(".card-charter")).to_contain_text("Socle commun : 3/3")
