"""Hostile input never breaks the public site.

Hypothesis throws some two thousand random and hostile query strings, address segments, methods,
headers and form posts at the public pages and data endpoints, over the small directory of
tests/directory.py (real communes, every kind of filter value, ten places).
Each answer must be an ordinary one (200, 301/302, 304, 400, 404 or 405), never a server error
(the test client raises the view's exception), and every 400 must say why: an "error" in JSON from
the data endpoints, each of the form's error messages on an HTML page. Markup typed in never comes
back unescaped, the endpoints sharing one filter agree on what is invalid, and the language switch
never sends a visitor to another site.

The sitemap and robots.txt take the same hostile query strings, methods and headers.

The last tests pin the gaps found so far, one address or input each: NUL bytes, which PostgreSQL
refuses (SQLite does not), and three 400s that once did not say why.
"""

import json
from urllib.parse import quote, unquote, urlencode, urlsplit
from xml.etree import ElementTree

import pytest
from django.core.cache import cache
from django.http import QueryDict
from django.urls import reverse
from django.utils.html import escape
from hypothesis import given
from hypothesis import strategies as st

from agenda.models import Event
from places.models import Place
from tests import directory
from tests.factories import EventFactory
from tests.fuzzing import fuzzing

pytestmark = [
    pytest.mark.django_db,
    # Cache keys carry the whole query string: fine for Redis and memory, which the site uses.
    pytest.mark.filterwarnings("ignore::django.core.cache.backends.base.CacheKeyWarning"),
]

ALLOWED = {200, 301, 302, 304, 400, 404, 405}
MARKUP = '<script>alert("solozere")</script>'


@pytest.fixture
def site_data(db):
    """The small directory, built once per test (hypothesis's examples all meet the same)."""
    return directory.build()


VALID = {
    "q": ["fablab", "Mende", "café", "visio conférence", "marvjols"],
    "near": ["Mende", "48095", "Saint-Chély-d'Apcher", "saint chely d apcher", "Florac"],
    "radius": ["1", "5", "10", "200"],
    "lat": ["44.5", "-90", "90", "0"],
    "lon": ["3.5", "-180", "180", "0"],
    **directory.CODES,
    "accessible": ["true", "false", "on", "1", "0"],
    "open_now": ["true", "false", "on", "1", "0"],
    "event_week": ["true", "false", "on", "1", "0"],
    "include_projects": ["true", "false", "on", "1", "0"],
    "open_at": ["2025-06-02T10:00", "2025-06-01T03:00", "2025-12-25T14:30"],
    "status": [value for value, _label in Place.Status.choices],
    "page": ["1", "2", "3"],
    "page_size": ["1", "50", "200"],
    # The agenda's filters (audience, type, network and « near » are the directory's).
    "when": ["today", "week", "weekend"],
    "start": ["2025-06-02", "2027-01-05", "01/02/2027"],
    "end": ["2025-06-30", "2027-12-31", "2024-01-01"],
    "free": ["true", "false", "on", "1", "0"],
}
SLUGS = directory.SLUGS
HOSTILE = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\t\r\n",
    "%",
    "%%",
    "%00",
    "%zz",
    "%c3",
    "%ED%A0%80",
    "&",
    "=",
    "+",
    ";",
    "#",
    "?",
    "/",
    "\\",
    "..",
    "../../../etc/passwd",
    "' OR '1'='1",
    "'; DROP TABLE places_place; --",
    '" OR ""="',
    "1 UNION SELECT NULL--",
    "%' AND 1=1 --",
    "_",
    "*",
    MARKUP,
    '"><img src=x onerror=alert(1)>',
    "{{ 7*7 }}",
    "{% debug %}",
    "${jndi:ldap://x}",
    "\u202e\u200b\ufeff",
    "\U0001f600",
    "ǅ𝔘𝔫𝔦ﬁ",
    "İstanbul",
    "nan",
    "NaN",
    "inf",
    "-inf",
    "Infinity",
    "1e309",
    "-1e309",
    "1e-400",
    "0x10",
    "0",
    "-0",
    "-1",
    "00048095",
    "4.8e4",
    "1_000",
    "٣",
    "²",
    "9" * 400,
    "[]",
    "{}",
    "null",
    "None",
    "True",
    "2025-02-30T10:00",
    "2025-06-02T25:61",
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "9999-12-31T23:59-12:00",
    "0001-01-01T00:00+14:00",
    "2025-06-02",
    "10:00",
]
KEYS = sorted(VALID)

