"""Keeping pages true: completeness, « Les informations sont à jour », reminders."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from backoffice.models import Reminder
from places.models import Place
from tests.backoffice.test_permissions import form_data

pytestmark = pytest.mark.django_db


def test_completeness_says_what_is_missing(place_a):
    """Completeness names what a place lacks and counts ten points for each."""
    assert "horaires" not in place_a.missing_information()
    assert "description" in place_a.missing_information()
    assert place_a.completeness == 100 - 10 * len(place_a.missing_information())


def test_the_animateur_dashboard_lists_their_places(users, login, place_a, place_b):
    """An animateur's home lists their own places, not others', each with the « à jour » button."""
    html = login(users["animateur_a"]).get(reverse("admin:index")).content.decode()
    assert "Vos lieux" in html
    assert "Lieu A" in html and "Lieu B" not in html
    assert "Les informations sont à jour" in html


def test_confirming_stamps_the_verification_date(users, login, place_a):
    """« Les informations sont à jour » sets today's verification date, clears « à vérifier »
    (now answered) and says so in the history, under the animateur's name."""
    Place.objects.filter(pk=place_a.pk).update(to_verify=True)
    url = reverse("admin:places_place_verify", args=[place_a.pk])
    response = login(users["animateur_a"]).post(url, {"next": reverse("admin:index")})
    assert response.status_code == 302
    place_a.refresh_from_db()
    assert place_a.verified_on == timezone.localdate()
    assert not place_a.to_verify
    latest = place_a.history.latest()
    assert latest.history_change_reason == "Informations confirmées à jour"
    assert latest.history_user == users["animateur_a"]


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/admin/places/place/", "/admin/places/place/"),
        ("https://evil.example/login", "/admin/"),
        ("//evil.example/login", "/admin/"),
        ("http://testserver/admin/places/place/?status=open", "/admin/places/place/?status=open"),
        ("javascript:alert(1)", "/admin/"),
        ("", "/admin/"),
    ],
)
def test_confirming_returns_only_to_this_site(users, login, place_a, target, expected):
    """« Les informations sont à jour » sends back to the page it came from, never to another
    site: a link to a look-alike login page would otherwise come with the site's authority."""
    url = reverse("admin:places_place_verify", args=[place_a.pk])
    response = login(users["animateur_a"]).post(url, {"next": target})
    assert response.status_code == 302
    assert response["Location"].removeprefix("http://testserver") == expected


def test_a_verification_date_ahead_of_today_is_refused(place_a):
    """A date to come is no verification: refused whoever saves it (2099 silenced reminders)."""
    place_a.verified_on = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        place_a.full_clean()
    assert "verified_on" in error.value.message_dict
    with pytest.raises(ValidationError):
        place_a.save()
    place_a.verified_on = timezone.localdate()
    place_a.save()


def test_a_coordinator_typing_a_future_verification_date_gets_a_form_error(users, login, place_a):
    """A coordinator's form refuses a verification date to come, and takes a past one."""
    client = login(users["coordinator"])
    url = reverse("admin:places_place_change", args=[place_a.pk])
    response = client.post(url, form_data(client.get(url)) | {"verified_on": "31/12/2099"})
    assert response.status_code == 200
    assert "verified_on" in response.context["adminform"].form.errors
    place_a.refresh_from_db()
    assert place_a.verified_on is None
    past = (timezone.localdate() - timedelta(days=3)).strftime("%d/%m/%Y")
    assert client.post(url, form_data(client.get(url)) | {"verified_on": past}).status_code == 302


def test_an_animateur_confirms_with_the_button_not_by_typing_a_date(users, login, place_a):
    """For an animateur the date is read-only: the « à jour » action is what sets it."""
    client = login(users["animateur_a"])
    url = reverse("admin:places_place_change", args=[place_a.pk])
    response = client.get(url)
    assert "verified_on" not in response.context["adminform"].form.fields
    assert "verified_on" in response.context["adminform"].readonly_fields


def test_confirming_needs_a_post(users, login, place_a):
    """The confirmation cannot be triggered by a link: GET is a 405."""
    url = reverse("admin:places_place_verify", args=[place_a.pk])
    assert login(users["animateur_a"]).get(url).status_code == 405


def test_coordinators_see_the_network_to_do_list(users, login, place_a, place_b):
    """The coordinators' home counts the places to verify or reconfirm (by each place's cadence)
    and the contributions to handle."""
    Place.objects.filter(pk=place_b.pk).update(verified_on=timezone.localdate())
    html = login(users["coordinator"]).get(reverse("admin:index")).content.decode()
    assert "1 lieu à vérifier ou à reconfirmer" in html
    assert "0 contribution du public à traiter" in html  # French: 0 takes the singular


def test_remind_stale_writes_to_each_animateur_once(users, place_a, place_b, capsys):
    """remind_stale mails each animateur of places past their cadence once (nothing in
    --dry-run, which lists them and saves no reminder)."""
    old = timezone.localdate() - timedelta(days=400)
    Place.objects.update(verified_on=old)
    call_command("remind_stale", "--dry-run")
    assert "a@example.org : 1 lieu(x)" in capsys.readouterr().out
    assert not mail.outbox
    assert not Reminder.objects.exists()
    call_command("remind_stale")
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.org", "b@example.org"]
    assert "Lieu A" in mail.outbox[0].body or "Lieu A" in mail.outbox[1].body


def test_hours_preview_reads_the_week_or_explains_the_error(users, login):
    """The hours preview gives the week for valid hours, and the reason for invalid ones."""
    client = login(users["animateur_a"])
    url = reverse("admin:places_place_hours_preview")
    week = client.post(url, {"value": "Mo-Fr 09:00-12:00"}).json()["week"]
    assert len(week) == 7
    assert any("09:00–12:00" in day for day in week)
    error = client.post(url, {"value": "Lu-Ve 9h"}).json()["error"]
    assert error.startswith("Horaires d'ouverture invalides")


def test_markdown_preview_is_sanitised(users, login):
    """The description's preview renders Markdown and never lets a script through."""
    url = reverse("admin:places_place_markdown_preview")
    html = login(users["animateur_a"]).post(url, {"value": "**ok** <script>x</script>"}).json()
    assert html["html"] == "<p><strong>ok</strong> </p>" or "<script" not in html["html"]
    assert "<strong>ok</strong>" in html["html"]
