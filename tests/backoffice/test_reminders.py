"""The freshness loop: reminders with a one-click « Toujours exact » link that needs no password,
a second reminder, then the coordination told, once."""

import io
import re
import time
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from backoffice import reminders
from backoffice.models import Reminder
from backoffice.roles import COORDINATORS
from places.models import Place
from tests.factories import PlaceFactory, UserFactory

pytestmark = pytest.mark.django_db

SITE = "https://solozere.example"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE
    settings.SOLOZERE_COORDINATION_EMAIL = "coordination@example.org"
    settings.SOLOZERE_REMINDER_DAYS = 30


def days_ago(days):
    return timezone.localdate() - timedelta(days=days)


def remind():
    """One run of the reminders; the e-mails it sent."""
    mail.outbox.clear()
    call_command("remind_stale", stdout=io.StringIO())
    return list(mail.outbox)


def confirm_links(message):
    return re.findall(rf"{re.escape(SITE)}(/toujours-exact/[^/\s]+/)", message.body)


@pytest.fixture
def due(users, place_a, place_b):
    """Lieu A, verified 13 months ago on the default cadence (12 months): due; its animateur is
    Alice (a@example.org). Lieu B (Bruno's) was verified today."""
    Place.objects.filter(pk=place_b.pk).update(verified_on=timezone.localdate())
    Place.objects.filter(pk=place_a.pk).update(verified_on=days_ago(400))
    place_a.refresh_from_db()
    return place_a


@pytest.fixture
def link(due):
    """Alice's « Toujours exact » path from the reminder about Lieu A."""
    [message] = [m for m in remind() if m.to == ["a@example.org"]]
    [path] = confirm_links(message)
    return path


# The e-mail


def test_the_reminder_names_the_place_and_carries_both_links(users, due):
    """The reminder names the place, its page, the one-click link and the back-office's edit
    page, all on SITE_URL, and says how long the link lasts."""
    [message] = [m for m in remind() if m.to == ["a@example.org"]]
    assert "« Lieu A »" in message.subject
    assert "Bonjour Alice" in message.body
    assert f"{SITE}{due.get_absolute_url()}" in message.body
    assert f"{SITE}{reverse('admin:places_place_change', args=[due.pk])}" in message.body
    assert len(confirm_links(message)) == 1
    assert "30 jours" in message.body
    assert "tous les 12 mois" in message.body


def test_names_are_written_as_they_are(users, due):
    """An e-mail is text: « Bar l'Atelier » is written so, not as HTML (« l&#x27;Atelier »)."""
    Place.objects.filter(pk=due.pk).update(name="Bar l'Atelier & Cie")
    [message] = [m for m in remind() if m.to == ["a@example.org"]]
    assert "« Bar l'Atelier & Cie »" in message.subject
    assert "« Bar l'Atelier & Cie »" in message.body


def test_one_email_per_animateur_whatever_the_number_of_places(users, due, place_b):
    """An animateur of two places due gets one e-mail with a link for each."""
    place_b.animateurs.add(users["animateur_a"])
    Place.objects.filter(pk=place_b.pk).update(verified_on=days_ago(400))
    [message] = [m for m in remind() if m.to == ["a@example.org"]]
    assert len(confirm_links(message)) == 2
    assert "vos 2 lieux" in message.subject
    assert Reminder.objects.count() == 2


def test_each_animateur_gets_a_link_of_their_own(users, due, django_user_model):
    """Two animateurs of one place: one reminder, two e-mails, two different links."""
    second = UserFactory(username="c@example.org", groups=["Animateurs"])
    due.animateurs.add(second)
    messages = remind()
    assert sorted(m.to[0] for m in messages) == ["a@example.org", "c@example.org"]
    assert Reminder.objects.filter(place=due).count() == 1
    assert len({confirm_links(m)[0] for m in messages}) == 2


# The link: GET shows, POST records, once


def test_opening_the_link_changes_nothing(client, users, due, link):
    """Mail scanners and link previews open links: a GET (or HEAD) shows the place and a button
    and records nothing."""
    for method in (client.get, client.head):
        response = method(link)
        assert response.status_code == 200
        assert response["X-Robots-Tag"] == "noindex"
        assert "no-store" in response["Cache-Control"]
    html = client.get(link).content.decode()
    assert "Toujours exact" in html and "Lieu A" in html
    assert reverse("admin:places_place_change", args=[due.pk]) in html
    due.refresh_from_db()
    assert due.verified_on == days_ago(400)
    assert Reminder.objects.get().answered_at is None


