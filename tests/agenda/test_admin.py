"""Animateurs edit their places' events, and only those, with history; networks' events and
publishing are the coordinators'."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from agenda.models import Event
from tests.factories import EventFactory, NetworkFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "no_role", "animateur_a", "animateur_b", "coordinator"]


def matrix(*expected):
    return dict(zip(ROLES, expected, strict=True))


@pytest.fixture
def event_a(place_a):
    return EventFactory(place=place_a, title="Atelier de A")


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("changelist", matrix(302, 403, 200, 200, 200)),
        ("add", matrix(302, 403, 200, 200, 200)),
        ("change", matrix(302, 403, 200, 403, 200)),
        ("delete", matrix(302, 403, 200, 403, 200)),
        ("history", matrix(302, 403, 200, 403, 200)),
    ],
)
def test_event_pages_by_role(login, users, event_a, page, expected):
    """Another place's event answers 403 on every page, not only in the list."""
    args = [] if page in ("changelist", "add") else [event_a.pk]
    url = reverse(f"admin:agenda_event_{page}", args=args)
    for role, status in expected.items():
        assert login(users[role]).get(url).status_code == status, role


def test_the_list_shows_an_animateur_their_places_events_only(login, users, event_a, place_b):
    """Animateur B sees B's events, not A's."""
    EventFactory(place=place_b, title="Atelier de B")
    page = login(users["animateur_b"]).get(reverse("admin:agenda_event_changelist"))
    assert "Atelier de B" in page.content.decode()
    assert "Atelier de A" not in page.content.decode()


def first_tuesday(months_ahead):
    """The first Tuesday of a coming month: within the table of dates whenever tests run."""
    today = timezone.localdate()
    month = today.month - 1 + months_ahead
    first = date(today.year + month // 12, month % 12 + 1, 1)
    return first + timedelta(days=(1 - first.weekday()) % 7)


FIRST, SECOND, THIRD = (first_tuesday(months) for months in (1, 2, 3))


def form_data(place, **extra):
    """A breakfast debate on the first Tuesday of each month, from next month."""
    return {
        "title": "Petit-déjeuner débat",
        "place": place.pk,
        "start_0": FIRST.isoformat(),
        "start_1": "08:30",
        "end_0": FIRST.isoformat(),
        "end_1": "10:00",
        "rule": "FREQ=MONTHLY;BYDAY=1TU",
        "exceptions": "",
        "status": "scheduled",
        "accessibility": "unknown",
        "registration": "none",
        "changes-TOTAL_FORMS": "0",
        "changes-INITIAL_FORMS": "0",
        **extra,
    }


def test_an_animateur_adds_an_event_to_their_place(login, users, place_a):
    """Saved with its rule, published, with a first history entry."""
    client = login(users["animateur_a"])
    response = client.post(reverse("admin:agenda_event_add"), form_data(place_a))
    assert response.status_code == 302, response.context["adminform"].form.errors
    event = Event.objects.get()
    assert (event.place, event.rule, event.published) == (place_a, "FREQ=MONTHLY;BYDAY=1TU", True)
    assert event.history.count() == 1


def test_an_animateur_cannot_add_to_another_place_nor_to_a_network(login, users, place_a, place_b):
    """Another place is not a choice; the network field is not theirs to set."""
    client = login(users["animateur_a"])
    response = client.post(reverse("admin:agenda_event_add"), form_data(place_b))
    assert response.status_code == 200
    assert "place" in response.context["adminform"].form.errors
    network = NetworkFactory()
    response = client.post(
        reverse("admin:agenda_event_add"), form_data(place_a, network=network.pk)
    )
    assert Event.objects.get().network is None


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"rule": "FREQ=HOURLY"}, "rule"),
        ({"rule": "FREQ=WEEKLY;BYDAY=XX"}, "rule"),
        ({"end_1": "08:00"}, "end"),
        ({"exceptions": "demain"}, "exceptions"),
    ],
)
def test_bad_input_is_a_form_error_and_nothing_is_saved(login, users, place_a, extra, field):
    """An invalid rule, an end before the start, a skipped day that is no date: the form says
    which, and no event (nor history) is written."""
    response = login(users["coordinator"]).post(
        reverse("admin:agenda_event_add"), form_data(place_a, **extra)
    )
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert not Event.objects.exists()
    assert not Event.history.exists()


def test_a_changed_date_off_the_rule_is_refused(login, users, place_a):
    """The inline's changed date must be one the rule gives."""
    data = form_data(
        place_a,
        **{
            "changes-TOTAL_FORMS": "1",
            "changes-0-date": (FIRST + timedelta(days=1)).isoformat(),
            "changes-0-start_0": (FIRST + timedelta(days=1)).isoformat(),
            "changes-0-start_1": "09:00",
            "changes-0-end_0": (FIRST + timedelta(days=1)).isoformat(),
            "changes-0-end_1": "10:00",
        },
    )
    response = login(users["coordinator"]).post(reverse("admin:agenda_event_add"), data)
    assert response.status_code == 200
    assert not Event.objects.exists()


def test_only_coordinators_restore_a_version(login, users, event_a):
    """Animateurs read the history; restoring a version is refused to them."""
    version = event_a.history.latest().history_id
    url = reverse("admin:agenda_event_simple_history", args=[event_a.pk, version])
    client = login(users["animateur_a"])
    assert client.get(url).status_code == 200
    assert client.post(url, {}).status_code == 403


def test_the_back_offices_changed_date_is_in_the_table_of_dates(login, users, place_a):
    """An event added with a date moved in the inline: the table holds the moved date, not the
    rule's, as soon as the form is saved (the inline's changes are saved after the event)."""
    from agenda.models import Occurrence
    from agenda.recurrence import at_start_time

    data = form_data(
        place_a,
        **{
            "changes-TOTAL_FORMS": "1",
            "changes-0-date": SECOND.isoformat(),
            "changes-0-start_0": (SECOND + timedelta(days=1)).isoformat(),
            "changes-0-start_1": "09:00",
            "changes-0-end_0": (SECOND + timedelta(days=1)).isoformat(),
            "changes-0-end_1": "10:00",
        },
    )
    response = login(users["coordinator"]).post(reverse("admin:agenda_event_add"), data)
    assert response.status_code == 302
    starts = set(Occurrence.objects.values_list("start", flat=True))
    rule_start = Event.objects.get().start
    moved = at_start_time(SECOND + timedelta(days=1), rule_start).replace(hour=9, minute=0)
    assert moved in starts
    assert at_start_time(SECOND, rule_start) not in starts
    assert at_start_time(THIRD, rule_start) in starts
