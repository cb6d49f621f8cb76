"""Alerts: a visitor whose search found nothing leaves an e-mail, confirms it (double opt-in),
may delete it from any e-mail, and is told once when a place near them answers; nothing is kept
unconfirmed for long, nor after the answer."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from needs import alerts
from needs.models import Alert
from tests.factories import AlertFactory, CommuneFactory, PlaceFactory

pytestmark = pytest.mark.django_db

BROWSER = {"HTTP_USER_AGENT": "Mozilla/5.0 Firefox/128.0"}


@pytest.fixture
def mende():
    return CommuneFactory(
        insee="48095", name="Mende", townhall_latitude=44.5181, townhall_longitude=3.5009
    )


def alert_url(**params):
    from urllib.parse import urlencode

    return reverse("needs:alert") + "?" + urlencode(params)


def link(message, name):
    return re.search(rf"http://\S+/besoins/alerte/{name}/\S+/", message.body).group(0)


def test_an_empty_search_offers_the_alert(client, mende):
    """Under « Aucun lieu ne correspond », a link to the alert form keeping the search and where
    it started."""
    html = client.get(reverse("places:home"), {"q": "fablab", "near": "Mende"}, **BROWSER)
    html = html.content.decode()
    assert "Être prévenu par courriel" in html
    assert alert_url(q="fablab", near="Mende").replace("&", "&amp;") in html


def test_leaving_an_e_mail_asks_to_confirm_it_first(client, mende):
    """Double opt-in: the alert is kept unconfirmed and the e-mail carries the confirm link and
    the link that deletes it; opening the link changes nothing, its button confirms."""
    url = alert_url(q="fablab", near="Mende", radius="20")
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["form"]["commune"].value() == mende.insee
    assert "«\u00a0fablab\u00a0»" in page.content.decode()
    response = client.post(url, {"email": "camille@example.org", "commune": "48095", "radius": 20})
    assert response.status_code == 200
    assert "Vérifiez votre messagerie" in response.content.decode()
    alert = Alert.objects.get()
    assert (alert.query, alert.commune, alert.radius) == ("q=fablab", mende, 20)
    assert alert.confirmed_at is None
    (message,) = mail.outbox
    assert message.to == ["camille@example.org"]
    confirm, unsubscribe = link(message, "confirmer"), link(message, "supprimer")
    assert client.get(confirm).status_code == 200
    alert.refresh_from_db()
    assert alert.confirmed_at is None
    assert client.post(confirm).status_code == 200
    alert.refresh_from_db()
    assert alert.confirmed_at is not None
    assert "Supprimer mon alerte" in client.get(unsubscribe).content.decode()
    assert Alert.objects.exists()
    client.post(unsubscribe)
    assert not Alert.objects.exists()
    assert "déjà supprimée" in client.get(confirm).content.decode()


def test_links_not_ours_are_refused():
    """A made-up, altered or other action's token: refused, nothing changed."""
    alert = AlertFactory()
    token = alerts.make_token(alert, "confirm")
    with pytest.raises(alerts.Refused):
        alerts.open_link(token + "x", "confirm")
    with pytest.raises(alerts.Refused):
        alerts.open_link(token, "unsubscribe")
    with pytest.raises(alerts.Refused):
        alerts.open_link("a" * 400, "confirm")
    assert alerts.open_link(token, "confirm") == alert


def test_a_link_for_a_changed_address_finds_nothing():
    """The link carries a digest of the address: an id reused for someone else's alert is not
    theirs to delete."""
    alert = AlertFactory(email="a@example.org")
    token = alerts.make_token(alert, "unsubscribe")
    Alert.objects.filter(pk=alert.pk).update(email="b@example.org")
    assert alerts.open_link(token, "unsubscribe") is None


def test_bad_input_is_a_form_error_or_400(client, mende):
    """A search that says nothing, or an invalid one: 400 saying why; a bad e-mail or commune:
    the form says which field, nothing kept nor sent."""
    assert client.get(reverse("needs:alert")).status_code == 400
    assert client.get(alert_url(service="no-such")).status_code == 400
    response = client.post(
        alert_url(q="fablab"), {"email": "pas-un-courriel", "commune": "Nulle-Part", "radius": 7}
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"email", "commune", "radius"}
    assert not Alert.objects.exists() and not mail.outbox


def test_robots_and_floods_are_refused(client, mende, settings):
    """The contributions' honeypot (silently nothing) and hourly limits per address and per
    mailbox."""
    url = alert_url(q="fablab")
    data = {"email": "camille@example.org", "commune": "48095", "radius": 10}
    assert client.post(url, data | {"nickname": "robot"}).status_code == 200
    assert not Alert.objects.exists() and not mail.outbox
    settings.SOLOZERE_EMAILS_PER_RECIPIENT_PER_HOUR = 1
    assert client.post(url, data).status_code == 200
    assert client.post(url, data).status_code == 429
    settings.SOLOZERE_CONTRIBUTIONS_PER_HOUR = 3
    assert client.post(url, data | {"email": "x@example.org"}).status_code == 429
    assert Alert.objects.count() == 1


def test_unconfirmed_alerts_are_deleted_after_a_few_days(settings):
    """Nobody's address is kept because someone else typed it."""
    settings.SOLOZERE_ALERT_CONFIRMATION_DAYS = 3
    old = AlertFactory(confirmed_at=None, created_at=timezone.now() - timedelta(days=4))
    recent = AlertFactory(confirmed_at=None)
    confirmed = AlertFactory(created_at=timezone.now() - timedelta(days=30))
    call_command("notify_alerts", verbosity=0)
    assert set(Alert.objects.all()) == {recent, confirmed}
    assert not Alert.objects.filter(pk=old.pk).exists()


def test_an_answered_alert_is_told_once_then_deleted(mende):
    """A published place within the radius now answers: one e-mail, with the places and the
    link that deletes; the alert is gone, so the next run tells nobody. A place too far, or an
    unconfirmed alert, tells nobody."""
    confirmed = AlertFactory(query="q=fablab", commune=mende, radius=10, language="en")
    unconfirmed = AlertFactory(query="q=fablab", commune=mende, radius=10, confirmed_at=None)
    PlaceFactory(name="Fablab lointain", latitude=45.5, longitude=3.5)
    call_command("notify_alerts", verbosity=0)
    assert not mail.outbox
    PlaceFactory(name="Fablab de Mende", latitude=44.52, longitude=3.5, commune=mende)
    call_command("notify_alerts", verbosity=0)
    (message,) = mail.outbox
    assert message.to == [confirmed.email]
    assert "Fablab de Mende" in message.body and "Fablab lointain" not in message.body
    assert "/besoins/alerte/supprimer/" in message.body
    assert set(Alert.objects.all()) == {unconfirmed}
    call_command("notify_alerts", verbosity=0)
    assert len(mail.outbox) == 1
