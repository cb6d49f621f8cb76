"""An animateur's imported calendar in the back-office, in Chromium: its last import's report and
error readable on a phone (390 px) and a desktop, in French and English, passing axe-core and
never scrolling sideways."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from agenda.models import CalendarFeed
from places.models import Place
from tests.browser.conftest import ANIMATEUR, assert_fits_and_passes_axe, shoot
from tests.browser.test_backoffice_look import sign_in
from tests.browser.test_freshness import COMBINATIONS, open_page, t

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("viewport", "language"), COMBINATIONS)
def test_an_animateur_reads_her_calendars_error(fresh_site, browser, animateur, viewport, language):
    """The list ticks the calendar in error; its page shows the error and the report."""
    feed = CalendarFeed.objects.create(
        place=Place.objects.get(slug="msap-de-villefort"),
        url="https://mobilizon.example/@msap-villefort/feed/ics",
    )
    CalendarFeed.objects.filter(pk=feed.pk).update(
        last_fetched_at=timezone.now(),
        last_error="Le serveur de l'agenda a répondu par une erreur (code 404).",
        skipped_count=1,
        skipped_note="« Permanence » : sans heure de fin",
    )
    page = open_page(browser, viewport, language)
    sign_in(page, fresh_site, *ANIMATEUR)
    page.goto(fresh_site.url + "/admin/agenda/calendarfeed/")
    expect(page.locator("#result_list")).to_contain_text("mobilizon.example")
    expect(page.locator("#result_list")).to_contain_text(t(language, "erreur"))
    assert_fits_and_passes_axe(page)
    name = f"{viewport['width']}-{language}"
    shoot(page, f"calendar-import/list-{name}", full_page=True)
    page.goto(fresh_site.url + f"/admin/agenda/calendarfeed/{feed.pk}/change/")
    expect(page.locator("body")).to_contain_text("code 404")
    expect(page.locator("body")).to_contain_text("sans heure de fin")
    assert_fits_and_passes_axe(page)
    shoot(page, f"calendar-import/change-{name}", full_page=True)
