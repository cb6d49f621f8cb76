"""Writing imported places all at once: a few bulk queries, whatever the number of rows.

Bulk writes send no signals, so what the signals would have done is done here: the change
times, the history records (who imported, from which file, with the place's links as
django-simple-history keeps them, so that restoring an imported version restores its services
too) and the search text. No catalogue row and no row shared by all places is written: an editor
saving another place meanwhile never waits on the import.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from places.models import Place
from places.models.search import refresh_search_text

RELATIONS = ["types", "families", "services", "audiences"]


def write(created, updated, fields, user=None, reason=""):
    """Create and update these places (read by backoffice.imports.resources), in one transaction.

    Each carries `import_links` ({relation: (items, added)}: added to what the place has, or
    replacing it) and `import_identifier` (the slug a new place asks for)."""
    if not created and not updated:
        return
    now = timezone.now()
    for place in [*created, *updated]:
        place.updated_at = now
    with transaction.atomic():
        _give_slugs(created)
        Place.objects.bulk_create(created)
        updated = _still_there(updated)
        # An « upsert » on the primary key: one INSERT … ON CONFLICT DO UPDATE, where
        # bulk_update() would build a CASE per row and column (seconds for a thousand rows).
        Place.objects.bulk_create(
            updated,
            update_conflicts=True,
            unique_fields=["id"],
            update_fields=[*fields, "updated_at"],
        )
        history = [
            *_history(created, user, reason, now, update=False),
            *_history(updated, user, reason, now, update=True),
        ]
        ids = [place.pk for place in [*created, *updated]]
        for name in RELATIONS:
            _write_links(name, created, updated)
            _write_links_history(name, ids, history)
        refresh_search_text(ids)


def _still_there(updated):
    """The places to update, locked; one removed since it was read is left out (an upsert
    would bring it back)."""
    ids = Place.objects.select_for_update().filter(pk__in=[place.pk for place in updated])
    kept = set(ids.values_list("pk", flat=True))
    return [place for place in updated if place.pk in kept]


def _give_slugs(created):
    """The identifier a place asks for when free, else one made from its name."""
    taken = set(Place.objects.values_list("slug", flat=True))
    for place in created:
        slug = place.import_identifier
        if not slug or slug in taken:
            base = slugify(place.name)[:190] or "lieu"
            slug, suffix = base, 2
            while slug in taken:
                slug, suffix = f"{base}-{suffix}", suffix + 1
        place.slug = slug
        taken.add(slug)


def _history(places, user, reason, now, update):
    records = Place.history.bulk_history_create(
        places,
        update=update,
        default_user=user,
        default_change_reason=reason[:100],
        default_date=now,
    )
    return records or []  # None when history is switched off


def _relation(name):
    field = Place._meta.get_field(name)
    return field.remote_field.through, field.m2m_field_name(), field.m2m_reverse_field_name()


def _write_links(name, created, updated):
    through, source, target = _relation(name)
    replaced = [
        place.pk
        for place in updated
        if name in place.import_links and not place.import_links[name][1]
    ]
    if replaced:
        through.objects.filter(**{f"{source}__in": replaced}).delete()
    through.objects.bulk_create(
        [
            through(**{f"{source}_id": place.pk, f"{target}_id": item.pk})
            for place in [*created, *updated]
            for item in place.import_links.get(name, ([], False))[0]
        ],
        ignore_conflicts=True,  # a link an added relation already had
    )


def _write_links_history(name, ids, history):
    """What simple-history records of a place's links with each version, in bulk."""
    through, source, target = _relation(name)
    record = {version.id: version for version in history}
    model = getattr(Place.history.model, name).model
    links = through.objects.filter(**{f"{source}__in": ids}).values_list(
        "pk", f"{source}_id", f"{target}_id"
    )
    model.objects.bulk_create(
        [
            model(history=record[place], id=pk, **{f"{source}_id": place, f"{target}_id": item})
            for pk, place, item in links
            if place in record
        ]
    )
