"""The coverage page of a territory larger than Lozère: its table of communes comes in pages."""

import pytest
from django.urls import reverse

from coverage.views import COMMUNES_PER_PAGE
from territory.models import Commune
from tests.factories import CommuneFactory, EpciFactory, PlaceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_communes():
    """One commune more than a page holds, each a little farther north than the last, and one
    place in the southernmost."""
    epci = EpciFactory()
    Commune.objects.bulk_create(
        Commune(
            insee=f"{10000 + n}",
            name=f"Commune {n:03d}",
            epci=epci,
            population=100,
            townhall_latitude=44.0 + n / 1000,
            townhall_longitude=3.5,
        )
        for n in range(COMMUNES_PER_PAGE + 1)
    )
    PlaceFactory(commune=CommuneFactory(insee="10000"), latitude=44.0, longitude=3.5)


def test_the_table_of_communes_comes_in_pages_nearest_first(client, many_communes):
    """An official of a large territory pages through every commune, nearest first, and the
    summaries above the table still count every commune."""
    first = client.get(reverse("coverage:page"))
    rows = first.context["rows"]
    assert rows.paginator.count == COMMUNES_PER_PAGE + 1
    assert rows.object_list[0].commune.name == "Commune 000"
    assert 'rel="next"' in first.content.decode()
    assert sum(first.context["coverage"].band_counts().values()) == COMMUNES_PER_PAGE + 1

    last = client.get(reverse("coverage:page"), {"radius": "5", "page": "2"})
    assert [row.commune.name for row in last.context["rows"]] == [
        f"Commune {COMMUNES_PER_PAGE:03d}"
    ]
    assert 'href="?radius=5&amp;page=1"' in last.content.decode()


def test_a_page_past_the_end_shows_the_last(client, many_communes):
    """A stale or mistyped page number shows the last page rather than an error."""
    answer = client.get(reverse("coverage:page"), {"page": "99"})
    assert answer.status_code == 200
    assert answer.context["rows"].number == 2
