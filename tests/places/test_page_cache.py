"""Whole pages served from the cache to anonymous visitors, named by the database's state."""

from unittest import mock

import pytest
from django.core.cache import cache
from django.urls import reverse

from places import freshness
from places.models import Service, Stop
from tests.factories import CommuneFactory, PlaceFactory, ServiceFactory

pytestmark = pytest.mark.django_db


def text(client, url, **kwargs):
    return client.get(url, **kwargs).content.decode()


def test_anonymous_visitors_share_a_page_until_a_place_changes(client, django_assert_num_queries):
    """A cached page costs one query (the directory's state); a saved change is seen at once."""
    place = PlaceFactory(name="Premier nom")
    url = reverse("places:detail", args=[place.slug])
    assert "Premier nom" in text(client, url)
    with django_assert_num_queries(1):
        assert "Premier nom" in text(client, url)
    place.name = "Nouveau nom"
    place.save()
    assert "Nouveau nom" in text(client, url)


def remove_link(place, service):
    place.services.remove(service)


def rename_service(place, service):
    service = Service.objects.get(pk=service.pk)
    service.label_fr = "Très haut débit"
    service.save()


def add_stop(place, service):
    Stop.objects.create(place=place, commune=place.commune, label="Marché")


def delete_place(place, service):
    place.delete()


@pytest.mark.parametrize("change", [remove_link, rename_service, add_stop, delete_place])
def test_any_change_to_what_a_page_shows_renews_it(client, change):
    """Changes that save no place (a link, a service, a stop, a deletion) renew pages too:
    the next page is made again (it has a template context), not read from the cache."""
    service = ServiceFactory(label_fr="Wi-Fi gratuit")
    place = PlaceFactory(name="Le Relais", services=[service])
    url = reverse("places:home")
    assert client.get(url).context is not None
    assert client.get(url).context is None  # cached
    state = freshness.read_state()
    change(place, service)
    assert freshness.read_state() != state
    assert client.get(url).context is not None


def test_a_page_asked_with_unknown_parameters_is_answered_but_never_cached(client):
    """Tracking tags or random parameters cannot fill the cache."""
    PlaceFactory(name="Lieu suivi")
    with mock.patch.object(cache, "set", wraps=cache.set) as stored:
        assert "Lieu suivi" in text(client, reverse("places:home"), data={"utm_source": "x"})
        assert "Lieu suivi" in text(client, reverse("places:home"), data={"q": "suivi"})
    assert stored.call_count == 1  # the search the page reads; not the one it does not


def test_a_page_larger_than_the_limit_is_never_cached(client, settings):
    """A page beyond the size limit is answered but not stored, so that a few huge pages cannot fill
    the shared cache."""
    settings.SOLOZERE_PAGE_CACHE_MAX_BYTES = 100
    PlaceFactory()
    with mock.patch.object(cache, "set", wraps=cache.set) as stored:
        assert client.get(reverse("places:home")).status_code == 200
    assert not stored.called


def test_a_visitor_with_the_page_gets_a_304_until_it_changes(client):
    """ETag and Last-Modified come from the database: a change gives a new ETag."""
    place = PlaceFactory(name="Lieu validé")
    url = reverse("places:detail", args=[place.slug])
    first = client.get(url)
    assert first["Last-Modified"] and first["ETag"]
    assert "no-cache" in first["Cache-Control"]
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    place.name = "Lieu changé"
    place.save()
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200 and "Lieu changé" in again.content.decode()


def test_pages_compressed_by_django_still_get_their_304(client, settings):
    """With GZIP=true (no proxy in front compresses), GZipMiddleware makes the ETag weak: the
    browser sends it back as W/"…", and the page, unchanged, is still a 304."""
    settings.MIDDLEWARE = ["django.middleware.gzip.GZipMiddleware", *settings.MIDDLEWARE]
    place = PlaceFactory(name="Lieu compressé")
    url = reverse("places:detail", args=[place.slug])
    first = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert first["Content-Encoding"] == "gzip"
    assert first["ETag"].startswith('W/"')
    again = client.get(url, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_signed_in_people_always_get_a_fresh_page(client, admin_user):
    """An animateur or coordinator who is signed in sees the page as it is now, never a copy cached
    for visitors, and no shared cache keeps it."""
    PlaceFactory(name="Lieu vu")
    client.get(reverse("places:home"))
    client.force_login(admin_user)
    response = client.get(reverse("places:home"))
    assert "Lieu vu" in response.content.decode()
    assert response.context is not None  # rendered, not read from the cache
    assert "private" in response["Cache-Control"]


def test_pages_carry_no_csrf_token_so_they_can_be_shared(client):
    """A public page holds no per-visitor token, so the copy cached for one visitor can be served to
    all."""
    response = client.get(reverse("places:home"))
    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert "csrftoken" not in response.cookies


def test_the_language_link_remembers_the_choice_and_stays_on_the_site(client):
    """Choosing English is remembered and brings the visitor back to the page they were on; the link
    never leads off the site, and an unknown language is a 404."""
    response = client.get(reverse("language", args=["en"]), {"next": "/pictogrammes/"})
    assert response.status_code == 302 and response["Location"] == "/pictogrammes/"
    assert response.cookies["django_language"].value == "en"
    assert "Pictograms" in client.get("/pictogrammes/").content.decode()
    away = client.get(reverse("language", args=["fr"]), {"next": "https://example.org/"})
    assert away["Location"] == "/"
    assert client.get(reverse("language", args=["xx"])).status_code == 404


def test_commune_names_are_suggested_as_one_types(client):
    """The « near » field suggests communes whose names start with what was typed, from two letters
    on."""
    CommuneFactory(name="Mende")
    CommuneFactory(name="Meyrueis")
    CommuneFactory(name="Florac")
    url = reverse("places:commune-suggestions")
    assert client.get(url, {"q": "me"}).json() == ["Mende", "Meyrueis"]
    assert client.get(url, {"q": "m"}).json() == []
