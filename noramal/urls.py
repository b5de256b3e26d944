"""URL wiring: each app owns its own patterns."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("uppfoljning/", include("followup.urls")),
    path("", include("goals.urls")),
]
