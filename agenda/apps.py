from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgendaConfig(AppConfig):
    name = "agenda"
    verbose_name = _("Agenda")

    def ready(self):
        from django.db.models.signals import post_delete, post_save, pre_save

        from places import extensions

        from . import filters, signals
        from .models import Event, EventChange
        from .templatetags.agenda import epci_dates

        # A place's page lists its coming events (read by the template's tag, a fixed number
        # of queries: the page is one place).
        extensions.page.add("agenda/_page_extension.html")
        # A communauté de communes' page (and its printed report) lists its coming dates.
        extensions.epci_page.add("agenda/_epci_section.html", epci_dates)
        # Pages of a place, a network, a communauté de communes announce their calendar.
        extensions.head.add("agenda/_head_extension.html")
        # The directory's « un évènement cette semaine ».
        extensions.criteria["event_week"] = filters.places_with_event_this_week
        post_save.connect(signals.change_changed, sender=EventChange, dispatch_uid="agenda-change")
        post_delete.connect(
            signals.change_changed, sender=EventChange, dispatch_uid="agenda-change-del"
        )
        # Registered people follow their dates, and hear when the event is cancelled.
        pre_save.connect(signals.event_saving, sender=Event, dispatch_uid="agenda-event-saving")
        post_save.connect(signals.event_saved, sender=Event, dispatch_uid="agenda-event-saved")