numbers = st.one_of(
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True),
).map(str)
moments = st.builds(
    lambda moment, offset: moment.isoformat() + offset,
    st.datetimes(),
    st.sampled_from(["", "Z", "+14:00", "-12:00", "+00:00"]),
)
long_text = st.builds(
    lambda char, count: char * count,
    st.sampled_from(["a", "é", "%", "\x00", "9", " ", "<", "\U0001f600"]),
    st.integers(min_value=100, max_value=10_000),
)
# PostgreSQL refuses NUL in text, SQLite does not: NUL bytes get a branch of their own.
with_nul = st.builds(
    lambda before, after: f"{before}\x00{after}", st.text(max_size=4), st.text(max_size=4)
)
nasty = st.text(alphabet="\x00\t\n\r %&<>'\"\\/;=+#?é\u202e\U0001f600", min_size=1, max_size=12)
fragments = st.lists(
    st.one_of(st.sampled_from(HOSTILE), st.text(max_size=6)), min_size=2, max_size=4
).map("".join)
junk = st.one_of(
    st.sampled_from(HOSTILE),
    fragments,
    nasty,
    with_nul,
    st.text(max_size=40),
    numbers,
    moments,
    long_text,
)


def value_for(key):
    return st.one_of(st.sampled_from(VALID[key]), junk) if key in VALID else junk


parameter = st.one_of(st.sampled_from(KEYS), st.text(max_size=12)).flatmap(
    lambda key: st.tuples(st.just(key), st.lists(value_for(key), min_size=1, max_size=3))
)
queries = st.lists(parameter, max_size=6).map(lambda pairs: urlencode(dict(pairs), doseq=True))
raw_queries = st.one_of(
    st.sampled_from(
        [
            "%",
            "%%%",
            "=&=&=",
            "q",
            "q=%00",
            "q=%ff%fe",
            "service=%c3",
            "service=wifi;service=cafe",
            "service[]=wifi",
            "lat=44.5&lat=45&lon=3.5",
            "page=1e400&page_size=-0",
            "near=%ED%A0%80",
            "&" * 2000,
            "service=wifi&" * 500,
        ]
    ),
    st.text(alphabet="%&=;+?#/ 0123456789abcdefABCDEFqé\x00\U0001f600", max_size=60),
    st.lists(st.sampled_from(HOSTILE), max_size=8).map("&".join),
)

# Same parameters, same filter: these must agree on whether a search is valid.
SAME_FILTER = [
    "places:geojson",
    "opendata:csv",
    "opendata:geojson",
    "opendata:mednum",
    "opendata:datainclusion-structures",
    "opendata:datainclusion-services",
]
COVERAGE_DATA = ["coverage:csv", "coverage:geojson"]
DATA_ENDPOINTS = [*SAME_FILTER, "opendata:api-list", *COVERAGE_DATA]
PAGES = ["places:home", "places:embed", "coverage:page", "printing:search-sheet"]
# What the site needs to be installed and read offline: the manifest, the service worker, the
# offline page and its list of places.
OFFLINE = ["manifest", "service-worker", "places:offline", "places:offline-places"]
OTHER_PAGES = [
    *OFFLINE,
    "places:legend",
    "places:about",
    "places:networks",
    "opendata:page",
    "opendata:csv-schema",
    "opendata:catalogue",
    "opendata:api-openapi",
    "contributions:suggest",
    "charter:page",
    "agenda:feed",
    "robots",
    "territory:labels",
]
SEGMENT_ROUTES = [
    "places:detail",
    "agenda:event",
    "agenda:event-ics",
    "agenda:place-ics",
    "agenda:network-ics",
    "agenda:epci-ics",
    "agenda:propose",
    "agenda:register",
    "agenda:cancel-registration",
    "contributions:report",
    "places:network",
    "places:commune",
    "places:epci",
    "territory:outline",
    "territory:epci-outline",
    "opendata:api-detail",
    "agenda:api-detail",
    "printing:place-sheet",
    "printing:commune-booklet",
    "printing:epci-booklet",
    "printing:epci-report",
]
KNOWN_SEGMENTS = [
    *SLUGS[:5],
    *directory.EVENTS,
    directory.MADE_UP,
    "48095",
    "2A004",
    "244800470",
    "solozere",
    "fablab",
]
# The contribution forms' honeypot is hidden from people: only robots fill it in.
HIDDEN_FIELDS = {"nickname"}