def test_the_button_records_the_verification_without_signing_in(client, users, due, link):
    """The button's POST, without any session, stamps today's date, clears « à vérifier », and
    writes the history under the animateur's name; the reminder is answered by her."""
    Place.objects.filter(pk=due.pk).update(to_verify=True)
    response = client.post(link)
    assert response.status_code == 200
    assert "Merci, c'est enregistré" in response.content.decode()
    due.refresh_from_db()
    assert due.verified_on == timezone.localdate()
    assert not due.to_verify
    assert due.verification == "current"
    latest = due.history.latest()
    assert latest.history_user == users["animateur_a"]
    assert "Toujours exact" in latest.history_change_reason
    reminder = Reminder.objects.get()
    assert reminder.answered_at is not None and reminder.answered_by == users["animateur_a"]
    assert "_auth_user_id" not in client.session  # nobody was signed in


def test_a_link_serves_once(client, users, due, link):
    """A second click says « déjà enregistré », naming who answered, and records nothing more."""
    client.post(link)
    versions = due.history.count()
    for response in (client.post(link), client.get(link)):
        assert response.status_code == 200
        html = response.content.decode()
        assert "Déjà enregistré" in html and "Alice" in html
        assert "<form" not in html
    assert due.history.count() == versions


def test_another_animateurs_link_is_answered_too(client, users, due):
    """Once one animateur has confirmed, the other's link for the same reminder says « déjà
    enregistré »."""
    second = UserFactory(username="c@example.org", groups=["Animateurs"])
    due.animateurs.add(second)
    links = {m.to[0]: confirm_links(m)[0] for m in remind()}
    client.post(links["a@example.org"])
    assert "Déjà enregistré" in client.post(links["c@example.org"]).content.decode()


def test_an_expired_link_is_refused(client, users, due):
    """After REMINDER_DAYS the link is refused (410), says so and records nothing."""
    thirty_one_days_ago = time.time() - 31 * 86400
    with mock.patch("django.core.signing.time.time", return_value=thirty_one_days_ago):
        [message] = [m for m in remind() if m.to == ["a@example.org"]]
    [link] = confirm_links(message)
    for response in (client.get(link), client.post(link)):
        assert response.status_code == 410
        assert "Ce lien a expiré" in response.content.decode()
    due.refresh_from_db()
    assert due.verified_on == days_ago(400)


def tampered(link):
    token = link.split("/")[2]
    flipped = token[:-1] + ("A" if token[-1] != "A" else "B")
    reminder_id = token.split(":")[0]
    return [
        f"/toujours-exact/{flipped}/",
        f"/toujours-exact/{token[:-5]}/",
        f"/toujours-exact/{reminder_id}/",
        f"/toujours-exact/{'a' * 400}/",
        "/toujours-exact/x:y:z/",
    ]


def test_a_tampered_link_is_refused_with_its_reason(client, users, due, link):
    """A link altered, cut or made up is a 400 saying what to do, and records nothing."""
    for bad in tampered(link):
        for response in (client.get(bad), client.post(bad)):
            assert response.status_code == 400, bad
            assert "Copiez-le en entier depuis le courriel" in response.content.decode()
    due.refresh_from_db()
    assert due.verified_on == days_ago(400)


def test_a_token_signed_for_another_purpose_is_refused(users, due, link):
    """A token the site signed for another purpose (another salt: the place form's version,
    say) is no « Toujours exact » link, even with the right shape."""
    from django.core import signing

    other = signing.dumps({"r": Reminder.objects.get().pk, "u": users["coordinator"].pk})
    with pytest.raises(reminders.LinkRefused):
        reminders.open_link(other)


def test_a_link_stops_working_once_its_person_no_longer_animates_the_place(
    client, users, due, link
):
    """Removed from the place (or their account closed) since the reminder: the link is refused
    (403) and records nothing."""
    due.animateurs.remove(users["animateur_a"])
    response = client.post(link)
    assert response.status_code == 403
    assert "ne permet plus" in response.content.decode()
    due.refresh_from_db()
    assert due.verified_on == days_ago(400)


def test_only_get_head_and_post(client, users, due, link):
    """Other methods are a 405."""
    assert client.put(link).status_code == 405
    assert client.delete(link).status_code == 405


