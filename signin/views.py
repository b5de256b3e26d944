"""The login page with the identity providers' buttons, and signing out (here and at the provider)."""

from allauth.socialaccount.adapter import get_adapter
from django.conf import settings
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render, resolve_url
from django.views.decorators.http import require_POST, require_safe

from . import oidc
from .forms import PasswordResetForm
from .policy import local_login_for_everyone


def sso_buttons(request, next_url=""):
    """(name, login URL) of each configured identity provider; none when single sign-on is not set up."""
    providers = get_adapter(request).list_providers(request)
    query = {"next": next_url} if next_url else {}
    return [(provider.name, provider.get_login_url(request, **query)) for provider in providers]


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        buttons = sso_buttons(self.request, context.get("next", ""))
        context["sso_buttons"] = buttons
        # Local passwords switched off: the form stays, folded away, for the break-glass administrators.
        context["local_login"] = local_login_for_everyone() or not buttons
        return context


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    extra_email_context = {"site_name": f"Noramål – {settings.MUNICIPALITY_NAME}"}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "local_login": local_login_for_everyone()}


@require_POST
def logout(request):
    """End our session; after an OpenID Connect sign-in, also the provider's (when it offers that)."""
    signed_in = request.session.get(oidc.SESSION_KEY)
    auth_logout(request)
    home = resolve_url(settings.LOGOUT_REDIRECT_URL)
    if signed_in:
        url = oidc.end_session_url(request, signed_in, request.build_absolute_uri(home))
        if url:
            return redirect(url)
    return redirect(home)


def signup_refused(request):
    """allauth asks for more details when it cannot make the account by itself: we make none, and say so."""
    return render(request, "socialaccount/signup_refused.html", status=403)


@require_safe
def login_cancelled(request):
    return render(request, "socialaccount/login_cancelled.html")


@require_safe
def login_error(request):
    return render(request, "socialaccount/authentication_error.html")
