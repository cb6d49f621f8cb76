import pytest
from django.core.management import call_command

from backoffice.management.commands.load_shipped_data import SHIPPED as SHIPPED_FIXTURES
from places.models.search import made_once

# Accounts of each role and the places they animate (back-office, moderation); `ban`, a stand-in
# for the national address service.
pytest_plugins = ["tests.roles", "tests.geocoder_standin"]


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite, the tests' database is a file of this run's (each xdist worker its own), not
    Django's default in-memory one. An in-memory database is one connection that the live sites
    of the browser tests share between threads, and sqlite3 can deadlock there: a thread inside
    a query waits for the GIL to run a function defined in Python (unaccent) while holding the
    connection, which the thread holding the GIL waits for. On a file, each thread has its own
    connection, as each gunicorn worker has. PostgreSQL is left as configured."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3") and not database["TEST"].get("NAME"):
        database["TEST"]["NAME"] = str(tmp_path_factory.mktemp("database") / "test.sqlite3")


@pytest.fixture
def shipped_data(db):
    """The real Lozère data from fixtures/, for tests that are about it."""
    with made_once():
        call_command("loaddata", *SHIPPED_FIXTURES, verbosity=0)


@pytest.fixture
def shipped_communes(db):
    """The real communes, former communes and EPCIs from fixtures/, without the places: for tests
    about the territory, a third of the time of all the shipped data."""
    with made_once():
        call_command("loaddata", "epci", "communes", verbosity=0)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Accounts are made by the dozen in tests; a slow password hash only slows them down."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def no_address_service(settings):
    """No test reaches the national address service, whatever GEOCODER_URL says: a test that
    searches addresses asks the stand-in (`ban`)."""
    settings.SOLOZERE_GEOCODER_URL = ""


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: the database is rolled back, the cache is not."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def places_built():
    """The Place objects built while a test runs (clear it before the request measured): a page
    that reads every place builds as many as there are, one that reads a page of them does not."""
    from django.db.models.signals import post_init

    from places.models import Place

    built = []

    def count(sender, instance, **kwargs):
        built.append(instance.pk)

    post_init.connect(count, sender=Place, weak=False, dispatch_uid="places-built")
    yield built
    post_init.disconnect(sender=Place, dispatch_uid="places-built")
