"""URL wiring: each app owns its own patterns."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from goals.account_views import PasswordChangeView
from signin import views as signin_views

urlpatterns = [
    path("admin/", admin.site.urls),
    # Logins (django-axes locks an account and address after repeated failures; see settings).
    # With the identity providers' buttons; signing out ends the provider's session too (signin/).
    path("konto/logga-in/", signin_views.LoginView.as_view(), name="login"),
    path("konto/logga-ut/", signin_views.logout, name="logout"),
    path("konto/sso/", include("signin.urls")),
    # Wrong old passwords count towards the same lockout.
    path("konto/losenord/", PasswordChangeView.as_view(), name="password_change"),
    path("konto/losenord/klart/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    # A forgotten password: a link by e-mail to a page that sets a new one (local accounts only).
    # With local login off, only break-glass administrators get a link.
    path("konto/glomt-losenord/", signin_views.PasswordResetView.as_view(), name="password_reset"),
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
