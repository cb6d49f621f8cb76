"""Keeping pages true in Chromium: the reminder's one-click « Toujours exact », the place page's
« vérifiées le … » / « à reconfirmer » / « à vérifier », and choosing the reminders' cadence; on a
phone (390 px) and a desktop, in French and English, each page passing axe-core and never
scrolling sideways.

These tests change data: each gets its own live site and small directory (`fresh_site`)."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone, translation
from django.utils.formats import date_format
from playwright.sync_api import expect

from places.models import Place
from tests.browser.conftest import ANIMATEUR, assert_fits_and_passes_axe, new_context

pytestmark = pytest.mark.browser
PASSWORD = ANIMATEUR[1]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
LOCALES = {"fr": "fr-FR", "en": "en-GB"}
COMBINATIONS = [
    pytest.param(viewport, language, id=f"{name}-{language}")
    for name, viewport in [("phone", PHONE), ("desktop", DESKTOP)]
    for language in LOCALES
]


def t(language, text):
    """`text` as the site shows it in `language` (its English once the catalogue has it)."""
    with translation.override(language):
        return translation.gettext(text)


def verified_on(language, day):
    """« Informations vérifiées le 1 décembre 2026. » as the page says it in `language`."""
    with translation.override(language):
        line = translation.gettext("Informations vérifiées le %(date)s.")
        return line % {"date": date_format(day, "DATE_FORMAT")}


def open_page(browser, viewport, language):
    context = new_context(browser, viewport=viewport, locale=LOCALES[language])
    return context.new_page()


@pytest.mark.parametrize(("viewport", "language"), COMBINATIONS)
def test_murielle_confirms_her_place_from_the_reminder(
    fresh_site, browser, animateur, viewport, language
):
    """The reminder's « Toujours exact » link opens a page that changes nothing; its button
    records the verification without signing in; the link then says « déjà enregistré », and the
    place page « Informations vérifiées le » today."""
    Place.objects.update(verified_on=timezone.localdate())
    Place.objects.filter(slug="msap-de-villefort").update(
        verified_on=timezone.localdate() - timedelta(days=400), to_verify=True
    )
    mail.outbox.clear()
    call_command("remind_stale")
    [reminder] = [m for m in mail.outbox if m.to == ["murielle@example.org"]]
    assert "MSAP de Villefort" in reminder.subject
    link = re.search(rf"{re.escape(fresh_site.url)}/toujours-exact/\S+/", reminder.body).group(0)

    page = open_page(browser, viewport, language)
    page.goto(link)
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.get_by_role("heading", level=1)).to_contain_text("MSAP de Villefort")
    assert_fits_and_passes_axe(page)
    place = Place.objects.get(slug="msap-de-villefort")
    assert place.verification == "unconfirmed"  # opening the link recorded nothing

    page.get_by_role("button", name=t(language, "Toujours exact")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        t(language, "Merci, c'est enregistré")
    )
    assert_fits_and_passes_axe(page)
    place.refresh_from_db()
    assert place.verified_on == timezone.localdate() and not place.to_verify
    assert place.history.latest().history_user == animateur

    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text(t(language, "Déjà enregistré"))
    expect(page.get_by_role("button")).to_have_count(0)
    assert_fits_and_passes_axe(page)

    page.goto(fresh_site.url + place.get_absolute_url())
    expect(page.locator(".verification")).to_have_text(verified_on(language, timezone.localdate()))
    expect(page.locator("header .notice")).to_have_count(0)
    page.context.close()


@pytest.mark.parametrize(("viewport", "language"), COMBINATIONS)
def test_the_place_page_says_how_fresh_it_is(fresh_site, browser, viewport, language):
    """Confirmed within its cadence, past it, or flagged with a recent date: the page says
    « vérifiées le … », « à reconfirmer », or « à vérifier » in both its notice and its line,
    never one thing in the notice and another below."""
    today = timezone.localdate()
    states = {
        "msap-de-villefort": {"verified_on": today},
        "msap-de-marvejols": {"verified_on": today - timedelta(days=100), "review_months": 3},
        "bar-latelier": {"verified_on": today - timedelta(days=7), "to_verify": True},
    }
    for slug, fields in states.items():
        Place.objects.filter(slug=slug).update(**{"to_verify": False, **fields})
    page = open_page(browser, viewport, language)

    page.goto(fresh_site.url + "/lieux/msap-de-villefort/")
    expect(page.locator(".verification")).to_have_text(verified_on(language, today))
    assert_fits_and_passes_axe(page)

    page.goto(fresh_site.url + "/lieux/msap-de-marvejols/")
    expect(page.locator(".verification strong")).to_have_text(t(language, "à reconfirmer"))
    expect(page.locator(".tag", has_text=t(language, "À reconfirmer"))).to_be_visible()
    assert_fits_and_passes_axe(page)

    page.goto(fresh_site.url + "/lieux/bar-latelier/")
    again = t(language, "Informations à vérifier de nouveau (dernière confirmation le %(date)s).")
    expect(page.locator(".verification")).to_contain_text(again.split("(")[0].strip())
    expect(page.locator("header .notice")).to_be_visible()
    verified_alone = t(language, "Informations vérifiées le %(date)s.").split("%")[0]
    expect(page.get_by_text(verified_alone)).to_have_count(0)
    assert_fits_and_passes_axe(page)
    page.context.close()


@pytest.mark.parametrize(
    ("viewport", "language"),
    [COMBINATIONS[0], COMBINATIONS[3]],  # phone in French, desktop in English
)
def test_murielle_chooses_how_often_she_is_asked(
    fresh_site, browser, animateur, viewport, language
):
    """An animateur's home says which of her places are « à vérifier »; she chooses her place's
    reminder cadence on its form."""
    Place.objects.filter(slug="msap-de-villefort").update(to_verify=True)
    page = open_page(browser, viewport, language)
    page.goto(fresh_site.url + "/admin/login/")
    page.locator("#id_username").fill("murielle@example.org")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    expect(page.locator(".solozere-dashboard")).to_contain_text(t(language, "à vérifier"))
    assert_fits_and_passes_axe(page)
    place = Place.objects.get(slug="msap-de-villefort")
    page.goto(fresh_site.url + f"/admin/places/place/{place.pk}/change/")
    # Fits a phone. (axe is not run here: Django's own widgets on this form, the two-list
    # selector and the tabular inlines, carry violations of theirs that the new field does not.)
    assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    page.locator("#id_review_months").select_option("3")
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_contain_text("MSAP de Villefort")
    place.refresh_from_db()
    assert place.review_months == 3
    page.context.close()
