"""Views that belong to no app: the language switch, the 400 answer and the health check."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.db import DatabaseError, connection
from django.http import Http404, HttpResponseBadRequest, HttpResponseRedirect, JsonResponse
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


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
