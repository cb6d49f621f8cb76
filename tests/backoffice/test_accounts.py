"""Accounts: invitations by e-mail, and lockout after repeated failed logins."""

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.urls import reverse

from places.roles import is_animateur

pytestmark = pytest.mark.django_db


def test_a_coordinator_invites_an_animateur(client, users, login, place_a):
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
    response = login(users["coordinator"]).post(
        reverse("admin:auth_user_invite"),
        {"email": "a@example.org", "first_name": "A", "last_name": "B", "places": [place_a.pk]},
    )
    assert response.status_code == 200
    assert "Un compte existe déjà" in response.content.decode()
    assert not mail.outbox


def test_repeated_failed_logins_lock_out_with_a_clear_message(client, users, settings):
    settings.AXES_FAILURE_LIMIT = 3
    url = reverse("admin:login")
    for _ in range(3):
        client.post(url, {"username": "a@example.org", "password": "mauvais"})
    response = client.post(url, {"username": "a@example.org", "password": "motdepasse-solide-1"})
    assert response.status_code == 429
    assert "Trop de tentatives de connexion" in response.content.decode()
