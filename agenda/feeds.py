"""The agenda as calendars (iCalendar, RFC 5545) and as an Atom feed of new events.

A calendar holds each event whole (its rule, skipped days and changed dates), not expanded:
calendar applications expand it, as the page does with the same components.
"""

from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from places.links import absolute_url

from . import recurrence
from .models import Event

NEW_EVENTS = 50


def ics_response(events, name, filename):
    """A calendar of the events (fetched with_page_data: a fixed number of queries)."""
    components = [part for event in events for part in recurrence.vevents(event)]
    body = recurrence.calendar(components, name).to_ical()
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


class NewEvents(Feed):
    """The events last added to the agenda, newest first."""

    feed_type = Atom1Feed
    title = gettext_lazy("Solozère — nouveaux évènements des tiers-lieux de Lozère")
    subtitle = gettext_lazy("Les derniers évènements ajoutés à l'agenda des tiers-lieux.")

    def link(self):
        return reverse("agenda:list")

    def items(self):
        return Event.objects.published().with_page_data().order_by("-created_at")[:NEW_EVENTS]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        when = recurrence.local(item.start).strftime("%d/%m/%Y %H:%M")
        return f"{when} — {item.where}" + (
            f"\n\n{item.description_html}" if item.description else ""
        )

    def item_link(self, item):
        return item.get_absolute_url()

    def item_guid(self, item):
        return absolute_url(item.get_absolute_url())

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.updated_at


def calendar_name(label):
    return _("Agenda Solozère — %(label)s") % {"label": label}
