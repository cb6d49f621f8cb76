"""SQLite, the development database, answering like PostgreSQL where an answer would differ: its
unaccent() function, and integers past 64 bits. (Search adds pg_trgm's similarity(): see
places.search.)"""

import math
import sqlite3

from django.db import connection

from .text import sqlite_unaccent

INT64 = range(-(2**63), 2**63)


def bind_integer(value):
    """SQLite binds integers of 64 bits at most: past that its driver raises OverflowError (a
    500 for `?commune=99999999999999999999`) where PostgreSQL finds no row. Bound as an infinite
    number, such a value matches no row either."""
    if value in INT64:
        return value
    return math.inf if value > 0 else -math.inf


def adapt_integers():
    if connection.vendor == "sqlite":
        sqlite3.register_adapter(int, bind_integer)


def register_unaccent(sender, connection, **kwargs):
    """Give SQLite the unaccent() function PostgreSQL's extension provides."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("unaccent", 1, sqlite_unaccent, deterministic=True)
