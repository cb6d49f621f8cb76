from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CharterConfig(AppConfig):
    name = "charter"
    verbose_name = _("Charte Solozère")

    def ready(self):
        from django.db.models import Prefetch
        from django.db.models.signals import post_delete, post_save

        from places import extensions
        from places.signals import part_changed

        from .models import Signature

        # Cards and place pages show the charter: its line and section, and each place's
        # signatures, fetched with the places (latest last).
        signatures = Prefetch(
            "signatures",
            queryset=Signature.objects.select_related("version").order_by(
                "version__published_on", "version__number"
            ),
        )
        extensions.card.add("charter/_card_extension.html", signatures)
        extensions.page.add("charter/_page_extension.html")  # pages fetch with_card_data()
        # A signature is part of its place: signing changes the place.
        post_save.connect(part_changed, sender=Signature, dispatch_uid="part-save-signature")
        post_delete.connect(part_changed, sender=Signature, dispatch_uid="part-del-signature")