def fetch(client, url, method="get", **kwargs):
    """One request, with no cached answer to hide a failure."""
    cache.clear()
    response = getattr(client, method)(url, **kwargs)
    assert response.status_code in ALLOWED, (url, response.status_code)
    return response


def with_segment(name, segment):
    mark = "segment-mark"
    return reverse(name, args=[mark]).replace(mark, quote(segment, safe=""))


def refused_before_the_view(response):
    """Turned down before any view (too many parameters, a NUL character): the site's 400 page,
    which states its reason."""
    return "reason" in (response.context or {}) and "filter" not in response.context


def assert_json_reason(response):
    if response.status_code == 400:
        assert response["Content-Type"] == "application/json"
        assert json.loads(response.content)["error"]


def assert_page_reason(response, unnamed=frozenset()):
    """A 400 page names every error of its form; nothing typed comes back as markup."""
    html = response.content.decode()
    assert MARKUP not in html
    if response.status_code != 400:
        return
    assert response["Content-Type"].startswith("text/html")
    if refused_before_the_view(response):
        assert escape(response.context["reason"]) in html
        return
    context = response.context
    form = context["filter"].form if "filter" in context else context["form"]
    assert form.errors
    for field, messages in form.errors.items():
        if field not in unnamed:
            for message in messages:
                assert escape(message) in html, (field, message)


@fuzzing(50)
@given(
    query=queries,
    same=st.lists(st.sampled_from(SAME_FILTER), min_size=2, max_size=2, unique=True),
    coverage=st.sampled_from(COVERAGE_DATA),
)
def test_data_endpoints_answer_bad_filters_with_a_reason(client, site_data, query, same, coverage):
    """JSON says why; two exports of one search agree, and the API refuses what they refuse."""
    names = [*same, "opendata:api-list", coverage]
    responses = [fetch(client, f"{reverse(name)}?{query}") for name in names]
    for response in responses:
        assert_json_reason(response)
    first, second, api, _coverage = (response.status_code for response in responses)
    assert first == second
    if first == 400:
        assert api == 400


# The agenda: its page names each error; its calendars and CSV say why in plain text, its JSON
# files in JSON; all of them agree on what is invalid (one EventFilter).
AGENDA_TEXT = ["agenda:ics", "agenda:csv"]
AGENDA_JSON = ["agenda:json", "agenda:geojson"]
AGENDA_DATA = [*AGENDA_TEXT, *AGENDA_JSON]


def assert_text_reason(response):
    if response.status_code == 400 and response["Content-Type"].startswith("text/plain"):
        lines = response.content.decode().splitlines()
        assert len(lines) >= 2 and all(lines), lines


@fuzzing(50)
@given(query=queries, data=st.sampled_from(AGENDA_DATA))
def test_the_agenda_answers_bad_filters_with_a_reason(client, site_data, query, data):
    """The page names each error; a calendar, CSV or JSON of the same search is refused alike."""
    page = fetch(client, f"{reverse('agenda:list')}?{query}")
    assert_page_reason(page)
    other = fetch(client, f"{reverse(data)}?{query}")
    if data in AGENDA_JSON:
        assert_json_reason(other)
    else:
        assert_text_reason(other)
    if refused_before_the_view(page):
        assert other.status_code == 400
    else:
        # A misspelled commune is a page of suggestions (200), and a refused file.
        assert (other.status_code == 400) == bool(page.context["filter"].form.errors)


@fuzzing(40)
@given(query=queries)
def test_the_events_api_answers_bad_filters_with_a_reason(client, site_data, query):
    """The events' API says why in JSON, and refuses what the agenda's page refuses (it pages
    too: a page it does not have is its own 400)."""
    page = fetch(client, f"{reverse('agenda:list')}?{query}")
    api = fetch(client, f"{reverse('agenda:api-list')}?{query}")
    assert_json_reason(api)
    if refused_before_the_view(page) or page.context["filter"].form.errors:
        assert api.status_code == 400


@fuzzing(50)
@given(name=st.sampled_from(PAGES), query=queries)
def test_search_pages_name_what_is_wrong(client, site_data, name, query):
    """Home, embed and coverage show each error of an invalid search."""
    response = fetch(client, f"{reverse(name)}?{query}")
    assert_page_reason(response)


