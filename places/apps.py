from django.apps import AppConfig
from django.conf import settings
from django.core import checks
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _
from PIL import Image


class PlacesConfig(AppConfig):
    name = "places"
    verbose_name = _("Annuaire des lieux")

    def ready(self):
        from . import links, signals
        from .search import register_sqlite_similarity

        # Pillow's own guard against decompression bombs, at the site's limit: it warns past it
        # and refuses twice as much, whoever opens an image (photos check it first: models.photo).
        Image.MAX_IMAGE_PIXELS = settings.SOLOZERE_PHOTO_MAX_SOURCE_PIXELS

        connection_created.connect(register_sqlite_similarity, dispatch_uid="sqlite-similarity")
        signals.connect()
        checks.register(links.check_site_url, checks.Tags.security, deploy=True)
