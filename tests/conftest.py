import pytest
from django.core.management import call_command

SHIPPED_FIXTURES = ["epci", "communes", "reference", "charter", "places"]


@pytest.fixture
def shipped_data(db):
    """The real Lozère data from fixtures/, for tests that are about it."""
    call_command("loaddata", *SHIPPED_FIXTURES, verbosity=0)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Accounts are made by the dozen in tests; a slow password hash only slows them down."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: the database is rolled back, the cache is not."""
    from django.core.cache import cache

    from places.cards import recent

    cache.clear()
    recent.clear()
    yield
    cache.clear()
    recent.clear()
