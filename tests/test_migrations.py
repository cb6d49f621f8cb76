"""The schema: migrations complete, and PostgreSQL's search extensions enabled by them."""

import pytest
from django.core.management import call_command
from django.db import connection


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.django_db
def test_postgresql_has_unaccent_and_pg_trgm():
    if connection.vendor != "postgresql":
        pytest.skip("extensions exist only on PostgreSQL")
    with connection.cursor() as cursor:
        cursor.execute("SELECT extname FROM pg_extension")
        extensions = {row[0] for row in cursor.fetchall()}
    assert {"unaccent", "pg_trgm"} <= extensions
