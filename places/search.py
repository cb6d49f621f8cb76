"""Text compared as people type it: without accents, in any case.

The directory's free-text search itself reads the in-memory index (places/filters/index.py);
the database compares names through unaccent(), which SQLite is given here.
"""

import re
import sys
import unicodedata
from functools import cache


@cache
def _combining_marks():
    """Every combining mark (accents and the like), as one pattern: made once, on first use."""
    marks = (chr(code) for code in range(sys.maxunicode + 1) if unicodedata.combining(chr(code)))
    return re.compile("[" + "".join(map(re.escape, marks)) + "]+")


def strip_accents(text):
    """« Saint-Chély » → « saint-chely »: the form both databases compare."""
    return _combining_marks().sub("", unicodedata.normalize("NFKD", text)).lower()


def sqlite_unaccent(value):
    return None if value is None else strip_accents(value)


def register_sqlite_unaccent(sender, connection, **kwargs):
    """Give SQLite the unaccent() function PostgreSQL's extension provides."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("unaccent", 1, sqlite_unaccent, deterministic=True)
