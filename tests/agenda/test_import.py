"""A place's own calendar imported into its events: merged by UID without duplicates, its rule,
skipped and changed dates kept; a calendar that cannot be fetched or read (malformed, too big, too
slow) changes nothing and says why on the feed; the fetch never reaches a private address.

The calendars are served by a real HTTP server on 127.0.0.1 (a thread), with
FEEDS_ALLOW_PRIVATE_NETWORKS on, except where the refusal of private addresses is the point.
"""

import threading
import time
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from agenda import fetching
from agenda.importing import import_feed
from agenda.models import CalendarFeed, Event
from agenda.recurrence import PARIS
from tests.factories import CalendarFeedFactory, EventFactory

pytestmark = pytest.mark.django_db


class Server:
    """Answers each path from `routes`: (status, headers, body), or a callable writing the answer
    itself (a slow server)."""

    def __init__(self):
        self.routes = {}
        routes = self.routes

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                answer = routes.get(self.path, (404, {}, b"absent"))
                if callable(answer):
                    answer(self)
                    return
                status, headers, body = answer
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path):
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def serve(self, path, body, status=200, headers=None):
        self.routes[path] = (status, {"Content-Type": "text/calendar", **(headers or {})}, body)
        return self.url(path)

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server(settings):
    settings.SOLOZERE_FEEDS_ALLOW_PRIVATE_NETWORKS = True
    settings.SOLOZERE_FEEDS_TIMEOUT = 2.0
    running = Server()
    yield running
    running.close()


def stamp(moment):
    return moment.astimezone(PARIS).strftime("%Y%m%dT%H%M%S")


def next_tuesday():
    today = timezone.localdate()
    day = today + timedelta(days=(1 - today.weekday()) % 7 or 7)
    return day


def vevent(uid, summary, start, hours=2, extra=""):
    return (
        "BEGIN:VEVENT\r\n"
        f"UID:{uid}\r\n"
        "DTSTAMP:20260101T000000Z\r\n"
        f"SUMMARY:{summary}\r\n"
        f"DTSTART;TZID=Europe/Paris:{stamp(start)}\r\n"
        f"DTEND;TZID=Europe/Paris:{stamp(start + timedelta(hours=hours))}\r\n"
        f"{extra}"
        "END:VEVENT\r\n"
    )


def calendar(*events):
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Mobilizon//FR\r\n"
        + "".join(events)
        + "END:VCALENDAR\r\n"
    ).encode()


def at(day, hour):
    return datetime.combine(day, datetime.min.time().replace(hour=hour), tzinfo=PARIS)


def usual_calendar(title="Atelier numérique"):
    """A single event and a weekly one, with a skipped Tuesday, a moved one and a cancelled one."""
    tuesday = next_tuesday()
    weeks = [tuesday + timedelta(weeks=n) for n in range(5)]
    return calendar(
        vevent("unique-1@mobilizon.example", "Repair café", at(tuesday + timedelta(days=3), 14)),
        vevent(
            "serie-2@mobilizon.example",
            title,
            at(tuesday, 18),
            extra=(
                "RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=10\r\n"
                f"EXDATE;TZID=Europe/Paris:{stamp(at(weeks[1], 18))}\r\n"
                "DESCRIPTION:Venez avec <strong>votre</strong> ordinateur"
                " <script>alert(1)</script>\r\n"
            ),
        ),
        vevent(
            "serie-2@mobilizon.example",
            title,
            at(weeks[2], 19),
            extra=f"RECURRENCE-ID;TZID=Europe/Paris:{stamp(at(weeks[2], 18))}\r\n",
        ),
        vevent(
            "serie-2@mobilizon.example",
            title,
            at(weeks[3], 18),
            extra=(
                f"RECURRENCE-ID;TZID=Europe/Paris:{stamp(at(weeks[3], 18))}\r\nSTATUS:CANCELLED\r\n"
            ),
        ),
    )


