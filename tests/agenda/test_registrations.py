"""Registering for an event on Solozère: a seat or the waiting list, the confirmation e-mail with
its calendar file and cancel link, the seat freed going to the first person waiting, every bad
input refused with its reason and nothing written, and the participants never public."""

import re
import threading
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from agenda import registrations
from agenda.models import Event, Registration
from tests.factories import EventChangeFactory, EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

VALID = {"name": "Camille Martin", "email": "camille@example.org", "phone": ""}


def event_taking(limit=2, **extra):
    return EventFactory(registration=Event.Registration.ONLINE, registration_limit=limit, **extra)


def post(client, event, data, **extra):
    dates = registrations.upcoming(event)
    body = {"occurrence": dates[0].start.isoformat(), **data} if dates else dict(data)
    return client.post(reverse("agenda:register", args=[event.slug]), body, **extra)


def cancel_url(message):
    return re.search(r"http://\S+/annuler/\S+/", message.body).group(0)


def test_a_registration_is_confirmed_with_the_date_and_a_cancel_link(client):
    """The person is registered for the date; the e-mail carries its .ics and a cancel link."""
    event = event_taking()
    response = post(client, event, VALID)
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert (registration.name, registration.status) == ("Camille Martin", "confirmed")
    assert registration.occurrence == event.start
    (message,) = mail.outbox
    assert message.to == ["camille@example.org"]
    assert event.title in message.subject
    (name, body, kind) = message.attachments[0]
    assert kind == "text/calendar"
    assert "BEGIN:VEVENT" in body and str(event.uid) in body
    assert "/annuler/" in message.body


def test_the_event_page_offers_registration_and_says_when_it_is_full(client):
    """« S'inscrire » while seats remain; « complet » and the waiting list once they are taken."""
    event = event_taking(limit=1)
    page = client.get(event.get_absolute_url()).content.decode()
    assert reverse("agenda:register", args=[event.slug]) in page
    assert "complet" not in page
    # Its page, cached for visitors, changes as soon as the date is full.
    registrations.register(event, event.start, "Camille", "camille@example.org")
    page = client.get(event.get_absolute_url()).content.decode()
    assert "complet" in page and "liste d'attente ouverte" in page


def test_a_full_date_puts_people_on_the_waiting_list(client):
    """Past the limit, a registration waits; its e-mail says so and carries no calendar file."""
    event = event_taking(limit=1)
    RegistrationFactory(event=event)
    assert post(client, event, VALID).status_code == 302
    waiting = Registration.objects.get(email="camille@example.org")
    assert waiting.status == Registration.Status.WAITING
    (message,) = mail.outbox
    assert "attente" in message.subject and not message.attachments


def test_cancelling_frees_the_seat_for_the_first_person_waiting(client):
    """Opening the link changes nothing; its button cancels, and the first person waiting (not
    the second) gets the seat and an e-mail with the date."""
    event = event_taking(limit=1)
    post(client, event, VALID)
    url = cancel_url(mail.outbox[0])
    first = RegistrationFactory(event=event, status=Registration.Status.WAITING)
    second = RegistrationFactory(event=event, status=Registration.Status.WAITING)
    mail.outbox.clear()
    assert client.get(url).status_code == 200
    assert Registration.objects.filter(email="camille@example.org").exists()
    assert client.post(url).status_code == 200
    assert not Registration.objects.filter(email="camille@example.org").exists()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("confirmed", "waiting")
    (message,) = mail.outbox
    assert message.to == [first.email] and message.attachments
    # Twice: nothing more happens.
    assert "déjà annulée" in client.post(url).content.decode()
    assert Registration.objects.filter(status="confirmed").count() == 1


def test_a_made_up_or_altered_cancel_link_is_a_400(client):
    registration = RegistrationFactory()
    token = registrations.make_token(registration)
    for bad in [token[:-2] + "xx", "abc", "x" * 400, f"{token}:1"]:
        response = client.post(reverse("agenda:cancel-registration", args=[bad]))
        assert response.status_code == 400, bad
    assert Registration.objects.exists()


