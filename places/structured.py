"""What search engines and link previews read: schema.org JSON-LD and OpenGraph."""

import json

from django.utils.safestring import mark_safe

from .models import Place

JSON_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def place_json_ld(place, request):
    """A schema.org Place; an approximate position is left out rather than published as exact."""
    data = {
        "@context": "https://schema.org",
        "@type": "Place",
        "@id": request.build_absolute_uri(place.get_absolute_url()),
        "name": place.name,
        "url": request.build_absolute_uri(place.get_absolute_url()),
    }
    if place.short_description:
        data["description"] = place.short_description
    if place.commune:
        data["address"] = {
            "@type": "PostalAddress",
            "addressLocality": place.commune.name,
            "postalCode": place.commune.postcode_list[0] if place.commune.postcode_list else "",
            "addressCountry": "FR",
        }
        if place.address:
            data["address"]["streetAddress"] = place.address
    if place.is_located and place.location_precision == Place.Precision.EXACT:
        data["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": place.latitude,
            "longitude": place.longitude,
        }
    if place.phone:
        data["telephone"] = place.phone
    if place.email:
        data["email"] = place.email
    if place.website:
        data["sameAs"] = place.website
    if place.opening_hours:
        data["openingHours"] = place.opening_hours
    services = [service.label for service in place.services.all()]
    if services:
        data["amenityFeature"] = [
            {"@type": "LocationFeatureSpecification", "name": label, "value": True}
            for label in services
        ]
    return to_script(data)


def to_script(data):
    """JSON safe to put inside a <script type="application/ld+json"> element."""
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(JSON_ESCAPES))  # noqa: S308
