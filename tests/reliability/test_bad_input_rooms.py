"""Hostile input never breaks the rooms' addresses: `/salles/` and its map data, a room's request
form, the requester's and the place's signed links, the calendars (public and secret) and the
coordinators' network view with its CSV.

Each answer is an ordinary one (never a server error: the test client raises the view's
exception); a 400 page names each of its form's errors; markup typed in never comes back unescaped;
a request is written only whole and on one line, never in a booked, closed or past slot.
"""

from datetime import timedelta
from urllib.parse import quote, urlencode

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from places.models import Room
from rooms import bookings
from rooms.models import BookedSlot, RoomRequest
from tests import directory
from tests.factories import next_monday_at
from tests.fuzzing import fuzzing
from tests.reliability.test_bad_input import (
    HIDDEN_FIELDS,
    HOSTILE,
    MARKUP,
    assert_json_reason,
    assert_page_reason,
    fetch,
    junk,
    raw_queries,
    with_segment,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore::django.core.cache.backends.base.CacheKeyWarning"),
]


@pytest.fixture
def rooms_data(db):
    """The small directory with its made-up rooms, and one of them booked next Monday 10–12."""
    directory.build()
    room = Room.objects.get(name=directory.ROOMS[0])
    start = next_monday_at(10)
    booked = bookings.ask(room, start, start + timedelta(hours=2), 4, name="A", email="a@b.fr")
    bookings.accept(booked)
    return {"room": room, "booked": booked}


MONDAY = f"{next_monday_at(10):%Y-%m-%d}"
VALID = {
    "date": [MONDAY, "2020-01-06", "2099-01-01", "06/01/2027"],
    "period": ["morning", "afternoon", "day"],
    "start": ["09:00", "10:30", "21:30"],
    "end": ["12:00", "09:00", "22:00"],
    "people": ["1", "12", "500", "501"],
    "equipment": ["wifi", "cafe"],
    "kind": ["functional", "charm"],
    "near": ["Mende", "Florac", "48095"],
    "radius": ["1", "20", "200"],
    "lat": ["44.5", "-90"],
    "lon": ["3.5", "180"],
    "page": ["1", "2", "999"],
}
queries = st.dictionaries(
    st.one_of(st.sampled_from(list(VALID)), junk),
    st.one_of(st.sampled_from(sum(VALID.values(), [])), st.sampled_from(HOSTILE), junk),
    max_size=6,
).map(urlencode)


@fuzzing(60)
@given(query=st.one_of(queries, raw_queries))
def test_the_search_names_what_is_wrong(client, rooms_data, query):
    """`/salles/` shows each error of an invalid search; its map data says why in JSON; a room's
    form takes the same query (its link from the search carries the slot) and keeps what reads."""
    page = fetch(client, f"{reverse('rooms:search')}?{query}")
    assert_page_reason(page)
    data = fetch(client, f"{reverse('rooms:geojson')}?{query}")
    assert_json_reason(data)
    form = fetch(client, f"{reverse('rooms:ask', args=[rooms_data['room'].pk])}?{query}")
    assert form.status_code in (200, 400)
    assert MARKUP not in form.content.decode()


@fuzzing(40)
@given(
    segment=st.one_of(st.sampled_from(["1", "2", "0", "-1", "99999999999999999999"]), junk),
    query=st.one_of(st.just(""), queries),
)
def test_any_address_segment(client, rooms_data, segment, query):
    """A room, a place, a link or a calendar that does not exist is a 404 or a 400 saying why."""
    quoted = quote(segment, safe="")
    urls = [
        f"/salles/{quoted}/demander/",
        f"/salles/{quoted}/occupation.ics",
        with_segment("rooms:cancel", segment),
        with_segment("rooms:answer", segment),
        with_segment("rooms:private-ics", segment),
        with_segment("rooms:place-ics", segment),
    ]
    for url in urls:
        response = fetch(client, f"{url}?{query}")
        assert MARKUP not in response.content.decode(errors="replace")


REQUEST_FIELDS = {
    "date": st.sampled_from([MONDAY, "2020-01-06", "2099-01-01", "2027-02-30"]),
    "start": st.sampled_from(["09:00", "10:00", "11:30", "17:30", "07:00"]),
    "end": st.sampled_from(["10:00", "12:00", "18:00", "22:00", "09:00"]),
    "people": st.sampled_from(["1", "4", "12", "13", "0", "-3", "1e9"]),
    "name": st.sampled_from(["Catherine", "Ca\nthe", "x" * 200, MARKUP, " "]),
    "email": st.sampled_from(["c@example.org", "@", "c@example.org\r\nBcc: x@y.fr"]),
    "phone": st.sampled_from(["04 66 00 00 00", "abc", ""]),
    "organisation": st.sampled_from(["POLeN", "A\tB", ""]),
    "purpose": st.sampled_from(["Réunion", "Réunion\nBcc: x@y.fr", MARKUP, ""]),
    "nickname": st.sampled_from(["", "robot"]),
}


