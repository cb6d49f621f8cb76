"""Asking for a room and the place's answers: the rules of a free slot, each step's e-mail, no
double booking (the lock, and the database's unique half-hours), expiry and purge."""

import threading
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from rooms import bookings
from rooms.models import BookedSlot, RoomRequest
from tests.factories import (
    ClosedPeriodFactory,
    RoomFactory,
    RoomRequestFactory,
    UserFactory,
    next_monday_at,
)

pytestmark = pytest.mark.django_db
HOURS = "Mo-Fr 09:00-18:00"


def a_room(**kwargs):
    values = {"bookable": True, "hours": HOURS, "capacity": 10, **kwargs}
    room = RoomFactory(**values)
    room.place.animateurs.add(UserFactory(email="anim@example.org"))
    return room


def ask(room, start=None, hours=2, people=4, **kwargs):
    start = start or next_monday_at(10)
    return bookings.ask(
        room,
        start,
        start + timedelta(hours=hours),
        people,
        name=kwargs.get("name", "Catherine"),
        email=kwargs.get("email", "catherine@example.org"),
        purpose=kwargs.get("purpose", "Réunion de projet"),
    )


def test_a_request_is_asked_and_both_sides_are_told():
    """A request of a free slot is asked: the requester and the place's animateurs get a mail,
    the place's with its signed answer link, nothing is booked yet."""
    room = a_room()
    request = ask(room)
    assert request.status == RoomRequest.Status.ASKED
    assert not BookedSlot.objects.exists()
    assert sorted(message.to[0] for message in mail.outbox) == [
        "anim@example.org",
        "catherine@example.org",
    ]
    to_place = next(m for m in mail.outbox if m.to == ["anim@example.org"])
    assert "/salles/demande/repondre/" in to_place.body


def test_accepting_books_the_half_hours_and_sends_the_ics():
    """Accepting writes one booked half-hour per 30 minutes and mails the requester the .ics."""
    room = a_room()
    request = ask(room)
    mail.outbox.clear()
    bookings.accept(request)
    assert BookedSlot.objects.filter(request=request).count() == 4
    message = next(m for m in mail.outbox if m.to == ["catherine@example.org"])
    name, content, kind = message.attachments[0]
    assert kind == "text/calendar" and "BEGIN:VEVENT" in content
    assert "Catherine" not in content  # the requester's own .ics: busy time, no one's name
    to_place = next(m for m in mail.outbox if m.to == ["anim@example.org"])
    assert "acceptation automatique" not in to_place.body  # the place answered itself


def test_automatic_acceptance_books_at_once():
    """A room accepting requests automatically books a free slot when it is asked."""
    room = a_room(auto_accept=True)
    request = ask(room)
    assert request.status == RoomRequest.Status.ACCEPTED
    assert BookedSlot.objects.filter(room=room).count() == 4
    to_place = next(m for m in mail.outbox if m.to == ["anim@example.org"])
    assert "(acceptation automatique)" in to_place.body


def test_a_closed_account_hears_no_more_requests():
    """An animateur whose account is closed is no longer written to (nor sent the place's secret
    calendar): the place's other animateurs are, else the place's own address."""
    room = a_room()
    room.place.animateurs.update(is_active=False)
    room.place.email = "lieu@example.org"
    room.place.save()
    ask(room)
    assert sorted(m.to[0] for m in mail.outbox) == ["catherine@example.org", "lieu@example.org"]


def test_a_room_without_hours_is_never_accepted_automatically():
    """With no hours of its own nor its place's, a request waits for the place's answer."""
    room = a_room(auto_accept=True, hours="")
    assert ask(room).status == RoomRequest.Status.ASKED


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("past", "passé"),
        ("outside", "heures"),
        ("closed", "fermée"),
        ("capacity", "au plus 10"),
        ("overlap", "déjà réservé"),
        ("odd", "demie"),
        ("backwards", "avant son début"),
    ],
)
def test_bad_slots_are_refused_and_nothing_is_written(case, message):
    """Overlapping, outside the hours, in a closed period, past, too many people, off the
    half-hour, ending first: a clear refusal and no request written."""
    room = a_room()
    start, people, hours = next_monday_at(10), 4, 2
    if case == "overlap":
        bookings.accept(ask(room, start=start - timedelta(hours=1)))
    before = RoomRequest.objects.count()
    if case == "past":
        start = timezone.now().replace(minute=0, second=0, microsecond=0) - timedelta(days=1)
    elif case == "outside":
        start = next_monday_at(19)
    elif case == "closed":
        ClosedPeriodFactory(room=room, first_day=start.date(), last_day=start.date())
    elif case == "capacity":
        people = 11
    elif case == "odd":
        start += timedelta(minutes=10)
    elif case == "backwards":
        hours = -1
    with pytest.raises(bookings.Refused, match=message):
        ask(room, start=start, hours=hours, people=people)
    assert RoomRequest.objects.count() == before


def test_the_second_of_two_overlapping_requests_cannot_be_accepted():
    """Two requests of overlapping slots may both be asked; once one is accepted, the other
    cannot be: a clear refusal, nothing changed."""
    room = a_room()
    first = ask(room, start=next_monday_at(10))
    second = ask(room, start=next_monday_at(11), email="luc@example.org")
    bookings.accept(first)
    with pytest.raises(bookings.Refused, match="chevauche"):
        bookings.accept(second)
    second.refresh_from_db()
    assert second.status == RoomRequest.Status.ASKED
    assert BookedSlot.objects.filter(request=second).count() == 0


