from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoverageConfig(AppConfig):
    name = "coverage"
    verbose_name = _("Couverture du territoire")

    def ready(self):
        from places import extensions

        from .views import epci_section

        # A communauté de communes' page says what its communes have within reach.
        extensions.epci_page.add("coverage/_epci_services.html", epci_section)
