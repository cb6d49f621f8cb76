"""Absolute links come from SITE_URL, never from the Host header a visitor sent.

A page or an export is cached and served to everyone: the address one visitor used (a port, the
other allowed name, a forged host) must not end up in what the others read, nor in e-mails.
"""

import io
import json
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from places.models import Place
from tests.factories import PlaceFactory, ServiceFactory

pytestmark = pytest.mark.django_db

SITE = "https://solozere.example.org"
HOSTS = ["solozere.example.org", "www.solozere.example.org:8443", "other.example.net"]


@pytest.fixture(autouse=True)
def public_site(settings):
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = ["testserver", *[host.split(":")[0] for host in HOSTS]]


def absolute_links(html):
    """The canonical link, og:url and the JSON-LD's addresses of a place's page."""
    canonical = re.search(r'<link rel="canonical" href="([^"]*)"', html).group(1)
    og_url = re.search(r'<meta property="og:url" content="([^"]*)"', html).group(1)
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(script.group(1))
    return canonical, og_url, data["@id"], data["url"]


def test_a_place_page_names_the_same_address_whatever_the_host(client):
    """Canonical, og:url and JSON-LD are SITE_URL's, cached or not, for every Host header."""
    place = PlaceFactory(name="Le Relais")
    expected = (SITE + place.get_absolute_url(),) * 4
    for host in HOSTS:
        cache.clear()  # the page as made for this host, not as cached for the previous one
        html = client.get(place.get_absolute_url() + "?utm=x", HTTP_HOST=host).content.decode()
        assert absolute_links(html) == expected, host


def test_the_embed_and_its_code_link_to_the_site_url(client):
    """The embed's « Voir sur Solozère » and the iframe code offered on the open-data page."""
    embed = client.get(reverse("places:embed"), HTTP_HOST="other.example.net").content.decode()
    assert f'href="{SITE}{reverse("places:home")}"' in embed
    page = client.get(reverse("opendata:page"), HTTP_HOST="other.example.net")
    code = page.content.decode()
    assert f'data-base="{SITE}{reverse("places:embed")}"' in code
    assert "other.example.net" not in code


def test_open_data_links_are_on_the_site_url(client):
    """The CSV's and API's place URLs, the CSV's link to its schema, the API's next page, DCAT
    and OpenAPI: SITE_URL's."""
    for n in range(3):
        PlaceFactory(name=f"Lieu {n}")
    host = {"HTTP_HOST": "other.example.net"}
    csv_file = client.get(reverse("opendata:csv"), **host)
    csv_text = csv_file.content.decode("utf-8-sig")
    assert f"{SITE}/lieux/" in csv_text and "other.example.net" not in csv_text
    assert csv_file["Link"].startswith(f"<{SITE}{reverse('opendata:csv-schema')}>")
    api = client.get(reverse("opendata:api-list"), {"page_size": 1}, **host).json()
    assert api["next"].startswith(f"{SITE}{reverse('opendata:api-list')}?")
    assert api["results"][0]["url"].startswith(f"{SITE}/lieux/")
    dcat = client.get(reverse("opendata:catalogue"), **host).content.decode()
    assert f"{SITE}{reverse('opendata:csv')}" in dcat and "other.example.net" not in dcat
    openapi = client.get(reverse("opendata:api-openapi"), **host).json()
    assert openapi["servers"] == [{"url": SITE + "/"}]


def test_the_coverage_csv_links_to_the_site_url(client):
    """The coverage file's link to each commune's nearest place is on SITE_URL."""
    service = ServiceFactory(code="visio")
    place = PlaceFactory(services=[service])
    response = client.get(reverse("coverage:csv"), {"service": "visio"}, HTTP_HOST=HOSTS[2])
    assert SITE + place.get_absolute_url() in response.content.decode("utf-8-sig")


def test_e_mails_link_to_the_site_url(client, settings, django_user_model):
    """Contribution notices, password-reset and invitation e-mails: links on SITE_URL, even
    when the request that caused them came with another Host."""
    settings.SOLOZERE_COORDINATION_EMAIL = "coordination@example.org"
    place = PlaceFactory()
    client.post(
        reverse("contributions:report", args=[place.slug]),
        {"message": "Fermé le lundi.", "contact_email": ""},
        HTTP_HOST="other.example.net",
    )
    user = django_user_model.objects.create_user("anne", "anne@example.org", "x", is_staff=True)
    client.post(
        reverse("admin_password_reset"), {"email": user.email}, HTTP_HOST="other.example.net"
    )
    notice, reset = mail.outbox
    assert f"{SITE}/admin/contributions/contribution/" in notice.body
    assert f"{SITE}/reset/" in reset.body
    assert "other.example.net" not in notice.body + reset.body + reset.subject


def test_the_invitation_links_to_the_site_url(client, django_user_model):
    """The set-password link a coordinator's invitation sends is on SITE_URL."""
    from django.contrib.auth.models import Group

    from backoffice.roles import COORDINATORS

    coordinator = django_user_model.objects.create_user("coord", is_staff=True)
    coordinator.groups.add(Group.objects.get(name=COORDINATORS))
    client.force_login(coordinator)
    place = PlaceFactory()
    client.post(
        reverse("admin:auth_user_invite"),
        {"email": "m@example.org", "first_name": "M", "last_name": "C", "places": [place.pk]},
        HTTP_HOST="other.example.net",
    )
    [invitation] = mail.outbox
    assert f"{SITE}/reset/" in invitation.body and "other.example.net" not in invitation.body


def test_reminders_link_to_the_site_url(django_user_model):
    """`remind_stale` needs no --site-url: its link is on SITE_URL."""
    person = django_user_model.objects.create_user("p", "p@example.org", "x", is_staff=True)
    place = PlaceFactory()
    place.animateurs.add(person)
    Place.objects.update(verified_on=timezone.localdate() - timedelta(days=800))
    call_command("remind_stale", stdout=io.StringIO())
    [reminder] = mail.outbox
    assert f"{SITE}/admin/" in reminder.body
