"""One log line per request, and every log record tagged with the request's id and the user's id."""

import logging
import re
import time
import uuid
from contextvars import ContextVar

logger = logging.getLogger("noramal.request")

# What the current request is, for every record logged while it runs (errors included).
_current = ContextVar("noramal_request", default=None)
# A request id from the proxy is kept when it is a plain token; anything else is replaced.
_INCOMING_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def _user_id(request):
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user.pk
    return None


class RequestContextFilter(logging.Filter):
    """Adds `request_id` and `user_id` to each record (None outside a request)."""

    def filter(self, record):
        request = _current.get()
        if not hasattr(record, "request_id"):
            record.request_id = getattr(request, "request_id", None)
        if not hasattr(record, "user_id"):
            record.user_id = _user_id(request) if request is not None else None
        return True


class RequestLogMiddleware:
    """Gives each request an id (`X-Request-ID`, answered back) and logs it once when it is answered."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.request_id = incoming if _INCOMING_ID.match(incoming) else uuid.uuid4().hex
        token = _current.set(request)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request.request_id
            logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                },
            )
            return response
        finally:
            _current.reset(token)
