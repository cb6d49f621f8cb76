"""Opening hours read France's public holidays, on Paris's clock, the same everywhere."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from places import hours
from tests.factories import PlaceFactory

PARIS = ZoneInfo("Europe/Paris")
WEEKDAYS_BUT_HOLIDAYS = "Mo-Fr 09:00-17:00; PH off"


@pytest.mark.parametrize(
    ("moment", "is_open"),
    [
        (datetime(2026, 12, 25, 10, 0), False),  # Christmas, a Friday
        (datetime(2026, 7, 14, 10, 0), False),  # Bastille Day, a Tuesday
        (datetime(2026, 5, 14, 10, 0), False),  # Ascension Thursday
        (datetime(2026, 7, 21, 10, 0), True),  # an ordinary Tuesday
    ],
)
def test_ph_off_closes_on_frances_public_holidays(moment, is_open):
    """« PH off » closes on France's public holidays and only on them."""
    assert hours.is_open(WEEKDAYS_BUT_HOLIDAYS, moment) is is_open
    assert hours.is_open(WEEKDAYS_BUT_HOLIDAYS, moment.replace(tzinfo=PARIS)) is is_open


def test_the_week_and_the_next_opening_skip_a_public_holiday():
    """The week shown on a place's page has no hours on Christmas; the next opening is after it."""
    christmas_eve_evening = datetime(2026, 12, 24, 18, 0)
    days = dict(hours.week(WEEKDAYS_BUT_HOLIDAYS, christmas_eve_evening))
    assert days[datetime(2026, 12, 25).date()] == []
    assert hours.next_opening(WEEKDAYS_BUT_HOLIDAYS, christmas_eve_evening) == datetime(
        2026, 12, 28, 9, 0
    )


def test_an_aware_moment_is_read_on_paris_clock():
    """A UTC moment is turned into Paris's wall-clock time before the hours are read."""
    nine_in_paris = datetime(2026, 7, 21, 7, 30, tzinfo=ZoneInfo("UTC"))  # 09:30 in summer
    assert hours.is_open("Mo-Fr 09:00-17:00", nine_in_paris)


@pytest.mark.django_db
def test_place_page_and_directory_agree_on_a_public_holiday(client, monkeypatch):
    """On 25 December the place's page says closed and `open_at` leaves the place out."""
    place = PlaceFactory(name="Fermé les jours fériés", opening_hours=WEEKDAYS_BUT_HOLIDAYS)
    christmas = timezone.make_aware(datetime(2026, 12, 25, 10, 0))
    monkeypatch.setattr(timezone, "now", lambda: christmas)
    page = client.get(place.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    page = re.sub(r"<script.*?</script>", "", page, flags=re.S)  # the map's labels, not its words
    assert "Fermé en ce moment" in page and "Ouvert maintenant" not in page
    home = reverse("places:home")
    assert place.name not in client.get(home, {"open_at": "2026-12-25T10:00"}).content.decode()
    assert place.name in client.get(home, {"open_at": "2026-12-22T10:00"}).content.decode()
    assert not place.is_open_at(christmas)
