"""What search engines and link previews read: schema.org JSON-LD and OpenGraph.

A place is described as the schema.org type its catalogue types make it (SCHEMA_TYPES), with only
the properties schema.org gives that type (IS_A, DOMAINS; tests/places/schema_org.json holds the
excerpt of schema.org's vocabulary they are checked against). Its opening hours are written out
for the coming year from the parsed OpenStreetMap expression (places.hours.year).
"""

import json
from urllib.parse import urlsplit

from django.templatetags.static import static
from django.utils.safestring import mark_safe

from . import hours
from .links import absolute_url
from .models import Place

JSON_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}

# schema.org's type for each place type of the catalogue (fixtures/reference.json), by code, in
# order of precedence: a place of several types is the first one listed here. The most specific
# come first; LocalBusiness is a place open to the public that is one of schema.org's « branch of
# an organization »; Place claims nothing more than a place, for what may not welcome the public
# at set hours (a building, a collective). A place of no type, or of a type added to the
# catalogue since, is a Place too.
SCHEMA_TYPES = {
    "france-services": "GovernmentOffice",
    "tourist-office": "TouristInformationCenter",
    "cafe": "CafeOrCoffeeShop",
    "producers-shop": "Store",
    "tourism": "LodgingBusiness",
    "training-place": "EducationalOrganization",
    "coworking": "LocalBusiness",
    "telecentre": "LocalBusiness",
    "fablab": "LocalBusiness",
    "cybercentre": "LocalBusiness",
    "youth-space": "LocalBusiness",
    "cultural-place": "Place",
    "artists-collective": "Place",
    "collective-building": "Place",
    "collective-initiative": "Place",
    "mobile": "Place",
}
# A current member of the France Services network is a France Services, whatever its types say.
NETWORK_SCHEMA_TYPES = {"france-services": "GovernmentOffice"}
DEFAULT_SCHEMA_TYPE = "Place"

# What each type above is, up schema.org's hierarchy, as far as DOMAINS needs. An
# EducationalOrganization is a CivicStructure, hence a Place with a position and opening hours, as
# well as an Organization.
IS_A = {
    "GovernmentOffice": {"Place", "Organization"},
    "TouristInformationCenter": {"Place", "Organization"},
    "CafeOrCoffeeShop": {"Place", "Organization"},
    "Store": {"Place", "Organization"},
    "LodgingBusiness": {"Place", "Organization"},
    "EducationalOrganization": {"Place", "Organization"},
    "LocalBusiness": {"Place", "Organization"},
    "Place": {"Place"},
}
# The properties written beyond Thing's (name, url, description, image, sameAs, which every type
# has), and what schema.org gives them to: a Place has no e-mail address, an Organization no
# position or opening hours.
DOMAINS = {
    "address": {"Place", "Organization"},
    "telephone": {"Place", "Organization"},
    "email": {"Organization"},
    "geo": {"Place"},
    "openingHoursSpecification": {"Place"},
    "specialOpeningHoursSpecification": {"Place"},
    "amenityFeature": {"Place"},
}
DAYS = [
    "https://schema.org/" + day
    for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
]
# The site's own card, for a place without a photo (one image for all: drawing one per place
# would cost a rendering per page for little).
DEFAULT_IMAGE = "img/og-card.png"
DEFAULT_IMAGE_SIZE = (1200, 630)


def schema_type(place):
    """The schema.org type of a place, from its current networks and its types (prefetched)."""
    for membership in place.memberships.all():
        if membership.is_current and membership.network.code in NETWORK_SCHEMA_TYPES:
            return NETWORK_SCHEMA_TYPES[membership.network.code]
    codes = {place_type.code for place_type in place.types.all()}
    return next((kind for code, kind in SCHEMA_TYPES.items() if code in codes), DEFAULT_SCHEMA_TYPE)


