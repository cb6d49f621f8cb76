"""Keeping pages true: completeness, « Les informations sont à jour », reminders."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from places.models import Place

pytestmark = pytest.mark.django_db


def test_completeness_says_what_is_missing(place_a):
    assert "horaires" not in place_a.missing_information()
    assert "description" in place_a.missing_information()
    assert place_a.completeness == 100 - 10 * len(place_a.missing_information())


def test_the_animateur_dashboard_lists_their_places(users, login, place_a, place_b):
    html = login(users["animateur_a"]).get(reverse("admin:index")).content.decode()
    assert "Vos lieux" in html
    assert "Lieu A" in html and "Lieu B" not in html
    assert "Les informations sont à jour" in html


def test_confirming_stamps_the_verification_date(users, login, place_a):
    url = reverse("admin:places_place_verify", args=[place_a.pk])
    response = login(users["animateur_a"]).post(url, {"next": reverse("admin:index")})
    assert response.status_code == 302
    place_a.refresh_from_db()
    assert place_a.verified_on == timezone.localdate()
    assert place_a.history.latest().history_change_reason == "Informations confirmées à jour"


def test_confirming_needs_a_post(users, login, place_a):
    url = reverse("admin:places_place_verify", args=[place_a.pk])
    assert login(users["animateur_a"]).get(url).status_code == 405


def test_coordinators_see_the_network_to_do_list(users, login, place_a, place_b):
    Place.objects.filter(pk=place_b.pk).update(verified_on=timezone.localdate())
    html = login(users["coordinator"]).get(reverse("admin:index")).content.decode()
    assert "1 lieu non vérifié depuis 365 jours" in html
    assert "0 contribution du public à traiter" in html  # French: 0 takes the singular


def test_remind_stale_writes_to_each_animateur_once(users, place_a, place_b, capsys):
    old = timezone.localdate() - timedelta(days=400)
    Place.objects.update(verified_on=old)
    call_command("remind_stale", "--dry-run")
    assert "a@example.org : 1 lieu(x)" in capsys.readouterr().out
    assert not mail.outbox
    call_command("remind_stale")
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.org", "b@example.org"]
    assert "Lieu A" in mail.outbox[0].body or "Lieu A" in mail.outbox[1].body


def test_hours_preview_reads_the_week_or_explains_the_error(users, login):
    client = login(users["animateur_a"])
    url = reverse("admin:places_place_hours_preview")
    week = client.post(url, {"value": "Mo-Fr 09:00-12:00"}).json()["week"]
    assert len(week) == 7
    assert any("09:00–12:00" in day for day in week)
    error = client.post(url, {"value": "Lu-Ve 9h"}).json()["error"]
    assert error.startswith("Horaires d'ouverture invalides")


def test_markdown_preview_is_sanitised(users, login):
    url = reverse("admin:places_place_markdown_preview")
    html = login(users["animateur_a"]).post(url, {"value": "**ok** <script>x</script>"}).json()
    assert html["html"] == "<p><strong>ok</strong> </p>" or "<script" not in html["html"]
    assert "<strong>ok</strong>" in html["html"]
