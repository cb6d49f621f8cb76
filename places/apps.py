from django.apps import AppConfig
from django.core.signals import request_finished, request_started
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PlacesConfig(AppConfig):
    name = "places"
    verbose_name = _("Annuaire des lieux")

    def ready(self):
        from . import cache, signals
        from .roles import ensure_roles
        from .search import register_sqlite_unaccent

        post_migrate.connect(ensure_roles, dispatch_uid="solozere-roles")
        connection_created.connect(register_sqlite_unaccent, dispatch_uid="sqlite-unaccent")
        signals.connect()
        request_started.connect(cache.hold_version, dispatch_uid="hold-data-version")
        request_finished.connect(cache.release_version, dispatch_uid="release-data-version")
