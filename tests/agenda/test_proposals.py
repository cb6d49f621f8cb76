"""The public proposes an event of a place: kept unpublished for moderation, refused with each
reason, limited like the other contributions."""

import pytest
from django.urls import reverse

from agenda.models import Event
from tests.factories import PlaceFactory

pytestmark = pytest.mark.django_db

VALID = {
    "title": "Dégustation au marché",
    "start": "2027-06-01T09:00",
    "end": "2027-06-01T12:00",
    "description": "Le Tiers-Truck au marché.",
    "contact_email": "personne@example.org",
}


def test_a_proposal_is_saved_unpublished_and_shown_nowhere(client):
    """Saved for its place, unpublished: neither the agenda nor the place page show it."""
    place = PlaceFactory()
    response = client.post(reverse("agenda:propose", args=[place.slug]), VALID)
    assert response.status_code == 302
    event = Event.objects.get()
    assert (event.place, event.published) == (place, False)
    assert "Dégustation" not in client.get(place.get_absolute_url()).content.decode()
    assert not Event.objects.published().exists()


def test_an_end_before_the_start_is_a_400_naming_it(client):
    """Nothing is saved; the page says what is wrong."""
    place = PlaceFactory()
    data = {**VALID, "end": "2027-06-01T08:00"}
    response = client.post(reverse("agenda:propose", args=[place.slug]), data)
    assert response.status_code == 400
    assert "La fin doit venir après le début." in response.content.decode()
    assert not Event.objects.exists()


def test_robots_and_floods_are_turned_away(client, settings):
    """A filled honeypot saves nothing; past the hourly limit, a 429 says why."""
    place = PlaceFactory()
    url = reverse("agenda:propose", args=[place.slug])
    client.post(url, {**VALID, "nickname": "robot"})
    assert not Event.objects.exists()
    settings.SOLOZERE_CONTRIBUTIONS_PER_HOUR = 2  # the robot spent one
    client.post(url, VALID)
    response = client.post(url, VALID)
    assert response.status_code == 429
    assert Event.objects.count() == 1
