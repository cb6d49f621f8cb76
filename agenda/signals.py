"""A changed date is part of its event: the event's last date and change time follow it."""

from django.utils import timezone

from . import recurrence
from .models import Event


def change_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    event = Event.objects.filter(pk=instance.event_id).first()
    if event is not None:
        Event.objects.filter(pk=event.pk).update(
            last_end=recurrence.last_end(event), updated_at=timezone.now()
        )
