"""Accent-insensitive and typo-tolerant search on PostgreSQL; nothing to do on SQLite."""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("places", "0001_initial")]

    operations = [UnaccentExtension(), TrigramExtension()]
