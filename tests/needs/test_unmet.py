"""Unmet demand: each search of the directory that finds nothing is counted, anonymously, once
per visit even when pages are cached, two at once both counted; coordinators and officials read
the most frequent by commune and communauté de communes, month by month, with a CSV."""

import threading
from datetime import date, timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from needs import reading, recording
from needs.models import UnmetSearch
from tests.factories import (
    CommuneFactory,
    EpciFactory,
    PlaceFactory,
    ServiceFactory,
    UnmetSearchFactory,
)

pytestmark = pytest.mark.django_db

BROWSER = {"HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"}


def search(client, **params):
    return client.get(reverse("places:home"), params, **BROWSER)


@pytest.fixture
def mende():
    return CommuneFactory(
        insee="48095", name="Mende", townhall_latitude=44.5181, townhall_longitude=3.5009
    )


def test_a_search_that_finds_nothing_is_counted_without_who_searched(client, mende):
    """The words as the directory compares them (accents, plurals, little words gone, sorted),
    the commune typed, the radius and the criteria: nothing else is kept."""
    ServiceFactory(code="meeting-room")
    search(client, q="Des Bureaux à Partager", near="Mende", radius="20", service="meeting-room")
    row = UnmetSearch.objects.get()
    assert row.words == "bureau partager"
    assert (row.commune_insee, row.radius, row.criteria) == ("48095", 20, "service=meeting-room")
    assert (row.day, row.count) == (timezone.localdate(), 1)
    stored = {field.attname for field in UnmetSearch._meta.concrete_fields}
    assert stored == {"id", "day", "words", "commune_insee", "radius", "criteria", "count"}


def test_the_same_search_again_is_counted_again_though_pages_are_cached(client, mende):
    """An empty result is never served from the cache (nor answered 304): each visitor's search
    reaches the count; a page with places is cached as before."""
    for _visit in range(3):
        response = search(client, q="planetarium", near="Mende")
        assert "ETag" not in response
        assert "private" in response["Cache-Control"]
    assert UnmetSearch.objects.get().count == 3
    PlaceFactory(name="Fablab de Mende", commune=mende, latitude=44.52, longitude=3.5)
    found = search(client, q="fablab")
    assert "ETag" in found and "public" in found["Cache-Control"]
    assert UnmetSearch.objects.get().count == 3


def test_a_position_is_kept_as_the_nearest_town_hall_commune(client, mende):
    """The browser's position is never stored: only the commune whose town hall is nearest."""
    CommuneFactory(insee="48061", name="Florac", townhall_latitude=44.32, townhall_longitude=3.59)
    search(client, q="planetarium", lat="44.51", lon="3.49", radius="5")
    row = UnmetSearch.objects.get()
    assert (row.commune_insee, row.radius) == ("48095", 5)


def test_what_is_not_counted(client, mende):
    """Robots, later pages, invalid searches, searches for nothing in particular and searches
    that found places are not unmet demand."""
    PlaceFactory(name="Fablab de Mende", commune=mende, latitude=44.52, longitude=3.5)
    client.get(reverse("places:home"), {"q": "planetarium"}, HTTP_USER_AGENT="Googlebot/2.1")
    client.get(reverse("places:home"), {"q": "planetarium"})  # no user agent at all
    search(client, q="planetarium", page="2")
    search(client, q="planetarium", radius="abc")
    search(client, near="Mende")
    search(client, q="fablab")
    assert not UnmetSearch.objects.exists()


def test_the_words_kept_are_bounded(client):
    """However long the words typed, what is kept is bounded (eight terms, 40 characters each,
    200 in all)."""
    search(client, q=" ".join(letter * 45 for letter in "abcd"))
    search(client, q="alpha bravo charlie delta echo foxtrot golf hotel india juliett kilo")
    long, many = UnmetSearch.objects.order_by("words")
    assert long.words.split() == [letter * recording.MAX_WORD_LENGTH for letter in "abcd"]
    assert len(many.words.split()) == 8
    assert max(len(row.words) for row in UnmetSearch.objects.all()) <= 200


