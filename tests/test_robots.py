"""What robots read: /robots.txt and /sitemap.xml, on SITE_URL, cached like the public pages."""

import re
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
from django.urls import resolve, reverse
from django.utils import timezone

from places.models import Place
from tests.factories import (
    CommuneFactory,
    EventFactory,
    NetworkFactory,
    PlaceFactory,
    bulk_places,
    lozere_commune,
    next_week_at,
)

pytestmark = pytest.mark.django_db

SITE = "https://solozere.example.org"
NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture(autouse=True)
def public_site(settings):
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = ["testserver", "other.example.net"]


def sitemap(client, **kwargs):
    response = client.get(reverse("sitemap"), **kwargs)
    assert response.status_code == 200
    tree = ElementTree.fromstring(response.content)
    return {
        url.findtext("sm:loc", namespaces=NS): url.findtext("sm:lastmod", namespaces=NS)
        for url in tree.findall("sm:url", NS)
    }


def test_the_sitemap_lists_the_public_pages(client):
    """Home, the published places (a closed one keeps its page) with their last change, the
    networks, communes and EPCIs, the open data and the coverage: never an archived place."""
    commune = lozere_commune("48095")
    place = PlaceFactory(name="Le Relais", commune=commune, at_townhall=True)
    closed = PlaceFactory(name="Fermé", status=Place.Status.CLOSED)
    archived = PlaceFactory(name="Archivé", archived_at=timezone.now())
    NetworkFactory(code="solozere")
    urls = sitemap(client)
    expected = [
        reverse("places:home"),
        reverse("opendata:page"),
        reverse("coverage:page"),
        reverse("places:networks"),
        reverse("places:network", args=["solozere"]),
        reverse("places:commune", args=["48095"]),
        reverse("places:epci", args=[commune.epci.siren]),
        place.get_absolute_url(),
        closed.get_absolute_url(),
    ]
    for path in expected:
        assert SITE + path in urls, path
    assert SITE + archived.get_absolute_url() not in urls
    place.refresh_from_db()
    assert urls[SITE + place.get_absolute_url()] == place.updated_at.date().isoformat()
    assert all(url.startswith(SITE + "/") and "?" not in url for url in urls)


def test_every_address_of_the_sitemap_answers(client):
    """Each address the sitemap gives is a page of the site that answers 200."""
    place = PlaceFactory(commune=lozere_commune("48095"), at_townhall=True)
    NetworkFactory()
    EventFactory(place=place)
    for url in sitemap(client):
        assert client.get(urlsplit(url).path).status_code == 200, url


def test_the_sitemap_is_on_the_site_url_whatever_the_host(client):
    """Cached and served to everyone, the sitemap never carries the Host header a visitor sent."""
    PlaceFactory()
    urls = sitemap(client, HTTP_HOST="other.example.net")
    assert urls and all(url.startswith(SITE + "/") for url in urls)


def test_the_sitemap_is_cached_and_says_when_it_changed(client, django_assert_num_queries):
    """Like the public pages: an ETag and Last-Modified, a copy from the cache for one query
    (the directory's state), and a new one as soon as a place is added."""
    PlaceFactory(name="Premier")
    first = client.get(reverse("sitemap"))
    assert first["ETag"] and first["Last-Modified"]
    with django_assert_num_queries(1):
        assert client.get(reverse("sitemap")).content == first.content
    added = PlaceFactory(name="Second")
    assert added.get_absolute_url() in client.get(reverse("sitemap")).content.decode()


def test_the_sitemap_reads_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    """Two queries per section (a count for the paging, then the rows) and the directory's
    state, however many places and communes: 200 places must not cost 200 queries."""
    commune = CommuneFactory()
    bulk_places(200, commune=commune)
    CommuneFactory.create_batch(20)
    NetworkFactory.create_batch(5)
    EventFactory.create_batch(20, place=Place.objects.first())
    with django_assert_max_num_queries(11):
        assert len(sitemap(client)) > 250


