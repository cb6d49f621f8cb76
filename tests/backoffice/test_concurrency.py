"""Two people editing one place at once: the second save never silently undoes the first."""

import pytest
from django.test import Client
from django.urls import reverse

from places.models import Membership, Photo, Room, Stop
from tests.backoffice.test_permissions import form_data
from tests.factories import CommuneFactory, NetworkFactory

pytestmark = pytest.mark.django_db


def change_url(place):
    return reverse("admin:places_place_change", args=[place.pk])


def open_form(client, place):
    """What the person's browser holds once the form is open: the fields as they stand."""
    return form_data(client.get(change_url(place)))


def conflict(response):
    assert response.status_code == 200, response.status_code
    return response.context["adminform"].form.non_field_errors()


def test_the_second_save_is_refused_and_says_what_changed(users, login, place_a):
    """The coordinator and the animateur open the form; the coordinator saves a phone number;
    the animateur's save is refused, naming the coordinator, the field and its new value, with
    what the animateur typed still in the form and nothing of it saved."""
    coordinator = login(users["coordinator"])
    first = open_form(coordinator, place_a)
    animateur = login(users["animateur_a"])
    second = open_form(animateur, place_a)

    coordinator = login(users["coordinator"])
    assert (
        coordinator.post(change_url(place_a), first | {"phone": "04 66 00 00 00"}).status_code
        == 302
    )

    animateur = login(users["animateur_a"])
    typed = {"opening_hours_note": "Fermé en août", "phone": "06 00 00 00 00"}
    response = animateur.post(change_url(place_a), second | typed)
    errors = conflict(response)
    assert (
        "coord@example.org a modifié ce lieu depuis que vous avez ouvert ce formulaire" in errors[0]
    )
    assert "Téléphone : « 04 66 00 00 00 »" in errors
    html = response.content.decode()
    assert "Téléphone : « 04 66 00 00 00 »" in html
    assert 'value="Fermé en août"' in html and 'value="06 00 00 00 00"' in html
    place_a.refresh_from_db()
    assert (place_a.phone, place_a.opening_hours_note) == ("04 66 00 00 00", "")


def test_saving_again_after_reading_the_conflict_goes_through(users, login, place_a):
    """The form shown with the conflict knows the place as it now is: saving it again is the
    person's choice, and works."""
    client = login(users["animateur_a"])
    stale = open_form(client, place_a)
    client.post(change_url(place_a), open_form(client, place_a) | {"phone": "04 66 00 00 00"})
    response = client.post(change_url(place_a), stale | {"opening_hours_note": "Fermé en août"})
    assert conflict(response)

    again = client.post(change_url(place_a), form_data(response))
    assert again.status_code == 302
    place_a.refresh_from_db()
    assert place_a.opening_hours_note == "Fermé en août"


def add_stop(place):
    Stop.objects.create(place=place, commune=CommuneFactory(name="Florac"), schedule="jeudi")
    return "Étapes : « Florac — jeudi »"


def add_room(place):
    Room.objects.create(place=place, name="Salle du four")
    return "Salles : « Salle du four »"


def add_photo(place):
    Photo.objects.create(place=place, image="lieux/four.jpg", alt_text="Le four à pain")
    return "Photos : « Le four à pain »"


def add_membership(place):
    Membership.objects.create(place=place, network=NetworkFactory(label_fr="Occitanie"))
    return "Adhésions à des réseaux : « Lieu A — Occitanie »"


@pytest.mark.parametrize(
    ("role", "change"),
    [
        ("animateur_a", add_stop),
        ("animateur_a", add_room),
        ("animateur_a", add_photo),
        ("coordinator", add_membership),
    ],
)
def test_a_change_to_stops_rooms_photos_or_memberships_is_a_change_of_the_place(
    users, login, place_a, role, change
):
    """A stop, room, photo or membership added while the form was open refuses the save, naming what
    was added."""
    client = login(users[role])
    data = open_form(client, place_a)
    shown = change(place_a)
    response = client.post(change_url(place_a), data | {"phone": "04 66 00 00 00"})
    assert shown in conflict(response)
    place_a.refresh_from_db()
    assert place_a.phone == ""


def test_being_confirmed_up_to_date_meanwhile_is_a_change(users, login, place_a):
    """« Les informations sont à jour » sets the verification date a coordinator's open form
    also holds (an animateur's form shows it read-only: saving it cannot undo the click)."""
    coordinator = login(users["coordinator"])
    data = open_form(coordinator, place_a)
    animateur = Client()
    animateur.force_login(users["animateur_a"])
    animateur.post(reverse("admin:places_place_verify", args=[place_a.pk]))
    response = coordinator.post(change_url(place_a), data | {"phone": "04 66 00 00 00"})
    assert any(error.startswith("Dernière vérification : ") for error in conflict(response))


def test_what_the_form_does_not_edit_is_no_conflict(users, login, place_a):
    """An animateur's form has no « à vérifier » nor memberships: a coordinator changing them
    meanwhile takes nothing from the animateur's save, which goes through."""
    client = login(users["animateur_a"])
    data = open_form(client, place_a)
    place_a.to_verify = True
    place_a.save()
    add_membership(place_a)
    response = client.post(change_url(place_a), data | {"phone": "04 66 00 00 00"})
    assert response.status_code == 302
    place_a.refresh_from_db()
    assert place_a.to_verify and place_a.phone == "04 66 00 00 00"


@pytest.mark.parametrize("version", [None, "", "forged:token"])
def test_a_save_without_a_readable_version_is_refused(users, login, place_a, version):
    """A form posted without the version it was opened on, or with a forged one, saves nothing."""
    client = login(users["animateur_a"])
    data = open_form(client, place_a) | {"phone": "04 66 00 00 00"}
    if version is None:
        del data["version"]
    else:
        data["version"] = version
    response = client.post(change_url(place_a), data)
    assert "ne dit pas quelle version du lieu il modifie" in conflict(response)[0]
    place_a.refresh_from_db()
    assert place_a.phone == ""
