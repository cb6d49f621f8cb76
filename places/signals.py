"""What a change sets in motion: the place it belongs to is marked changed (places.freshness),
its search text is made again (places.models.search), and loading fixtures writes no history."""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.utils import timezone

from territory.models import Commune, FormerCommune, Tracked

from .models import (
    Audience,
    Family,
    Membership,
    Network,
    Photo,
    Place,
    PlaceType,
    Room,
    SearchWord,
    Service,
    Stop,
)
from .models.search import refresh_search_text, vocabulary

# Rows that belong to a place: changing one changes the place.
PARTS = [Membership, Stop, Room, Photo]
# Reference data whose words are in the search text of the places that have it.
OFFERED = {Service: "services", PlaceType: "types", Audience: "audiences", Family: "families"}
SEARCHED_RELATIONS = {Place.services, Place.types, Place.audiences, Place.families}


def touch_place(place_id):
    """Mark a place changed without saving it (no history, no signal)."""
    if place_id is not None:
        Place.objects.filter(pk=place_id).update(updated_at=timezone.now())


def mark_fixture(sender, instance, raw=False, **kwargs):
    """Loading fixtures is not an edit: no history, and the loaded change times are kept, even
    through the many-to-many fields set after each object."""
    if raw:
        instance.skip_history_when_saving = True
        instance._loading_fixture = True


def place_saved(sender, instance, **kwargs):
    refresh_search_text([instance.pk])


def part_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    touch_place(instance.place_id)
    if sender in (Membership, Stop):  # their networks and communes are searched
        refresh_search_text([instance.place_id])


def links_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    """A many-to-many link added or removed: both ends have changed."""
    if not action.startswith("post_"):
        return
    if not getattr(instance, "_loading_fixture", False):
        if isinstance(instance, Tracked):
            type(instance).objects.filter(pk=instance.pk).update(updated_at=timezone.now())
        if issubclass(model, Tracked) and pk_set:
            model.objects.filter(pk__in=pk_set).update(updated_at=timezone.now())
        if isinstance(instance, Room):
            touch_place(instance.place_id)
    if sender in {relation.through for relation in SEARCHED_RELATIONS}:
        refresh_search_text(list(pk_set or []) if reverse else [instance.pk])


def offered_saved(sender, instance, raw=False, **kwargs):
    """A service, type, public or family renamed, or given synonyms: its places' words, and the
    directory's vocabulary (a word no place offers yet is not taken for a misspelling)."""
    SearchWord.objects.remember(*vocabulary(instance))
    relation = getattr(Place, OFFERED[sender])
    key = relation.field.m2m_reverse_field_name()
    places = relation.through.objects.filter(**{key: instance}).values_list("place_id", flat=True)
    refresh_search_text(list(places))


def network_saved(sender, instance, raw=False, **kwargs):
    SearchWord.objects.remember(*vocabulary(instance))
    refresh_search_text(list(instance.memberships.values_list("place_id", flat=True)))


def commune_saved(sender, instance, raw=False, **kwargs):
    SearchWord.objects.remember(instance.name)
    commune = instance.commune if isinstance(instance, FormerCommune) else instance
    refresh_search_text(list(commune.places.values_list("pk", flat=True)))


def connect():
    pre_save.connect(mark_fixture, dispatch_uid="mark-fixture")
    post_save.connect(place_saved, sender=Place, dispatch_uid="search-place")
    for model in PARTS:
        post_save.connect(part_changed, sender=model, dispatch_uid=f"part-save-{model.__name__}")
        post_delete.connect(part_changed, sender=model, dispatch_uid=f"part-del-{model.__name__}")
    for model in OFFERED:
        post_save.connect(offered_saved, sender=model, dispatch_uid=f"search-{model.__name__}")
    post_save.connect(network_saved, sender=Network, dispatch_uid="search-network")
    for model in (Commune, FormerCommune):
        post_save.connect(commune_saved, sender=model, dispatch_uid=f"search-{model.__name__}")
        post_delete.connect(
            commune_saved, sender=model, dispatch_uid=f"search-del-{model.__name__}"
        )
    m2m_changed.connect(links_changed, dispatch_uid="links-changed")
