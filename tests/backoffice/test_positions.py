"""Positions typed in the back-office or imported: refused outside Lozère or swapped, a warning
far from the commune; and every place's sources are edited there."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from places.models import Place
from tests.backoffice.test_import import HEADER, errors_by_line, run
from tests.backoffice.test_permissions import form_data
from tests.factories import CommuneFactory, PlaceFactory

pytestmark = pytest.mark.django_db

MENDE = (44.51782, 3.50117)


@pytest.fixture
def mende(db):
    return CommuneFactory(insee="48095", name="Mende", postcodes="48000")


@pytest.fixture
def place(mende):
    return PlaceFactory(name="Lieu de Mende", commune=mende, latitude=MENDE[0], longitude=MENDE[1])


def change(client, place, **fields):
    url = reverse("admin:places_place_change", args=[place.pk])
    return client.post(url, form_data(client.get(url)) | fields, follow=True)


def test_an_import_refuses_swapped_or_far_positions(mende):
    """A spreadsheet row with latitude and longitude swapped, or a point far from Lozère, is refused
    with its line named; nothing is written."""
    text = (
        HEADER
        + ",Inversé,48095,,,,,3.50117,44.51782\n"
        + ",À Paris,48095,,,,,48.85,2.35\n"
        + ",À Mende,48095,,,,,44.51782,3.50117\n"
    )
    result = run(text)
    errors = errors_by_line(result)
    assert sorted(errors) == [2, 3]
    assert "latitude « 3.50117 », longitude « 44.51782 » : " in errors[2]
    assert "semblent inversées" in errors[2]
    assert "km de la Lozère" in errors[3]
    assert not Place.objects.filter(name="À Mende").exists()  # all or nothing


def test_the_place_form_refuses_swapped_coordinates(admin_client, place):
    """An animateur who types the longitude in the latitude field is told so, and the place keeps
    its position."""
    response = change(admin_client, place, latitude=MENDE[1], longitude=MENDE[0])
    assert "semblent inversées" in response.content.decode()
    place.refresh_from_db()
    assert (place.latitude, place.longitude) == MENDE


def test_a_stop_outside_lozere_is_refused(admin_client, mende):
    """A stop of an itinerant place placed outside Lozère is a form error, not a point on
    the map."""
    truck = PlaceFactory(itinerant=True, latitude=None, longitude=None, location_precision="")
    url = reverse("admin:places_place_change", args=[truck.pk])
    data = form_data(admin_client.get(url)) | {
        "stops-TOTAL_FORMS": "1",
        "stops-0-position": "1",
        "stops-0-latitude": "48.85",
        "stops-0-longitude": "2.35",
        "stops-0-label": "Paris",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "km de la Lozère" in response.content.decode()
    assert not truck.stops.exists()


def test_a_position_far_from_its_commune_is_saved_with_a_warning(admin_client, place):
    """Saint-Chély-d'Apcher's town hall, for a place in Mende: a slip of the commune or of the
    position, which the coordinator is asked to check."""
    response = change(admin_client, place, latitude="44.80277", longitude="3.27566")
    warnings = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("de la commune Mende" in warning for warning in warnings), warnings
    place.refresh_from_db()
    assert place.latitude == pytest.approx(44.80277)


def test_a_coordinator_edits_a_place_s_sources(admin_client, place):
    """The coordinator keeps each place's « Source : » true from the place form."""
    response = change(admin_client, place, sources="Rapport 2022, § 3 : télécentre.")
    assert response.status_code == 200
    place.refresh_from_db()
    assert place.sources == "Rapport 2022, § 3 : télécentre."