def test_the_page_speaks_the_visitors_language(client, users, due, link):
    """The page is in English for an English-speaking visitor (as far as the catalogue goes)."""
    html = client.get(link, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en"' in html
    with translation.override("en"):
        assert translation.gettext("Toujours exact") in html


# The command: who is asked, when, and when the coordination is told


@pytest.mark.parametrize(
    ("cadence", "age_in_days", "asked"),
    [
        (3, 80, False),
        (3, 100, True),
        (6, 170, False),
        (6, 200, True),
        (12, 360, False),
        (12, 370, True),
    ],
)
def test_a_place_is_asked_once_past_its_cadence(users, place_a, cadence, age_in_days, asked):
    """A place is asked about only past its own cadence (3, 6 or 12 months)."""
    Place.objects.filter(pk=place_a.pk).update(
        verified_on=days_ago(age_in_days), review_months=cadence
    )
    sent = [m for m in remind() if m.to == ["a@example.org"]]
    assert bool(sent) == asked


def test_places_never_verified_or_to_verify_are_asked(users, place_a, place_b):
    """« À vérifier » (flagged, or never confirmed) is asked about too, even with a recent
    date: the page would say « à vérifier »."""
    Place.objects.filter(pk=place_a.pk).update(verified_on=days_ago(5), to_verify=True)
    Place.objects.filter(pk=place_b.pk).update(verified_on=None)
    assert sorted(m.to[0] for m in remind()) == ["a@example.org", "b@example.org"]


def test_closed_and_archived_places_are_not_asked(users, place_a, place_b):
    """Only listed places are asked about."""
    Place.objects.filter(pk=place_a.pk).update(status=Place.Status.CLOSED)
    Place.objects.filter(pk=place_b.pk).update(archived_at=timezone.now())
    assert remind() == []


def test_a_reminder_waits_then_a_second_then_the_coordination_once(users, due):
    """Daily runs: one reminder; nothing while it waits REMINDER_DAYS; a second; then the
    coordination is told once, naming the place and its animateurs; then silence."""
    now = timezone.now()

    def run_at(day):
        with mock.patch("django.utils.timezone.now", return_value=now + timedelta(days=day)):
            return remind()

    assert [m.to for m in run_at(0)] == [["a@example.org"]]
    assert run_at(1) == [] and run_at(29) == []
    assert [m.to for m in run_at(31)] == [["a@example.org"]]
    assert run_at(40) == []
    [notice] = run_at(62)
    assert notice.to == ["coordination@example.org"]
    assert "Lieu A" in notice.body and "a@example.org" in notice.body
    assert "1 lieu sans réponse" in notice.subject
    assert run_at(63) == [] and run_at(200) == []
    assert Reminder.objects.filter(place=due).count() == 2


def test_confirming_in_the_back_office_answers_the_reminders(users, login, due):
    """« Les informations sont à jour » in the back-office answers the open reminder: no second
    reminder, no word to the coordination."""
    remind()
    login(users["animateur_a"]).post(reverse("admin:places_place_verify", args=[due.pk]))
    reminder = Reminder.objects.get()
    assert reminder.answered_by == users["animateur_a"]


def test_a_date_typed_by_a_coordinator_answers_the_reminders_too(users, due):
    """A place confirmed otherwise (a date typed in its form) stops the reminders at the next
    run."""
    remind()
    Place.objects.filter(pk=due.pk).update(verified_on=timezone.localdate())
    later = timezone.now() + timedelta(days=31)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert remind() == []
    assert Reminder.objects.get().answered_at is not None


def test_without_coordination_email_the_coordinators_are_told(settings, users, due):
    """Without COORDINATION_EMAIL, the active coordinators' addresses are told."""
    settings.SOLOZERE_COORDINATION_EMAIL = ""
    UserFactory(username="retired@example.org", groups=[COORDINATORS], is_active=False)
    assert reminders.coordination_recipients() == ["coord@example.org"]


def test_nobody_to_tell_is_said_and_retried(settings, users, due, capsys):
    """With no address for the coordination, the command says so, and tells them at a later run
    once an address exists (never silently marked as told)."""
    settings.SOLOZERE_COORDINATION_EMAIL = ""
    users["coordinator"].groups.clear()
    now = timezone.now()
    for day in (0, 31, 62):
        with mock.patch("django.utils.timezone.now", return_value=now + timedelta(days=day)):
            remind()
    assert "Personne à prévenir" in capsys.readouterr().err
    assert not Reminder.objects.filter(escalated_at__isnull=False).exists()
    settings.SOLOZERE_COORDINATION_EMAIL = "coordination@example.org"
    with mock.patch("django.utils.timezone.now", return_value=now + timedelta(days=63)):
        assert [m.to for m in remind()] == [["coordination@example.org"]]


def test_a_place_without_animateur_is_named_to_the_coordination(place_a, capsys):
    """Nobody to write to: no reminder goes out, the command names the place, and the
    coordination is told in the same run, with the link to the place's form."""
    Place.objects.filter(pk=place_a.pk).update(verified_on=None)
    call_command("remind_stale")
    assert "Sans animateur à prévenir, coordination prévenue : Lieu A" in capsys.readouterr().out
    [notice] = mail.outbox
    assert notice.to == ["coordination@example.org"]
    assert "Lieu A" in notice.body and f"/admin/places/place/{place_a.pk}/change/" in notice.body
    assert "1 lieu à vérifier sans personne à qui écrire" in notice.subject
    [record] = Reminder.objects.all()
    assert record.unreachable and record.escalated_at is not None


def test_animateurs_without_address_are_told_once_per_cadence(django_user_model, due):
    """Lieu A's only animateur has no address (another's is inactive): the coordination is told
    once, not at the daily runs after, again once the place's cadence has passed; neither counts
    as an unanswered reminder (no « deux rappels sans réponse »)."""
    alice = django_user_model.objects.get(username="a@example.org")
    django_user_model.objects.filter(pk=alice.pk).update(email="")
    gone = UserFactory(username="gone@example.org", email="gone@example.org", is_active=False)
    due.animateurs.add(gone)
    now = timezone.now()

    def run_at(day):
        with mock.patch("django.utils.timezone.now", return_value=now + timedelta(days=day)):
            return remind()

    [first] = run_at(0)
    assert first.to == ["coordination@example.org"] and "Lieu A" in first.body
    assert "a@example.org" in first.body and "gone@example.org" not in first.body
    assert all(run_at(day) == [] for day in (1, 31, 62, 200))
    # The default cadence: 12 months (Lieu B, verified today, is due by then too).
    [again] = [m for m in run_at(370) if m.to == ["coordination@example.org"]]
    assert "sans personne à qui écrire" in again.subject and "Lieu A" in again.body
    assert not Reminder.objects.filter(place=due, unreachable=False).exists()


def test_an_animateur_given_an_address_is_reminded_at_once(django_user_model, due):
    """Once an animateur has an address again, the next run writes to them, as to any."""
    django_user_model.objects.filter(username="a@example.org").update(email="")
    assert [m.to for m in remind()] == [["coordination@example.org"]]
    django_user_model.objects.filter(username="a@example.org").update(email="a@example.org")
    assert [m.to for m in remind()] == [["a@example.org"]]


def test_nobody_to_tell_about_a_place_without_animateur_is_said_and_retried(
    settings, place_a, capsys
):
    """With no address for the coordination either, the command says so and records nothing:
    the next run tries again."""
    settings.SOLOZERE_COORDINATION_EMAIL = ""
    Place.objects.filter(pk=place_a.pk).update(verified_on=None)
    call_command("remind_stale")
    assert "Personne à prévenir" in capsys.readouterr().err
    assert not mail.outbox and not Reminder.objects.exists()
    settings.SOLOZERE_COORDINATION_EMAIL = "coordination@example.org"
    assert [m.to for m in remind()] == [["coordination@example.org"]]


def test_coordinators_see_the_places_no_reminder_can_reach(login, users, due, place_b):
    """The back-office home lists, for coordinators, the places due that no reminder can reach;
    animateurs do not see that list."""
    Place.objects.filter(pk=place_b.pk).update(verified_on=None)
    type(users["animateur_b"]).objects.filter(pk=users["animateur_b"].pk).update(email="")
    page = login(users["coordinator"]).get(reverse("admin:index")).content.decode()
    section = page[page.index('id="unreachable"') :]
    section = section[: section.index("</ul>")]
    assert "Lieu B" in section and "Lieu A" not in section
    page = login(users["animateur_b"]).get(reverse("admin:index")).content.decode()
    assert 'id="unreachable"' not in page


def test_the_command_reads_a_fixed_number_of_queries(users, due, django_assert_max_num_queries):
    """Planning reads places, animateurs and reminders in a few queries, however many places
    are due (the sending then saves one reminder per place)."""
    places = [PlaceFactory(verified_on=days_ago(400)) for _ in range(15)]
    for place in places:
        place.animateurs.add(users["animateur_a"])
    with django_assert_max_num_queries(3):
        round = reminders.plan(timezone.localdate(), timezone.now())
    assert len(round.letters[users["animateur_a"]]) == 16  # and Lieu A
