from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgendaConfig(AppConfig):
    name = "agenda"
    verbose_name = _("Agenda")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from places import extensions

        from . import filters, signals
        from .models import EventChange

        # A place's page lists its coming events (read by the template's tag, a fixed number
        # of queries: the page is one place).
        extensions.page.add("agenda/_page_extension.html")
        # Pages of a place, a network, a communauté de communes announce their calendar.
        extensions.head.add("agenda/_head_extension.html")
        # The directory's « un évènement cette semaine ».
        extensions.criteria["event_week"] = filters.places_with_event_this_week
        post_save.connect(signals.change_changed, sender=EventChange, dispatch_uid="agenda-change")
        post_delete.connect(
            signals.change_changed, sender=EventChange, dispatch_uid="agenda-change-del"
        )
