from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrintingConfig(AppConfig):
    name = "printing"
    verbose_name = _("Documents à imprimer")

    def ready(self):
        from places import extensions

        from .views import area_links

        # Pages offer their printed documents: a place its sheet, a search its sheet, a commune
        # and a communauté de communes their booklet (and the latter its report).
        extensions.page.add("printing/_place_links.html")
        extensions.search.add("printing/_search_links.html")
        extensions.commune_page.add("printing/_area_links.html", area_links)
        extensions.epci_page.add("printing/_area_links.html", area_links)
