"""The back-office home: each animateur's places and what they lack; the network's to-do list.

Every figure is counted and every list cut by the database: a fixed number of queries, whatever
the number of places.
"""

from django import template
from django.utils import timezone

from contributions.models import Contribution
from opendata import mednum
from places.models import Place
from places.models.consent import shows_name

from .. import todo
from ..roles import editable_places, is_animateur, is_coordinator

register = template.Library()
LISTED = 20


@register.inclusion_tag("admin/places/dashboard.html", takes_context=True)
def backoffice_dashboard(context):
    user = context["request"].user
    dashboard = {"request": context["request"], "to_do": todo.lines(context["request"])}
    if is_animateur(user) or not is_coordinator(user):
        own = Place.objects.published().animated_by(user).with_gaps()
        dashboard["own_places"] = editable_places(user, own)
        dashboard["name_shown"] = shows_name(user)
    if is_coordinator(user):
        stale = Place.objects.to_confirm(timezone.localdate())
        incomplete = Place.objects.active().incomplete()
        mednum_gaps = mednum.incomplete(Place.objects.published())
        # Due, but no reminder can reach them: no active animateur with an address.
        reachable = Place.objects.filter(animateurs__is_active=True, animateurs__email__gt="")
        unreachable = stale.exclude(pk__in=reachable.values("pk"))
        dashboard.update(
            stale_count=stale.count(),
            stale=stale.select_related("commune")[:LISTED],
            unreachable_count=unreachable.count(),
            unreachable=unreachable.select_related("commune").order_by("name", "pk")[:LISTED],
            incomplete_count=incomplete.count(),
            incomplete=incomplete.with_gaps()[:LISTED],
            mednum_gaps_count=mednum_gaps.count(),
            mednum_gaps=[
                (place, mednum.missing(place))
                for place in mednum_gaps.select_related("commune").order_by("name", "pk")[:LISTED]
            ],
            pending=Contribution.objects.pending().count(),
        )
    return dashboard
