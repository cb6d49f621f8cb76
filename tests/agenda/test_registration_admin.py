"""Animateurs see who registered for their places' events, and only those: the list, its CSV
export, cancelling (the seat freed goes to the first person waiting) and closing registrations.
Nobody changes or adds a registration in the back-office."""

import pytest
from django.contrib.admin.models import LogEntry
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from agenda.models import Event, Registration
from tests.factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "no_role", "animateur_a", "animateur_b", "coordinator"]


def matrix(*expected):
    return dict(zip(ROLES, expected, strict=True))


@pytest.fixture
def event_a(place_a):
    return EventFactory(
        place=place_a,
        title="Atelier de A",
        registration=Event.Registration.ONLINE,
        registration_limit=1,
    )


@pytest.fixture
def registration_a(event_a):
    return RegistrationFactory(event=event_a, name="Camille Martin", email="camille@example.org")


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("changelist", matrix(302, 403, 200, 200, 200)),
        ("change", matrix(302, 403, 200, 403, 200)),
        ("delete", matrix(302, 403, 200, 403, 200)),
        ("add", matrix(302, 403, 403, 403, 403)),
    ],
)
def test_registration_pages_by_role(login, users, registration_a, page, expected):
    """Another place's registrations answer 403 on every page; nobody adds one here."""
    args = [] if page in ("changelist", "add") else [registration_a.pk]
    url = reverse(f"admin:agenda_registration_{page}", args=args)
    for role, status in expected.items():
        assert login(users[role]).get(url).status_code == status, role


def test_the_list_shows_an_animateur_their_events_registrations_only(
    login, users, registration_a, place_b
):
    other = RegistrationFactory(event__place=place_b, name="Dominique Autre")
    url = reverse("admin:agenda_registration_changelist")
    page = login(users["animateur_a"]).get(url).content.decode()
    assert "Camille Martin" in page and "Dominique Autre" not in page
    page = login(users["animateur_b"]).get(url).content.decode()
    assert "Camille Martin" not in page and other.name in page
    # The event's page links to its list, filtered.
    event_page = login(users["animateur_a"]).get(
        reverse("admin:agenda_event_change", args=[registration_a.event_id])
    )
    assert f"?event__id__exact={registration_a.event_id}" in event_page.content.decode()
    filtered = login(users["animateur_a"]).get(url, {"event__id__exact": registration_a.event_id})
    assert filtered.status_code == 200 and "Camille Martin" in filtered.content.decode()


def test_an_animateur_exports_their_list_as_csv(login, users, registration_a, place_b):
    other = RegistrationFactory(event__place=place_b)
    client = login(users["animateur_a"])
    response = client.post(
        reverse("admin:agenda_registration_changelist"),
        {
            "action": "export_csv",
            "_selected_action": [registration_a.pk, other.pk],
        },
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert "Camille Martin" in text and "camille@example.org" in text
    assert other.email not in text


def test_cancelling_in_the_back_office_gives_the_seat_to_the_first_waiting(
    login, users, registration_a
):
    waiting = RegistrationFactory(event=registration_a.event, status=Registration.Status.WAITING)
    response = login(users["animateur_a"]).post(
        reverse("admin:agenda_registration_delete", args=[registration_a.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    # The back-office's log of the deletion names no one.
    assert "Camille" not in LogEntry.objects.get().object_repr
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED
    assert mail.outbox[0].to == [waiting.email]


def test_an_animateur_closes_registrations(login, users, event_a, client):
    response = login(users["animateur_a"]).post(
        reverse("admin:agenda_event_changelist"),
        {"action": "close_registrations", "_selected_action": [event_a.pk]},
    )
    assert response.status_code == 302
    event_a.refresh_from_db()
    assert event_a.registration_closed and not event_a.takes_registrations
    assert event_a.history.first().registration_closed


def test_another_animateur_cannot_close_them(login, users, event_a):
    login(users["animateur_b"]).post(
        reverse("admin:agenda_event_changelist"),
        {"action": "close_registrations", "_selected_action": [event_a.pk]},
    )
    event_a.refresh_from_db()
    assert not event_a.registration_closed


def test_raising_the_limit_seats_the_people_waiting(login, users, registration_a):
    """Saved with two seats instead of one: the first person waiting gets the second, and is
    told; the next keeps waiting."""
    event = registration_a.event
    first, second = RegistrationFactory.create_batch(
        2, event=event, status=Registration.Status.WAITING
    )
    start, end = timezone.localtime(event.start), timezone.localtime(event.end)
    data = {
        "title": event.title,
        "place": event.place_id,
        "start_0": f"{start:%Y-%m-%d}",
        "start_1": f"{start:%H:%M}",
        "end_0": f"{end:%Y-%m-%d}",
        "end_1": f"{end:%H:%M}",
        "rule": "",
        "exceptions": "",
        "status": "scheduled",
        "accessibility": "unknown",
        "registration": "online",
        "registration_limit": "2",
        "changes-TOTAL_FORMS": "0",
        "changes-INITIAL_FORMS": "0",
    }
    response = login(users["animateur_a"]).post(
        reverse("admin:agenda_event_change", args=[event.pk]), data
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("confirmed", "waiting")
    assert [message.to for message in mail.outbox] == [[first.email]]


def test_an_animateur_sees_whom_to_phone_and_marks_them_told(login, users, event_a, place_b):
    """People with a phone only are listed with their news; marking them told clears it, and
    removes those whose date no longer takes place. Another place's people are out of reach."""
    promoted = RegistrationFactory(
        event=event_a, email="", phone="04 66 00 00 01", to_tell=Registration.News.PROMOTED
    )
    gone = RegistrationFactory(
        event=event_a, email="", phone="04 66 00 00 02", to_tell=Registration.News.GONE
    )
    other = RegistrationFactory(
        event=EventFactory(place=place_b), email="", phone="04 66 00 00 03", to_tell="moved"
    )
    client = login(users["animateur_a"])
    url = reverse("admin:agenda_registration_changelist")
    page = client.get(url, {"to_tell": "promoted"}).content.decode()
    assert "04 66 00 00 01" in page and "04 66 00 00 02" not in page
    ids = [promoted.pk, gone.pk, other.pk]
    response = client.post(url, {"action": "mark_told", "_selected_action": ids})
    assert response.status_code in (200, 302)
    promoted.refresh_from_db()
    assert promoted.to_tell == ""
    assert not Registration.objects.filter(pk=gone.pk).exists()
    other.refresh_from_db()
    assert other.to_tell == "moved"
