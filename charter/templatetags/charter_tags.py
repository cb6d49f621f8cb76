"""What the charter says about a place, on its page and in its card."""

from django import template

from ..compliance import Charter, latest_signatures

register = template.Library()


def _charter(request):
    """One Charter per request, however many cards a page shows."""
    if not hasattr(request, "_solozere_charter"):
        request._solozere_charter = Charter()
    return request._solozere_charter


@register.inclusion_tag("charter/_place_charter.html", takes_context=True)
def place_charter(context, place):
    charter = _charter(context["request"])
    service_ids = {service.pk for service in place.services.all()}
    statuses = charter.statuses(service_ids)
    return {
        "signature": latest_signatures([place]).get(place.pk),
        "dimensions": charter.by_dimension(service_ids),
        "met": sum(status.met for status in statuses),
        "total": len(statuses),
    }


@register.inclusion_tag("charter/_card_charter.html", takes_context=True)
def card_charter(context, place):
    """A card's one-line summary; places.cards fetches the signatures of its cards at once."""
    charter = _charter(context["request"])
    statuses = charter.statuses({service.pk for service in place.services.all()})
    return {
        "signature": context["signatures"].get(place.pk),
        "met": sum(status.met for status in statuses),
        "total": len(statuses),
    }