def snapshot():
    """Everything an import may change, to say it changed nothing."""
    return (
        sorted(
            Event.objects.values_list("feed_uid", "title", "start", "end", "rule", "exceptions")
        ),
        Event.history.count(),
    )


def test_a_first_import_adds_the_events_with_their_recurrence(server):
    """Each VEVENT is an event of the feed's place, keyed by its UID; RRULE, EXDATE and the
    RECURRENCE-IDs become the rule, the skipped days (a cancelled date too) and a changed date;
    the description is sanitised."""
    feed = CalendarFeedFactory(url=server.serve("/groupe.ics", usual_calendar()))
    assert import_feed(feed)
    assert (feed.created_count, feed.updated_count, feed.last_error) == (2, 0, "")
    assert feed.last_success_at is not None
    series = Event.objects.get(feed=feed, feed_uid="serie-2@mobilizon.example")
    weeks = [next_tuesday() + timedelta(weeks=n) for n in range(5)]
    assert series.place == feed.place
    assert series.rule == "FREQ=WEEKLY;COUNT=10;BYDAY=TU"
    assert series.exceptions.split("\n") == [weeks[1].isoformat(), weeks[3].isoformat()]
    change = series.changes.get()
    assert (change.date, change.start) == (weeks[2], at(weeks[2], 19))
    assert "<script>" not in series.description and "alert" not in series.description_html
    assert "<strong>votre</strong>" in series.description
    days = [o.day for o in series.occurrences(at(weeks[0], 0), at(weeks[4], 23))]
    assert days == [weeks[0], weeks[2], weeks[4]]
    # The table of dates holds the series' dates as imported: the changed one moved.
    stored = [(row.day, row.start) for row in series.dates.order_by("start")[:3]]
    assert stored == [(weeks[0], at(weeks[0], 18)), (weeks[2], at(weeks[2], 19)), stored[2]]
    assert stored[2][0] == weeks[4]


def test_importing_again_adds_nothing_and_writes_no_history(server):
    """The same calendar fetched again: no duplicate, no event touched."""
    feed = CalendarFeedFactory(url=server.serve("/groupe.ics", usual_calendar()))
    import_feed(feed)
    before = snapshot()
    assert import_feed(feed)
    assert snapshot() == before
    assert (feed.created_count, feed.updated_count, feed.cancelled_count) == (0, 0, 0)


def test_a_changed_event_is_updated_and_one_gone_is_cancelled(server):
    """A new title updates the same event (same page); an event no longer in the calendar, still
    to come, is marked cancelled rather than deleted."""
    feed = CalendarFeedFactory(url=server.serve("/groupe.ics", usual_calendar()))
    import_feed(feed)
    series = Event.objects.get(feed_uid="serie-2@mobilizon.example")
    tuesday = next_tuesday()
    server.serve(
        "/groupe.ics",
        calendar(
            vevent(
                "serie-2@mobilizon.example",
                "Atelier du mardi",
                at(tuesday, 18),
                extra="RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=10\r\n",
            )
        ),
    )
    assert import_feed(feed)
    assert (feed.created_count, feed.updated_count, feed.cancelled_count) == (0, 1, 1)
    series.refresh_from_db()
    assert (series.title, series.exceptions, series.changes.count()) == ("Atelier du mardi", "", 0)
    # Its changed date removed, the table has the rule's dates again, every Tuesday.
    assert [row.day for row in series.dates.order_by("start")[:3]] == [
        tuesday + timedelta(weeks=n) for n in range(3)
    ]
    assert Event.objects.count() == 2
    gone = Event.objects.get(feed_uid="unique-1@mobilizon.example")
    assert gone.status == Event.Status.CANCELLED


def test_uids_are_per_feed_and_the_places_other_events_are_left_alone(server):
    """Two places' calendars with the same UIDs make two sets of events; events typed in the
    back-office are never cancelled by an import."""
    url = server.serve("/groupe.ics", usual_calendar())
    first, second = CalendarFeedFactory(url=url), CalendarFeedFactory(url=url)
    typed = EventFactory(place=first.place)
    import_feed(first)
    import_feed(second)
    assert Event.objects.filter(feed=first).count() == Event.objects.filter(feed=second).count()
    typed.refresh_from_db()
    assert typed.status == Event.Status.SCHEDULED


