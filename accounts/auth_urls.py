"""Logins and passwords under /konto/: Django's auth views keep Django's own URL names ("login",
"password_reset_confirm" …), which Django reverses itself."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import path

from .views.pages import PasswordChangeView

urlpatterns = [
    # Logins (django-axes locks an account and address after repeated failures; see settings).
    path("logga-in/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    # Wrong old passwords count towards the same lockout.
    path("losenord/", PasswordChangeView.as_view(), name="password_change"),
    path("losenord/klart/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    # A forgotten password: a link by e-mail to a page that sets a new one (local accounts only).
    path(
        "glomt-losenord/",
        auth_views.PasswordResetView.as_view(
            extra_email_context={"site_name": f"Noramål – {settings.MUNICIPALITY_NAME}"}
        ),
        name="password_reset",
    ),
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
