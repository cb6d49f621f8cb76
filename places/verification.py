"""Whether a place's information is confirmed: one rule for the page, the lists and the reminders.

A place is in one of three states, read by `Place.verification` (one place, its page) and by
`Place.objects.to_confirm()` (the back-office home, the reminders), both from `is_overdue_q`
and `months_before` below, so that what the page says and whom the reminders ask cannot differ:

- « à vérifier » (UNCONFIRMED): the place has never confirmed its information, or a coordinator
  flagged it « à vérifier » (information taken from documents, or to be checked again). The
  flag wins over a date: a page never says « vérifiées le … » without « à vérifier » beside it
  while the flag is set. Confirming clears the flag (`Place.confirm`).
- « à reconfirmer » (OVERDUE): confirmed, but longer ago than its reminder cadence
  (`review_months`: 3, 6 or 12 months).
- « vérifiées le … » (CURRENT): confirmed within its cadence.
"""

import calendar
from datetime import date

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Cadence(models.IntegerChoices):
    """How often a place's animateurs are asked to confirm its page, in months."""

    QUARTERLY = 3, _("tous les 3 mois")
    HALF_YEARLY = 6, _("tous les 6 mois")
    YEARLY = 12, _("tous les 12 mois")


# A year, as the directory asked before cadences existed (365 days): an unchanged place keeps
# being asked as often as it was.
DEFAULT_CADENCE = Cadence.YEARLY


class State(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("à vérifier")
    OVERDUE = "overdue", _("à reconfirmer")
    CURRENT = "current", _("vérifiées")


def months_before(day: date, months: int) -> date:
    """The same day `months` earlier, or that month's last day when it is shorter (31 August
    less 6 months is 28 or 29 February)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def is_overdue_q(today: date, prefix: str = "") -> Q:
    """Confirmed longer ago than the place's cadence: one condition per cadence, so that the
    database compares dates without month arithmetic of its own (SQLite has none)."""
    return Q(
        *(
            Q(**{f"{prefix}review_months": months, f"{prefix}verified_on__lt": limit})
            for months, limit in ((c.value, months_before(today, c.value)) for c in Cadence)
        ),
        _connector=Q.OR,
    )


def needs_confirmation_q(today: date, prefix: str = "") -> Q:
    """« À vérifier » or « à reconfirmer »: what the reminders ask the animateurs to confirm."""
    return (
        Q(**{f"{prefix}to_verify": True})
        | Q(**{f"{prefix}verified_on__isnull": True})
        | is_overdue_q(today, prefix)
    )


def state(place, today: date) -> State:
    """The state of one place, by the same rule as the queries above."""
    if place.to_verify or place.verified_on is None:
        return State.UNCONFIRMED
    if place.verified_on < months_before(today, place.review_months):
        return State.OVERDUE
    return State.CURRENT
