"""The agenda's section of the sitemap (solozere.sitemaps puts the site's together)."""

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from places.sitemaps import SiteSitemap

from .models import Event, Occurrence


class EventSitemap(SiteSitemap):
    """The page of each published event still to come (a series while it has dates ahead),
    dated by its last change: a past event's page stays, but search engines need not find it."""

    def items(self):
        now = timezone.now()
        # A date to come in the table of occurrences (the coming year), or a first date beyond.
        dated = Exists(Occurrence.objects.filter(event=OuterRef("pk"), end__gt=now))
        coming = dated | Q(start__gt=now)
        return Event.objects.published().filter(coming).only("slug", "updated_at").order_by("pk")

    def lastmod(self, event):
        return event.updated_at
