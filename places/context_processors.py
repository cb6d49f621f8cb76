"""What every template may need: the directory's data version, to key cached fragments."""

from django.utils.functional import SimpleLazyObject

from .cache import data_version


def directory(request):
    return {"data_version": SimpleLazyObject(data_version)}