def test_each_date_of_a_series_has_its_own_seats(client):
    """A weekly event: the limit holds per date, and one registers for the date chosen."""
    event = event_taking(limit=1, rule="FREQ=WEEKLY;COUNT=3")
    dates = registrations.upcoming(event)
    url = reverse("agenda:register", args=[event.slug])
    client.post(url, {**VALID, "occurrence": dates[0].start.isoformat()})
    client.post(url, {**VALID, "email": "b@example.org", "occurrence": dates[1].start.isoformat()})
    assert list(Registration.objects.values_list("status", flat=True)) == ["confirmed"] * 2
    assert {r.occurrence for r in Registration.objects.all()} == {dates[0].start, dates[1].start}
    assert "RRULE" not in mail.outbox[0].attachments[0][1]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ({"email": "", "phone": ""}, "Indiquez un courriel ou un téléphone"),
        ({"email": "pas-un-courriel"}, "adresse e-mail valide"),
        ({"phone": "appelez-moi", "email": ""}, "numéro de téléphone"),
        ({"name": " \n\t "}, "Ce champ est obligatoire"),
        ({"name": "x" * 101}, "100 caractères"),
        ({"occurrence": "2020-01-01T10:00:00+01:00"}, "Sélectionnez un choix valide"),
    ],
)
def test_bad_input_is_a_400_naming_it_and_writes_nothing(client, data, reason):
    event = event_taking()
    response = post(client, event, {**VALID, **data})
    assert response.status_code == 400
    assert reason in response.content.decode()
    assert not Registration.objects.exists() and not mail.outbox


def test_a_newline_in_a_name_adds_no_header(client):
    """A name typed with line breaks and header-like text is kept on one line."""
    event = event_taking()
    name = "Camille\r\nBcc: victime@example.org\nSubject: x"
    assert post(client, event, {**VALID, "name": name}).status_code == 302
    assert Registration.objects.get().name == "Camille Bcc: victime@example.org Subject: x"
    (message,) = mail.outbox
    raw = message.message().as_string()
    assert "\nBcc:" not in raw and message.recipients() == ["camille@example.org"]


def test_closed_past_and_external_registrations_are_refused(client):
    """Closed: the page says so and a POST writes nothing; past: likewise; an event registering
    elsewhere (or not at all) has no registration page."""
    closed = event_taking(registration_closed=True)
    response = post(client, closed, VALID)
    assert response.status_code == 400 and "closes" in response.content.decode()
    assert "closes" in client.get(closed.get_absolute_url()).content.decode()
    past = event_taking(start=timezone.now() - timedelta(days=2))
    response = post(client, past, VALID)
    assert response.status_code == 400
    elsewhere = event_taking(registration_url="https://example.org/inscription")
    assert post(client, elsewhere, VALID).status_code == 404
    assert post(client, EventFactory(), VALID).status_code == 404
    assert not Registration.objects.exists()


def test_registering_twice_is_refused(client):
    event = event_taking()
    post(client, event, VALID)
    response = post(client, event, {**VALID, "email": "CAMILLE@example.org"})
    assert response.status_code == 400
    assert "déjà inscrit" in response.content.decode()
    assert Registration.objects.count() == 1


def test_a_phone_is_enough(client):
    event = event_taking()
    assert post(client, event, {**VALID, "email": "", "phone": "04 66 00 00 00"}).status_code == 302
    assert Registration.objects.get().phone == "04 66 00 00 00"
    assert not mail.outbox


def test_robots_and_floods_are_turned_away(client, settings):
    """The contributions' honeypot and hourly limit."""
    event = event_taking()
    post(client, event, {**VALID, "nickname": "robot"})
    assert not Registration.objects.exists()
    settings.SOLOZERE_CONTRIBUTIONS_PER_HOUR = 2
    post(client, event, VALID)
    response = post(client, event, {**VALID, "email": "autre@example.org"})
    assert response.status_code == 429
    assert Registration.objects.count() == 1


def test_nobody_fills_someone_elses_mailbox(client, settings):
    """Past EMAILS_PER_RECIPIENT_PER_HOUR confirmations to one address, a 429 says why."""
    settings.SOLOZERE_EMAILS_PER_RECIPIENT_PER_HOUR = 1
    post(client, event_taking(), VALID)
    response = post(client, event_taking(), {**VALID, "email": "Camille@Example.org"})
    assert response.status_code == 429
    assert "pour cette adresse" in response.content.decode()
    assert Registration.objects.count() == 1 and len(mail.outbox) == 1


