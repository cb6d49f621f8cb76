"""What the charter says about a place, on its page and in its card."""

from django import template

from backoffice.roles import is_coordinator

from ..compliance import Charter

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
        "signature": _latest_signature(place),
        "dimensions": charter.by_dimension(service_ids),
        "met": sum(status.met for status in statuses),
        "total": len(statuses),
    }


def _latest_signature(place):
    """The place's latest signature, from the signatures fetched with it (see apps.py)."""
    signatures = list(place.signatures.all())
    return signatures[-1] if signatures else None


@register.inclusion_tag("charter/_card_charter.html", takes_context=True)
def card_charter(context, place):
    """A card's one line: the charter signed, for everyone; how much of the common base the
    place offers, for coordinators only: to a visitor « socle commun : 3/14 » is jargon, and a
    card is for what helps them go there. Signed-in people's pages are never cached
    (places.freshness), so no visitor is served a coordinator's card."""
    request = context["request"]
    answer = {"signature": _latest_signature(place)}
    if is_coordinator(request.user):
        statuses = _charter(request).statuses({service.pk for service in place.services.all()})
        answer.update(met=sum(status.met for status in statuses), total=len(statuses))
    return answer
