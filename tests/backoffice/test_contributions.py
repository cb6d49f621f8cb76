"""The public suggests places and reports errors; coordinators moderate."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from places.models import Contribution, Place
from tests.factories import CommuneFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    """The rate limit counts in the cache; each test starts with a clean slate."""
    cache.clear()


SUGGESTION = {
    "place_name": "Le Fournil partagé",
    "commune_name": "Mende",
    "website": "",
    "message": "Un four à pain et un coworking.",
    "contact_email": "voisin@example.org",
}


def test_suggesting_a_place(client):
    response = client.post(reverse("places:suggest"), SUGGESTION, follow=True)
    assert "Merci ! Votre message a bien été transmis" in response.content.decode()
    contribution = Contribution.objects.get()
    assert contribution.kind == Contribution.Kind.SUGGESTION
    assert contribution.status == Contribution.Status.PENDING


def test_bad_input_gets_a_clear_message_and_saves_nothing(client):
    response = client.post(
        reverse("places:suggest"), SUGGESTION | {"message": "", "contact_email": "pas-un-courriel"}
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["message"] == ["Ce champ est obligatoire."]
    assert "contact_email" in errors
    assert "Ce champ est obligatoire." in response.content.decode()
    assert not Contribution.objects.exists()


def test_the_honeypot_silently_drops_robots(client):
    response = client.post(reverse("places:suggest"), SUGGESTION | {"nickname": "bot"})
    assert response.status_code == 302
    assert not Contribution.objects.exists()


def test_the_rate_limit_stops_floods(client, settings):
    settings.SOLOZERE_CONTRIBUTIONS_PER_HOUR = 2
    for _ in range(2):
        assert client.post(reverse("places:suggest"), SUGGESTION).status_code == 302
    response = client.post(reverse("places:suggest"), SUGGESTION)
    assert response.status_code == 429
    assert any("Trop d'envois" in error for error in response.context["form"].non_field_errors())
    assert Contribution.objects.count() == 2


def test_an_error_report_reaches_the_place_animateurs(client, users, place_a):
    url = reverse("places:report", args=[place_a.slug])
    data = {"message": "Fermé le lundi désormais.", "contact_email": ""}
    assert client.post(url, data).status_code == 302
    report = Contribution.objects.get()
    assert (report.kind, report.place) == (Contribution.Kind.ERROR, place_a)
    assert mail.outbox[0].to == ["a@example.org"]
    assert "Fermé le lundi" in mail.outbox[0].body


def test_the_contact_email_is_never_published(client, place_a):
    client.post(
        reverse("places:report", args=[place_a.slug]),
        {"message": "Erreur", "contact_email": "secret@example.org"},
    )
    assert "secret@example.org" not in client.get(place_a.get_absolute_url()).content.decode()


def moderate(client, contribution, **data):
    url = reverse("admin:places_contribution_change", args=[contribution.pk])
    base = {"status": contribution.status, "rejection_reason": "", "place": ""}
    return client.post(url, base | data)


def test_accepting_a_suggestion_creates_the_place_with_its_origin(users, login):
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
    ],
)
def test_the_rate_limit_counts_the_visitor_behind_the_proxies(
    rf, settings, proxies, forwarded, expected
):
    from places.views.contributions import client_address

    settings.PROXY_COUNT = proxies
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected
