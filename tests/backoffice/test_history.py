"""No edit is ever lost: every change is recorded, readable, restorable; deleting archives."""

import pytest
from django.urls import reverse

from places.models import Place
from tests.backoffice.test_permissions import form_data

pytestmark = pytest.mark.django_db


def edit(client, place, **changes):
    url = reverse("admin:places_place_change", args=[place.pk])
    response = client.post(url, form_data(client.get(url)) | changes)
    assert response.status_code == 302, response.context["adminform"].form.errors


def test_each_change_records_who_when_and_what(users, login, place_a):
    """A change through the back-office records its author and each field's old and new value."""
    edit(login(users["animateur_a"]), place_a, phone="04 66 00 00 00")
    latest = place_a.history.latest()
    assert latest.history_user == users["animateur_a"]
    delta = latest.diff_against(latest.prev_record)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("phone", "", "04 66 00 00 00")]


def test_animateurs_read_their_place_history(users, login, place_a):
    """An animateur reads the history of their place, names included."""
    edit(login(users["animateur_a"]), place_a, phone="04 66 00 00 00")
    response = login(users["animateur_a"]).get(
        reverse("admin:places_place_history", args=[place_a.pk])
    )
    assert response.status_code == 200
    assert "Alice" in response.content.decode() or "a@example.org" in response.content.decode()


def test_a_coordinator_restores_an_earlier_version(users, login, place_a):
    """A coordinator restores an earlier version; the restore is one more version, nothing lost."""
    edit(login(users["animateur_a"]), place_a, name="Nom malheureux")
    original = place_a.history.earliest()
    client = login(users["coordinator"])
    url = reverse("admin:places_place_simple_history", args=[place_a.pk, original.history_id])
    response = client.post(url, form_data(client.get(url)))
    assert response.status_code == 302
    place_a.refresh_from_db()
    assert place_a.name == "Lieu A"
    assert place_a.history.count() == 3  # created, renamed, restored: nothing lost


def test_an_animateur_cannot_restore(users, login, place_a):
    """An animateur reading an earlier version is not offered to restore it."""
    edit(login(users["animateur_a"]), place_a, name="Nouveau nom")
    original = place_a.history.earliest()
    client = login(users["animateur_a"])
    url = reverse("admin:places_place_simple_history", args=[place_a.pk, original.history_id])
    assert client.get(url).context["revert_disabled"]


def test_an_animateur_posting_an_earlier_version_restores_nothing(users, login, place_a):
    """Restoring is refused on POST, not only hidden: a coordinator closed and archived the
    place, and an earlier version posted by its animateur must not make it open and public."""
    coordinator = login(users["coordinator"])
    edit(coordinator, place_a, status="closed")
    coordinator.post(reverse("admin:places_place_delete", args=[place_a.pk]), {"post": "yes"})
    place_a.refresh_from_db()
    assert place_a.status == "closed" and place_a.archived_at is not None
    before = place_a.history.count()

    client = login(users["animateur_a"])
    original = place_a.history.earliest()
    url = reverse("admin:places_place_simple_history", args=[place_a.pk, original.history_id])
    assert client.get(url).status_code == 200  # reading an earlier version stays allowed
    response = client.post(url, form_data(client.get(url)))
    assert response.status_code == 403
    place_a.refresh_from_db()
    assert place_a.status == "closed" and place_a.archived_at is not None
    assert place_a.history.count() == before


def test_deleting_archives_the_place(client, users, login, place_a):
    """The place leaves the public site and stays in the database and the history."""
    url = reverse("admin:places_place_delete", args=[place_a.pk])
    response = login(users["coordinator"]).post(url, {"post": "yes"})
    assert response.status_code == 302
    place_a.refresh_from_db()
    assert place_a.archived_at is not None
    assert place_a not in Place.objects.published()
    client.logout()
    assert client.get(place_a.get_absolute_url()).status_code == 404
    assert place_a.slug not in client.get(reverse("places:home")).content.decode()


def test_only_a_superuser_can_purge(users, login, place_a, admin_user):
    """The purge action deletes a place for good only when a superuser runs it."""
    changelist = reverse("admin:places_place_changelist")
    data = {"action": "purge", "_selected_action": [place_a.pk]}
    login(users["coordinator"]).post(changelist, data)
    assert Place.objects.filter(pk=place_a.pk).exists()
    login(admin_user).post(changelist, data)
    assert not Place.objects.filter(pk=place_a.pk).exists()


def test_loading_fixtures_writes_no_history(shipped_data):
    """Loading the shipped fixtures is no edit: it writes no history."""
    assert not Place.history.exists()


def test_a_restore_that_fails_half_way_writes_nothing(users, login, place_a, monkeypatch):
    """Restoring saves the place, then its services and the log: if one step fails, the place is
    as before and no version is added (one transaction)."""
    from backoffice.admin.place import PlaceAdmin

    edit(login(users["animateur_a"]), place_a, name="Nom malheureux")
    original = place_a.history.earliest()
    client = login(users["coordinator"])
    url = reverse("admin:places_place_simple_history", args=[place_a.pk, original.history_id])
    data = form_data(client.get(url))

    def fail(self, request, obj, message):
        raise RuntimeError("disque plein")

    monkeypatch.setattr(PlaceAdmin, "log_change", fail)
    client.raise_request_exception = True
    with pytest.raises(RuntimeError):
        client.post(url, data)
    place_a.refresh_from_db()
    assert place_a.name == "Nom malheureux"
    assert place_a.history.count() == 2