def place_json_ld(place, moment=None):
    """A place in schema.org terms; an approximate position is left out rather than published as
    exact, and hours only for an open place."""
    kind = schema_type(place)
    url = absolute_url(place.get_absolute_url())
    data = {"@context": "https://schema.org", "@type": kind, "@id": url, "name": place.name}
    data["url"] = url
    if place.short_description:
        data["description"] = place.short_description
    if photo := first_photo(place):
        data["image"] = media_url(photo.image.url)
    if place.website:
        data["sameAs"] = place.website
    properties = {
        "address": postal_address(place),
        "geo": geo_coordinates(place),
        "telephone": place.phone,
        "email": place.email,
        "amenityFeature": [
            {"@type": "LocationFeatureSpecification", "name": service.label, "value": True}
            for service in place.services.all()
        ],
    }
    if place.status == Place.Status.OPEN and place.opening_hours:
        properties.update(opening_hours(place.opening_hours, moment))
    data.update(
        (name, value) for name, value in properties.items() if value and DOMAINS[name] & IS_A[kind]
    )
    return to_script(data)


def postal_address(place):
    if not place.commune:
        return None
    address = {
        "@type": "PostalAddress",
        "addressLocality": place.commune.name,
        "addressCountry": "FR",
    }
    if place.postcode:
        address["postalCode"] = place.postcode
    if place.address:
        address["streetAddress"] = place.address
    return address


def geo_coordinates(place):
    if not (place.is_located and place.location_precision == Place.Precision.EXACT):
        return None
    return {"@type": "GeoCoordinates", "latitude": place.latitude, "longitude": place.longitude}


def opening_hours(expression, moment=None):
    """`openingHoursSpecification` and `specialOpeningHoursSpecification` for the coming year.

    Each season is a validity period of its weekly hours (none when the year has only one); the
    dates whose hours differ (public holidays, a one-off closing) are special hours, one date
    each. Closed all day is written opens = closes = 00:00, as search engines read it. Hours some
    comment qualifies (« sur rendez-vous ») or left unknown are not written at all: schema.org has
    no way to say so, and the rest alone would read as closed or open then."""
    year = hours.year(expression, moment)
    if year is None:
        return {}
    seasonal = len(year.periods) > 1
    regular = []
    for period in year.periods:
        validity = _validity(period.first, period.last) if seasonal else {}
        regular += _weekly(period.weekdays, validity)
    special = [
        spec for day, slots in year.special.items() for spec in _slots(slots, _validity(day, day))
    ]
    return {"openingHoursSpecification": regular, "specialOpeningHoursSpecification": special}


def _weekly(weekdays, validity):
    """One specification per opening interval, for the weekdays that share it; a period closed on
    every day is said to be closed rather than left out."""
    if not any(weekdays.values()):
        return _slots([], {"dayOfWeek": [DAYS[day] for day in sorted(weekdays)], **validity})
    by_hours = {}
    for day in sorted(weekdays):
        for slot in weekdays[day]:
            by_hours.setdefault(slot, []).append(DAYS[day])
    return [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": days,
            **_times(*slot),
            **validity,
        }
        for slot, days in by_hours.items()
    ]


def _slots(slots, fields):
    """A specification per interval of one date or set of days; none at all is closed."""
    return [
        {"@type": "OpeningHoursSpecification", **fields, **_times(opens, closes)}
        for opens, closes in (slots or [("00:00", "00:00")])
    ]


def _times(opens, closes):
    """schema.org reads a closing time earlier than the opening as the next day's: an interval
    that runs to midnight closes at 00:00. A whole day is 00:00 to 23:59, search engines' way of
    saying open all day (00:00 to 00:00 reads as closed)."""
    if closes == "24:00":
        closes = "23:59" if opens == "00:00" else "00:00"
    return {"opens": opens, "closes": closes}


def _validity(first, last):
    return {"validFrom": first.isoformat(), "validThrough": last.isoformat()}


def first_photo(place):
    """The place's first photo, from its prefetched photos, or None."""
    return next(iter(place.photos.all()), None)


def media_url(url):
    """An uploaded file's address as a full URL (storage may already give one)."""
    return url if urlsplit(url).scheme else absolute_url(url)


def open_graph_image(place):
    """The link preview's picture: the place's first photo, or the site's card."""
    if photo := first_photo(place):
        return {"url": media_url(photo.image.url), "alt": photo.alt_text}
    width, height = DEFAULT_IMAGE_SIZE
    return {"url": media_url(static(DEFAULT_IMAGE)), "width": width, "height": height}


def to_script(data):
    """JSON safe to put inside a <script type="application/ld+json"> element."""
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(JSON_ESCAPES))  # noqa: S308
