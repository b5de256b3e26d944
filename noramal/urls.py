"""URL wiring: each app owns its own patterns."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from goals.account_views import PasswordChangeView

urlpatterns = [
    path("admin/", admin.site.urls),
    # Logins (django-axes locks an account and address after repeated failures; see settings).
    path("konto/logga-in/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("konto/logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    # Wrong old passwords count towards the same lockout.
    path("konto/losenord/", PasswordChangeView.as_view(), name="password_change"),
    path("konto/losenord/klart/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    # A forgotten password: a link by e-mail to a page that sets a new one (local accounts only).
    path(
        "konto/glomt-losenord/",
        auth_views.PasswordResetView.as_view(
            extra_email_context={"site_name": f"Noramål – {settings.MUNICIPALITY_NAME}"}
        ),
        name="password_reset",
    ),
    path(
        "konto/glomt-losenord/skickat/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "konto/nytt-losenord/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "konto/nytt-losenord/klart/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("uppfoljning/", include("followup.urls")),
    path("rapporter/", include("reports.urls")),
    path("", include("goals.urls")),
]
