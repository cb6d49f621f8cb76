"""Asking for a room in Chromium: a place's rooms and « Demander ce créneau », the request form,
its errors and its sending; the back-office's list of requests and a request's answer. Each page
passes axe-core and nothing scrolls sideways. Screenshots go to SHOTS_DIR for people to look at."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from places.models import Place
from rooms.models import RoomRequest
from tests import directory
from tests.browser.conftest import sign_in_as_coordinator
from tests.browser.test_agenda import DESKTOP, PHONE, check
from tests.factories import UserFactory, next_monday_at

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

MONDAY = f"{next_monday_at(10):%Y-%m-%d}"


def test_asking_for_a_room_from_its_place_page(fresh_site, page):
    """On a phone: the place's page lists its rooms; the form refuses a line break in the name
    and too many people, then sends the request, which the place is told of."""
    page.set_viewport_size(PHONE)
    place = Place.objects.get(slug=directory.MADE_UP)
    place.animateurs.add(UserFactory(username="anim@example.org", email="anim@example.org"))
    page.goto(fresh_site.url + place.get_absolute_url() + "#salles")
    rooms = page.locator("#salles")
    expect(rooms.get_by_role("heading", name="Salles", exact=True)).to_be_visible()
    page.locator("#salles").scroll_into_view_if_needed()
    check(page, "rooms/2-place-rooms-phone")
    page.get_by_role("link", name="Demander ce créneau — Salle d'essai").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Salle d'essai")
    check(page, "rooms/3-form-phone")
    page.get_by_label("Jour").fill(MONDAY)
    page.locator("select[name=start]").select_option("10:00")
    page.locator("select[name=end]").select_option("12:00")
    page.get_by_label("Nombre de personnes").fill("30")
    page.get_by_label("Votre nom").fill("Catherine")
    page.get_by_label("Courriel").fill("catherine@example.org")
    page.get_by_label("Objet de la réunion").fill("Réunion de projet")
    page.get_by_role("button", name="Envoyer la demande").click()
    expect(page.get_by_role("alert")).to_contain_text("au plus 12 personnes")
    check(page, "rooms/4-form-error-phone")
    page.get_by_label("Nombre de personnes").fill("8")
    page.get_by_role("button", name="Envoyer la demande").click()
    expect(page.get_by_text("Demande envoyée")).to_be_visible()
    assert RoomRequest.objects.get().status == RoomRequest.Status.ASKED
    assert {message.to[0] for message in mail.outbox} == {
        "anim@example.org",
        "catherine@example.org",
    }


def test_the_back_office_list_of_requests(fresh_site, page):
    """The coordinator's list of requests, then one request's answer form."""
    room = Place.objects.get(slug=directory.MADE_UP).rooms.get(name=directory.ROOMS[0])
    start = next_monday_at(10)
    RoomRequest.objects.create(
        room=room,
        start=start,
        end=start.replace(hour=12),
        people=8,
        name="Catherine",
        email="catherine@example.org",
        organisation="POLeN",
        purpose="Réunion de projet",
    )
    page.set_viewport_size(DESKTOP)
    sign_in_as_coordinator(page, fresh_site)
    page.goto(fresh_site.url + "/admin/rooms/roomrequest/")
    expect(page.locator("#result_list")).to_contain_text("Catherine")
    check(page, "rooms/5-backoffice-requests-desktop")
    page.locator("#result_list tbody a").first.click()
    expect(page.get_by_text("Réponse")).to_be_visible()
    check(page, "rooms/6-backoffice-answer-desktop")