def test_events_the_site_cannot_hold_are_left_out_and_named(server):
    """An hourly rule, an event without end or without UID: left out, listed on the feed; the
    others imported; events already over are not imported."""
    tuesday = next_tuesday()
    body = calendar(
        vevent("ok@x", "Bon", at(tuesday, 10)),
        vevent("horaire@x", "Toutes les heures", at(tuesday, 10), extra="RRULE:FREQ=HOURLY\r\n"),
        vevent("passe@x", "Passé", at(timezone.localdate() - timedelta(days=30), 10)),
        "BEGIN:VEVENT\r\nUID:sansfin@x\r\nSUMMARY:Sans fin\r\n"
        f"DTSTART;TZID=Europe/Paris:{stamp(at(tuesday, 10))}\r\nEND:VEVENT\r\n",
        "BEGIN:VEVENT\r\nSUMMARY:Sans UID\r\n"
        f"DTSTART;TZID=Europe/Paris:{stamp(at(tuesday, 10))}\r\nEND:VEVENT\r\n",
    )
    feed = CalendarFeedFactory(url=server.serve("/mix.ics", body))
    assert import_feed(feed)
    assert list(Event.objects.values_list("feed_uid", flat=True)) == ["ok@x"]
    assert feed.skipped_count == 3
    assert "Toutes les heures" in feed.skipped_note and "Sans UID" in feed.skipped_note


def test_an_all_day_event_lasts_its_day(server):
    """A VEVENT with DATE values: from midnight to midnight in Lozère."""
    day = next_tuesday()
    body = calendar(
        "BEGIN:VEVENT\r\nUID:jour@x\r\nSUMMARY:Fête du lieu\r\n"
        f"DTSTART;VALUE=DATE:{day:%Y%m%d}\r\nEND:VEVENT\r\n"
    )
    feed = CalendarFeedFactory(url=server.serve("/jour.ics", body))
    assert import_feed(feed)
    event = Event.objects.get()
    assert (event.start, event.end) == (at(day, 0), at(day + timedelta(days=1), 0))


@pytest.mark.parametrize(
    "body",
    [
        b"<html><body>Ceci n'est pas un agenda</body></html>",
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:pas une date\r\n",
        b"\xff\xfe\x00 pas de l'UTF-8",
        b"",
    ],
    ids=["html", "truncated", "not-utf8", "empty"],
)
def test_a_malformed_calendar_changes_nothing_and_says_why(server, body):
    """A page that is no calendar: the feed's error set, the last import's events untouched."""
    feed = CalendarFeedFactory(url=server.serve("/groupe.ics", usual_calendar()))
    import_feed(feed)
    success, before = feed.last_success_at, snapshot()
    server.serve("/groupe.ics", body)
    assert not import_feed(feed)
    assert "iCalendar" in feed.last_error
    assert snapshot() == before
    assert feed.last_success_at == success and feed.last_fetched_at > success


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "undeclared"])
def test_an_oversized_calendar_is_stopped(server, settings, declared):
    """Past FEEDS_MAX_BYTES the fetch stops, whether the server announces its size or not."""
    settings.SOLOZERE_FEEDS_MAX_BYTES = 2000
    body = calendar(*(vevent(f"{n}@x", "Atelier", at(next_tuesday(), 10)) for n in range(40)))
    assert len(body) > 2000
    url = server.serve("/gros.ics", body, headers={"Content-Length": str(len(body))})
    if not declared:
        server.routes["/gros.ics"][1].pop("Content-Length")
    feed = CalendarFeedFactory(url=url)
    assert not import_feed(feed)
    assert "taille" in feed.last_error
    assert not Event.objects.exists()


