"""Keep cached map data true (any change to a place invalidates it), and history meaningful."""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from . import cache
from .models import Commune, Membership, Network, Place, PlaceType, Room, Service, Stop

WATCHED = [Place, Membership, Stop, Room, Service, PlaceType, Network, Commune]
WATCHED_M2M = [Place.services, Place.types, Place.families, Place.audiences]


def skip_history_for_fixtures(sender, instance, raw=False, **kwargs):
    """Loading fixtures is not an edit: no history, even for the many-to-many fields set after."""
    if raw:
        instance.skip_history_when_saving = True


def connect():
    for model in (Place, Room):
        pre_save.connect(
            skip_history_for_fixtures, sender=model, dispatch_uid=f"fixture-{model.__name__}"
        )
    for model in WATCHED:
        post_save.connect(cache.bump, sender=model, dispatch_uid=f"bump-save-{model.__name__}")
        post_delete.connect(cache.bump, sender=model, dispatch_uid=f"bump-del-{model.__name__}")
    for relation in WATCHED_M2M:
        m2m_changed.connect(
            cache.bump, sender=relation.through, dispatch_uid=f"bump-m2m-{relation.field.name}"
        )