def test_the_database_refuses_a_double_booking_without_the_check(monkeypatch):
    """Were the check before writing forgotten, the unique (room, half-hour) still refuses the
    second booking, and the refusal is the same clear message: the database is the guarantee."""
    room = a_room()
    first = ask(room, start=next_monday_at(10))
    second = ask(room, start=next_monday_at(11), email="luc@example.org")
    bookings.accept(first)

    class NeverTaken:
        def __init__(self, queryset):
            self.queryset = queryset

        def exists(self):
            return False

    real_filter = BookedSlot.objects.filter
    monkeypatch.setattr(
        BookedSlot.objects, "filter", lambda *a, **k: NeverTaken(real_filter(*a, **k))
    )
    with pytest.raises(bookings.Refused, match="chevauche"):
        bookings.accept(second)
    monkeypatch.undo()
    second.refresh_from_db()
    assert second.status == RoomRequest.Status.ASKED
    assert BookedSlot.objects.filter(room=room).count() == 4


def test_refusing_needs_a_reason_and_tells_the_requester():
    """A refusal without a reason is refused; with one, the requester reads it."""
    request = ask(a_room())
    with pytest.raises(bookings.Refused):
        bookings.refuse(request, "  ")
    mail.outbox.clear()
    bookings.refuse(request, "Salle en travaux")
    request.refresh_from_db()
    assert request.status == RoomRequest.Status.REFUSED
    assert "Salle en travaux" in mail.outbox[0].body


def test_cancelling_frees_the_slot_and_tells_the_other_side():
    """The requester cancels an accepted booking: its half-hours are free again, the place is
    told; a second cancellation is refused."""
    request = bookings.accept(ask(a_room()))
    mail.outbox.clear()
    bookings.cancel(request, RoomRequest.Side.REQUESTER)
    assert not BookedSlot.objects.exists()
    assert mail.outbox[0].to == ["anim@example.org"]
    with pytest.raises(bookings.Refused):
        bookings.cancel(request, RoomRequest.Side.PLACE)


def test_unanswered_requests_expire(settings):
    """`expire_room_requests`: requests unanswered ROOM_REQUEST_EXPIRY_DAYS expire and both
    sides are told; answered and recent ones stay."""
    settings.SOLOZERE_ROOM_REQUEST_EXPIRY_DAYS = 5
    old = RoomRequestFactory()
    RoomRequest.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=6))
    recent = RoomRequestFactory()
    call_command("expire_room_requests")
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.status == RoomRequest.Status.EXPIRED
    assert recent.status == RoomRequest.Status.ASKED
    assert any(m.to == [old.email] for m in mail.outbox)


def test_purge_erases_requesters_but_keeps_the_figures(settings):
    """`purge_room_requests`: who asked is erased ROOM_RETENTION_MONTHS after the slot; the
    request stays, anonymous, for the network's figures."""
    settings.SOLOZERE_ROOM_RETENTION_MONTHS = 12
    old = RoomRequestFactory(
        start=timezone.now() - timedelta(days=400), end=timezone.now() - timedelta(days=399)
    )
    recent = RoomRequestFactory()
    call_command("purge_room_requests")
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.name, old.email, old.purpose, old.purged) == ("", "", "", True)
    assert recent.name and not recent.purged


def test_links_are_signed_per_audience():
    """The requester's link does not open the place's answer page, nor a forged one anything."""
    request = RoomRequestFactory()
    token = bookings.make_token(request, "requester")
    assert bookings.open_link(token, "requester") == request
    with pytest.raises(bookings.Refused):
        bookings.open_link(token, "place")
    with pytest.raises(bookings.Refused):
        bookings.open_link(token[:-2] + "xx", "requester")


@pytest.mark.django_db(transaction=True)
def test_two_acceptances_of_overlapping_requests_at_once_book_one(monkeypatch):
    """Two connections accept overlapping requests of one room at the same moment: exactly one is
    accepted, the other refused. Each dwells inside its transaction before checking, so that
    without the room's lock and the unique half-hours both would book."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time: the race needs PostgreSQL")
    room = a_room()
    first = ask(room, start=next_monday_at(10))
    second = ask(room, start=next_monday_at(11), email="luc@example.org")
    real_book = bookings._book

    def slow_book(*args, **kwargs):
        time.sleep(0.5)
        return real_book(*args, **kwargs)

    monkeypatch.setattr(bookings, "_book", slow_book)
    barrier = threading.Barrier(2)
    accepted, refused, errors = [], [], []

    def take(request):
        from django.db import connection as own

        try:
            barrier.wait()
            accepted.append(bookings.accept(request))
        except bookings.Refused as refusal:
            refused.append(refusal)
        except Exception as error:  # noqa: BLE001 — reported below
            errors.append(error)
        finally:
            own.close()

    threads = [threading.Thread(target=take, args=(r,)) for r in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(accepted) == 1 and len(refused) == 1
    statuses = sorted(RoomRequest.objects.values_list("status", flat=True))
    assert statuses == ["accepted", "asked"]
    assert BookedSlot.objects.count() == 4
