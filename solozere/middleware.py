"""Site-wide behaviour that belongs to no app: a security header, NUL refused, the 503 page."""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from .views import refused

logger = logging.getLogger(__name__)


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class RejectNullCharactersMiddleware:
    """A NUL character in the address can be no name nor code: answer 400 before any query
    (PostgreSQL refuses it in a string, which would otherwise end in a 500)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "").lower()
        if "\x00" in request.path or "%00" in query or "\x00" in query:
            return refused(
                request,
                _("L'adresse contient un caractère nul (%00), qu'aucun paramètre n'accepte."),
            )
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """When the database cannot be reached, people get the French 503 page, quickly."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not _is_outage(exception):
            return None
        logger.error("Base de données injoignable : %s", exception)
        response = HttpResponse(render_to_string("503.html", request=request), status=503)
        response["Retry-After"] = "30"
        return response


def _is_outage(exception):
    """A lost or refused connection, not a schema problem (which stays a 500 with its trace).

    Django wraps most driver errors in its own classes, but not all: closing a server-side cursor
    on a connection that just dropped raises the driver's own OperationalError.
    """
    driver = connection.Database
    lost = (OperationalError, InterfaceError, driver.OperationalError, driver.InterfaceError)
    if not isinstance(exception, lost):
        return False
    message = str(exception)
    return "no such table" not in message and "does not exist" not in message
