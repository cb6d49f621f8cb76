"""The back-office speaks as Solozère: password pages, 403, 404 and the CSRF refusal, never
« Administration de Django » nor a bare English « 403 Forbidden »; the invitation names the
place."""

import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext, override

pytestmark = pytest.mark.django_db

DJANGO = re.compile("Django|Administration de Django|403 Forbidden")


def assert_solozere(response, status):
    html = response.content.decode()
    assert response.status_code == status
    assert "Solozère" in html
    assert not DJANGO.search(html), DJANGO.search(html)
    return html


def reset_link(user):
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("password_reset_confirm", args=[uid, default_token_generator.make_token(user)])


@pytest.mark.parametrize("language", ["fr", "en"])
def test_password_pages_say_solozere(client, users, language):
    """« Mot de passe oublié », its confirmation, the set-password page (from an invitation or
    a reset), an expired link and the last page all carry Solozère's name, in both languages."""
    headers = {"HTTP_ACCEPT_LANGUAGE": language}
    form = assert_solozere(client.get(reverse("admin_password_reset"), **headers), 200)
    assert f'lang="{language}"' in form
    sent = client.post(reverse("admin_password_reset"), {"email": "a@example.org"}, **headers)
    assert_solozere(client.get(sent["Location"], **headers), 200)
    set_password = client.get(reset_link(users["animateur_a"]), follow=True, **headers)
    html = assert_solozere(set_password, 200)
    assert "a@example.org" in html  # the login the password goes with
    with override(language):
        assert gettext("Choisissez votre mot de passe") in html
    expired = client.get(reverse("password_reset_confirm", args=["MQ", "expire"]), **headers)
    html = assert_solozere(expired, 200)
    assert reverse("admin_password_reset") in html
    assert_solozere(client.get(reverse("password_reset_complete"), **headers), 200)


def test_setting_the_password_leads_to_the_login(client, users):
    """The set-password page takes the new password and says where to sign in."""
    page = client.get(reset_link(users["animateur_a"]), follow=True)
    form_url = page.redirect_chain[-1][0]
    done = client.post(
        form_url,
        {"new_password1": "Lozere-2026-fablab", "new_password2": "Lozere-2026-fablab"},
        follow=True,
    )
    html = assert_solozere(done, 200)
    assert "Mot de passe enregistré" in html
    assert reverse("admin:login") in html


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_back_office_403_is_in_its_look(users, login, place_b, language):
    """An animateur opening another place gets a 403 in the back-office's look, with its header
    and a way back, in her language."""
    url = reverse("admin:places_place_change", args=[place_b.pk])
    response = login(users["animateur_a"]).get(url, HTTP_ACCEPT_LANGUAGE=language)
    html = assert_solozere(response, 403)
    assert f'lang="{language}"' in html
    assert 'id="user-tools"' in html
    with override(language):
        assert gettext("Accès refusé") in html


def test_the_403_names_the_coordination_when_it_has_an_address(users, login, place_b, settings):
    """With COORDINATION_EMAIL set, the 403 gives it."""
    settings.SOLOZERE_COORDINATION_EMAIL = "coordination@example.org"
    url = reverse("admin:places_place_change", args=[place_b.pk])
    html = login(users["animateur_a"]).get(url).content.decode()
    assert 'href="mailto:coordination@example.org"' in html


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_back_office_404_is_in_its_look(users, login, language):
    """An address of the back-office that leads nowhere: a 404 in its look, not the public
    site's."""
    response = login(users["animateur_a"]).get("/admin/nulle-part/", HTTP_ACCEPT_LANGUAGE=language)
    html = assert_solozere(response, 404)
    assert 'id="user-tools"' in html
    assert reverse("admin:index") in html


def test_the_public_404_and_403_stay_in_the_public_look(client, users, login):
    """Outside the back-office, errors keep the public site's look."""
    assert 'class="site-header"' in client.get("/nulle-part/").content.decode()
    response = login(users["animateur_a"]).get(reverse("charter:dashboard"))
    html = assert_solozere(response, 403)
    assert 'class="site-header"' in html


@pytest.mark.parametrize(
    ("url", "look"),
    [("/admin/login/", 'id="site-name"'), ("/suggerer-un-lieu/", 'class="site-header"')],
)
def test_a_form_without_its_csrf_token_says_what_to_do(url, look):
    """A form posted without its CSRF cookie (a page open too long, cookies refused) is a 403
    that says to reload and send again, in the look of where it happened."""
    client = Client(enforce_csrf_checks=True)
    html = assert_solozere(client.post(url, {"username": "x"}), 403)
    assert look in html
    assert "La page a expiré" in html


def test_the_invitation_names_the_place(users, login, place_a, place_b):
    """The invitation e-mail names each place the person is invited to animate, in its subject
    when there is one, as written (an e-mail is text, not HTML)."""
    place_a.name = "L'Atelier"
    place_a.save()
    client = login(users["coordinator"])
    data = {"email": "m@example.org", "first_name": "M", "last_name": "C"}
    client.post(reverse("admin:auth_user_invite"), data | {"places": [place_a.pk]})
    [one] = mail.outbox
    assert "« L'Atelier »" in one.subject
    assert "- L'Atelier" in one.body
    mail.outbox.clear()
    data["email"] = "n@example.org"
    client.post(reverse("admin:auth_user_invite"), data | {"places": [place_a.pk, place_b.pk]})
    [two] = mail.outbox
    assert "- L'Atelier" in two.body and "- Lieu B" in two.body
    assert "&#x27;" not in two.subject
