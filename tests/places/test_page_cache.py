"""Whole pages served from the cache to anonymous visitors, until the directory changes."""

import pytest
from django.urls import reverse

from tests.factories import CommuneFactory, PlaceFactory

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_share_a_page_until_a_place_changes(client, django_assert_num_queries):
    place = PlaceFactory(name="Premier nom")
    url = reverse("places:detail", args=[place.slug])
    assert "Premier nom" in client.get(url).content.decode()
    with django_assert_num_queries(0):
        assert "Premier nom" in client.get(url).content.decode()
    place.name = "Nouveau nom"
    place.save()
    assert "Nouveau nom" in client.get(url).content.decode()


def test_signed_in_people_always_get_a_fresh_page(client, admin_user):
    PlaceFactory(name="Lieu vu")
    client.get(reverse("places:home"))
    client.force_login(admin_user)
    response = client.get(reverse("places:home"))
    assert "Lieu vu" in response.content.decode()
    assert response.context is not None  # rendered, not read from the cache


def test_pages_carry_no_csrf_token_so_they_can_be_shared(client):
    response = client.get(reverse("places:home"))
    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert "csrftoken" not in response.cookies


def test_the_language_link_remembers_the_choice_and_stays_on_the_site(client):
    response = client.get(reverse("language", args=["en"]), {"next": "/pictogrammes/"})
    assert response.status_code == 302 and response["Location"] == "/pictogrammes/"
    assert response.cookies["django_language"].value == "en"
    assert "Pictograms" in client.get("/pictogrammes/").content.decode()
    away = client.get(reverse("language", args=["fr"]), {"next": "https://example.org/"})
    assert away["Location"] == "/"
    assert client.get(reverse("language", args=["xx"])).status_code == 404


def test_commune_names_are_suggested_as_one_types(client):
    CommuneFactory(name="Mende")
    CommuneFactory(name="Meyrueis")
    CommuneFactory(name="Florac")
    url = reverse("places:commune-suggestions")
    assert client.get(url, {"q": "me"}).json() == ["Mende", "Meyrueis"]
    assert client.get(url, {"q": "m"}).json() == []
