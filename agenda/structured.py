"""What robots read of an event: schema.org `Event` JSON-LD, one per coming date."""

from places.links import absolute_url
from places.structured import geo_coordinates, media_url, postal_address, to_script

from .models import Event

EVENT_STATUS = {
    Event.Status.SCHEDULED: "https://schema.org/EventScheduled",
    Event.Status.CANCELLED: "https://schema.org/EventCancelled",
    Event.Status.POSTPONED: "https://schema.org/EventPostponed",
}


def event_json_ld(event, occurrences):
    """The event at each of its coming dates (its first date when none is to come)."""
    dates = [(o.start, o.end) for o in occurrences] or [(event.start, event.end)]
    items = [_one(event, start, end) for start, end in dates]
    return to_script({"@context": "https://schema.org", "@graph": items})


def _one(event, start, end):
    url = absolute_url(event.get_absolute_url())
    data = {
        "@type": "Event",
        "name": event.title,
        "url": url,
        "startDate": start.isoformat(),
        "endDate": end.isoformat(),
        "eventStatus": EVENT_STATUS[event.status],
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": location(event),
        "offers": offers(event, url),
    }
    if event.free is not None:
        data["isAccessibleForFree"] = event.free
    if event.description:
        data["description"] = event.description[:500]
    if event.image:
        data["image"] = media_url(event.image.url)
    if event.organiser is not None:
        organiser = event.organiser
        link = organiser.get_absolute_url() if event.place else None
        data["organizer"] = {"@type": "Organization", "name": str(organiser)}
        if link:
            data["organizer"]["url"] = absolute_url(link)
    return data


def location(event):
    """Where it happens, as a schema.org Place: the place's address and position, a stop's
    commune and point, or a network event's commune."""
    place = {"@type": "Place", "name": event.where or str(event.organiser)}
    if event.stop is not None:
        if event.stop.commune:
            place["address"] = _locality(event.stop.commune)
        if event.stop.latitude is not None:
            place["geo"] = _point(event.stop.latitude, event.stop.longitude)
    elif event.place is not None:
        place["address"] = postal_address(event.place)
        place["geo"] = geo_coordinates(event.place)
    elif event.commune is not None:
        place["address"] = _locality(event.commune)
    return {key: value for key, value in place.items() if value}


def offers(event, url):
    offer = {"@type": "Offer", "url": event.registration_url or url, "priceCurrency": "EUR"}
    if event.free:
        offer["price"] = 0
    if event.price_note:
        offer["description"] = event.price_note
    if event.registration_limit:
        offer["inventoryLevel"] = event.registration_limit
    return offer


def _locality(commune):
    return {"@type": "PostalAddress", "addressLocality": commune.name, "addressCountry": "FR"}


def _point(latitude, longitude):
    return {"@type": "GeoCoordinates", "latitude": latitude, "longitude": longitude}