def drip(handler):
    """A server that sends its calendar a few bytes at a time, for ever."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/calendar")
    handler.end_headers()
    try:
        for _ in range(100):
            handler.wfile.write(b"BEGIN:VCALENDAR\r\n")
            handler.wfile.flush()
            time.sleep(0.2)
    except OSError:
        pass


def silent(handler):
    time.sleep(5)


@pytest.mark.parametrize("answer", [drip, silent], ids=["dripping", "silent"])
def test_a_slow_server_is_given_up_on_in_time(server, answer):
    """A server that never finishes (even one sending a byte now and then, which no socket timeout
    catches) is given up on after FEEDS_TIMEOUT seconds; nothing is imported."""
    server.routes["/lent.ics"] = answer
    feed = CalendarFeedFactory(url=server.url("/lent.ics"))
    began = time.monotonic()
    assert not import_feed(feed)
    assert time.monotonic() - began < 4
    assert "trop lent" in feed.last_error
    assert not Event.objects.exists()


def test_an_error_answer_and_a_redirect_are_handled(server):
    """A 404 is a clear error; a redirect is followed to the calendar."""
    feed = CalendarFeedFactory(url=server.url("/absent.ics"))
    assert not import_feed(feed)
    assert "404" in feed.last_error
    target = server.serve("/groupe.ics", usual_calendar())
    server.routes["/ancien.ics"] = (301, {"Location": target}, b"")
    feed = CalendarFeedFactory(url=server.url("/ancien.ics"))
    assert import_feed(feed)
    assert feed.created_count == 2


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:{port}/groupe.ics",
        "http://localhost:{port}/groupe.ics",
        "http://10.1.2.3/agenda.ics",
        "http://192.168.1.1/agenda.ics",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:{port}/groupe.ics",
        "http://[::ffff:127.0.0.1]:{port}/groupe.ics",
        "http://0.0.0.0:{port}/groupe.ics",
        "http://100.64.0.1/agenda.ics",
        "http://224.0.0.1/agenda.ics",
    ],
)
def test_private_addresses_are_refused_by_default(server, settings, url):
    """With FEEDS_ALLOW_PRIVATE_NETWORKS off, an address leading to a private, loopback,
    link-local, shared, multicast or unspecified address is refused before any connection (the
    test's own server, which would answer, is never asked)."""
    settings.SOLOZERE_FEEDS_ALLOW_PRIVATE_NETWORKS = False
    server.serve("/groupe.ics", usual_calendar())
    feed = CalendarFeedFactory(url=url.format(port=server.httpd.server_address[1]))
    assert not import_feed(feed)
    assert "réseau privé ou local" in feed.last_error
    assert not Event.objects.exists()


def test_a_redirect_to_a_private_address_is_refused(server, settings, monkeypatch):
    """Each redirect is checked as the first address was: a public server (here, the test's,
    taken for one) cannot send the fetch into the private network."""
    settings.SOLOZERE_FEEDS_ALLOW_PRIVATE_NETWORKS = False
    monkeypatch.setattr(fetching, "is_public", lambda address: address == "127.0.0.1")
    server.routes["/piege.ics"] = (302, {"Location": "http://10.0.0.1/admin"}, b"")
    feed = CalendarFeedFactory(url=server.url("/piege.ics"))
    assert not import_feed(feed)
    assert "10.0.0.1" in feed.last_error


def test_the_connection_goes_to_the_vetted_address(server, settings, monkeypatch):
    """The name is resolved once and the connection made to that address: a second resolution
    (DNS rebinding) is never asked."""
    settings.SOLOZERE_FEEDS_ALLOW_PRIVATE_NETWORKS = False
    monkeypatch.setattr(fetching, "is_public", lambda address: address == "127.0.0.1")
    calls = []
    real = fetching.socket.getaddrinfo

    def resolve(host, *args, **kwargs):
        if host[0].isdigit():  # an address, as connecting to it asks
            return real(host, *args, **kwargs)
        calls.append(host)
        return real("127.0.0.1" if len(calls) == 1 else "10.0.0.1", *args, **kwargs)

    monkeypatch.setattr(fetching.socket, "getaddrinfo", resolve)
    server.serve("/groupe.ics", usual_calendar())
    port = server.httpd.server_address[1]
    feed = CalendarFeedFactory(url=f"http://agenda.example.org:{port}/groupe.ics")
    assert import_feed(feed), feed.last_error
    assert calls == ["agenda.example.org"]


def test_the_public_internet_is_public():
    """What is refused is what is not the public Internet's, in both families."""
    assert fetching.is_public("93.184.215.14") and fetching.is_public("2a00:1450:4007:80c::200e")
    for address in ["127.0.0.1", "10.0.0.1", "172.16.0.1", "169.254.1.1", "::1", "fe80::1%eth0"]:
        assert not fetching.is_public(address), address


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "ftp://agenda.example.org/a.ics", "gopher://x/", "http:///sans-hote"],
)
def test_only_http_and_https_are_fetched(url):
    """Another scheme is refused by the fetch, and by the form before it."""
    feed = CalendarFeedFactory(url=url)
    assert not import_feed(feed)
    assert feed.last_error
    with pytest.raises(ValidationError):
        CalendarFeed(place=feed.place, url=url).full_clean()


