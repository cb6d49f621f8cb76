"""The back-office: reference data, places, moderation and accounts (see solozere/urls.py)."""

from . import accounts, contributions, place, reference  # noqa: F401
