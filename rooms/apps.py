from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoomsConfig(AppConfig):
    name = "rooms"
    verbose_name = _("Salles")

    def ready(self):
        from backoffice import todo
        from places import extensions

        from . import admin, network

        # A place's page: its rooms, with their photos, each that takes requests with « Demander
        # ce créneau ».
        extensions.page.add("rooms/_page_extension.html", "rooms__equipment", "rooms__photos")
        # A communauté de communes' page (and its printed report): its rooms and their use.
        extensions.epci_page.add("rooms/_epci_section.html", network.epci_use)
        # The back-office home: the requests waiting for an answer.
        todo.add(admin.waiting_requests)
