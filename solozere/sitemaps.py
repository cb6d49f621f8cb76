"""The site's sitemap: each app's public pages, put together (served at /sitemap.xml)."""

from agenda.sitemaps import EventSitemap
from places.sitemaps import (
    CommuneSitemap,
    EpciSitemap,
    NetworkSitemap,
    PageSitemap,
    PlaceSitemap,
)


class Pages(PageSitemap):
    names = [
        "places:home",
        "places:legend",
        "places:networks",
        "places:about",
        "coverage:page",
        "charter:page",
        "opendata:page",
        "agenda:list",
        "needs:unmet",
        "rooms:search",
    ]


# Classes, not instances: the sitemap view makes one per request (they keep per-request state).
SITEMAPS = {
    "pages": Pages,
    "places": PlaceSitemap,
    "networks": NetworkSitemap,
    "communes": CommuneSitemap,
    "epcis": EpciSitemap,
    "events": EventSitemap,
}
