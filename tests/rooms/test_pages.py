"""`/salles/`, the request form, the links of the e-mails, the calendars and the network's view."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from rooms import bookings
from rooms.models import BookedSlot, RoomRequest
from tests.factories import (
    ClosedPeriodFactory,
    PhotoFactory,
    PlaceFactory,
    RoomFactory,
    ServiceFactory,
    UserFactory,
    lozere_commune,
    next_monday_at,
)

pytestmark = pytest.mark.django_db
HOURS = "Mo-Fr 09:00-18:00"


def a_room(**kwargs):
    return RoomFactory(**{"bookable": True, "hours": HOURS, "capacity": 10, **kwargs})


def names(response):
    return [room.name for room in response.context["page"].object_list]


def monday_query(**extra):
    monday = next_monday_at(10)
    return {"date": f"{monday:%Y-%m-%d}", "start": "10:00", "end": "12:00", **extra}


def test_search_keeps_only_rooms_free_then(client):
    """With a day and times: rooms booked, closed or shut then are left out; others stay."""
    free = a_room(name="Libre")
    booked = a_room(name="Réservée")
    closed = a_room(name="Fermée")
    a_room(name="Le week-end", hours="Sa,Su 09:00-18:00")
    a_room(name="Pas réservable", bookable=False)
    start = next_monday_at(10)
    request = bookings.ask(booked, start, start + timedelta(hours=1), 2, name="A", email="a@b.fr")
    bookings.accept(request)
    ClosedPeriodFactory(room=closed, first_day=start.date(), last_day=start.date())
    response = client.get(reverse("rooms:search"), monday_query())
    assert response.status_code == 200
    assert names(response) == [free.name]
    assert "Demander ce créneau" in response.content.decode()
    assert f"/salles/{free.pk}/demander/?date=" in response.content.decode()
    # Without a day, every bookable room.
    everything = names(client.get(reverse("rooms:search")))
    assert sorted(everything) == ["Fermée", "Le week-end", "Libre", "Réservée"]


def test_search_by_people_equipment_kind_and_near(client):
    """People, equipment (all ticked), kind of offer and « near » each keep what they say."""
    visio = ServiceFactory(code="visio-room")
    mende, florac = lozere_commune("48095"), lozere_commune("48061")
    near_mende = PlaceFactory(
        commune=mende, latitude=mende.townhall_latitude, longitude=mende.townhall_longitude
    )
    big = a_room(name="Grande", capacity=30, place=near_mende, kind="functional")
    big.equipment.add(visio)
    a_room(
        name="Petite",
        capacity=6,
        kind="charm",
        place=PlaceFactory(
            commune=florac, latitude=florac.townhall_latitude, longitude=florac.townhall_longitude
        ),
    )
    url = reverse("rooms:search")
    assert names(client.get(url, {"people": 20})) == ["Grande"]
    assert names(client.get(url, {"equipment": "visio-room"})) == ["Grande"]
    assert names(client.get(url, {"kind": "charm"})) == ["Petite"]
    assert names(client.get(url, {"near": "Mende", "radius": 10})) == ["Grande"]


@pytest.mark.parametrize(
    "query",
    [
        {"date": "2020-01-06", "start": "10:00", "end": "12:00"},
        {"date": "", "start": "10:00"},
        {"date": "pas une date"},
        {"people": "0"},
        {"people": "9999"},
        {"end": "25:00"},
    ],
)
def test_bad_searches_say_why(client, query):
    """A past day, times without a day, an unreadable date or number: 400 and a message."""
    response = client.get(reverse("rooms:search"), {**monday_query(), **query})
    assert response.status_code == 400
    assert 'class="error"' in response.content.decode() or "form-errors" in (
        response.content.decode()
    )


def test_search_queries_do_not_grow_with_rooms(client):
    """The search with a slot is a fixed number of queries, whatever the number of rooms."""
    equipment = ServiceFactory()

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("rooms:search"), monday_query(people=2))
        assert response.status_code == 200
        return len(queries)

    for _ in range(3):
        a_room(equipment=[equipment])
    few = count()
    for _ in range(25):
        a_room(equipment=[equipment], hours="Mo-Sa 08:00-20:00")
    assert count() == few


def test_a_place_page_lists_each_room_once_and_offers_to_ask_for_the_bookable_ones(client):
    """A place's page lists each of its rooms once, under « Salles »: the bookable ones with
    « Demander ce créneau » and the rooms' calendar, the others described only."""
    room = a_room(name="Salle du causse")
    RoomFactory(place=room.place, name="Réserve", bookable=False)
    page = client.get(room.place.get_absolute_url()).content.decode()
    assert page.count("Salle du causse</h3>") == 1 and page.count("Réserve</h3>") == 1
    assert reverse("rooms:ask", args=[room.pk]) in page
    assert page.count("Demander ce créneau") == 1
    assert reverse("rooms:place-ics", args=[room.place.slug]) in page


