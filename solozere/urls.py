"""URLs: the public site, the back-office, password setting and the language switch."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from backoffice.admin.accounts import LimitedPasswordResetView

from . import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="service-worker"),
    path("", include("agenda.urls")),
    path("", include("rooms.urls")),
    path("", include("printing.urls")),
    path("", include("needs.urls")),
    path("", include("places.urls")),
    path("", include("territory.urls")),
    path("", include("contributions.urls")),
    path("", include("opendata.urls")),
    path("", include("coverage.urls")),
    path("charte/", include("charter.urls")),
    path("", include("backoffice.urls")),
    path(
        "admin/password_reset/",
        LimitedPasswordResetView.as_view(),
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
handler403 = views.permission_denied
handler404 = views.not_found
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
