from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class BackOfficeConfig(AppConfig):
    name = "backoffice"
    verbose_name = _("Back-office")

    def ready(self):
        from .roles import ensure_roles

        post_migrate.connect(ensure_roles, dispatch_uid="solozere-roles")
