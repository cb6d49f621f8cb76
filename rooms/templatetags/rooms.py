"""A place's rooms that take requests, for the section rooms adds to place pages."""

from django import template

from places.models import Place

register = template.Library()


@register.simple_tag
def requestable_rooms(place):
    """Its bookable rooms, if it is open and public: read from what the page prefetched."""
    if place.status != Place.Status.OPEN or place.archived_at is not None:
        return []
    return [room for room in place.rooms.all() if room.bookable]