@fuzzing(75)
@given(
    name=st.sampled_from(
        DATA_ENDPOINTS + PAGES[1:] + AGENDA_DATA + ["agenda:list", "agenda:api-list"]
    ),
    raw=raw_queries,
)
def test_raw_query_strings(client, site_data, name, raw):
    """Query strings no form would send: broken escapes, bare keys, thousands of fields."""
    response = fetch(client, f"{reverse(name)}?{raw}")
    if name in AGENDA_TEXT:
        assert_text_reason(response)
    elif name in [*DATA_ENDPOINTS, *AGENDA_JSON, "agenda:api-list"]:
        assert_json_reason(response)
    else:
        assert_page_reason(response)


@fuzzing(65)
@given(
    segment=st.one_of(st.sampled_from(KNOWN_SEGMENTS), junk),
    query=st.one_of(st.just(""), queries),
)
def test_any_address_segment(client, site_data, segment, query):
    """A place, network, commune or EPCI that does not exist is a 404."""
    for name in SEGMENT_ROUTES:
        response = fetch(client, f"{with_segment(name, segment)}?{query}")
        assert MARKUP not in response.content.decode(errors="replace")


@fuzzing(40)
@given(name=st.sampled_from(OTHER_PAGES), query=queries)
def test_pages_ignore_stray_parameters(client, site_data, name, query):
    """Pages without filters ignore parameters, save a NUL character, refused everywhere."""
    response = fetch(client, f"{reverse(name)}?{query}")
    if "%00" in query.lower():
        assert response.status_code == 400
        if response["Content-Type"] == "application/json":
            assert_json_reason(response)
        else:
            assert_page_reason(response)
    else:
        assert response.status_code == 200
    assert MARKUP not in response.content.decode()


@fuzzing(80)
@given(
    name=st.sampled_from(
        DATA_ENDPOINTS
        + PAGES
        + AGENDA_DATA
        + ["agenda:list", "agenda:api-list", "agenda:feed", "sitemap", "robots"]
        + ["territory:labels"]
        + OFFLINE
    ),
    method=st.sampled_from(["get", "head", "post", "put", "patch", "delete", "options"]),
    query=queries,
    headers=st.fixed_dictionaries(
        {},
        optional={
            "HTTP_IF_NONE_MATCH": st.one_of(st.just("*"), st.just('W/"x", *'), junk),
            "HTTP_IF_MODIFIED_SINCE": st.one_of(
                st.sampled_from(["Thu, 01 Jan 1970 00:00:00 GMT", "Fri, 31 Dec 9999 23:59:59 GMT"]),
                junk,
            ),
            "HTTP_ACCEPT_LANGUAGE": st.one_of(st.sampled_from(["en", "fr", "*", "de;q=x"]), junk),
            "HTTP_ACCEPT": junk,
        },
    ),
)
def test_any_method_and_headers(client, site_data, name, method, query, headers):
    """Other methods get a 405; odd conditional and language headers change nothing else."""
    fetch(client, f"{reverse(name)}?{query}", method=method, **headers)


sitemap_queries = st.one_of(
    queries,
    raw_queries,
    st.lists(st.one_of(numbers, junk), min_size=1, max_size=3).map(
        lambda pages: urlencode({"p": pages}, doseq=True)
    ),
)


@fuzzing(60)
@given(query=sitemap_queries)
def test_the_sitemap_takes_any_query(client, site_data, query):
    """The sitemap ignores other parameters; a page number (`p`) it does not have is a 404, a NUL
    a 400 with its reason; whatever it answers with a 200 is well-formed XML."""
    response = fetch(client, f"{reverse('sitemap')}?{query}")
    if response.status_code == 200:
        ElementTree.fromstring(response.content)
    elif response.status_code == 400:
        assert_page_reason(response)
    else:
        assert response.status_code == 404
        assert "p" in QueryDict(query)


@fuzzing(80)
@given(typed=st.one_of(st.sampled_from(VALID["near"]), junk))
def test_commune_suggestions_take_any_text(client, site_data, typed):
    """The commune autocomplete answers any typed text with a JSON list, and a NUL with a
    JSON reason."""
    response = fetch(client, f"{reverse('places:commune-suggestions')}?{urlencode({'q': typed})}")
    if "\x00" in typed:
        assert_json_reason(response)
    else:
        assert response.status_code == 200
        assert isinstance(json.loads(response.content), list)


