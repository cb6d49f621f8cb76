"""A need whose search no longer holds leaves the home page.

A need's search names codes of the catalogue and of the networks (`service=meeting-room`). It is
checked when it is saved, but a code can go later: a service deleted, a network's code changed.
Its button would then lead visitors to « Sélectionnez un choix valide ». So when one of these rows
is deleted or changed, the needs offered are checked again, and those whose search fails are no
longer offered (`active` off, and a warning in the log); coordinators find them in the back-office
list, under « proposé sur l'accueil : non », to mend and offer again."""

import logging

from django.db.models.signals import post_delete, post_save

from places.filters import RELATED_FACETS
from places.models import Network

from .models import Need

logger = logging.getLogger(__name__)
# What a need's search may name by code.
NAMED = [model for _field, model in RELATED_FACETS.values()] + [Network]


def withdraw_broken_needs():
    """Stop offering the needs whose search no longer passes the directory's check; their pks."""
    broken = []
    for need in Need.objects.offered():
        if errors := need.search_errors():
            broken.append(need.pk)
            logger.warning("Need %s withdrawn from the home page: %s", need.code, errors)
    Need.objects.filter(pk__in=broken).update(active=False)
    return broken


def named_row_changed(sender, instance, created=False, raw=False, **kwargs):
    # A row created can break no search, and fixtures load whole (their needs come after).
    if not created and not raw:
        withdraw_broken_needs()


def connect():
    for model in NAMED:
        name = model.__name__
        post_save.connect(named_row_changed, sender=model, dispatch_uid=f"needs-save-{name}")
        post_delete.connect(named_row_changed, sender=model, dispatch_uid=f"needs-del-{name}")
