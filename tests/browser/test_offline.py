"""Solozère installed and without a network, in Chromium: the service worker installs, keeps the
pages visited and the list of places; offline (`context.set_offline`), a visited place page still
shows, saying it is a copy and from when, a page never visited gives the list of places instead,
and that list shows and filters; the web app manifest parses and its icons exist. On a phone
(390 px) and a desktop, in French and English, each page passing axe-core and never scrolling
sideways. Service workers need a secure context: http://localhost is one.

These tests only read: they share one live site (`site`)."""

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from places.models import Place
from tests.browser.conftest import assert_fits_and_passes_axe, new_context, shoot
from tests.browser.test_freshness import COMBINATIONS, LOCALES, PHONE, t
from tests.directory import MADE_UP

pytestmark = pytest.mark.browser


def as_pattern(language, text):
    """The translated `text` as a pattern, its {…} placeholders matching anything."""
    parts = re.split(r"\{\w+\}", t(language, text))
    return re.compile(".+".join(map(re.escape, parts)))


def installed(page, site):
    """Open the home page, wait until its service worker is activated, then open the home page
    again, as a visitor's next page, until the worker controls it and has stored the offline page
    and the list of places.

    Chromium sometimes leaves the first page opened after the activation uncontrolled (a page
    whose navigation began while the worker activated is not claimed); the pages after it are
    controlled. A few tries, each waiting two seconds, tell that apart from a worker that never
    controls anything."""
    page.goto(site.url + "/")
    page.wait_for_function(
        """async () => {
            const registration = await navigator.serviceWorker.getRegistration("/");
            const active = registration && registration.active;
            return Boolean(active && active.state === "activated");
        }"""
    )
    for _ in range(5):
        if page.evaluate("() => Boolean(navigator.serviceWorker.controller)"):
            break
        page.goto(site.url + "/")
        try:
            page.wait_for_function(
                "() => Boolean(navigator.serviceWorker.controller)", timeout=2000
            )
        except PlaywrightTimeoutError:
            continue
    assert page.evaluate("() => Boolean(navigator.serviceWorker.controller)"), (
        "the service worker controls no page"
    )
    page.wait_for_function(
        """async () => {
            const data = await caches.open("solozere-data");
            const keys = await caches.keys();
            const shell = keys.some(k => k.startsWith("solozere-shell-"));
            return shell && (await data.keys()).length === 1;
        }"""
    )


def close_with_its_worker(context, page):
    """Unregister the site's service worker, then close the context: a context closed while its
    worker still works can leave the shared Chromium hanging (puppeteer#11627)."""
    context.set_offline(False)
    page.evaluate(
        """async () => {
            for (const registration of await navigator.serviceWorker.getRegistrations()) {
                await registration.unregister();
            }
        }"""
    )
    context.close()


def kept(page, path):
    """Wait until the service worker has kept the page at `path`."""
    page.wait_for_function(
        """async (path) => {
            const pages = await caches.open("solozere-pages");
            return (await pages.keys()).some(r => new URL(r.url).pathname === path);
        }""",
        arg=path,
    )


@pytest.mark.parametrize(("viewport", "language"), COMBINATIONS)
def test_a_visited_place_page_and_the_list_of_places_stay_readable_offline(
    site, browser, viewport, language
):
    """Once the service worker is installed and a place page seen, without a network: the
    place's page shows with « Vous consultez une copie du JJ/MM à HH:MM, hors connexion »; the
    offline page lists the places kept (name, commune, type, phone, hours) and its search box
    filters them; a page never visited gives that list, saying the page was not kept."""
    context = new_context(
        browser, viewport=viewport, locale=LOCALES[language], service_workers="allow"
    )
    page = context.new_page()
    try:
        if language != "fr":
            page.goto(site.url + f"/langue/{language}/?next=/")
        installed(page, site)
        place = Place.objects.get(slug=MADE_UP)
        path = place.get_absolute_url()
        page.goto(site.url + path)
        kept(page, path)

        context.set_offline(True)
        page.goto(site.url + path)
        expect(page.get_by_role("heading", level=1)).to_have_text(place.name)
        notice = page.locator("#offline-notice")
        expect(notice).to_be_visible()
        expect(notice).to_have_text(
            as_pattern(language, "Vous consultez une copie du {day} à {time}, hors connexion.")
        )
        expect(notice).to_contain_text(re.compile(r"\d\d/\d\d .+ \d\d:\d\d"))
        assert_fits_and_passes_axe(page)
        if viewport == PHONE:
            shoot(page, f"offline/place-{language}", full_page=True)

        page.goto(site.url + "/hors-ligne/")
        items = page.locator(".offline-list > li")
        total = Place.objects.published().active().count()
        expect(items).to_have_count(total)
        card = items.filter(has_text=place.name)
        expect(card).to_contain_text(place.commune.name)
        expect(card).to_contain_text(place.phone)
        expect(card).to_contain_text("Fablab")
        card.locator("summary").click()
        expect(card).to_contain_text("09:00–12:00, 14:00–18:00")
        expect(page.locator(".offline-status")).to_contain_text(f"{total}")
        page.get_by_label(t(language, "Chercher un lieu, une commune, un type")).fill("villefort")
        expect(page.locator(".offline-list > li:visible")).to_have_count(1)
        expect(page.locator(".offline-list > li:visible")).to_contain_text("MSAP de Villefort")
        assert_fits_and_passes_axe(page)
        if viewport == PHONE:
            shoot(page, f"offline/list-{language}", full_page=True)

        page.goto(site.url + "/reseaux/")
        expect(page.locator("#offline-notice")).to_have_text(
            t(
                language,
                "Cette page n'est pas enregistrée sur cet appareil : voici les lieux que Solozère "
                "a gardés pour vous.",
            )
        )
        expect(page.locator(".offline-list > li")).to_have_count(total)
    finally:
        close_with_its_worker(context, page)


def test_online_pages_say_nothing_of_copies_and_the_app_is_installable(
    site, browser_type, browser_type_launch_args, tmp_path
):
    """Online, no page says it is a copy; the manifest parses, names its icons (192 and 512
    pixels, and a maskable one) that all load as PNG, and Chromium finds nothing preventing its
    installation (CDP's Page.getInstallabilityErrors; in a profile of its own, as a visitor's
    browser: a private window is never offered to install)."""
    context = browser_type.launch_persistent_context(
        tmp_path, **browser_type_launch_args, viewport=PHONE, locale="fr-FR"
    )
    page = context.pages[0] if context.pages else context.new_page()
    try:
        installed(page, site)
        page.goto(site.url + "/lieux/" + MADE_UP + "/")
        expect(page.locator("#offline-notice")).to_be_hidden()
        manifest = page.request.get(site.url + "/manifest.webmanifest")
        assert manifest.headers["content-type"] == "application/manifest+json"
        data = manifest.json()
        assert data["display"] == "standalone" and data["start_url"] == "/" and data["lang"] == "fr"
        sizes = {(icon["sizes"], icon.get("purpose", "any")) for icon in data["icons"]}
        assert sizes == {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")}
        for icon in data["icons"]:
            image = page.request.get(site.url + icon["src"])
            assert image.ok and image.body().startswith(b"\x89PNG")
        session = context.new_cdp_session(page)
        assert session.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
        worker = page.request.get(site.url + "/sw.js")
        assert worker.headers["cache-control"] == "no-cache"
    finally:
        close_with_its_worker(context, page)
