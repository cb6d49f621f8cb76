"""Views that belong to no app: the load balancers' health check."""

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache


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
