from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class TerritoryConfig(AppConfig):
    name = "territory"
    verbose_name = _("Territoire")

    def ready(self):
        from . import sqlite

        connection_created.connect(sqlite.register_unaccent, dispatch_uid="sqlite-unaccent")
        sqlite.adapt_integers()
