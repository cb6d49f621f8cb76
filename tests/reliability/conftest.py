"""Fixtures of the reliability tests: a throwaway PostgreSQL cluster per module, and a summary.

These tests never use pytest-django's database: the site runs in subprocesses (manage.py,
gunicorn) pointed at the module's own cluster.
"""

import os

import pytest

from . import stack

FIGURES_KEY = pytest.StashKey[list]()


@pytest.fixture(scope="module")
def cluster():
    """A started PostgreSQL cluster of the module's own, stopped and deleted afterwards.

    They need PostgreSQL's server programs. CI installs them and sets CI_REQUIRE_POSTGRES, so
    there these tests can only pass or fail; a developer's machine without them skips, saying so.
    """
    try:
        stack.postgres_bindir()
    except RuntimeError as missing:
        if os.environ.get("CI_REQUIRE_POSTGRES"):
            raise
        pytest.skip(f"{missing} (apt-get install postgresql)")
    with stack.throwaway_cluster() as throwaway:
        yield throwaway


@pytest.fixture(scope="module")
def site_database(cluster):
    """The URL of a database on the module's cluster holding the real Lozère data.

    These tests run the production stack as visitors meet it: the real data gives the pages, the
    searches and the exports their real size and content (152 communes, their outlines, every
    place of the documents), which a few factory rows would not load the same way."""
    return stack.seed_database(cluster, stack.SITE_DATABASE)


@pytest.fixture
def report_figures(request):
    """Record a line for the end-of-run summary, printed whatever pytest's capture mode."""

    def report(line):
        print(line)
        request.config.stash.setdefault(FIGURES_KEY, []).append(f"{request.node.name}: {line}")

    return report


def pytest_terminal_summary(terminalreporter, config):
    lines = config.stash.get(FIGURES_KEY, [])
    if lines:
        terminalreporter.section("reliability figures")
        for line in lines:
            terminalreporter.write_line(line)