def test_a_closed_place_describes_its_rooms_without_taking_requests(client):
    """A place closed for good still describes its rooms, and offers none to ask for."""
    room = a_room(name="Salle du causse", place=PlaceFactory(status="closed"))
    page = client.get(room.place.get_absolute_url()).content.decode()
    assert "Salle du causse</h3>" in page
    assert "Demander ce créneau" not in page
    assert reverse("rooms:place-ics", args=[room.place.slug]) not in page


def test_a_rooms_photos_show_with_the_room_not_in_the_places_own(client, settings, tmp_path):
    """A photo showing one of the place's rooms is shown in that room's card, on the place's page
    and in `/salles/` (its first one), with its credit; the place's own photos stay at the top of
    its page."""
    settings.MEDIA_ROOT = tmp_path
    room = a_room(name="Salle du causse")
    PhotoFactory(place=room.place, alt_text="La façade en granit")
    PhotoFactory(place=room.place, room=room, alt_text="La salle et son écran", credit="Le lieu")
    response = client.get(room.place.get_absolute_url())
    assert [photo.alt_text for photo in response.context["photos"]] == ["La façade en granit"]
    page = response.content.decode()
    rooms = page[page.index('id="salles"') :]
    assert 'alt="La salle et son écran"' in rooms and "La façade en granit" not in rooms
    search = client.get(reverse("rooms:search"), monday_query()).content.decode()
    assert 'alt="La salle et son écran"' in search and "Photo : Le lieu" in search


def test_a_photo_shows_a_room_of_its_own_place_only(settings, tmp_path):
    """A photo cannot be said to show another place's room: the form says so."""
    settings.MEDIA_ROOT = tmp_path
    photo = PhotoFactory(room=RoomFactory())
    with pytest.raises(ValidationError) as refusal:
        photo.full_clean()
    assert "room" in refusal.value.message_dict
    photo.room = RoomFactory(place=photo.place)
    photo.full_clean()


def test_the_search_link_prefills_the_form(client):
    """« Demander ce créneau » from a search carries its day, times and people into the form;
    what does not read as a field is left out."""
    room = a_room()
    url = reverse("rooms:ask", args=[room.pk])
    form = client.get(url, {**monday_query(), "people": "6"}).context["form"]
    assert form.initial == {**monday_query(), "people": "6"}
    form = client.get(url, {"date": "demain", "start": "25:00", "people": "x"}).context["form"]
    assert form.initial == {}


def post_request(client, room, **overrides):
    monday = next_monday_at(10)
    data = {
        "date": f"{monday:%Y-%m-%d}",
        "start": "10:00",
        "end": "12:00",
        "people": "4",
        "name": "Catherine",
        "email": "catherine@example.org",
        "purpose": "Réunion de projet",
        **overrides,
    }
    return client.post(reverse("rooms:ask", args=[room.pk]), data)


def test_asking_for_a_room(client):
    """The form sends the request: it is asked, both sides get their e-mail."""
    room = a_room()
    room.place.animateurs.add(UserFactory(email="anim@example.org"))
    response = post_request(client, room)
    assert response.status_code == 302
    request = RoomRequest.objects.get()
    assert (request.status, request.people, request.name) == ("asked", 4, "Catherine")
    assert {m.to[0] for m in mail.outbox} == {"anim@example.org", "catherine@example.org"}


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"name": "Cath\nerine"}, "une seule ligne"),
        ({"purpose": "Réunion\r\nBcc: x@y.fr"}, "une seule ligne"),
        ({"people": "11"}, "au plus 10"),
        ({"start": "19:00", "end": "20:00"}, "heures"),
        ({"date": "2020-01-06"}, "passé"),
        ({"end": "09:00"}, "avant son début"),
        ({"email": ""}, "obligatoire"),
    ],
)
def test_bad_requests_write_nothing(client, overrides, expected):
    """A newline in a name or subject, too many people, outside the hours, past, backwards, no
    e-mail: the form says why, nothing is written, no mail is sent."""
    response = post_request(client, a_room(), **overrides)
    assert response.status_code == 400
    assert expected in response.content.decode()
    assert not RoomRequest.objects.exists()
    assert not mail.outbox


