"""Views that belong to no app: the language switch, the 400, 403 (CSRF included) and 404 answers,
the health check, what robots read (robots.txt, the sitemap), and what makes the site an app that
works without a network (the web app manifest, the service worker)."""

import hashlib

import orjson
from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.db import DatabaseError, connection
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.defaults import page_not_found

from places.freshness import public_page
from places.links import absolute_url

from .sitemaps import SITEMAPS


@require_safe
def switch_language(request, code):
    """Remember the visitor's language and go back to the page they were on.

    A link rather than Django's POST form: pages then carry no CSRF token, so anonymous visitors
    can all be served the same cached page.
    """
    if code not in dict(settings.LANGUAGES):
        raise Http404
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


@never_cache
def healthz(request):
    """200 when the database answers, 503 otherwise; says nothing else about the system."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "indisponible"}, status=503)
    return JsonResponse({"status": "ok"})


DATA_SUFFIXES = (".json", ".geojson", ".jsonld", ".csv")


def refused(request, reason):
    """A 400 with its reason: JSON for the data endpoints, the French page for people."""
    if request.path.startswith("/api/") or request.path.endswith(DATA_SUFFIXES):
        return JsonResponse({"error": reason}, status=400)
    return HttpResponseBadRequest(render_to_string("400.html", {"reason": reason}))


def bad_request(request, exception=None):
    """Django's own refusals (too many parameters, too big a request) say why, too."""
    if isinstance(exception, TooManyFieldsSent):
        reason = _("Trop de paramètres : %(limit)s au plus.") % {
            "limit": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        }
    elif isinstance(exception, RequestDataTooBig):
        reason = _("La requête est trop volumineuse.")
    else:
        reason = _("La requête est mal formée.")
    return refused(request, reason)


def in_backoffice(request):
    """The back-office and its password pages answer their errors in the back-office's look."""
    return request.path.startswith((reverse("admin:index"), "/reset/"))


def backoffice_error(request, template, status, **context):
    """An error page in the back-office's look, with its header (who is signed in, « Voir le
    site », « Déconnexion »)."""
    context = {**admin.site.each_context(request), **context}
    return render(request, template, context, status=status)


def permission_denied(request, exception=None):
    """403: in French (or English) and in the look of where it happened, not a bare English
    « 403 Forbidden »."""
    if in_backoffice(request):
        context = {"title": _("Accès refusé"), "coordination": settings.SOLOZERE_COORDINATION_EMAIL}
        return backoffice_error(request, "admin/403.html", 403, **context)
    return render(request, "403.html", status=403)


def csrf_failure(request, reason=""):
    """A form sent without its CSRF token (a page open too long, cookies refused): what to do,
    rather than Django's page about « CSRF verification »."""
    if in_backoffice(request):
        return backoffice_error(request, "admin/403_csrf.html", 403, title=_("La page a expiré"))
    return render(request, "403_csrf.html", status=403)


def not_found(request, exception=None):
    """Under /api/, an address that leads nowhere is a JSON 404, in the API's error shape; in the
    back-office, a 404 in its look."""
    if in_backoffice(request):
        return backoffice_error(request, "admin/404.html", 404, title=_("Page introuvable"))
    if not request.path.startswith("/api/"):
        return page_not_found(request, exception)
    response = JsonResponse({"error": _("Cette adresse de l'API n'existe pas.")}, status=404)
    response["Access-Control-Allow-Origin"] = "*"  # as the API's own answers
    return response


@public_page(params={"p"})
@require_safe
def sitemap(request):
    """Django's sitemap of every public page, cached like them (`p` is its page number)."""
    return sitemaps.sitemap(request, sitemaps=SITEMAPS).render()


@public_page()
@require_safe
def robots_txt(request):
    """Robots may read the public site, but not the back-office, the forms, the embed (the
    directory again) or any address with a query string (a search: the same places again)."""
    context = {"sitemap": absolute_url(reverse("sitemap"))}
    return render(request, "robots.txt", context, content_type="text/plain; charset=utf-8")


# The pages a phone keeps without a network (templates/sw.js): the last PAGES_KEPT seen; a page
# the network has not given within SERVICE_WORKER_TIMEOUT_MS is read from there, and the list of
# places is fetched again once older than OFFLINE_LIST_AGE_MS.
PAGES_KEPT = 30
SERVICE_WORKER_TIMEOUT_MS = 8000
OFFLINE_LIST_AGE_MS = 6 * 3600 * 1000
# What every page needs, stored when the service worker installs (static names).
SHELL = ["css/site.css", "js/offline.js", "img/favicon.svg", "img/app/icon-192.png"]


@require_safe
def manifest(request):
    """The web app manifest: Solozère installed on a phone's home screen, in the visitor's
    language, opening on the directory."""
    data = {
        "id": "/",
        "name": _("Solozère — les tiers-lieux de Lozère"),
        "short_name": "Solozère",
        "description": _(
            "Trouver près de chez soi un tiers-lieu de Lozère : télécentres, coworkings, fablabs, "
            "France Services, cafés et lieux partagés."
        ),
        "lang": request.LANGUAGE_CODE,
        "dir": "ltr",
        "start_url": reverse("places:home"),
        "scope": "/",
        "display": "standalone",
        "theme_color": "#0b5e55",
        "background_color": "#ffffff",
        "categories": ["travel", "business", "social"],
        "icons": [
            {"src": static("img/app/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("img/app/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("img/app/maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    response = HttpResponse(orjson.dumps(data), content_type="application/manifest+json")
    patch_cache_control(response, public=True, no_cache=True)
    patch_vary_headers(response, ["Accept-Language", "Cookie"])
    return response


@require_safe
def service_worker(request):
    """The service worker, at the root so that it serves every page (templates/sw.js). Never
    kept without asking (no-cache): a new version reaches phones at their next visit. Its
    version is its own digest, which names the static files' (hashed) addresses."""
    config = {
        "shell": [static(name) for name in SHELL],
        "static": settings.STATIC_URL
        if settings.STATIC_URL.startswith("/")
        else f"/{settings.STATIC_URL}",
        "hashed": "Manifest" in settings.STORAGES["staticfiles"]["BACKEND"],
        "offline": reverse("places:offline"),
        "list": reverse("places:offline-places"),
        "pages": PAGES_KEPT,
        "timeout": SERVICE_WORKER_TIMEOUT_MS,
        "listAge": OFFLINE_LIST_AGE_MS,
    }
    body = render_to_string("sw.js", {"config": orjson.dumps(config).decode()})
    config["version"] = hashlib.sha256(body.encode()).hexdigest()[:12]
    body = render_to_string("sw.js", {"config": orjson.dumps(config).decode()})
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    patch_cache_control(response, no_cache=True)
    return response
