"""Browser tests drive the real site in Debian's Chromium through Playwright.

Playwright never downloads a browser here: the system Chromium is used, and its absence is an
error, not a skip, so CI cannot pass without running these tests.

The site serves the small directory of tests/directory.py. Modules whose tests only read share
one live site and one built directory (`site`); tests that change data get their own (`fresh_site`).
"""

import os
import shutil
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections
from django.test.utils import override_settings, setup_databases, teardown_databases
from pytest_django.live_server_helper import LiveServer

from backoffice.roles import ANIMATEURS, COORDINATORS
from places.models import Place
from tests import directory
from tests.factories import UserFactory

# The database people use, before the tests are given theirs.
REAL_DATABASE = settings.DATABASES["default"]["NAME"]

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make to
# set up data are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]
COORDINATOR = ("coordination@example.org", "Lozere-2026-x")
ANIMATEUR = ("murielle@example.org", "Lozere-2026-fablab")
# The screens and languages pages are tried on (`visit`).
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
SCREENS = {"phone": PHONE, "desktop": DESKTOP}
LOCALES = {"fr": "fr-FR", "en": "en-GB"}
# Screenshots for people to look at (`shoot`), taken only when SHOTS_DIR names a folder.
SHOTS_DIR = os.environ.get("SHOTS_DIR")
ALL = [
    pytest.param(screen, language, id=f"{screen}-{language}")
    for screen in SCREENS
    for language in LOCALES
]


# A browser test that fails is run once more (pytest-rerunfailures), as Playwright's own runner
# retries on CI: a real Chromium on a loaded machine sometimes misses a moment (a fade, a service
# worker's claim) that no wait in the test can name. The run's summary counts each rerun, so an
# intermittent failure stays in sight; a test failing twice fails the run.
BROWSER_RERUNS = 1


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Browser tests last, as pytest puts them by itself without module-scoped sites: once
    Playwright's event loop runs in the test thread, Django keeps that thread's connections apart
    from those opened before (asgiref), and a test using the database after it would leave one
    open past the end of the run. Each may run once more if it fails (BROWSER_RERUNS)."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)
    for item in items:
        if item.get_closest_marker("browser") and not item.get_closest_marker("flaky"):
            item.add_marker(pytest.mark.flaky(reruns=BROWSER_RERUNS))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    executable = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if not executable:
        pytest.fail("Chromium is missing: install Debian's package « chromium ».")
    return {**browser_type_launch_args, "executable_path": executable, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "fr-FR", "service_workers": "block"}


def new_context(browser, **options):
    """A browser context of the shared Chromium, its service workers blocked unless the test
    asks for them (`service_workers="allow"`, as the offline tests do).

    The site registers one on every page to keep pages for reading offline. Left running, each
    would fetch the list of places into every test's live site, and a context closed while its
    worker still works can leave Chromium hanging (puppeteer#11627)."""
    return browser.new_context(**{"service_workers": "block", **options})


def shoot(target, name, **options):
    """A screenshot of a page or an element, as SHOTS_DIR/`name`.png; nothing unless SHOTS_DIR
    is set (CI takes none)."""
    if SHOTS_DIR:
        path = Path(SHOTS_DIR) / f"{name}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        target.screenshot(path=path, **options)


def assert_no_axe_violation(page):
    """axe-core finds no violation on the page. Axe reads colours as drawn: fades and transitions
    (a map popup's) end first."""
    page.wait_for_function(
        "() => document.getAnimations().every(animation => animation.playState !== 'running')"
    )
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def assert_fits_and_passes_axe(page):
    """The page does not scroll sideways, and axe-core finds no violation."""
    assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert_no_axe_violation(page)


def build_directory():
    """The small directory, and a coordinator who can sign in with COORDINATOR."""
    places = directory.build()
    username, password = COORDINATOR
    UserFactory(username=username, password=password, groups=[COORDINATORS])
    return places


def sign_in_as_coordinator(page, site):
    """Sign in to the back-office as the directory's coordinator (COORDINATOR)."""
    username, password = COORDINATOR
    page.goto(site.url + "/admin/")
    page.get_by_label("Nom d’utilisateur").fill(username)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Connexion").click()


@pytest.fixture(scope="session")
def test_database(django_db_setup, django_db_blocker):
    """The test database, even in a run where no test asks pytest-django for one in a way it
    sees (a `django_db` marker, `db`, `live_server`): `site` reaches the database by itself, and
    a run of its tests alone would otherwise build, then flush, the database people use."""
    if connection.settings_dict["NAME"] != REAL_DATABASE:
        yield  # pytest-django has set it up
        return
    with django_db_blocker.unblock():
        databases = setup_databases(verbosity=0, interactive=False, aliases={"default"})
    yield
    with django_db_blocker.unblock():
        teardown_databases(databases, verbosity=0)


@pytest.fixture(scope="module")
def site(test_database, django_db_blocker):
    """A live site of the module's own over the small directory, built once for the module's
    tests, which must only read it (signing in is fine); emptied afterwards, as after a
    transactional test."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHER):
        server = LiveServer("localhost")
        server._live_server_modified_settings.enable()
        try:
            with override_settings(SITE_URL=server.url):
                build_directory()
                yield server
        finally:
            server._live_server_modified_settings.disable()
            # Only the server's thread is stopped: the browser may still hold a connection whose
            # thread ends later, and must find the shared SQLite connection still shareable.
            server.thread.terminate()
            call_command("flush", interactive=False, verbosity=0)
            connections.close_all()  # as a transactional test does


@pytest.fixture
def fresh_site(live_server, transactional_db, settings):
    """The live site over a small directory built for this test alone, which may change it."""
    settings.SITE_URL = live_server.url
    build_directory()
    return live_server


@pytest.fixture
def animateur(fresh_site):
    """Murielle, animateur of the MSAP de Villefort, who signs in with ANIMATEUR."""
    username, password = ANIMATEUR
    user = UserFactory(
        username=username,
        password=password,
        first_name="Murielle",
        last_name="Causse",
        groups=[ANIMATEURS],
    )
    Place.objects.get(slug="msap-de-villefort").animateurs.add(user)
    return user


@pytest.fixture
def visit(site, browser):
    """A page opener on a given screen and in a given language."""
    contexts = []

    def open_page(screen, language):
        context = new_context(browser, viewport=SCREENS[screen], locale=LOCALES[language])
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()
