"""Rooms' requests and closed periods in the back-office: animateurs answer their places' requests
and no other's, coordinators see every one; an answer is bookings.py's step, e-mails included."""

import pytest
from django.core import mail
from django.urls import reverse

from rooms.models import BookedSlot, RoomRequest
from tests.factories import ClosedPeriodFactory, RoomFactory, RoomRequestFactory

pytestmark = pytest.mark.django_db


def change_url(request):
    return reverse("admin:rooms_roomrequest_change", args=[request.pk])


def a_request(place, **kwargs):
    room = RoomFactory(place=place, bookable=True, hours="Mo-Fr 09:00-18:00")
    return RoomRequestFactory(room=room, **kwargs)


def test_animateurs_see_and_answer_only_their_places_requests(users, login, place_a, place_b):
    """Animateur A lists A's requests only, and B's request answers 403."""
    mine, theirs = a_request(place_a), a_request(place_b)
    client = login(users["animateur_a"])
    listed = client.get(reverse("admin:rooms_roomrequest_changelist"))
    assert list(listed.context["cl"].result_list) == [mine]
    assert client.get(change_url(mine)).status_code == 200
    assert client.get(change_url(theirs)).status_code == 403
    assert client.post(change_url(theirs), {"decision": "accept"}).status_code == 403
    coordinator = login(users["coordinator"])
    everything = coordinator.get(reverse("admin:rooms_roomrequest_changelist"))
    assert set(everything.context["cl"].result_list) == {mine, theirs}


def test_accepting_in_the_back_office_books_and_tells(users, login, place_a):
    """The answer « Accepter » books the slot and mails the requester the .ics."""
    request = a_request(place_a)
    client = login(users["animateur_a"])
    response = client.post(change_url(request), {"decision": "accept", "refusal": ""})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == RoomRequest.Status.ACCEPTED
    assert BookedSlot.objects.filter(request=request).count() == 4
    assert mail.outbox[0].attachments


def test_refusing_needs_a_reason(users, login, place_a):
    """« Refuser » without a reason is a form error; with one, it is refused and said."""
    request = a_request(place_a)
    client = login(users["animateur_a"])
    response = client.post(change_url(request), {"decision": "refuse", "refusal": ""})
    assert response.status_code == 200 and "Indiquez le motif" in response.content.decode()
    client.post(change_url(request), {"decision": "refuse", "refusal": "Salle en travaux"})
    request.refresh_from_db()
    assert (request.status, request.reason) == ("refused", "Salle en travaux")


def test_an_overlapping_acceptance_is_a_form_error(users, login, place_a):
    """Accepting a request overlapping an accepted booking says why, nothing is written."""
    first = a_request(place_a)
    second = RoomRequestFactory(room=first.room, email="autre@example.org")
    client = login(users["animateur_a"])
    client.post(change_url(first), {"decision": "accept"})
    response = client.post(change_url(second), {"decision": "accept"})
    assert response.status_code == 200 and "chevauche" in response.content.decode()
    second.refresh_from_db()
    assert second.status == RoomRequest.Status.ASKED


def test_requests_are_neither_added_nor_deleted(users, login, place_a):
    """Requests come from the public form only, and stay for the figures: no add, no delete."""
    request = a_request(place_a)
    client = login(users["coordinator"])
    assert client.get(reverse("admin:rooms_roomrequest_add")).status_code == 403
    delete = reverse("admin:rooms_roomrequest_delete", args=[request.pk])
    assert client.get(delete).status_code == 403


def test_closed_periods_follow_the_places_rights(users, login, place_a, place_b):
    """Animateurs edit their rooms' closed periods, not another place's."""
    mine = ClosedPeriodFactory(room=RoomFactory(place=place_a))
    theirs = ClosedPeriodFactory(room=RoomFactory(place=place_b))
    client = login(users["animateur_a"])
    listed = client.get(reverse("admin:rooms_closedperiod_changelist"))
    assert list(listed.context["cl"].result_list) == [mine]
    url = reverse("admin:rooms_closedperiod_change", args=[theirs.pk])
    assert client.get(url).status_code == 403
    form = client.get(reverse("admin:rooms_closedperiod_add"))
    assert [room.place for room in form.context["adminform"].form.fields["room"].queryset] == [
        place_a
    ]


def test_the_back_office_home_counts_the_requests_waiting_for_an_answer(
    users, login, place_a, place_b
):
    """An animateur's home says how many of their rooms' requests wait for an answer, linked to
    them; another place's, or one answered, is not counted; a coordinator counts every place's;
    with none waiting, nothing is said."""
    a_request(place_a)
    a_request(place_a, status=RoomRequest.Status.REFUSED, reason="Travaux")
    a_request(place_b)
    a_request(place_b)
    link = reverse("admin:rooms_roomrequest_changelist") + "?status__exact=asked"
    home = login(users["animateur_a"]).get(reverse("admin:index")).content.decode()
    assert "1 demande de salle attend votre réponse" in home and link in home
    home = login(users["coordinator"]).get(reverse("admin:index")).content.decode()
    assert "3 demandes de salle attendent votre réponse" in home
    RoomRequest.objects.update(status=RoomRequest.Status.EXPIRED)
    home = login(users["coordinator"]).get(reverse("admin:index")).content.decode()
    assert "demande de salle" not in home and "<h2>À faire</h2>" not in home
