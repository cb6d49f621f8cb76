"""What the site needs to be installed and read offline, answered by Django: the list of places
the service worker stores (/hors-ligne/lieux.json), the offline page, the web app manifest and
the service worker itself. Chromium drives them in tests/browser/test_offline.py."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from places.models import Place
from tests.factories import PlaceFactory, PlaceTypeFactory, bulk_places

pytestmark = pytest.mark.django_db


def offline_list(client):
    response = client.get(reverse("places:offline-places"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


def test_the_offline_list_says_what_a_visitor_needs_of_each_listed_place(client):
    """Each place the directory lists comes with its page, commune, types, status when not open,
    phone, hours for the seven days from when the list was made, and the note on its hours;
    archived and closed places stay out."""
    kind = PlaceTypeFactory(label_fr="Fablab")
    place = PlaceFactory(
        name="Atelier",
        phone="04 66 00 00 00",
        opening_hours="Mo-Su 09:00-12:00",
        opening_hours_note="Fermé en août",
        types=[kind],
    )
    PlaceFactory(name="En projet", status=Place.Status.PROJECT)
    PlaceFactory(name="Fermé", status=Place.Status.CLOSED)
    PlaceFactory(name="Archivé", archived_at=timezone.now())

    data = offline_list(client)

    assert data["made"]
    by_name = {record["name"]: record for record in data["places"]}
    assert set(by_name) == {"Atelier", "En projet"}
    record = by_name["Atelier"]
    assert record["url"] == place.get_absolute_url()
    assert record["commune"] == place.commune.name
    assert record["types"] == ["Fablab"]
    assert record["phone"] == "04 66 00 00 00"
    assert record["note"] == "Fermé en août"
    assert len(record["hours"]) == 7
    assert all(slots == ["09:00–12:00"] for _day, slots in record["hours"])
    assert "status" not in record
    assert by_name["En projet"]["status"] == "En projet"
    assert by_name["En projet"]["hours"] == []


def test_the_offline_list_query_count_does_not_grow(client, django_assert_max_num_queries):
    """Forty places with a type and hours come in a fixed number of queries (the directory's
    state, the places, their types): one query per place would break the limit."""
    bulk_places(40, types=[PlaceTypeFactory()])
    Place.objects.update(opening_hours="Mo-Fr 09:00-12:00")
    with django_assert_max_num_queries(3):
        assert len(offline_list(client)["places"]) == 40


def test_the_offline_page_reads_the_list_with_a_script_of_the_site(client):
    """The offline page names its list and its search box, and needs no inline script: the
    Content-Security-Policy stays without 'unsafe-inline' for scripts."""
    response = client.get(reverse("places:offline"))
    html = response.content.decode()
    assert response.status_code == 200
    assert f'data-list="{reverse("places:offline-places")}"' in html
    assert 'for="offline-query"' in html
    policy = response["Content-Security-Policy"]
    script_src = next(part for part in policy.split(";") if "script-src" in part)
    assert "unsafe-inline" not in script_src
    assert "worker-src 'self'" in policy and "manifest-src 'self'" in policy


def test_every_page_links_the_manifest_and_loads_the_offline_script(client):
    """The base template links the manifest, the theme colour and the script that registers the
    service worker and says when a page is a stored copy."""
    html = client.get(reverse("places:legend")).content.decode()
    assert f'<link rel="manifest" href="{reverse("manifest")}">' in html
    assert f'data-service-worker="{reverse("service-worker")}"' in html
    assert "js/offline.js" in html and 'id="offline-notice"' in html


def test_the_manifest_speaks_the_visitors_language(client):
    """The manifest is JSON an app store reads: a name, standalone display, the directory as
    start, icons of 192 and 512 pixels and a maskable one, in French or English."""
    data = json.loads(client.get(reverse("manifest")).content)
    assert data["short_name"] == "Solozère" and data["display"] == "standalone"
    assert data["start_url"] == reverse("places:home") and data["lang"] == "fr"
    assert {icon["sizes"] for icon in data["icons"]} == {"192x192", "512x512"}
    assert [icon.get("purpose") for icon in data["icons"]].count("maskable") == 1
    english = json.loads(client.get(reverse("manifest"), HTTP_ACCEPT_LANGUAGE="en").content)
    assert english["lang"] == "en"


def test_the_service_worker_is_never_kept_unasked_and_names_what_it_stores(client):
    """sw.js is served from the root (its scope is the whole site) with no-cache, so a new
    version reaches phones at their next visit; it names the offline page, the list and the
    shell, and its version follows what it contains."""
    response = client.get(reverse("service-worker"))
    body = response.content.decode()
    assert reverse("service-worker") == "/sw.js"
    assert response["Cache-Control"] == "no-cache"
    assert response["Content-Type"].startswith("text/javascript")
    config = json.loads(body.split("const CONFIG = ", 1)[1].split(";\n", 1)[0])
    assert config["offline"] == reverse("places:offline")
    assert config["list"] == reverse("places:offline-places")
    assert "/static/js/offline.js" in config["shell"]
    assert len(config["version"]) == 12
