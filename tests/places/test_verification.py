"""« Vérifiées le … », « à reconfirmer », « à vérifier »: one rule for the page, the lists and the
reminders (places.verification)."""

import itertools
from datetime import date, timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone

from places.models import Place
from places.verification import Cadence, State, months_before
from tests.factories import PlaceFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 3, 15), 3, date(2025, 12, 15)),
        (date(2026, 8, 31), 6, date(2026, 2, 28)),
        (date(2028, 8, 31), 6, date(2028, 2, 29)),
        (date(2026, 1, 31), 12, date(2025, 1, 31)),
        (date(2026, 5, 31), 3, date(2026, 2, 28)),
    ],
)
def test_months_before_keeps_to_the_shorter_month(day, months, expected):
    """A cadence in months lands on the month's last day when the day does not exist."""
    assert months_before(day, months) == expected


def ages(today):
    """Verification dates around each cadence's limit, and none."""
    limits = [months_before(today, cadence) for cadence in Cadence.values]
    near = {limit + timedelta(days=shift) for limit in limits for shift in (-1, 0, 1)}
    return [None, today, *sorted(near)]


def test_the_page_and_the_lists_read_one_rule():
    """For every cadence, flag and date around the limits, the state a page shows and the
    places the lists and reminders read agree."""
    today = timezone.localdate()
    places = [
        PlaceFactory(review_months=cadence, to_verify=flag, verified_on=verified)
        for cadence, flag, verified in itertools.product(Cadence.values, [False, True], ages(today))
    ]
    to_confirm = set(Place.objects.to_confirm(today).values_list("pk", flat=True))
    for place in places:
        place.refresh_from_db()
        assert (place.verification != State.CURRENT) == (place.pk in to_confirm), (
            place.review_months,
            place.to_verify,
            place.verified_on,
        )


def test_the_flag_wins_over_a_recent_date():
    """A place flagged « à vérifier » and verified last week is « à vérifier »: a page never says
    « vérifiées le … » alone while the flag is set."""
    place = PlaceFactory(to_verify=True, verified_on=timezone.localdate() - timedelta(days=7))
    assert place.verification == State.UNCONFIRMED


def test_past_its_cadence_a_place_is_to_reconfirm():
    """Confirmed four months ago: current on a 6-month cadence, « à reconfirmer » on 3."""
    place = PlaceFactory(verified_on=timezone.localdate() - timedelta(days=125), review_months=6)
    assert place.verification == State.CURRENT
    place.review_months = 3
    assert place.verification == State.OVERDUE


def test_the_default_cadence_is_a_year():
    """A place nobody set a cadence for is asked once a year, as before cadences existed."""
    assert PlaceFactory().review_months == 12


def test_a_cadence_outside_the_choices_is_refused_by_the_database():
    """The lists compare one date per cadence: a fourth value would escape the reminders."""
    place = PlaceFactory()
    with pytest.raises(IntegrityError):
        Place.objects.filter(pk=place.pk).update(review_months=4)


def test_confirming_stamps_today_and_answers_the_flag():
    """Place.confirm sets today's date, clears « à vérifier » and names who in the history."""
    person = UserFactory()
    place = PlaceFactory(to_verify=True)
    place.confirm(by=person)
    place.refresh_from_db()
    assert place.verified_on == timezone.localdate() and not place.to_verify
    assert place.verification == State.CURRENT
    assert place.history.latest().history_user == person


def page(client, place, language="fr"):
    return client.get(place.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=language).content.decode()


def test_a_current_place_says_when_it_was_verified(client):
    """Within its cadence: « Informations vérifiées le … », no notice, no « à reconfirmer »."""
    place = PlaceFactory(verified_on=timezone.localdate())
    html = page(client, place)
    assert "Informations vérifiées le" in html
    assert "à reconfirmer" not in html.lower()
    assert 'class="notice"' not in html


def test_an_overdue_place_says_to_reconfirm(client):
    """Past its cadence: the date, and « à reconfirmer » beside it and among the tags."""
    place = PlaceFactory(verified_on=timezone.localdate() - timedelta(days=100), review_months=3)
    html = page(client, place)
    assert "à reconfirmer</strong>" in html
    assert '<span class="tag tag-status">À reconfirmer</span>' in html


def test_a_flagged_place_never_says_verified_alone(client):
    """Flagged « à vérifier » with a recent date: the notice and the line both say « à vérifier »
    and give the date as the last confirmation, never « Informations vérifiées le ».
    (Before, the notice said « restent à vérifier » and the line « Informations vérifiées le ».)"""
    place = PlaceFactory(to_verify=True, verified_on=timezone.localdate() - timedelta(days=7))
    html = page(client, place)
    assert "Informations vérifiées le" not in html
    assert "à vérifier de nouveau par le lieu, qui les avait confirmées le" in html
    assert "Informations à vérifier de nouveau (dernière confirmation le" in html


def test_a_place_never_verified_says_so(client):
    """Never confirmed and flagged (taken from documents): the documents notice, and « pas
    encore vérifiées »."""
    place = PlaceFactory(to_verify=True)
    html = page(client, place)
    assert "viennent de documents du réseau et restent à vérifier" in html
    assert "Informations pas encore vérifiées par le lieu." in html
