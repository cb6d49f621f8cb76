"""The public suggests places and reports errors; coordinators moderate."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from contributions import limits
from contributions.models import Contribution, RateLimitHit
from places.models import Place
from tests.factories import CommuneFactory

pytestmark = pytest.mark.django_db


SUGGESTION = {
    "place_name": "Le Fournil partagé",
    "commune_name": "Mende",
    "website": "",
    "message": "Un four à pain et un coworking.",
    "contact_email": "voisin@example.org",
}


def test_suggesting_a_place(client):
    """A suggestion is thanked and saved, waiting for moderation."""
    response = client.post(reverse("contributions:suggest"), SUGGESTION, follow=True)
    assert "Merci ! Votre message a bien été transmis" in response.content.decode()
    contribution = Contribution.objects.get()
    assert contribution.kind == Contribution.Kind.SUGGESTION
    assert contribution.status == Contribution.Status.PENDING


def test_bad_input_gets_a_clear_message_and_saves_nothing(client):
    """A suggestion without a message or with a bad e-mail is a 400 naming each error, and saves
    nothing."""
    response = client.post(
        reverse("contributions:suggest"),
        SUGGESTION | {"message": "", "contact_email": "pas-un-courriel"},
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["message"] == ["Ce champ est obligatoire."]
    assert "contact_email" in errors
    assert "Ce champ est obligatoire." in response.content.decode()
    assert not Contribution.objects.exists()


def test_the_honeypot_silently_drops_robots(client):
    """A robot filling in the hidden field is answered as a person would be, and nothing is
    saved."""
    response = client.post(reverse("contributions:suggest"), SUGGESTION | {"nickname": "bot"})
    assert response.status_code == 302
    assert not Contribution.objects.exists()


def test_the_rate_limit_stops_floods(client, settings):
    """Past the hourly limit, a suggestion is a 429 saying why, and nothing more is saved."""
    settings.SOLOZERE_CONTRIBUTIONS_PER_HOUR = 2
    for _ in range(2):
        assert client.post(reverse("contributions:suggest"), SUGGESTION).status_code == 302
    response = client.post(reverse("contributions:suggest"), SUGGESTION)
    assert response.status_code == 429
    assert any("Trop d'envois" in error for error in response.context["form"].non_field_errors())
    assert Contribution.objects.count() == 2


def test_the_rate_limit_holds_across_processes(client, settings):
    """Counted in the database, not in a process's memory: another worker (here, the same one
    with its memory emptied) and another server see the same count."""
    settings.SOLOZERE_CONTRIBUTIONS_PER_HOUR = 2
    for _ in range(2):
        assert client.post(reverse("contributions:suggest"), SUGGESTION).status_code == 302
        cache.clear()
    assert client.post(reverse("contributions:suggest"), SUGGESTION).status_code == 429
    assert Contribution.objects.count() == 2


def test_a_counted_action_stops_counting_after_an_hour(db):
    """The limits are per hour: past it, the counts are gone, and so are their rows."""
    assert limits.spend("essai", "203.0.113.9", 1)
    assert not limits.spend("essai", "203.0.113.9", 1)
    assert limits.spend("essai", "198.51.100.7", 1)  # another visitor has their own
    RateLimitHit.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert limits.spend("essai", "203.0.113.9", 1)
    assert RateLimitHit.objects.count() == 1


def test_an_error_report_reaches_the_place_animateurs(client, users, place_a):
    """An error report is saved on its place and mailed to the place's animateurs."""
    url = reverse("contributions:report", args=[place_a.slug])
    data = {"message": "Fermé le lundi désormais.", "contact_email": ""}
    assert client.post(url, data).status_code == 302
    report = Contribution.objects.get()
    assert (report.kind, report.place) == (Contribution.Kind.ERROR, place_a)
    assert mail.outbox[0].to == ["a@example.org"]
    assert "Fermé le lundi" in mail.outbox[0].body


def test_the_contact_email_is_never_published(client, place_a):
    """The e-mail address a visitor leaves with a report never appears on the place's page."""
    client.post(
        reverse("contributions:report", args=[place_a.slug]),
        {"message": "Erreur", "contact_email": "secret@example.org"},
    )
    assert "secret@example.org" not in client.get(place_a.get_absolute_url()).content.decode()


def moderate(client, contribution, **data):
    url = reverse("admin:contributions_contribution_change", args=[contribution.pk])
    base = {"status": contribution.status, "rejection_reason": "", "place": ""}
    return client.post(url, base | data)


def test_accepting_a_suggestion_creates_the_place_with_its_origin(users, login):
    """Accepting a suggestion creates a place « en projet » at the town hall, to verify, whose
    history names the contribution; the moderator is recorded."""
    CommuneFactory(insee="48095", name="Mende", townhall_latitude=44.5, townhall_longitude=3.5)
    contribution = Contribution.objects.create(kind="suggestion", **SUGGESTION)
    response = moderate(login(users["coordinator"]), contribution, status="accepted")
    assert response.status_code == 302
    contribution.refresh_from_db()
    place = contribution.place
    assert (place.name, place.status, place.commune.name) == (
        "Le Fournil partagé",
        "project",
        "Mende",
    )
    assert place.is_approximate and place.to_verify
    assert (
        place.history.get().history_change_reason == f"Contribution du public n° {contribution.pk}"
    )
    assert contribution.handled_by == users["coordinator"]


def test_rejecting_needs_a_reason(users, login):
    """A refusal says why, and creates nothing."""
    contribution = Contribution.objects.create(kind="suggestion", **SUGGESTION)
    client = login(users["coordinator"])
    response = moderate(client, contribution, status="rejected")
    assert response.status_code == 200
    assert "Indiquez pourquoi" in response.content.decode()
    assert (
        moderate(client, contribution, status="rejected", rejection_reason="Doublon").status_code
        == 302
    )
    contribution.refresh_from_db()
    assert contribution.status == "rejected"
    assert not Place.objects.filter(name=SUGGESTION["place_name"]).exists()


def test_accepting_a_report_needs_its_place(users, login, place_a):
    """A report can be accepted only once the place it is about is named."""
    report = Contribution.objects.create(kind="error", message="Téléphone faux")
    client = login(users["coordinator"])
    assert moderate(client, report, status="accepted").status_code == 200
    assert moderate(client, report, status="accepted", place=place_a.pk).status_code == 302


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "10.0.0.1"),  # no proxy: a forged header changes nothing
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "198.51.100.7, 203.0.113.9", "203.0.113.9"),  # the visitor forged the first hop
        (2, "198.51.100.7, 203.0.113.9", "198.51.100.7"),
        (2, "203.0.113.9", "203.0.113.9"),  # came in past the outer proxy: its first hop
        (1, "2001:db8:1:2:3:4:5:6", "2001:db8:1:2::"),  # IPv6: one subscriber's /64
        (0, "", "10.0.0.1"),
        (1, "::ffff:203.0.113.9", "203.0.113.9"),
        (1, "n'importe quoi", "10.0.0.1"),
    ],
)
def test_the_rate_limit_counts_the_visitor_behind_the_proxies(
    rf, settings, proxies, forwarded, expected
):
    """One address for the lockout and every limit: the visitor's, never a proxy's."""
    from contributions.limits import client_address

    settings.PROXY_COUNT = proxies
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected
