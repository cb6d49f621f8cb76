"""The charter dashboard's filters: a value naming nothing is a 400 that says which, never a 500."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from places.models import Membership, NetworkTier
from tests.factories import NetworkFactory, PlaceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(client, django_user_model):
    user = django_user_model.objects.create_user("c@example.org", is_staff=True)
    user.groups.add(Group.objects.get(name="Coordinateurs"))
    client.force_login(user)
    return client


@pytest.mark.parametrize("name", ["charter:dashboard", "charter:dashboard-csv"])
@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"tier": "abc"}, "Niveau"),
        ({"tier": "99999999999999999999999"}, "Niveau"),
        ({"network": "inconnu"}, "Réseaux"),
        ({"epci": "abc"}, "Communauté de communes"),
    ],
)
def test_a_filter_naming_nothing_is_a_400_with_its_reason(coordinator, name, query, field):
    """A filter value naming nothing (a tier, a network, an EPCI) is a 400 saying which filter is
    wrong, on the page and the CSV, never a 500."""
    response = coordinator.get(reverse(name), query)
    assert response.status_code == 400
    assert f"{field} : Sélectionnez un choix valide." in response.content.decode()


def test_a_tier_filters_the_places(coordinator):
    """The dashboard lists only the places at the tier chosen."""
    solozere = NetworkFactory(code="solozere")
    comptoir = NetworkTier.objects.create(
        network=solozere, code="comptoir", label_fr="Comptoir", label_en="Comptoir"
    )
    Membership.objects.create(place=PlaceFactory(name="Comptoir"), network=solozere, tier=comptoir)
    PlaceFactory(name="Autre")
    response = coordinator.get(reverse("charter:dashboard"), {"tier": comptoir.pk})
    assert [row["place"].name for row in response.context["rows"]] == ["Comptoir"]
