"""Nobody touches what is not theirs: every admin URL × every role, and forbidden-field POSTs."""

import pytest
from django.db.models.fields.files import FieldFile
from django.urls import reverse

from charter.models import CharterVersion, Signature
from contributions.models import Contribution
from places.models import Place
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
        "contributions": (reverse("admin:contributions_contribution_changelist"), "get"),
        "users": (reverse("admin:auth_user_changelist"), "get"),
        "invite": (reverse("admin:auth_user_invite"), "get"),
        "signatures": (reverse("admin:charter_signature_changelist"), "get"),
        "networks": (reverse("admin:places_network_changelist"), "get"),
        "communes": (reverse("admin:territory_commune_changelist"), "get"),
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
    """Each back-office address answers each role as the matrix says: the login page, 403, 200 or a
    redirect."""
    url, method = admin_urls(place_a)[name]
    response = getattr(login(users[role]), method)(url)
    assert response.status_code == EXPECTED[name][role], (name, role)


def test_an_animateur_lists_only_their_places(users, login, place_a, place_b):
    """An animateur's place list holds only the places they animate."""
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
    """What the change form would post back unchanged: fields and every inline formset. A file
    input posts no file unless one is chosen, so a stored file's value is left out."""
    data = {}

    def keep(key, value):
        if not isinstance(value, FieldFile):
            data[key] = "" if value is None else value

    adminform = response.context["adminform"]
    for name in adminform.form.fields:
        keep(name, adminform.form[name].value())
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        for name in formset.management_form.fields:
            keep(f"{formset.prefix}-{name}", formset.management_form[name].value())
        for form in formset.forms:
            for name in form.fields:
                keep(form.add_prefix(name), form[name].value())
    return {key: value for key, value in data.items() if value is not False}


def test_an_animateur_edits_their_place(users, login, place_a):
    """An animateur saves a change to their own place through its form."""
    client = login(users["animateur_a"])
    url = reverse("admin:places_place_change", args=[place_a.pk])
    data = form_data(client.get(url)) | {"short_description": "Un lieu convivial."}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    place_a.refresh_from_db()
    assert place_a.short_description == "Un lieu convivial."


def coordinator_state(place):
    """What only coordinators may change on a place."""
    place.refresh_from_db()
    return {
        "slug": place.slug,
        "to_verify": place.to_verify,
        "verified_on": place.verified_on,
        "archived_at": place.archived_at,
        "status": place.status,
        "animateurs": sorted(place.animateurs.values_list("pk", flat=True)),
        "memberships": list(place.memberships.values_list("network__code", "start_year")),
    }


def crafted(name, users):
    """A field an animateur's form does not offer, posted anyway."""
    if name == "animateurs":
        return {"animateurs": [users["animateur_a"].pk, users["animateur_b"].pk]}
    if name == "memberships":
        return {
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-0-network": NetworkFactory(code="solozere").pk,
            "memberships-0-start_year": "2015",
        }
    return {
        "slug": {"slug": "nouvelle-adresse"},
        "to_verify": {"to_verify": "on"},
        "verified_on": {"verified_on": "01/01/2020"},
        "archived_at": {"archived_at_0": "01/01/2026", "archived_at_1": "10:00:00"},
    }[name]


@pytest.mark.parametrize(
    "field",
    ["slug", "to_verify", "verified_on", "archived_at", "animateurs", "memberships"],
)
def test_forbidden_fields_posted_by_an_animateur_change_nothing(users, login, place_a, field):
    """Slug, « à vérifier », the verification date, the archive, animateurs and networks are
    coordinators' business: posted by an animateur, they are ignored, never saved."""
    before = coordinator_state(place_a)
    client = login(users["animateur_a"])
    url = reverse("admin:places_place_change", args=[place_a.pk])
    data = form_data(client.get(url)) | {"short_description": "Modifié"} | crafted(field, users)
    assert client.post(url, data).status_code == 302
    assert coordinator_state(place_a) == before
    assert place_a.short_description == "Modifié"
    # A coordinator's form takes the same field.
    client = login(users["coordinator"])
    data = form_data(client.get(url)) | crafted(field, users)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert coordinator_state(place_a) != before


@pytest.mark.parametrize("inline", ["stops", "rooms"])
def test_an_animateur_cannot_reach_another_place_through_her_inlines(
    users, login, place_a, place_b, inline
):
    """A row of another place, posted among her own place's stops or rooms, is left alone."""
    other = {
        "stops": lambda: place_b.stops.create(label="Marché", commune=place_b.commune),
        "rooms": lambda: place_b.rooms.create(name="Salle"),
    }[inline]()
    client = login(users["animateur_a"])
    url = reverse("admin:places_place_change", args=[place_a.pk])
    data = form_data(client.get(url)) | {
        f"{inline}-TOTAL_FORMS": "1",
        f"{inline}-INITIAL_FORMS": "1",
        f"{inline}-0-id": other.pk,
        f"{inline}-0-place": place_a.pk,
        f"{inline}-0-commune": place_a.commune.pk,
        f"{inline}-0-label": "Piraté",
        f"{inline}-0-name": "Piraté",
    }
    client.post(url, data)
    assert [(row.place, str(row)) for row in type(other).objects.all()] == [(place_b, str(other))]


@pytest.mark.parametrize(("before", "after"), [("open", "closed"), ("closed", "open")])
def test_only_coordinators_close_or_reopen_a_place(users, login, place_a, before, after):
    """An animateur's form refuses to close or reopen their place, saying only coordinators may; a
    coordinator's takes it."""
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
    """A coordinator's user form has no superuser box."""
    coordinator = users["coordinator"]
    url = reverse("admin:auth_user_change", args=[users["animateur_a"].pk])
    client = login(coordinator)
    response = client.get(url)
    assert "is_superuser" not in response.context["adminform"].form.fields


def test_signatures_and_contributions_stay_with_coordinators(users, login, place_a):
    """Charter signatures and public contributions are out of an animateur's reach (403)."""
    Signature.objects.create(
        place=place_a, version=CharterVersion.objects.create(number="1", title_fr="C", title_en="C")
    )
    Contribution.objects.create(kind="error", place=place_a, message="Horaires faux")
    client = login(users["animateur_a"])
    assert client.get(reverse("admin:charter_signature_changelist")).status_code == DENIED
    assert client.get(reverse("admin:contributions_contribution_changelist")).status_code == DENIED
