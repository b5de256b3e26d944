"""Logins and passwords under /konto/: Django's auth views keep Django's own URL names ("login",
"password_reset_confirm" …), which Django reverses itself. The login page also offers the identity
providers' buttons, and signing out ends the provider's session too (signin/)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from signin import views as signin_views

from .views.pages import PasswordChangeView

urlpatterns = [
    # Logins (django-axes locks an account and address after repeated failures; see settings).
    path("logga-in/", signin_views.LoginView.as_view(), name="login"),
    path("logga-ut/", signin_views.logout, name="logout"),
    # Wrong old passwords count towards the same lockout.
    path("losenord/", PasswordChangeView.as_view(), name="password_change"),
    path("losenord/klart/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    # A forgotten password: a link by e-mail to a page that sets a new one (local accounts only).
    # With local login off, only break-glass administrators get a link.
    path("glomt-losenord/", signin_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "glomt-losenord/skickat/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "nytt-losenord/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "nytt-losenord/klart/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
