"""URL wiring: each app owns its own patterns."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("admin/", admin.site.urls),
    # Logins and passwords (Django's views under Django's names), then the users' own pages.
    path("konto/", include("accounts.auth_urls")),
    # Single sign-on through the municipality's identity provider (signin/).
    path("konto/sso/", include("signin.urls")),
    path("konto/", include("accounts.urls")),
    # Where the users' pages were before they had an app of their own (bookmarks, old links).
    path("mina-sidor/", RedirectView.as_view(pattern_name="accounts:workspace", permanent=True)),
    path("anvandare/", RedirectView.as_view(pattern_name="accounts:members", permanent=True)),
    path("uppfoljning/", include("followup.urls")),
    path("rapporter/", include("reports.urls")),
    path("", include("goals.urls")),
]
