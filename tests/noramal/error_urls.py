"""The site's URLs plus one that fails, for the 500 page's test."""

from django.urls import path

from noramal.urls import urlpatterns as site_patterns


def failing_view(request):
    raise RuntimeError("A bug in a view.")


urlpatterns = [path("test-fel/", failing_view), *site_patterns]
