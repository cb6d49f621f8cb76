"""What the charter says about a place, for the place's page."""

from django import template

from charter.models import Signature

register = template.Library()


@register.inclusion_tag("charter/_place_charter.html")
def place_charter(place):
    signature = (
        Signature.objects.filter(place=place)
        .select_related("version")
        .order_by("-version__number")
        .first()
    )
    return {"place": place, "signature": signature}
