"""Site-wide behaviour that belongs to no app: a security header, and the 503 page."""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


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
    """A lost or refused connection, not a schema problem (which stays a 500 with its trace)."""
    if not isinstance(exception, OperationalError | InterfaceError):
        return False
    message = str(exception)
    return "no such table" not in message and "does not exist" not in message