def test_participants_are_never_public(client):
    """No page, calendar, feed or open data says who registered."""
    registration = RegistrationFactory(name="Zébulon Secret", email="zebulon@example.org")
    event = registration.event
    for url in [
        event.get_absolute_url(),
        reverse("agenda:event-ics", args=[event.slug]),
        reverse("agenda:list"),
        reverse("agenda:ics"),
        reverse("agenda:feed"),
        reverse("agenda:csv"),
        reverse("agenda:json"),
        reverse("agenda:place-ics", args=[event.place.slug]),
        event.place.get_absolute_url(),
    ]:
        body = client.get(url).content.decode()
        assert "Zébulon" not in body and "zebulon" not in body, url


def test_purge_deletes_registrations_past_the_retention(settings):
    """`purge_registrations`: dates more than REGISTRATION_RETENTION_DAYS past go, others stay."""
    settings.SOLOZERE_REGISTRATION_RETENTION_DAYS = 30
    now = timezone.now()
    old = RegistrationFactory(occurrence=now - timedelta(days=31))
    recent = RegistrationFactory(occurrence=now - timedelta(days=29))
    coming = RegistrationFactory()
    call_command("purge_registrations")
    assert set(Registration.objects.all()) == {recent, coming}
    assert not Registration.objects.filter(pk=old.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_two_people_taking_the_last_seat_at_once_one_gets_it(monkeypatch):
    """Two connections register at the same moment for the last seat: the event's row lock
    serves them in turn, one is confirmed and the other waits. Each dwells inside its
    transaction before counting, so that without the lock both would count a free seat."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time: the race needs PostgreSQL")
    event = event_taking(limit=1)
    start = registrations.upcoming(event)[0].start
    real_upcoming = registrations.upcoming

    def slow_upcoming(*args, **kwargs):
        time.sleep(0.5)
        return real_upcoming(*args, **kwargs)

    monkeypatch.setattr(registrations, "upcoming", slow_upcoming)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def take(n):
        from django.db import connection as own

        try:
            barrier.wait()
            results.append(registrations.register(event, start, f"P{n}", f"p{n}@example.org"))
        except Exception as error:  # noqa: BLE001 — reported below
            errors.append(error)
        finally:
            own.close()

    threads = [threading.Thread(target=take, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    statuses = sorted(Registration.objects.values_list("status", flat=True))
    assert statuses == ["confirmed", "waiting"]


# Following the dates


def weekly_with_people():
    """A weekly event, one person registered by e-mail for its second date."""
    event = event_taking(limit=5, rule="FREQ=WEEKLY;COUNT=4")
    second = registrations.upcoming(event)[1].start
    registration = registrations.register(event, second, **VALID)
    mail.outbox.clear()
    return event, registration


def test_moving_a_date_of_a_series_moves_its_registrations_and_tells_them(
    django_capture_on_commit_callbacks,
):
    """A changed date (RECURRENCE-ID) takes its registrations along: they count for the new
    start, and each person gets the new date with its calendar file, once."""
    event, registration = weekly_with_people()
    day = timezone.localdate(registration.occurrence)
    with django_capture_on_commit_callbacks(execute=True):
        change = EventChangeFactory(event=event, date=day)
    registration.refresh_from_db()
    assert registration.occurrence == change.start
    assert registrations.taken_seats(event) == {change.start: 1}
    (message,) = mail.outbox
    assert "Date changée" in message.subject and message.attachments
    assert f"{timezone.localtime(change.start):%H:%M}" in message.body
    # Saving the event again tells nobody anything new.
    with django_capture_on_commit_callbacks(execute=True):
        Event.objects.get(pk=event.pk).save()
    assert len(mail.outbox) == 1
    # The change undone: the date, and its people, are back where the rule puts them.
    with django_capture_on_commit_callbacks(execute=True):
        change.delete()
    registration.refresh_from_db()
    assert timezone.localdate(registration.occurrence) == day
    assert len(mail.outbox) == 2


def test_a_date_moved_twice_in_one_save_is_told_once(django_capture_on_commit_callbacks):
    """The back-office form moving the event by an hour and adding a changed date for the
    person's date saves both in one transaction: one e-mail, with the date where it ended."""
    event, registration = weekly_with_people()
    day = timezone.localdate(registration.occurrence)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        event.start += timedelta(hours=1)
        event.end += timedelta(hours=1)
        event.save()
        change = EventChangeFactory(event=event, date=day)
    registration.refresh_from_db()
    assert registration.occurrence == change.start
    (message,) = mail.outbox
    assert "Date changée" in message.subject
    assert f"{timezone.localtime(change.start):%H:%M}" in message.body


def test_a_cancellation_saved_with_a_moved_date_is_still_told(django_capture_on_commit_callbacks):
    """Only a move made stale by a later one in the same save goes unsaid: cancelling the event
    and moving the person's date at once tells both."""
    event, registration = weekly_with_people()
    day = timezone.localdate(registration.occurrence)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        event.status = Event.Status.CANCELLED
        event.save()
        EventChangeFactory(event=event, date=day)
    subjects = sorted(message.subject.split(" :")[0] for message in mail.outbox)
    assert subjects == ["Date changée", "Évènement annulé"]


def test_a_single_events_new_time_moves_its_registrations(django_capture_on_commit_callbacks):
    """An event of one date moved by an hour: its people follow, and hear it."""
    event = event_taking()
    registration = registrations.register(event, event.start, **VALID)
    mail.outbox.clear()
    event.start += timedelta(hours=1)
    event.end += timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        event.save()
    registration.refresh_from_db()
    assert registration.occurrence == event.start
    (message,) = mail.outbox
    assert "Date changée" in message.subject


def test_a_date_skipped_is_said_and_its_registrations_go(django_capture_on_commit_callbacks):
    """A date no longer taking place: the person is told and their registration goes; with a
    phone only, it stays in the list, to phone them, and is not followed any more."""
    event, by_mail = weekly_with_people()
    by_phone = registrations.register(
        event, by_mail.occurrence, "Dominique", email="", phone="04 66 11 11 11"
    )
    mail.outbox.clear()
    event.exceptions = timezone.localdate(by_mail.occurrence).isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        event.save()
    assert not Registration.objects.filter(pk=by_mail.pk).exists()
    (message,) = mail.outbox
    assert "Date supprimée" in message.subject and not message.attachments
    assert "/annuler/" not in message.body
    by_phone.refresh_from_db()
    assert (by_phone.to_tell, by_phone.rule_day) == (Registration.News.GONE, None)
    with django_capture_on_commit_callbacks(execute=True):
        event.save()
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("status", "subject"),
    [(Event.Status.CANCELLED, "Évènement annulé"), (Event.Status.POSTPONED, "Évènement reporté")],
)
def test_cancelling_or_postponing_the_event_tells_everyone_once(
    django_capture_on_commit_callbacks, status, subject
):
    """Everyone registered for a date to come, seated or waiting, hears it once; people with a
    phone only are named to the animateurs."""
    event, registration = weekly_with_people()
    waiting = RegistrationFactory(
        event=event, occurrence=registration.occurrence, status=Registration.Status.WAITING
    )
    by_phone = RegistrationFactory(
        event=event, occurrence=registration.occurrence, email="", phone="04 66 22 22 22"
    )
    event.status = status
    with django_capture_on_commit_callbacks(execute=True):
        event.save()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([registration.email, waiting.email])
    assert all(subject in m.subject and not m.attachments for m in mail.outbox)
    by_phone.refresh_from_db()
    assert by_phone.to_tell == status
    with django_capture_on_commit_callbacks(execute=True):
        event.save()
    assert len(mail.outbox) == 2


def test_someone_with_a_phone_only_is_named_when_a_seat_frees(client):
    """Promoted from the waiting list with no e-mail: the animateurs see whom to phone."""
    event = event_taking(limit=1)
    seated = registrations.register(event, event.start, **VALID)
    waiting = registrations.register(event, event.start, "Dominique", phone="04 66 11 11 11")
    assert waiting.status == Registration.Status.WAITING
    registrations.cancel(seated)
    waiting.refresh_from_db()
    assert (waiting.status, waiting.to_tell) == ("confirmed", Registration.News.PROMOTED)
