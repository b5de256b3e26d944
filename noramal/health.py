"""`/healthz` for load balancers and service managers: 200 while the database answers, 503 otherwise."""

from django.db import DatabaseError, connection
from django.http import HttpResponse

HEALTH_PATH = "/healthz"


def database_answers():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        return False


class HealthCheckMiddleware:
    """Answers `/healthz` before host validation, HTTPS redirects and sessions.

    A load balancer probes with its own address as the host and over plain HTTP; the probe must not be
    turned away by ALLOWED_HOSTS or redirected, and it says nothing about the installation but "ok".
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info != HEALTH_PATH:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            response = HttpResponse(status=405, content_type="text/plain")
            response["Allow"] = "GET, HEAD"
            return response
        healthy = database_answers()
        response = HttpResponse(
            "ok\n" if healthy else "unavailable\n", status=200 if healthy else 503, content_type="text/plain"
        )
        response["Cache-Control"] = "no-store"
        return response
