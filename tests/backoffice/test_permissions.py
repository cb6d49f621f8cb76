"""Nobody touches what is not theirs: every admin URL × every role, and forbidden-field POSTs."""

import pytest
from django.urls import reverse

from charter.models import CharterVersion, Signature
from places.models import Contribution, Membership, Place
from tests.factories import NetworkFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "no_role", "animateur_a", "animateur_b", "coordinator"]
LOGIN = 302  # anonymous visitors are sent to the login page
DENIED = 403


def matrix(*expected):
    return dict(zip(ROLES, expected, strict=True))


def admin_urls(place_a):
    version = place_a.history.latest().history_id
    return {
        "place changelist": (reverse("admin:places_place_changelist"), "get"),
        "place add": (reverse("admin:places_place_add"), "get"),
        "place change": (reverse("admin:places_place_change", args=[place_a.pk]), "get"),
        "place delete": (reverse("admin:places_place_delete", args=[place_a.pk]), "get"),
        "place history": (reverse("admin:places_place_history", args=[place_a.pk]), "get"),
        "place version": (
            reverse("admin:places_place_simple_history", args=[place_a.pk, version]),
            "get",
        ),
        "place verify": (reverse("admin:places_place_verify", args=[place_a.pk]), "post"),
        "hours preview": (reverse("admin:places_place_hours_preview"), "post"),
        "contributions": (reverse("admin:places_contribution_changelist"), "get"),
        "users": (reverse("admin:auth_user_changelist"), "get"),
        "invite": (reverse("admin:auth_user_invite"), "get"),
        "signatures": (reverse("admin:charter_signature_changelist"), "get"),
        "networks": (reverse("admin:places_network_changelist"), "get"),
        "communes": (reverse("admin:places_commune_changelist"), "get"),
    }


EXPECTED = {
    "place changelist": matrix(LOGIN, DENIED, 200, 200, 200),
    "place add": matrix(LOGIN, DENIED, DENIED, DENIED, 200),
    "place change": matrix(LOGIN, DENIED, 200, DENIED, 200),
    "place delete": matrix(LOGIN, DENIED, DENIED, DENIED, 200),
    "place history": matrix(LOGIN, DENIED, 200, DENIED, 200),
    "place version": matrix(LOGIN, DENIED, 200, DENIED, 200),
    "place verify": matrix(LOGIN, DENIED, 302, DENIED, 302),
    "hours preview": matrix(LOGIN, 200, 200, 200, 200),
    "contributions": matrix(LOGIN, DENIED, DENIED, DENIED, 200),
    "users": matrix(LOGIN, DENIED, DENIED, DENIED, 200),
    "invite": matrix(LOGIN, DENIED, DENIED, DENIED, 200),
    "signatures": matrix(LOGIN, DENIED, DENIED, DENIED, 200),
    "networks": matrix(LOGIN, DENIED, DENIED, DENIED, 200),
    "communes": matrix(LOGIN, DENIED, 200, 200, 200),
}


@pytest.mark.parametrize("name", EXPECTED)
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(users, login, place_a, name, role):
    url, method = admin_urls(place_a)[name]
    response = getattr(login(users[role]), method)(url)
    assert response.status_code == EXPECTED[name][role], (name, role)


def test_an_animateur_lists_only_their_places(users, login, place_a, place_b):
    response = login(users["animateur_a"]).get(reverse("admin:places_place_changelist"))
    assert list(response.context["cl"].queryset) == [place_a]


def test_inlines_of_another_place_are_out_of_reach(users, login, place_b):
    """Stops, rooms and photos exist only as inlines of a place the user may edit."""
    url = reverse("admin:places_place_change", args=[place_b.pk])
    response = login(users["animateur_a"]).post(url, {"name": "Piraté"})
    assert response.status_code == DENIED
    place_b.refresh_from_db()
    assert place_b.name == "Lieu B"


def form_data(response):
    """What the change form would post back unchanged: fields and every inline formset."""
    data = {}
    adminform = response.context["adminform"]
    for name in adminform.form.fields:
        value = adminform.form[name].value()
        data[name] = "" if value is None else value
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        for name in formset.management_form.fields:
            value = formset.management_form[name].value()
            data[f"{formset.prefix}-{name}"] = "" if value is None else value
        for form in formset.forms:
            for name in form.fields:
                value = form[name].value()
                data[form.add_prefix(name)] = "" if value is None else value
    return {key: value for key, value in data.items() if value is not False}


def test_an_animateur_edits_their_place(users, login, place_a):
    client = login(users["animateur_a"])
    url = reverse("admin:places_place_change", args=[place_a.pk])
    data = form_data(client.get(url)) | {"short_description": "Un lieu convivial."}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    place_a.refresh_from_db()
    assert place_a.short_description == "Un lieu convivial."


def test_forbidden_fields_posted_by_an_animateur_change_nothing(users, login, place_a):
    """Slug, « à vérifier », animateurs and memberships are not theirs: ignored, not saved."""
    network = NetworkFactory(code="solozere")
    client = login(users["animateur_a"])
    url = reverse("admin:places_place_change", args=[place_a.pk])
    data = form_data(client.get(url)) | {
        "slug": "nouvelle-adresse",
        "to_verify": "on",
        "animateurs": [users["animateur_a"].pk, users["animateur_b"].pk],
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "0",
        "memberships-0-network": network.pk,
        "memberships-0-start_year": "2015",
    }
    assert client.post(url, data).status_code == 302
    place_a.refresh_from_db()
    assert place_a.slug == "lieu-a"
    assert not place_a.to_verify
    assert list(place_a.animateurs.all()) == [users["animateur_a"]]
    assert not Membership.objects.exists()


@pytest.mark.parametrize(("before", "after"), [("open", "closed"), ("closed", "open")])
def test_only_coordinators_close_or_reopen_a_place(users, login, place_a, before, after):
    Place.objects.filter(pk=place_a.pk).update(status=before)
    url = reverse("admin:places_place_change", args=[place_a.pk])
    client = login(users["animateur_a"])
    response = client.post(url, form_data(client.get(url)) | {"status": after})
    assert response.status_code == 200
    assert "Seuls les coordinateurs" in str(response.context["adminform"].form.errors)
    place_a.refresh_from_db()
    assert place_a.status == before
    client = login(users["coordinator"])
    assert client.post(url, form_data(client.get(url)) | {"status": after}).status_code == 302


def test_a_coordinator_cannot_make_anyone_superuser(users, login):
    coordinator = users["coordinator"]
    url = reverse("admin:auth_user_change", args=[users["animateur_a"].pk])
    client = login(coordinator)
    response = client.get(url)
    assert "is_superuser" not in response.context["adminform"].form.fields


def test_signatures_and_contributions_stay_with_coordinators(users, login, place_a):
    Signature.objects.create(
        place=place_a, version=CharterVersion.objects.create(number="1", title_fr="C", title_en="C")
    )
    Contribution.objects.create(kind="error", place=place_a, message="Horaires faux")
    client = login(users["animateur_a"])
    assert client.get(reverse("admin:charter_signature_changelist")).status_code == DENIED
    assert client.get(reverse("admin:places_contribution_changelist")).status_code == DENIED
