"""The agenda's section of the sitemap (solozere.sitemaps puts the site's together)."""

from django.db.models import Q
from django.utils import timezone

from places.sitemaps import SiteSitemap

from .models import Event


class EventSitemap(SiteSitemap):
    """The page of each published event still to come (a series while it has dates ahead),
    dated by its last change: a past event's page stays, but search engines need not find it."""

    def items(self):
        coming = Q(last_end__isnull=True) | Q(last_end__gt=timezone.now())
        return Event.objects.published().filter(coming).only("slug", "updated_at").order_by("pk")

    def lastmod(self, event):
        return event.updated_at
