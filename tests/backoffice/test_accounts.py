"""Accounts: invitations by e-mail, and lockout after repeated failed logins."""

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from backoffice.roles import is_animateur

pytestmark = pytest.mark.django_db


def test_a_coordinator_invites_an_animateur(client, users, login, place_a):
    """An invitation creates the animateur's account on their places and mails a link to set a
    password, with which they then sign in."""
    response = login(users["coordinator"]).post(
        reverse("admin:auth_user_invite"),
        {
            "email": "Murielle@Example.org",
            "first_name": "Murielle",
            "last_name": "Causse",
            "places": [place_a.pk],
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="murielle@example.org")
    assert is_animateur(user) and user.is_staff
    assert user in place_a.animateurs.all()
    [invitation] = mail.outbox
    assert invitation.to == ["murielle@example.org"]
    link = re.search(r"https?://\S+/reset/\S+/", invitation.body).group(0)

    client.logout()
    set_password = client.get(link, follow=True)
    assert set_password.status_code == 200
    form_url = set_password.redirect_chain[-1][0]
    client.post(
        form_url, {"new_password1": "Lozere-2026-fablab", "new_password2": "Lozere-2026-fablab"}
    )
    logged_in = client.post(
        reverse("admin:login"),
        {"username": "murielle@example.org", "password": "Lozere-2026-fablab"},
    )
    assert logged_in.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_inviting_an_existing_address_is_refused(users, login, place_a):
    """Inviting an address that already has an account says so, and sends nothing."""
    response = login(users["coordinator"]).post(
        reverse("admin:auth_user_invite"),
        {"email": "a@example.org", "first_name": "A", "last_name": "B", "places": [place_a.pk]},
    )
    assert response.status_code == 200
    assert "Un compte existe déjà" in response.content.decode()
    assert not mail.outbox


def test_repeated_failed_logins_lock_out_with_a_clear_message(client, users, settings):
    """Past the limit of failed logins, even the right password gets a 429 saying why."""
    settings.AXES_FAILURE_LIMIT = 3
    url = reverse("admin:login")
    for _ in range(3):
        client.post(url, {"username": "a@example.org", "password": "mauvais"})
    response = client.post(url, {"username": "a@example.org", "password": "motdepasse-solide-1"})
    assert response.status_code == 429
    assert "Trop de tentatives de connexion" in response.content.decode()


PROXY = "10.0.0.2"  # nginx: every request reaches the site from it


def log_in(client, visitor, password, username="coord@example.org"):
    """A login through one reverse proxy, which appends the visitor's address."""
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=visitor,
    )


def test_behind_a_proxy_the_lockout_stops_the_attacker_not_everyone(client, users, settings):
    """Five wrong passwords from one visitor lock that visitor out, not the coordinator logging
    in from elsewhere through the same nginx."""
    settings.PROXY_COUNT = 1
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "203.0.113.66", "mauvais")
    assert log_in(client, "203.0.113.66", "motdepasse-solide-1").status_code == 429
    assert log_in(client, "198.51.100.7", "motdepasse-solide-1").status_code == 302


def test_an_ipv6_visitor_is_counted_by_its_64_block(client, users, settings):
    """Addresses of one /64 belong to one subscriber: changing among them changes nothing."""
    settings.PROXY_COUNT = 1
    for number in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, f"2001:db8:0:1::{number + 1:x}", "mauvais")
    assert log_in(client, "2001:db8:0:1:ffff::9", "motdepasse-solide-1").status_code == 429
    assert log_in(client, "2001:db8:0:2::1", "motdepasse-solide-1").status_code == 302


RESET = reverse("admin_password_reset")


def test_password_resets_to_one_mailbox_are_limited(client, users, settings):
    """Reset e-mails cannot flood a mailbox, from however many addresses, over several processes;
    past the limit the form says why (429) and nothing is sent."""
    settings.SOLOZERE_EMAILS_PER_RECIPIENT_PER_HOUR = 2
    for number in range(2):
        response = client.post(RESET, {"email": "a@example.org"}, REMOTE_ADDR=f"203.0.113.{number}")
        assert response.status_code == 302
        cache.clear()  # another process
    response = client.post(RESET, {"email": "A@example.org"}, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 429
    assert "Trop de demandes pour cette adresse" in response.content.decode()
    assert len(mail.outbox) == 2


def test_password_resets_from_one_address_are_limited(client, users, settings):
    """One visitor cannot send reset e-mails to every address in turn (accounts or not)."""
    settings.SOLOZERE_PASSWORD_RESETS_PER_HOUR = 3
    for email in ["a@example.org", "inconnu@example.org", "b@example.org"]:
        assert client.post(RESET, {"email": email}).status_code == 302
    response = client.post(RESET, {"email": "coord@example.org"})
    assert response.status_code == 429
    assert "Trop de demandes depuis votre connexion" in response.content.decode()
    assert sorted(message.to[0] for message in mail.outbox) == ["a@example.org", "b@example.org"]


def invite(client, email, place):
    return client.post(
        reverse("admin:auth_user_invite"),
        {"email": email, "first_name": "Prénom", "last_name": "Nom", "places": [place.pk]},
    )


def test_invitations_are_limited(users, login, place_a, settings):
    """Invitations per coordinator's address, and the mailbox's budget shared with resets."""
    settings.SOLOZERE_INVITATIONS_PER_HOUR = 2
    settings.SOLOZERE_EMAILS_PER_RECIPIENT_PER_HOUR = 1
    client = login(users["coordinator"])
    assert client.post(RESET, {"email": "visee@example.org"}).status_code == 302
    response = invite(client, "visee@example.org", place_a)
    assert response.status_code == 429
    assert "Trop de demandes pour cette adresse" in response.content.decode()
    assert invite(client, "un@example.org", place_a).status_code == 302
    response = invite(client, "deux@example.org", place_a)
    assert response.status_code == 429
    assert "Trop de demandes depuis votre connexion" in response.content.decode()
    assert not User.objects.filter(username__in=["visee@example.org", "deux@example.org"]).exists()
    assert [message.to for message in mail.outbox] == [["un@example.org"]]
