"""Registering for an event in Chromium, on a phone, in French: the event's page, the form and
its errors, the waiting list once the date is full, the cancel link of the e-mail; each page
passes axe-core and nothing scrolls sideways. Screenshots go to SHOTS_DIR for people to look at."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from agenda.models import Event
from places.models import Place
from tests import directory
from tests.browser.conftest import new_context
from tests.browser.test_agenda import DESKTOP, PHONE, check
from tests.factories import EventFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@pytest.fixture
def workshop(fresh_site):
    return EventFactory(
        place=Place.objects.get(slug=directory.MADE_UP),
        title="Atelier réparation de vélos",
        slug="atelier-reparation-de-velos",
        registration=Event.Registration.ONLINE,
        registration_limit=1,
        free=True,
    )


def test_registering_on_a_phone_then_the_waiting_list_then_cancelling(fresh_site, workshop, page):
    """Camille registers for the last seat; Dominique gets the waiting list; Camille cancels from
    the e-mail's link and Dominique gets the seat."""
    page.set_viewport_size(PHONE)
    page.goto(fresh_site.url + workshop.get_absolute_url())
    check(page, "registrations/1-event-phone")
    page.get_by_role("link", name="S'inscrire").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("S'inscrire")
    check(page, "registrations/2-form-phone")

    page.get_by_label("Votre nom").fill("Camille\nMartin")
    page.get_by_role("button", name="S'inscrire").click()
    expect(page.get_by_role("alert")).to_contain_text("Indiquez un courriel ou un téléphone")
    check(page, "registrations/3-form-error-phone")

    page.get_by_label("Courriel").fill("camille@example.org")
    page.get_by_role("button", name="S'inscrire").click()
    expect(page.get_by_text("Merci, vous êtes inscrit !")).to_be_visible()
    expect(page.get_by_text("complet", exact=True)).to_be_visible()
    check(page, "registrations/4-registered-full-phone")

    page.get_by_role("link", name="Complet : s'inscrire sur la liste d'attente").click()
    page.get_by_label("Votre nom").fill("Dominique")
    page.get_by_label("Téléphone").fill("04 66 00 00 00")
    page.get_by_role("button", name="S'inscrire").click()
    expect(page.get_by_text("vous êtes sur la liste d'attente")).to_be_visible()

    (message,) = mail.outbox
    link = re.search(r"http://\S+/annuler/\S+/", message.body).group(0)
    page.goto(link)
    check(page, "registrations/5-cancel-phone")
    page.get_by_role("button", name="Annuler mon inscription").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inscription annulée")
    check(page, "registrations/6-cancelled-phone")
    statuses = list(workshop.registrations.values_list("name", "status"))
    assert statuses == [("Dominique", "confirmed")]


def test_the_form_on_a_desktop_and_in_english(fresh_site, workshop, browser):
    """The form passes axe on a desktop, and in English on a phone."""
    context = new_context(browser, locale="en-GB")
    page = context.new_page()
    page.set_viewport_size(DESKTOP)
    page.goto(fresh_site.url + workshop.get_absolute_url() + "inscription/")
    check(page, "registrations/7-form-desktop")
    page.set_viewport_size(PHONE)
    page.goto(fresh_site.url + "/langue/en/?next=" + workshop.get_absolute_url() + "inscription/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    check(page, "registrations/8-form-phone-en")
    context.close()
