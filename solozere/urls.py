"""URLs: the public site, the back-office and the language switch."""

# django-leaflet's admin module imports GeoDjango, which needs GDAL, absent from our machines: the
# admin runs as SimpleAdminConfig (no autodiscovery) and the admin modules are registered here.
import django.contrib.auth.admin  # noqa: F401
from django.contrib import admin
from django.urls import include, path

import charter.admin  # noqa: F401
import places.admin  # noqa: F401

urlpatterns = [
    path("", include("places.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
