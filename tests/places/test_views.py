"""The public pages as a visitor meets them."""

import pytest
from django.urls import reverse

from places.models import Place
from tests.factories import PlaceFactory

pytestmark = pytest.mark.django_db


def test_home_lists_the_shipped_places_with_their_pictograms(client, shipped_data):
    pages = [
        client.get(reverse("places:home"), {"page": n}, HTTP_ACCEPT_LANGUAGE="fr") for n in (1, 2)
    ]
    assert [response.status_code for response in pages] == [200, 200]
    html = "".join(response.content.decode() for response in pages)
    for place in Place.objects.active():
        assert place.get_absolute_url() in html
    assert "img/pictos/coffee.svg" in html
    assert "Café / bar" in html  # a pictogram always comes with its label


def test_home_leaves_closed_places_out(client):
    PlaceFactory(name="Ancien télécentre", status=Place.Status.CLOSED)
    PlaceFactory(name="Télécentre ouvert")
    html = client.get(reverse("places:home")).content.decode()
    assert "Télécentre ouvert" in html
    assert "Ancien télécentre" not in html


def test_place_page_shows_identity_services_and_approximate_location(client, shipped_data):
    place = Place.objects.get(slug="msap-de-marvejols")
    response = client.get(place.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>MSAP de Marvejols</h1>" in html
    assert "Aide aux démarches administratives" in html
    assert "Localisation approximative" in html
    assert "France Services" in html


def test_an_unknown_place_is_a_404(client, db):
    assert client.get(reverse("places:detail", args=["nulle-part"])).status_code == 404


def test_the_about_page_credits_the_data_sources(client, shipped_data):
    html = client.get(reverse("places:about"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Sources : INSEE, IGN ADMIN EXPRESS, La Poste, annuaire service-public.fr" in html
    assert "Licence Ouverte 2.0" in html


def test_the_site_speaks_english_when_asked(client, shipped_data):
    """The interface and the reference data both switch language."""
    client.cookies["django_language"] = "en"
    html = client.get(reverse("places:home")).content.decode()
    assert '<html lang="en">' in html
    assert "Third places in Lozère" in html
    assert "Help with administrative procedures" in html


def test_french_is_the_default(client, shipped_data):
    html = client.get(reverse("places:home")).content.decode()
    assert '<html lang="fr">' in html
    assert "Les tiers-lieux de Lozère" in html


def test_the_admin_works_for_a_superuser(admin_client, shipped_data):
    assert admin_client.get(reverse("admin:index")).status_code == 200
    assert admin_client.get(reverse("admin:places_place_changelist")).status_code == 200
    polen = Place.objects.get(slug="polen")
    assert (
        admin_client.get(reverse("admin:places_place_change", args=[polen.pk])).status_code == 200
    )


def test_french_counts_zero_in_the_singular(client, db):
    html = client.get(reverse("places:home"), {"q": "rien"}).content.decode()
    assert ">0 lieu<" in html


def test_an_invalid_search_keeps_the_facets_and_says_why(client, shipped_data):
    response = client.get(reverse("places:home"), {"near": "Atlantide", "service": "cafe"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Commune inconnue" in html
    assert 'name="service" value="cafe" checked' in html
    assert 'id="map"' not in html


def test_a_radius_typed_in_the_address_stays_selected(client, shipped_data):
    """Submitting the form again must not silently change a shared search's radius."""
    html = client.get(reverse("places:home"), {"near": "Mende", "radius": 15}).content.decode()
    assert '<option value="15" selected>' in html


def test_text_filters_are_named_by_what_was_typed(client, shipped_data):
    html = client.get(reverse("places:home"), {"q": "zzzz"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert "Retirer «\u00a0zzzz\u00a0»" in html.content.decode()
