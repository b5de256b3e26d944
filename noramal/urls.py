"""URL wiring: each app owns its own patterns."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    # Logins (django-axes locks an account and address after repeated failures; see settings).
    path("konto/logga-in/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("konto/logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("konto/losenord/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("konto/losenord/klart/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("uppfoljning/", include("followup.urls")),
    path("rapporter/", include("reports.urls")),
    path("", include("goals.urls")),
]
