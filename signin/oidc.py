"""OpenID Connect through django-allauth, with two additions of ours.

- The ID token's signature is always checked against the provider's published keys. (allauth skips the
  check when the token came straight from the token endpoint, which the standard allows over TLS; a TLS-
  inspecting proxy in a municipal network is reason enough to check it all the same.)
- The ID token is kept in the session, so that signing out can end the session at the provider too
  (RP-initiated logout, to its end_session_endpoint).
"""

from urllib.parse import urlencode

from allauth.socialaccount.internal import jwtkit
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from django.http import Http404

SESSION_KEY = "signin_oidc"


class SignatureCheckingAdapter(OpenIDConnectOAuth2Adapter):
    def _decode_id_token(self, app, id_token):
        return jwtkit.verify_and_decode(
            credential=id_token,
            keys_url=self.openid_config["jwks_uri"],
            issuer=self.openid_config["issuer"],
            audience=app.client_id,
            lookup_kid=jwtkit.lookup_kid_jwk,
            verify_signature=True,
        )

    def complete_login(self, request, app, token, **kwargs):
        login = super().complete_login(request, app, token, **kwargs)
        # Only reached with a valid token; Django's login keeps the session's data.
        request.session[SESSION_KEY] = {
            "provider_id": self.provider_id,
            "id_token": kwargs["response"].get("id_token", ""),
        }
        return login


def login(request, provider_id):
    try:
        return OAuth2LoginView.adapter_view(SignatureCheckingAdapter(request, provider_id))(request)
    except SocialApp.DoesNotExist:
        raise Http404 from None


def callback(request, provider_id):
    try:
        return OAuth2CallbackView.adapter_view(SignatureCheckingAdapter(request, provider_id))(request)
    except SocialApp.DoesNotExist:
        raise Http404 from None


def end_session_url(request, signed_in, post_logout_redirect_uri):
    """Where to send the browser to end the provider's session too, or None when it has no such endpoint."""
    try:
        adapter = SignatureCheckingAdapter(request, signed_in["provider_id"])
        endpoint = adapter.openid_config.get("end_session_endpoint")
        client_id = adapter.get_provider().app.client_id
    except Exception:  # the provider is gone or does not answer: our own session is ended all the same
        return None
    if not endpoint:
        return None
    query = {"post_logout_redirect_uri": post_logout_redirect_uri, "client_id": client_id}
    if signed_in.get("id_token"):
        query["id_token_hint"] = signed_in["id_token"]
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{urlencode(query)}"