@pytest.mark.django_db(transaction=True)
def test_two_visitors_at_once_are_both_counted(monkeypatch):
    """Two connections count the same new search at the same moment: both find no row, both
    insert; the unique constraint refuses the second, which counts on the first's row."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time: the race needs PostgreSQL")
    key = {
        "day": timezone.localdate(),
        "words": "planetarium",
        "commune_insee": "48095",
        "radius": 10,
        "criteria": "",
    }
    barrier = threading.Barrier(2, timeout=10)
    real_create = UnmetSearch.objects.create

    def create_together(**kwargs):
        barrier.wait()  # both have found no row to increment
        return real_create(**kwargs)

    monkeypatch.setattr(UnmetSearch.objects, "create", create_together)
    errors = []

    def count():
        from django.db import connection as own

        try:
            recording.count(key)
        except Exception as error:  # noqa: BLE001 — reported below
            errors.append(error)
        finally:
            own.close()

    threads = [threading.Thread(target=count) for _n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert list(UnmetSearch.objects.values_list("count", flat=True)) == [2]


def test_the_count_is_incremented_by_the_database(mende):
    """Counting again updates the row with F() (no read-modify-write in Python)."""
    key = {
        "day": timezone.localdate(),
        "words": "x",
        "commune_insee": "",
        "radius": 0,
        "criteria": "",
    }
    for _n in range(3):
        recording.count(key)
    assert UnmetSearch.objects.get().count == 3


@pytest.fixture
def demand():
    """Searches in two communautés de communes over three months."""
    today = timezone.localdate()
    this_month = today.replace(day=1)
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    east, west = EpciFactory(name="CC de l'Est"), EpciFactory(name="CC de l'Ouest")
    mende = CommuneFactory(insee="48095", name="Mende", epci=east)
    florac = CommuneFactory(insee="48061", name="Florac", epci=west)
    UnmetSearchFactory(day=this_month, words="planetarium", commune_insee=mende.insee, count=4)
    UnmetSearchFactory(day=last_month, words="planetarium", commune_insee=mende.insee, count=2)
    UnmetSearchFactory(day=this_month, words="piscine", commune_insee=florac.insee, count=5)
    # Typed once, by one person: never shown.
    UnmetSearchFactory(day=this_month, words="jean dupont", commune_insee=mende.insee, count=1)
    # Too old for the period.
    UnmetSearchFactory(day=date(2000, 1, 1), words="minitel", commune_insee=mende.insee, count=50)
    return {"east": east, "west": west, "mende": mende, "florac": florac}


def test_the_unmet_demand_page_lists_the_most_frequent_by_month(client, demand):
    """Everywhere, then per communauté de communes and per commune; a need typed fewer than
    MIN_SHOWN times is never shown, nor anything older than the period."""
    html = client.get(reverse("needs:unmet")).content.decode()
    assert html.index("«\u00a0planetarium\u00a0»") < html.index("«\u00a0piscine\u00a0»")
    assert "jean dupont" not in html and "minitel" not in html
    html = client.get(reverse("needs:unmet"), {"epci": demand["east"].siren}).content.decode()
    assert "«\u00a0planetarium\u00a0»" in html and "«\u00a0piscine\u00a0»" not in html
    html = client.get(reverse("needs:unmet"), {"commune": "48061"}).content.decode()
    assert "«\u00a0piscine\u00a0»" in html and "«\u00a0planetarium\u00a0»" not in html
    needs = reading.top_needs()
    planetarium = next(need for need in needs if need.words == "planetarium")
    assert planetarium.total == 6 and planetarium.by_month[-2:] == [2, 4]


def test_the_unmet_demand_csv(client, demand):
    """One row per need and month of the period, for a spreadsheet."""
    response = client.get(reverse("needs:unmet-csv"), {"epci": demand["east"].siren})
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0] == "mots;criteres;criteres_libelles;mois;recherches_sans_resultat"
    assert len(lines) == 1 + reading.MONTHS
    assert lines[-1].startswith("planetarium;;;") and lines[-1].endswith(";4")


def test_a_bad_area_is_a_client_error(client, demand):
    """An unknown communauté de communes or commune: 400 saying why, page and CSV."""
    assert client.get(reverse("needs:unmet"), {"epci": "nope"}).status_code == 400
    response = client.get(reverse("needs:unmet-csv"), {"commune": "Nulle-Part"})
    assert response.status_code == 400 and response.content


def test_the_epci_page_shows_its_unmet_demand(client, demand):
    """A communauté de communes' page, for its officials: its people's unmet needs, by month."""
    html = client.get(reverse("places:epci", args=[demand["east"].siren])).content.decode()
    assert "Besoins non satisfaits" in html
    assert "«\u00a0planetarium\u00a0»" in html and "«\u00a0piscine\u00a0»" not in html


@pytest.mark.parametrize("rows", [1, 30])
def test_the_unmet_demand_reads_a_fixed_number_of_queries(
    client, demand, rows, django_assert_max_num_queries
):
    """However many needs and communes, the page, the CSV and the EPCI page's section read a
    fixed number of queries."""
    for n in range(rows):
        commune = CommuneFactory(epci=demand["east"])
        UnmetSearchFactory(words=f"besoin{n}", commune_insee=commune.insee, count=3 + n)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("needs:unmet")).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(reverse("needs:unmet-csv")).status_code == 200
    with django_assert_max_num_queries(40):
        url = reverse("places:epci", args=[demand["east"].siren])
        assert client.get(url).status_code == 200