@fuzzing(80)
@given(
    target=st.one_of(st.sampled_from(["first", "second"]), junk),
    data=st.fixed_dictionaries(
        {}, optional={name: st.one_of(valid, junk) for name, valid in REQUEST_FIELDS.items()}
    ),
    address=st.ip_addresses().map(str),
)
def test_the_request_form_takes_any_post(client, rooms_data, settings, target, data, address):
    """A request: written and redirected, or refused with each reason; never half-written, never
    on two lines, never in the booked slot, a past one or beyond the room's capacity."""
    settings.SOLOZERE_CONTRIBUTIONS_PER_HOUR = 10**9
    settings.SOLOZERE_EMAILS_PER_RECIPIENT_PER_HOUR = 10**9
    rooms = {"first": rooms_data["room"], "second": Room.objects.get(name=directory.ROOMS[1])}
    url = (
        reverse("rooms:ask", args=[rooms[target].pk])
        if target in rooms
        else f"/salles/{quote(target, safe='')}/demander/"
    )
    before = set(RoomRequest.objects.values_list("pk", flat=True))
    response = fetch(client, url, method="post", REMOTE_ADDR=address, data=data)
    if response.status_code not in (302, 404):
        assert_page_reason(response, HIDDEN_FIELDS)
    for request in RoomRequest.objects.exclude(pk__in=before).select_related("room"):
        for text in (request.name, request.purpose, request.organisation, request.email):
            assert "\n" not in text and "\r" not in text
        assert (
            request.start > rooms_data["booked"].end
            or request.end <= rooms_data["booked"].start
            or request.room != rooms_data["room"]
        )
        assert request.room.capacity is None or request.people <= request.room.capacity
    # The database's rule holds whatever was posted.
    starts = list(BookedSlot.objects.values_list("room_id", "start"))
    assert len(starts) == len(set(starts))


@fuzzing(50)
@given(
    action=st.one_of(st.sampled_from(["accept", "refuse", "cancel", ""]), junk),
    reason=st.one_of(st.sampled_from(["Complet", "", "a\nb", MARKUP, "x" * 400]), junk),
    audience=st.sampled_from(["requester", "place"]),
    change=st.sampled_from(["none", "cut", "swap", "append"]),
)
def test_the_links_take_any_post(client, rooms_data, action, reason, audience, change):
    """The signed links, altered or not, posted with any answer: a page saying what happened or
    why not; a booking only by the place's true link."""
    room = rooms_data["room"]
    # Examples share the database: each begins without the requests of those before.
    RoomRequest.objects.exclude(pk=rooms_data["booked"].pk).delete()
    start = next_monday_at(14)
    asked = bookings.ask(room, start, start + timedelta(hours=1), 2, name="B", email="b@b.fr")
    token = bookings.make_token(asked, audience)
    token = {
        "none": token,
        "cut": token[:-3],
        "swap": token[::-1],
        "append": token + "x",
    }[change]
    name = "rooms:cancel" if audience == "requester" else "rooms:answer"
    response = fetch(
        client,
        with_segment(name, token),
        method="post",
        data={"action": action, "reason": reason},
    )
    assert MARKUP not in response.content.decode()
    asked.refresh_from_db()
    if change != "none":
        assert asked.status == RoomRequest.Status.ASKED
    if asked.status == RoomRequest.Status.REFUSED:
        assert "\n" not in asked.reason and asked.reason


@fuzzing(30)
@given(
    query=st.one_of(queries, raw_queries, st.dictionaries(st.just("annee"), junk).map(urlencode)),
    role=st.sampled_from(["coordinator", "animateur", "anonymous"]),
)
def test_the_network_view_takes_any_query(client, rooms_data, django_user_model, query, role):
    """The coordinators' view and its CSV: a page or a 400 saying why for coordinators, 403 or
    the login for others; never an error."""
    from backoffice.roles import ANIMATEURS, COORDINATORS

    client.logout()
    if role != "anonymous":
        group = COORDINATORS if role == "coordinator" else ANIMATEURS
        user, _created = django_user_model.objects.get_or_create(
            username=f"{role}@example.org", defaults={"is_staff": True}
        )
        if _created:
            from django.contrib.auth.models import Group

            user.groups.add(Group.objects.get(name=group))
        client.force_login(user)
    for name in ("rooms:network", "rooms:network-csv"):
        response = client.get(f"{reverse(name)}?{query}")
        assert response.status_code in {200, 302, 400, 403}, (name, response.status_code)
        assert MARKUP not in response.content.decode(errors="replace")
