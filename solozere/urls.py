"""URLs: the public site, the back-office, password setting and the language switch."""

# django-leaflet's admin module imports GeoDjango, which needs GDAL, absent from our machines: the
# admin runs as SimpleAdminConfig (no autodiscovery) and the admin modules are registered here.
import django.contrib.auth.admin  # noqa: F401  (before ours: places.admin replaces its User admin)
from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

import charter.admin  # noqa: F401
import places.admin  # noqa: F401

from . import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("", include("places.urls")),
    path("charte/", include("charter.urls")),
    path(
        "admin/password_reset/",
        auth_views.PasswordResetView.as_view(),
        name="admin_password_reset",
    ),
    path(
        "admin/password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("admin/", admin.site.urls),
    path("langue/<str:code>/", views.switch_language, name="language"),
]
# Uploaded photos: served by the web server in production (docs), by Django when debugging.
handler400 = views.bad_request
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
