"""The directory's pages for search engines' sitemap (solozere.sitemaps puts the site's together).

Every address is made on SITE_URL, never on the request's Host header (places.links): the sitemap
is cached and served to everyone. Each section reads its rows in two queries (a count for the
paging, then the page), however many there are.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from territory.models import Commune, Epci

from .models import Network, Place


class SiteSitemap(Sitemap):
    """A sitemap whose addresses are on SITE_URL."""

    @property
    def protocol(self):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class PageSitemap(SiteSitemap):
    """Pages without a row of their own, by URL name (`names`, set by a subclass)."""

    names = []

    def items(self):
        return self.names

    def location(self, item):
        return reverse(item)


class PlaceSitemap(SiteSitemap):
    """Every published place's page (a closed place keeps its page), dated by its last change."""

    def items(self):
        return Place.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, place):
        return place.updated_at


class NetworkSitemap(SiteSitemap):
    def items(self):
        return Network.objects.only("code").order_by("code")

    def location(self, network):
        return reverse("places:network", args=[network.code])


class CommuneSitemap(SiteSitemap):
    """Each commune's page: the places in it and near it."""

    def items(self):
        return Commune.objects.only("insee").order_by("insee")

    def location(self, commune):
        return reverse("places:commune", args=[commune.insee])


class EpciSitemap(SiteSitemap):
    def items(self):
        return Epci.objects.only("siren").order_by("siren")

    def location(self, epci):
        return reverse("places:epci", args=[epci.siren])