@fuzzing(80)
@given(
    code=st.one_of(st.sampled_from(["fr", "en"]), junk),
    target=st.one_of(
        st.sampled_from(
            [
                "/lieux/polen/?service=wifi",
                "http://testserver/a-propos/",
                "//evil.example",
                "/\\evil.example",
                "/\t/evil.example",
                "https://evil.example",
                "javascript:alert(1)",
                "\x00/evil.example",
            ]
        ),
        junk,
    ),
)
def test_language_switch_stays_on_site(client, db, code, target):
    """Whatever « next » says, the switch leads back to this site only."""
    url = with_segment("language", code) + "?" + urlencode({"next": target})
    response = fetch(client, url)
    if response.status_code == 302:
        location = unquote(response["Location"]).replace("\\", "/")
        parts = urlsplit("".join(c for c in location if c not in "\t\r\n"))
        assert parts.scheme in {"", "http"} and parts.netloc in {"", "testserver"}, location


CONTRIBUTION_FIELDS = {
    "place_name": st.sampled_from(["Le Fablab", "Télécentre"]),
    "commune_name": st.sampled_from(["Mende", "Florac Trois Rivières"]),
    "website": st.sampled_from(["https://example.org", "http://[::1", "javascript:alert(1)"]),
    "message": st.sampled_from(["Un lieu ouvert le mardi.", "Horaires faux."]),
    "contact_email": st.sampled_from(["a@example.org", "a@b", "@", "a" * 300 + "@example.org"]),
    "nickname": st.sampled_from(["", "robot"]),
}
contribution_fields = st.fixed_dictionaries(
    {},
    optional={
        **{name: st.one_of(valid, junk) for name, valid in CONTRIBUTION_FIELDS.items()},
        "csrfmiddlewaretoken": junk,
        "kind": junk,
        "status": junk,
        "place": junk,
    },
)


@fuzzing(90)
@given(
    target=st.one_of(st.just(None), st.sampled_from(SLUGS[:3]), junk),
    data=contribution_fields,
    urlencoded=st.booleans(),
    address=st.ip_addresses().map(str),
)
def test_contribution_forms_take_any_post(
    client, site_data, settings, target, data, urlencoded, address
):
    """Suggestions and error reports: saved and redirected, or refused with each reason."""
    settings.SOLOZERE_CONTRIBUTIONS_PER_HOUR = 10**9
    url = (
        reverse("contributions:suggest")
        if target is None
        else with_segment("contributions:report", target)
    )
    body = urlencode(data) if urlencoded else data
    kwargs = {"content_type": "application/x-www-form-urlencoded"} if urlencoded else {}
    response = fetch(client, url, method="post", REMOTE_ADDR=address, data=body, **kwargs)
    if response.status_code != 404:
        assert_page_reason(response, HIDDEN_FIELDS)


PROPOSAL_FIELDS = {
    "title": st.sampled_from(["Atelier", "x" * 300]),
    "start": st.sampled_from(["2027-06-01T09:00", "2027-02-30T09:00", "9999-12-31T23:59"]),
    "end": st.sampled_from(["2027-06-01T12:00", "2027-06-01T08:00", "0001-01-01T00:00"]),
    "description": st.sampled_from(["Un **atelier**.", MARKUP]),
    "free": st.sampled_from(["on", "true", ""]),
    "price_note": st.sampled_from(["5 €", ""]),
    "contact_email": st.sampled_from(["a@example.org", "@"]),
    "nickname": st.sampled_from(["", "robot"]),
}


@fuzzing(50)
@given(
    target=st.one_of(st.just(directory.MADE_UP), st.sampled_from(SLUGS[:3]), junk),
    data=st.fixed_dictionaries(
        {},
        optional={
            **{name: st.one_of(valid, junk) for name, valid in PROPOSAL_FIELDS.items()},
            "place": junk,
            "published": junk,
            "rule": junk,
        },
    ),
    address=st.ip_addresses().map(str),
)
def test_event_proposals_take_any_post(client, site_data, settings, target, data, address):
    """A proposed event: saved unpublished and redirected, or refused with each reason."""
    settings.SOLOZERE_CONTRIBUTIONS_PER_HOUR = 10**9
    url = with_segment("agenda:propose", target)
    response = fetch(client, url, method="post", REMOTE_ADDR=address, data=data)
    if response.status_code != 404:
        assert_page_reason(response, HIDDEN_FIELDS)
    assert not Event.objects.filter(published=False).exclude(rule="").exists()


