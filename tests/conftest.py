import pytest
from django.core.management import call_command

SHIPPED_FIXTURES = ["epci", "communes", "reference", "charter", "places"]


@pytest.fixture
def shipped_data(db):
    """The real Lozère data from fixtures/, for tests that are about it."""
    call_command("loaddata", *SHIPPED_FIXTURES, verbosity=0)
