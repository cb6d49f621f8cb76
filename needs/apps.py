from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NeedsConfig(AppConfig):
    name = "needs"
    verbose_name = _("Besoins")

    def ready(self):
        from backoffice import todo
        from places import extensions

        from . import admin, recording, signals, views

        # A need whose search names a code gone is no longer offered, and the back-office home
        # says so to those who mend it.
        signals.connect()
        todo.add(admin.broken_needs)

        # « Je cherche… »: the needs as buttons on the directory's home.
        extensions.home.add("needs/_home.html", views.home_section)
        # A search that found nothing: counted, and the visitor may ask to be told.
        if recording.record not in extensions.unanswered:
            extensions.unanswered.append(recording.record)
        extensions.empty_search.add("needs/_alert_offer.html", views.alert_offer)
        # A communauté de communes' page: what its people looked for and did not find.
        extensions.epci_page.add("needs/_epci_unmet.html", views.epci_section)