@pytest.fixture
def taking_event(site_data):
    """A weekly event of the made-up place taking registrations on Solozère, one seat a date."""
    return EventFactory(
        place=Place.objects.get(slug=directory.MADE_UP),
        title="Atelier à places comptées",
        slug="atelier-a-places-comptees",
        rule="FREQ=WEEKLY;COUNT=4",
        registration=Event.Registration.ONLINE,
        registration_limit=1,
    )


FIRST_DATE = "first-date"
REGISTRATION_FIELDS = {
    "occurrence": st.sampled_from([FIRST_DATE, "2020-01-01T10:00:00+01:00", "demain"]),
    "name": st.sampled_from(["Camille", "Camille\r\nBcc: x@example.org", MARKUP, "x" * 200]),
    "email": st.sampled_from(["camille@example.org", "", "@", "a@b.c\nBcc: x@example.org"]),
    "phone": st.sampled_from(["04 66 00 00 00", "", "+33 4 66", "0466\n0000"]),
    "nickname": st.sampled_from(["", "robot"]),
}


@fuzzing(60)
@given(
    target=st.one_of(
        st.sampled_from(["atelier-a-places-comptees", *directory.EVENTS, directory.MADE_UP]), junk
    ),
    data=st.fixed_dictionaries(
        {},
        optional={
            **{name: st.one_of(valid, junk) for name, valid in REGISTRATION_FIELDS.items()},
            "event": junk,
            "status": junk,
        },
    ),
    address=st.ip_addresses().map(str),
)
def test_registrations_take_any_post(client, taking_event, settings, target, data, address):
    """A registration: saved and redirected, or refused with each reason; never past a date's
    seats but on its waiting list, never without a way to reach the person, never over two
    lines."""
    from agenda.models import Registration
    from agenda.registrations import upcoming

    settings.SOLOZERE_CONTRIBUTIONS_PER_HOUR = 10**9
    settings.SOLOZERE_EMAILS_PER_RECIPIENT_PER_HOUR = 10**9
    if data.get("occurrence") == FIRST_DATE:
        data["occurrence"] = upcoming(taking_event)[0].start.isoformat()
    url = with_segment("agenda:register", target)
    response = fetch(client, url, method="post", REMOTE_ADDR=address, data=data)
    if response.status_code != 404:
        assert_page_reason(response, HIDDEN_FIELDS)
    confirmed = Registration.objects.filter(status="confirmed")
    assert confirmed.count() <= len(upcoming(taking_event))
    for registration in Registration.objects.all():
        assert registration.email or registration.phone
        assert "\n" not in registration.name and "\r" not in registration.name


@pytest.fixture
def cancel_token(taking_event):
    from agenda.models import Registration
    from agenda.registrations import make_token, upcoming

    registration = Registration.objects.create(
        event=taking_event,
        occurrence=upcoming(taking_event)[0].start,
        name="Camille",
        email="camille@example.org",
    )
    return make_token(registration)


@fuzzing(60)
@given(
    change=st.one_of(
        st.tuples(st.integers(0, 200), st.text(max_size=3), st.booleans()),
        junk.map(lambda text: (None, text, False)),
    ),
    method=st.sampled_from(["get", "head", "post", "put", "delete", "options"]),
)
def test_the_cancel_link_takes_any_token(client, cancel_token, change, method):
    """A registration's cancel address, altered, cut, or made of hostile text: a 400 saying why
    (never a 500), and the registration cancelled only by the token that was sent."""
    from agenda.models import Registration

    position, text, cut = change
    token = text if position is None else altered(cancel_token, position, text, cut)
    response = fetch(client, with_segment("agenda:cancel-registration", token), method=method)
    if method in {"get", "post"} and response.status_code not in (200, 404):
        assert response.status_code == 400, (token, response.status_code)
        assert_page_reason(response)
    if token != cancel_token:
        assert Registration.objects.exists(), token


