"""The app's URLs plus the static baseline of the load benchmark: a file served by the same gunicorn."""

from django.conf import settings
from django.urls import path
from django.views.static import serve

from noramal.urls import urlpatterns as app_urlpatterns

urlpatterns = [
    # django.views.static.serve reads the file and streams it: the same request path through Django's
    # middleware as a page, without the database or the template engine.
    path("bench-static/<path:path>", serve, {"document_root": settings.BENCH_STATIC_ROOT}),
    *app_urlpatterns,
]
