"""The directory's data version, held by the database so that every process reads the same one."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DataVersion(models.Model):
    """One row: the number every cached page, card and index of the directory is keyed by.

    Any change to the directory raises it (see places.cache.bump); processes keep a copy in their
    cache for VERSION_TTL seconds at most."""

    number = models.BigIntegerField(_("numéro"))

    class Meta:
        verbose_name = _("version des données")
        verbose_name_plural = _("versions des données")

    def __str__(self):
        return str(self.number)