@pytest.fixture
def still_accurate_token(users, place_a):
    """A real « Toujours exact » token: Alice's, for a reminder about Lieu A."""
    from backoffice.models import Reminder
    from backoffice.reminders import make_token

    return make_token(Reminder.objects.create(place=place_a), users["animateur_a"])


def altered(token, position, replacement, cut):
    """The token with one character replaced, or cut short, or with something added."""
    position %= len(token)
    if cut:
        return token[:position]
    return token[:position] + replacement + token[position + 1 :]


@fuzzing(120)
@given(
    change=st.one_of(
        st.tuples(st.integers(0, 200), st.text(max_size=3), st.booleans()),
        junk.map(lambda text: (None, text, False)),
    ),
    method=st.sampled_from(["get", "head", "post", "put", "delete", "options"]),
    query=st.one_of(st.just(""), queries),
)
def test_the_still_accurate_link_takes_any_token(
    client, still_accurate_token, place_a, change, method, query
):
    """The reminder's public « Toujours exact » address, altered, cut, or made of hostile text:
    a 400 saying why (never a 500), a 405 for other methods, and no verification recorded unless
    the token is the one that was sent."""
    Place.objects.filter(pk=place_a.pk).update(verified_on=None)  # examples share the database
    position, text, cut = change
    token = text if position is None else altered(still_accurate_token, position, text, cut)
    url = with_segment("backoffice:still-accurate", token) + (f"?{query}" if query else "")
    response = fetch(client, url, method=method)
    if method in {"get", "post"} and response.status_code not in (200, 404):
        assert response.status_code == 400, (token, response.status_code)
        assert_page_reason(response)
    if token != still_accurate_token:
        assert response.status_code != 200, token
        place_a.refresh_from_db()
        assert place_a.verified_on is None


@pytest.mark.parametrize(
    ("name", "segment", "query"),
    [
        ("places:commune", "\x00", ""),
        ("places:epci", "2\x00", ""),
        ("territory:outline", "\x00", ""),
        ("territory:epci-outline", "2\x00", ""),
        ("places:home", None, "commune=%00"),
        ("places:home", None, "epci=%00"),
        ("places:embed", None, "commune=48%0095"),
        ("opendata:api-list", None, "commune=%00"),
        ("coverage:page", None, "epci=%00"),
        ("places:commune-suggestions", None, "q=Me%00"),
    ],
)
def test_nul_bytes_are_answered_before_the_database(client, db, name, segment, query):
    """PostgreSQL refuses text with NUL: the site must turn it down itself."""
    url = reverse(name) if segment is None else with_segment(name, segment)
    fetch(client, f"{url}?{query}")


def test_home_names_every_invalid_filter(client, db):
    """Two bad filters on the home page: the 400 page names each error."""
    response = client.get(reverse("places:home"), {"service": "nulle", "lat": "x"})
    assert_page_reason(response)


def test_too_many_parameters_say_why(client, db):
    """A query string past Django's field limit is a JSON 400 with its reason, not a 500."""
    response = client.get(f"{reverse('opendata:api-list')}?{'service=wifi&' * 1001}")
    assert response.status_code == 400
    assert json.loads(response.content)["error"]


def test_an_empty_post_says_what_is_missing(client, db):
    """An empty suggestion form posted is a 400 page naming each missing field."""
    response = client.post(reverse("contributions:suggest"))
    assert response.status_code == 400
    assert_page_reason(response)


PRINTED = [
    "printing:place-sheet-pdf",
    "printing:commune-booklet-pdf",
    "printing:epci-booklet-pdf",
    "printing:epci-report-pdf",
]


@fuzzing(12)
@given(
    name=st.sampled_from([*PRINTED, "printing:search-sheet-pdf"]),
    segment=st.one_of(st.sampled_from(KNOWN_SEGMENTS), junk),
    query=st.one_of(queries, raw_queries),
)
def test_printed_documents_take_any_input(client, site_data, name, segment, query):
    """A PDF is made (WeasyPrint within its bounds: never a 503), or refused with a page saying
    why (400), or is of nothing (404), whatever the address and the search."""
    if name == "printing:search-sheet-pdf":
        url = f"{reverse(name)}?{query}"
    else:
        url = f"{with_segment(name, segment)}?{query}"
    response = fetch(client, url)
    if response.status_code == 200:
        assert response.content.startswith(b"%PDF")
    elif response.status_code == 400:
        assert_page_reason(response)