def test_the_command_imports_every_active_feed_and_reports_failures(server):
    """One failing calendar fails neither the others nor the run before its end; cron hears of
    it by the exit status."""
    good = CalendarFeedFactory(url=server.serve("/groupe.ics", usual_calendar()))
    bad = CalendarFeedFactory(url=server.url("/absent.ics"))
    CalendarFeedFactory(url=server.url("/absent.ics"), active=False)
    with pytest.raises(CommandError, match="1 agenda"):
        call_command("import_calendars")
    good.refresh_from_db()
    bad.refresh_from_db()
    assert good.created_count == 2 and "404" in bad.last_error
    call_command("import_calendars", "--feed", str(good.pk))
    with pytest.raises(CommandError):
        call_command("import_calendars", "--feed", "999999")


# The back-office

ROLES = ["anonymous", "no_role", "animateur_a", "animateur_b", "coordinator"]


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("changelist", [302, 403, 200, 200, 200]),
        ("add", [302, 403, 200, 200, 200]),
        ("change", [302, 403, 200, 403, 200]),
        ("delete", [302, 403, 200, 403, 200]),
        ("history", [302, 403, 200, 403, 200]),
    ],
)
def test_feed_pages_follow_the_places_rights(login, users, place_a, page, expected):
    """A place's calendar is its animateurs' and the coordinators': another place's answers 403."""
    feed = CalendarFeedFactory(place=place_a)
    args = [] if page in ("changelist", "add") else [feed.pk]
    url = reverse(f"admin:agenda_calendarfeed_{page}", args=args)
    for role, status in zip(ROLES, expected, strict=True):
        assert login(users[role]).get(url).status_code == status, role


def test_an_animateur_adds_a_feed_for_their_place_only(login, users, place_a, place_b):
    client = login(users["animateur_a"])
    url = reverse("admin:agenda_calendarfeed_add")
    data = {"url": "https://mobilizon.example/@tiers-lieu/feed/ics", "active": "on"}
    assert client.post(url, data | {"place": place_b.pk}).status_code == 200
    assert client.post(url, data | {"place": place_a.pk}).status_code == 302
    assert CalendarFeed.objects.get().place == place_a


def test_import_now_shows_the_result_or_the_error(server, login, users, place_a):
    """The list's action imports at once and says how it went."""
    feed = CalendarFeedFactory(place=place_a, url=server.serve("/groupe.ics", usual_calendar()))
    broken = CalendarFeedFactory(place=place_a, url=server.url("/absent.ics"))
    response = login(users["animateur_a"]).post(
        reverse("admin:agenda_calendarfeed_changelist"),
        {"action": "import_now", "_selected_action": [feed.pk, broken.pk]},
        follow=True,
    )
    text = response.content.decode()
    assert "2 ajoutés" in text and "404" in text
    assert Event.objects.filter(feed=feed).count() == 2
