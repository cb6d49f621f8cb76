"""Accounts of each role and the places they animate: fixtures for the tests of the back-office and
of what it moderates (see tests/conftest.py, which offers them to every test)."""

import pytest
from django.contrib.auth.models import Group

from backoffice.roles import ANIMATEURS, COORDINATORS
from tests.factories import PlaceFactory


@pytest.fixture
def place_a(db):
    return PlaceFactory(name="Lieu A", opening_hours="Mo-Fr 09:00-12:00")


@pytest.fixture
def place_b(db):
    return PlaceFactory(name="Lieu B")


def make_user(django_user_model, username, group=None, **extra):
    user = django_user_model.objects.create_user(
        username=username, email=username, password="motdepasse-solide-1", is_staff=True, **extra
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def users(django_user_model, place_a, place_b):
    """One account per role: the permission matrix's rows."""
    animateur_a = make_user(django_user_model, "a@example.org", ANIMATEURS, first_name="Alice")
    animateur_b = make_user(django_user_model, "b@example.org", ANIMATEURS, first_name="Bruno")
    place_a.animateurs.add(animateur_a)
    place_b.animateurs.add(animateur_b)
    return {
        "anonymous": None,
        "no_role": make_user(django_user_model, "nobody@example.org"),
        "animateur_a": animateur_a,
        "animateur_b": animateur_b,
        "coordinator": make_user(django_user_model, "coord@example.org", COORDINATORS),
    }


@pytest.fixture
def login(client):
    def log_in(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return log_in
