"""Browser tests drive the real site in Debian's Chromium through Playwright.

Playwright never downloads a browser here: the system Chromium is used, and its absence is an
error, not a skip, so CI cannot pass without running these tests.
"""

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make to
# set up data are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    executable = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if not executable:
        pytest.fail("Chromium is missing: install Debian's package « chromium ».")
    return {**browser_type_launch_args, "executable_path": executable, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "fr-FR"}


@pytest.fixture
def site(live_server, transactional_db):
    """The live site with the shipped Lozère data."""
    from django.core.management import call_command

    from tests.conftest import SHIPPED_FIXTURES

    call_command("loaddata", *SHIPPED_FIXTURES, verbosity=0)
    return live_server
