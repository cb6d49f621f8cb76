"""A changed date is part of its event: the event's last date, change time, dates in the table
of occurrences and registrations follow it, in the transaction that changes it. The registrations
follow their event too: its moved dates, its status."""

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from . import recurrence, registrations
from .models import Event, EventChange


def change_changed(sender, instance, raw=False, origin=None, **kwargs):
    if raw or not _deleting_changes_only(origin):
        return
    event = Event.objects.filter(pk=instance.event_id).first()
    if event is not None:
        with transaction.atomic():
            Event.objects.filter(pk=event.pk).update(
                last_end=recurrence.last_end(event), updated_at=timezone.now()
            )
            event.refresh_occurrences()
            registrations.follow(event, status_before=event.status)


def event_saving(sender, instance, raw=False, **kwargs):
    """Remember the status the event had, to tell its registered people if it changes."""
    if not raw and instance.pk is not None:
        saved = Event.objects.filter(pk=instance.pk).values_list("status", flat=True).first()
        instance._status_before = saved


def event_saved(sender, instance, created, raw=False, **kwargs):
    if not raw and not created:
        registrations.follow(instance, status_before=getattr(instance, "_status_before", None))


def _deleting_changes_only(origin):
    """Saved (no origin), or deleted themselves: not removed with their event (or its place),
    whose dates go with it and must not be written again the moment before it goes."""
    if origin is None:
        return True
    if isinstance(origin, QuerySet):
        return origin.model is EventChange
    return isinstance(origin, EventChange)
