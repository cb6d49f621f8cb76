"""The place form's address search: asked of the national address service (here its stand-in on
127.0.0.1) by the back-office for staff only, kept to Lozère, with a clear message when the service
fails, and nothing asked at all without GEOCODER_URL."""

import pytest
from django.urls import reverse

from backoffice import geocoder
from tests.factories import lozere_commune

pytestmark = pytest.mark.django_db

URL = "/admin/places/place/geocode/"


@pytest.fixture
def florac(db):
    return lozere_commune("48061")


def search(client, q="1 rue de l'Essai", **params):
    return client.get(URL, {"q": q, **params})


def test_the_address_search_lives_at_its_address():
    """The view's name and address, which the fuzzers and the form's script reach."""
    assert reverse("admin:places_place_geocode") == URL


def test_an_animateur_finds_an_address_in_the_place_commune(users, login, ban, florac):
    """The query goes to /search/ with the commune's INSEE code and a limit of five; results come
    back with their label, score, kind and position; the one outside Lozère is left out."""
    response = search(login(users["animateur_a"]), commune=str(florac.pk))
    assert response.status_code == 200
    results = response.json()["results"]
    assert [result["label"] for result in results] == [
        "1 rue de l'Essai 48400 Florac Trois Rivières",
        "Florac Trois Rivières",
    ]
    essai = results[0]
    assert (essai["latitude"], essai["longitude"], essai["kind"]) == (
        44.3251,
        3.5952,
        "housenumber",
    )
    assert (essai["street"], essai["postcode"], essai["warning"]) == (
        "1 rue de l'Essai",
        "48400",
        "",
    )
    assert ban.requests == [{"q": "1 rue de l'Essai", "limit": "5", "citycode": "48061"}]


def test_results_outside_lozere_are_left_out(users, login, ban):
    """Without a commune the service answers every canned address; the one outside Lozère is
    not shown."""
    labels = [
        result["label"] for result in search(login(users["coordinator"]), "rue").json()["results"]
    ]
    assert labels == [
        "1 rue de l'Essai 48400 Florac Trois Rivières",
        "Florac Trois Rivières",
        "Mende",
    ]
    assert "citycode" not in ban.requests[0]


def test_an_address_far_from_the_commune_says_so(florac):
    """Mende's town hall, found for a place of Florac Trois Rivières, comes with a warning."""
    feature = {
        "geometry": {"coordinates": [3.50117, 44.51782]},
        "properties": {"label": "Mende", "score": 0.5},
    }
    assert "de la commune Florac Trois Rivières" in geocoder._address(feature, florac).warning
    assert geocoder._address(feature, None).warning == ""


@pytest.mark.parametrize(
    "feature",
    [
        {},
        {"geometry": None, "properties": {"label": "X"}},
        {"geometry": {"coordinates": ["a", "b"]}, "properties": {"label": "X"}},
        {"geometry": {"coordinates": [3.5, 44.5]}, "properties": {"label": ""}},
        {"geometry": {"coordinates": [3.5, 44.5]}, "properties": {"label": "X", "score": "nan"}},
        {"geometry": {"coordinates": [300, 44.5]}, "properties": {"label": "X"}},
        [],
    ],
)
def test_malformed_features_are_skipped(feature):
    """A feature without a point, a label or a real score is left out, not a server error."""
    assert geocoder._address(feature, None) is None


@pytest.mark.parametrize(
    ("mode", "status", "message"),
    [
        ("slow", 502, "ne répond pas"),
        ("error", 502, "a refusé la recherche (erreur 503)"),
        ("garbage", 502, "a répondu de façon inattendue"),
    ],
)
def test_a_failing_service_is_a_clear_message(users, login, ban, mode, status, message):
    """A service too slow (past the timeout), in error or answering nonsense: a message saying
    so and what to do, never a server error."""
    ban.mode = mode
    response = search(login(users["animateur_a"]))
    assert response.status_code == status
    assert message in response.json()["error"]


def test_an_unreachable_service_is_a_clear_message(users, login, settings):
    """Nothing listening at GEOCODER_URL (a closed port on this machine)."""
    settings.SOLOZERE_GEOCODER_URL = "http://127.0.0.1:9"
    response = search(login(users["animateur_a"]))
    assert response.status_code == 502
    assert "ne répond pas" in response.json()["error"]


@pytest.mark.parametrize("q", ["", "ab", "x" * 201, "a\x01\x02\x03b"])
def test_queries_too_short_or_too_long_are_refused_before_asking(users, login, ban, q):
    """Fewer than 3 or more than 200 characters (control characters not counted): 400, the
    service is not asked."""
    response = search(login(users["animateur_a"]), q)
    assert response.status_code == 400
    assert "de 3 à 200 caractères" in response.json()["error"]
    assert ban.requests == []


def test_junk_commune_ids_are_ignored(users, login, ban):
    """A commune id that names nothing, or is not one, searches the whole service."""
    client = login(users["animateur_a"])
    for commune in ["abc", "999999", "9" * 30, "-1", "１"]:
        assert search(client, commune=commune).status_code == 200
    assert all("citycode" not in request for request in ban.requests)


def test_searches_are_limited_per_account(users, login, ban, settings):
    """Past GEOCODES_PER_HOUR searches in an hour, an account is told to wait; another is not."""
    settings.SOLOZERE_GEOCODES_PER_HOUR = 2
    client = login(users["animateur_a"])
    assert [search(client).status_code for _ in range(3)] == [200, 200, 429]
    assert "Trop de recherches" in search(client).json()["error"]
    assert search(login(users["animateur_b"])).status_code == 200
    assert len(ban.requests) == 3


@pytest.mark.parametrize("role", ["anonymous", "no_role"])
def test_only_people_who_edit_places_may_search(users, login, ban, role):
    """Visitors are sent to the login page; staff without a role get 403; nothing is asked."""
    response = search(login(users[role]))
    assert response.status_code in (302, 403)
    assert ban.requests == []


def test_without_geocoder_url_nothing_is_asked_and_the_form_has_no_search(users, login, place_a):
    """The default: the view answers 404 and the form's settings carry no search address."""
    client = login(users["animateur_a"])
    assert search(client).status_code == 404
    page = client.get(reverse("admin:places_place_change", args=[place_a.pk]))
    assert page.context["place_form_config"]["geocoder"] is None


def test_with_geocoder_url_the_form_offers_the_search(users, login, ban, place_a):
    """Set, the form's script gets the search's address; only POST-free GETs are answered."""
    client = login(users["animateur_a"])
    page = client.get(reverse("admin:places_place_change", args=[place_a.pk]))
    assert page.context["place_form_config"]["geocoder"] == URL
    assert client.post(URL, {"q": "Mende"}).status_code == 405
