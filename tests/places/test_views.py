"""The public pages as a visitor meets them."""

import pytest
from django.urls import reverse

from places.models import Place
from places.views.listing import PAGE_SIZE
from tests.factories import (
    MembershipFactory,
    NetworkFactory,
    PlaceFactory,
    ServiceFactory,
    bulk_places,
    lozere_commune,
)

pytestmark = pytest.mark.django_db


def test_home_lists_every_place_with_its_pictograms(client):
    """Page after page, the directory lists every open place, each service shown by its
    pictogram and always with its label."""
    cafe = ServiceFactory(code="cafe", label_fr="Café / bar", pictogram="coffee")
    PlaceFactory(name="Le Bistrot", services=[cafe])
    bulk_places(PAGE_SIZE + 5)
    pages = [
        client.get(reverse("places:home"), {"page": n}, HTTP_ACCEPT_LANGUAGE="fr") for n in (1, 2)
    ]
    assert [response.status_code for response in pages] == [200, 200]
    html = "".join(response.content.decode() for response in pages)
    for place in Place.objects.all():
        assert place.get_absolute_url() in html
    assert "img/pictos/coffee.svg" in html
    assert "Café / bar" in html  # a pictogram always comes with its label


def test_home_leaves_closed_places_out(client):
    """A place that closed is no longer offered to visitors looking for one."""
    PlaceFactory(name="Ancien télécentre", status=Place.Status.CLOSED)
    PlaceFactory(name="Télécentre ouvert")
    html = client.get(reverse("places:home")).content.decode()
    assert "Télécentre ouvert" in html
    assert "Ancien télécentre" not in html


def test_place_page_shows_identity_services_and_approximate_location(client):
    """A place's page gives its name, its services in words, its networks, and says when its
    position is only its commune's town hall."""
    help_desk = ServiceFactory(label_fr="Aide aux démarches administratives")
    place = PlaceFactory(
        name="Maison des services",
        commune=lozere_commune("48092"),
        at_townhall=True,
        services=[help_desk],
    )
    MembershipFactory(place=place, network=NetworkFactory(label_fr="France Services"))
    response = client.get(place.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Maison des services</h1>" in html
    assert "Aide aux démarches administratives" in html
    assert "Localisation approximative" in html
    assert "France Services" in html


def test_an_unknown_place_is_a_404(client, db):
    """A mistyped or forgotten place address answers « not found », not an error."""
    assert client.get(reverse("places:detail", args=["nulle-part"])).status_code == 404


def test_the_about_page_credits_the_data_sources(client):
    """The licence of the reference data requires naming its sources: the about page does, and
    counts the places listed."""
    PlaceFactory.create_batch(3)
    PlaceFactory(status=Place.Status.CLOSED)
    html = client.get(reverse("places:about"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Sources : INSEE, IGN ADMIN EXPRESS, La Poste, annuaire service-public.fr" in html
    assert "Licence Ouverte 2.0" in html
    assert "L'annuaire recense 3 lieux." in html


def test_the_site_speaks_english_when_asked(client):
    """The interface and the reference data both switch language."""
    help_desk = ServiceFactory(
        label_fr="Aide aux démarches administratives",
        label_en="Help with administrative procedures",
    )
    PlaceFactory(services=[help_desk])
    client.cookies["django_language"] = "en"
    html = client.get(reverse("places:home")).content.decode()
    assert '<html lang="en"' in html
    assert "Third places in Lozère" in html
    assert "Help with administrative procedures" in html
    assert "Aide aux démarches administratives" not in html


def test_french_is_the_default(client, db):
    """A visitor who asks for no language reads the site in French."""
    html = client.get(reverse("places:home")).content.decode()
    assert '<html lang="fr"' in html
    assert "Les tiers-lieux de Lozère" in html


def test_the_admin_works_for_a_superuser(admin_client):
    """The back-office's index, the list of places and a place's form open for a superuser."""
    place = PlaceFactory()
    assert admin_client.get(reverse("admin:index")).status_code == 200
    assert admin_client.get(reverse("admin:places_place_changelist")).status_code == 200
    assert (
        admin_client.get(reverse("admin:places_place_change", args=[place.pk])).status_code == 200
    )


def test_a_search_no_form_could_send_is_a_bad_request(client, db):
    """A misspelled commune is a normal answer, but a malformed request is still a 400 that says
    why, even with an unknown commune beside it."""
    response = client.get(reverse("places:home"), {"near": "Atlantide", "radius": "beaucoup"})
    assert response.status_code == 400
    assert "<title>Erreur dans la recherche — " in response.content.decode()


def test_french_counts_zero_in_the_singular(client, db):
    """French says « 0 lieu », not « 0 lieux »."""
    html = client.get(reverse("places:home"), {"q": "rien"}).content.decode()
    assert ">0 lieu<" in html


def test_an_unknown_commune_keeps_the_facets_and_says_why(client):
    """An unknown commune is answered like any search, not as an error page: the page says why,
    keeps the visitor's other choices ticked so the search can be corrected, and draws no map of
    a search that could not be made."""
    ServiceFactory(code="cafe")
    lozere_commune("48095")
    response = client.get(reverse("places:home"), {"near": "Atlantide", "service": "cafe"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Commune inconnue — " in html
    assert "Commune inconnue" in html
    assert 'name="service" value="cafe" checked' in html
    assert 'id="map"' not in html


def test_a_radius_typed_in_the_address_stays_selected(client):
    """Submitting the form again must not silently change a shared search's radius."""
    lozere_commune("48095")
    html = client.get(reverse("places:home"), {"near": "Mende", "radius": 15}).content.decode()
    assert '<option value="15" selected>' in html


def test_text_filters_are_named_by_what_was_typed(client, db):
    """The button that removes a text filter names what the visitor typed."""
    html = client.get(reverse("places:home"), {"q": "zzzz"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert "Retirer «\u00a0zzzz\u00a0»" in html.content.decode()


def test_a_search_that_found_places_folds_its_form_and_leads_to_them(client):
    """Every search lands on #resultats: the results when the search is understood, the form
    and its message when not; a search that found places folds its form (« Modifier la
    recherche »), the bare directory and a search that found nothing do not; the pages of the
    results land on them too."""
    PlaceFactory(name="Le Bistrot", commune=lozere_commune("48095"))
    bulk_places(PAGE_SIZE + 5)

    def page(**params):
        return client.get(reverse("places:home"), params).content.decode()

    bare, found, nothing = page(), page(near="Mende"), page(q="zzzz")
    assert 'action="/#resultats"' in bare
    for html in (bare, found, nothing):
        assert '<section class="results" id="resultats"' in html
    assert "Modifier la recherche" in found
    assert "Modifier la recherche" not in bare and "Modifier la recherche" not in nothing
    assert 'rel="next"' in bare and 'page=2#resultats" rel="next"' in bare
    wrong = client.get(reverse("places:home"), {"radius": "loin"}).content.decode()
    assert 'id="resultats" role="search"' in wrong
    assert 'class="results" id="resultats"' not in wrong
