"""The back-office home: each animateur's places and what they lack; the network's to-do list."""

from django import template
from django.conf import settings
from django.utils import timezone

from .. import mednum
from ..models import Contribution, Place
from ..roles import editable_places, is_animateur, is_coordinator

register = template.Library()
LISTED = 20


@register.inclusion_tag("admin/places/dashboard.html", takes_context=True)
def backoffice_dashboard(context):
    user = context["request"].user
    today = timezone.localdate()
    dashboard = {"request": context["request"], "stale_days": settings.SOLOZERE_STALE_AFTER_DAYS}
    with_checks = Place.objects.published().prefetch_related("services", "audiences")
    if is_animateur(user) or not is_coordinator(user):
        dashboard["own_places"] = editable_places(user, with_checks.filter(animateurs=user))
    if is_coordinator(user):
        stale = Place.objects.stale(today, settings.SOLOZERE_STALE_AFTER_DAYS)
        incomplete = [p for p in with_checks.active() if p.missing_information()]
        mednum_gaps = mednum.incomplete_places()
        dashboard.update(
            mednum_gaps_count=len(mednum_gaps),
            mednum_gaps=mednum_gaps[:LISTED],
            stale_count=stale.count(),
            stale=stale.select_related("commune")[:LISTED],
            incomplete_count=len(incomplete),
            incomplete=incomplete[:LISTED],
            pending=Contribution.objects.pending().count(),
        )
    return dashboard
