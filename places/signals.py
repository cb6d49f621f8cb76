"""Keep cached data and pages true (any change to what they show invalidates them), and history
meaningful."""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from . import cache
from .models import (
    Audience,
    Commune,
    Epci,
    Family,
    FormerCommune,
    Membership,
    Network,
    NetworkTier,
    Photo,
    Place,
    PlaceType,
    PreviousSlug,
    Room,
    Service,
    Stop,
)

# Everything a cached page or export shows. Other apps add theirs with `watch`.
WATCHED = [
    Place,
    PreviousSlug,
    Membership,
    Stop,
    Room,
    Photo,
    Service,
    PlaceType,
    Family,
    Audience,
    Network,
    NetworkTier,
    Commune,
    FormerCommune,
    Epci,
]


def skip_history_for_fixtures(sender, instance, raw=False, **kwargs):
    """Loading fixtures is not an edit: no history, even for the many-to-many fields set after."""
    if raw:
        instance.skip_history_when_saving = True


def connect():
    for model in (Place, Room):
        pre_save.connect(
            skip_history_for_fixtures, sender=model, dispatch_uid=f"fixture-{model.__name__}"
        )
    watch(*WATCHED)


def watch(*models):
    """Any change to these models' rows or links makes cached pages and data be made again."""
    for model in models:
        uid = f"{model._meta.label}"
        post_save.connect(cache.bump, sender=model, dispatch_uid=f"bump-save-{uid}")
        post_delete.connect(cache.bump, sender=model, dispatch_uid=f"bump-del-{uid}")
        for relation in model._meta.many_to_many:
            m2m_changed.connect(
                cache.bump,
                sender=relation.remote_field.through,
                dispatch_uid=f"bump-m2m-{uid}-{relation.name}",
            )