def test_the_sitemap_lists_the_pages_of_events_to_come(client):
    """A published event still to come, and a series with dates ahead though its first is past,
    with their last change; never a past event, a proposal not yet published, or an event of a
    place the directory no longer lists."""
    coming = EventFactory(title="À venir")
    series = EventFactory(title="Série", start=next_week_at(18, days=-21), rule="FREQ=WEEKLY")
    past = EventFactory(title="Passé", start=next_week_at(18, days=-3))
    proposed = EventFactory(title="Proposé", published=False)
    archived = EventFactory(title="Archivé", place=PlaceFactory(archived_at=timezone.now()))
    urls = sitemap(client)
    coming.refresh_from_db()
    assert urls[SITE + coming.get_absolute_url()] == coming.updated_at.date().isoformat()
    assert SITE + series.get_absolute_url() in urls
    for event in (past, proposed, archived):
        assert SITE + event.get_absolute_url() not in urls, event.title


@pytest.mark.parametrize("page", ["0", "2", "x", "1e3", "-1", "1.5"])
def test_a_sitemap_page_that_does_not_exist_is_a_404(client, page):
    """The sitemap's own `p` parameter: a page past the end or not a number is a 404."""
    assert client.get(reverse("sitemap"), {"p": page}).status_code == 404


def robots(client):
    response = client.get(reverse("robots"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    return response.content.decode()


def rules(text, field):
    return re.findall(rf"^{field}: (\S+)$", text, re.M)


def blocked(path, disallowed):
    """Whether a path matches a Disallow rule (RFC 9309: `*` is any run of characters)."""
    patterns = [re.escape(rule).replace(r"\*", ".*") for rule in disallowed]
    return any(re.match(pattern, path) for pattern in patterns)


def test_robots_may_read_the_public_site_and_find_the_sitemap(client):
    """robots.txt points to the sitemap on SITE_URL and lets robots read every public page."""
    text = robots(client)
    assert rules(text, "Sitemap") == [SITE + reverse("sitemap")]
    disallowed = rules(text, "Disallow")
    place = PlaceFactory()
    public = [
        reverse("places:home"),
        place.get_absolute_url(),
        reverse("places:commune", args=["48095"]),
        reverse("opendata:page"),
        reverse("opendata:csv"),
        reverse("coverage:page"),
        reverse("charter:page"),
        reverse("sitemap"),
    ]
    for path in public:
        assert not blocked(path, disallowed), path


def test_robots_keep_out_of_the_back_office_and_of_searches(client):
    """The back-office, password links, forms, the embed (the directory again) and any address
    with a query string (a search: the same places again) are closed to robots."""
    disallowed = rules(robots(client), "Disallow")
    place = PlaceFactory()
    private = [
        reverse("admin:index"),
        reverse("admin:places_place_changelist"),
        reverse("password_reset_confirm", args=["uid", "token"]),
        reverse("backoffice:still-accurate", args=["token"]),
        reverse("language", args=["en"]),
        reverse("places:embed"),
        reverse("contributions:suggest"),
        reverse("contributions:report", args=[place.slug]),
        reverse("charter:dashboard"),
        reverse("charter:dashboard-csv"),
        reverse("places:home") + "?service=wifi",
        reverse("coverage:page") + "?epci=244800470",
        place.get_absolute_url() + "?utm_source=lettre",
    ]
    for path in private:
        assert blocked(path, disallowed), path
        resolve(urlsplit(path).path)  # a real address of the site, not a stale rule


def test_robots_txt_is_cached_like_the_pages(client, django_assert_num_queries):
    """robots.txt is served from the cache for one query (the directory's state)."""
    first = robots(client)
    with django_assert_num_queries(1):
        assert robots(client) == first


def test_the_cached_sitemap_still_tells_robots_not_to_index_it(client):
    """Django's sitemap says « X-Robots-Tag: noindex »; its copy from the cache says it too."""
    first = client.get(reverse("sitemap"))
    again = client.get(reverse("sitemap"))
    assert first["X-Robots-Tag"] == again["X-Robots-Tag"]
    assert "noindex" in again["X-Robots-Tag"]