def test_asking_for_a_booked_slot_is_refused(client):
    """An overlapping request of an accepted booking: a clear message, nothing written."""
    room = a_room()
    start = next_monday_at(11)
    bookings.accept(
        bookings.ask(room, start, start + timedelta(hours=1), 2, name="L", email="l@b.fr")
    )
    response = post_request(client, room)
    assert response.status_code == 400
    assert "déjà réservé" in response.content.decode()
    assert RoomRequest.objects.count() == 1


def test_the_cancel_link_asks_then_cancels(client):
    """Opening the requester's link changes nothing; its button cancels."""
    room = a_room()
    start = next_monday_at(10)
    request = bookings.accept(
        bookings.ask(room, start, start + timedelta(hours=1), 2, name="L", email="l@b.fr")
    )
    url = reverse("rooms:cancel", args=[bookings.make_token(request, "requester")])
    assert client.get(url).status_code == 200
    assert BookedSlot.objects.exists()
    assert client.post(url).status_code == 200
    request.refresh_from_db()
    assert request.status == "cancelled" and request.cancelled_by == "requester"
    assert not BookedSlot.objects.exists()
    assert client.get(url[:-3] + "xx/").status_code == 400


def test_the_answer_link_accepts_or_refuses(client):
    """The place's link shows the request; accepting is a POST; refusing needs a reason."""
    room = a_room()
    start = next_monday_at(10)
    first = bookings.ask(room, start, start + timedelta(hours=1), 2, name="L", email="l@b.fr")
    url = reverse("rooms:answer", args=[bookings.make_token(first, "place")])
    page = client.get(url)
    assert page.status_code == 200 and "l@b.fr" in page.content.decode()
    assert "no-store" in page["Cache-Control"]  # no cache keeps who asked, a phone's neither
    assert client.post(url, {"action": "accept"}).status_code == 302
    first.refresh_from_db()
    assert first.status == "accepted"
    second = bookings.ask(
        room, start + timedelta(hours=2), start + timedelta(hours=3), 2, name="M", email="m@b.fr"
    )
    url = reverse("rooms:answer", args=[bookings.make_token(second, "place")])
    assert client.post(url, {"action": "refuse", "reason": ""}).status_code == 400
    assert client.post(url, {"action": "refuse", "reason": "Complet"}).status_code == 302
    second.refresh_from_db()
    assert (second.status, second.reason) == ("refused", "Complet")


def test_calendars_public_busy_times_private_details(client):
    """The room's and the place's public calendars say « Occupée », no name; the secret address
    carries the details; a forged one is 404."""
    room = a_room()
    start = next_monday_at(10)
    bookings.accept(
        bookings.ask(
            room, start, start + timedelta(hours=1), 2, name="Roald", email="roald@example.org"
        )
    )
    for url in (
        reverse("rooms:room-ics", args=[room.pk]),
        reverse("rooms:place-ics", args=[room.place.slug]),
    ):
        body = client.get(url).content.decode()
        assert "Occupée" in body and "Roald" not in body and "roald@" not in body
    secret = reverse("rooms:private-ics", args=[bookings.calendar_token(room.place)])
    assert "Roald" in client.get(secret).content.decode()
    assert client.get(secret.replace("/salles.ics", "x/salles.ics")).status_code == 404


def test_the_secret_calendar_address_stops_working_when_an_animateur_leaves(client):
    """The address names the place's active animateurs: once one is taken off the place, or
    their account closed, the address they were given answers 404, and the new one works."""
    room = a_room()
    staying, leaving = UserFactory(), UserFactory()
    room.place.animateurs.set([staying, leaving])
    start = next_monday_at(10)
    bookings.accept(bookings.ask(room, start, start + timedelta(hours=1), 2, name="Roald"))

    def secret():
        return reverse("rooms:private-ics", args=[bookings.calendar_token(room.place)])

    given = secret()
    assert "Roald" in client.get(given).content.decode()
    room.place.animateurs.remove(leaving)
    assert client.get(given).status_code == 404
    assert "Roald" in client.get(secret()).content.decode()

    kept = secret()
    staying.is_active = False
    staying.save()
    assert client.get(kept).status_code == 404
    assert client.get(secret()).status_code == 200


def test_the_network_view_is_for_coordinators(client, users, place_a):
    """Coordinators see requests, acceptance rate, response time and hours booked per room and
    month, and its CSV; animateurs get 403."""
    room = a_room(name="Salle A", place=place_a)
    start = next_monday_at(10)
    bookings.accept(
        bookings.ask(room, start, start + timedelta(hours=2), 2, name="A", email="a@b.fr")
    )
    bookings.refuse(
        bookings.ask(
            room,
            start + timedelta(hours=3),
            start + timedelta(hours=4),
            2,
            name="B",
            email="b@b.fr",
        ),
        "Non",
    )
    client.force_login(users["coordinator"])
    response = client.get(reverse("rooms:network"), {"annee": start.year})
    assert response.status_code == 200
    row = response.context["rows"][0]
    assert (row["requests"], row["accepted"], row["refused"], row["rate"]) == (2, 1, 1, 50)
    assert row["booked_hours"] == 2
    assert row["answer_hours"] is not None
    csv = client.get(reverse("rooms:network-csv"), {"annee": start.year}).content.decode()
    assert "Salle A" in csv and "A" in csv and "a@b.fr" not in csv
    client.force_login(users["animateur_a"])
    assert client.get(reverse("rooms:network")).status_code == 403


