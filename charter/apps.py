from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CharterConfig(AppConfig):
    name = "charter"
    verbose_name = _("Charte Solozère")

    def ready(self):
        from places.signals import watch

        from . import models

        # Cards and place pages show the charter: a change to it renews the cached pages.
        watch(
            models.CharterVersion,
            models.Principle,
            models.BaseItem,
            models.Specialisation,
            models.Signature,
            models.TierRequirement,
        )