def test_coverage_shows_meeting_rooms_like_any_service(client):
    """The catalogue's « Salle de réunion » is a service: the coverage page measures, for it, the
    places offering it, as for any service (rooms add no catalogue of their own)."""
    meeting = ServiceFactory(code="meeting-room", label_fr="Salle de réunion")
    mende = lozere_commune("48095")
    PlaceFactory(name="Sans salle", commune=mende, latitude=44.52, longitude=3.5)
    offering = PlaceFactory(
        name="Avec salle", commune=mende, latitude=44.6, longitude=3.6, services=[meeting]
    )
    a_room(place=offering)
    response = client.get(reverse("coverage:page"), {"service": "meeting-room"})
    assert response.status_code == 200
    nearest = {row.nearest for row in response.context["coverage"].by_distance()}
    assert nearest == {offering}


def test_requesters_are_never_public(client):
    """Whoever asked for a room appears on no public page, open-data file, API answer nor public
    calendar: only on the signed pages and the secret calendar."""
    room = a_room()
    start = next_monday_at(10)
    bookings.accept(
        bookings.ask(
            room,
            start,
            start + timedelta(hours=1),
            2,
            name="Roald Secret",
            email="roald.secret@example.org",
            phone="04 66 11 22 33",
            organisation="Hôtel discret",
            purpose="Séminaire confidentiel",
        )
    )
    urls = [
        room.place.get_absolute_url(),
        reverse("rooms:search"),
        reverse("rooms:search") + "?" + "&".join(f"{k}={v}" for k, v in monday_query().items()),
        reverse("rooms:geojson"),
        reverse("rooms:room-ics", args=[room.pk]),
        reverse("rooms:place-ics", args=[room.place.slug]),
        reverse("opendata:csv"),
        reverse("opendata:geojson"),
        reverse("opendata:api-list"),
        reverse("sitemap"),
    ]
    for url in urls:
        body = client.get(url).content.decode()
        for secret in ("Roald", "roald.secret", "11 22 33", "Hôtel discret", "confidentiel"):
            assert secret not in body, (url, secret)


def test_an_epci_page_shows_its_rooms_and_their_use_over_the_year(client):
    """For its officials: the rooms its places lend, with the past year's requests, acceptances
    and hours booked; another territory's rooms are not counted; in a fixed number of queries."""
    from tests.factories import BookedSlotFactory, RoomRequestFactory, lozere_commune

    here, elsewhere = lozere_commune("48061"), lozere_commune("48095")
    room = RoomFactory(place=PlaceFactory(commune=here), name="Salle du conseil", bookable=True)
    RoomFactory(place=PlaceFactory(commune=elsewhere), name="Salle d'ailleurs", bookable=True)
    past = timezone.now().replace(microsecond=0, second=0, minute=0) - timedelta(days=10)
    accepted = RoomRequestFactory(
        room=room, start=past, end=past + timedelta(hours=1), status=RoomRequest.Status.ACCEPTED
    )
    for offset in (timedelta(0), timedelta(minutes=30)):
        BookedSlotFactory(request=accepted, start=past + offset)
    RoomRequestFactory(room=room, start=past, status=RoomRequest.Status.REFUSED)
    RoomRequestFactory(room=room, start=past - timedelta(days=400))  # over a year ago
    url = reverse("places:epci", args=[here.epci.siren])
    html = client.get(url).content.decode()
    section = html[html.index('id="epci-rooms-title"') :]
    section = section[: section.index("</section>")]
    assert "Salle du conseil" in section and "Salle d&#x27;ailleurs" not in section
    assert "<td>2</td><td>1</td><td>1</td>" in section  # 2 requests, 1 accepted, 1 hour
    assert "/salles/" in section
    other = client.get(reverse("places:epci", args=[elsewhere.epci.siren])).content.decode()
    assert "Salle d&#x27;ailleurs" in other


def test_an_epci_without_rooms_says_so():
    """No empty table: a sentence."""
    from rooms.network import epci_use
    from tests.factories import lozere_commune

    assert epci_use(lozere_commune("48061").epci)["rows"] == []
