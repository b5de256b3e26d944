"""Single sign-on's URLs, under /konto/sso/. Give the identity provider:

- OpenID Connect: redirect URI /konto/sso/oidc/login/callback/, post-logout redirect URI / (the home page);
- SAML: the metadata at /konto/sso/saml/idp/metadata/ (ACS /konto/sso/saml/idp/acs/).
"""

from allauth.socialaccount.providers.saml import urls as saml_urls
from django.urls import include, path

from . import oidc, views

urlpatterns = [
    # allauth's own OpenID Connect views under the same names, with the signature check of signin.oidc.
    path("<str:provider_id>/login/", oidc.login, name="openid_connect_login"),
    path("<str:provider_id>/login/callback/", oidc.callback, name="openid_connect_callback"),
    path("", include(saml_urls)),
    # Where allauth sends a cancelled or failed sign-in, or one it cannot make an account for by itself.
    path("avbruten/", views.login_cancelled, name="socialaccount_login_cancelled"),
    path("fel/", views.login_error, name="socialaccount_login_error"),
    path("uppgifter/", views.signup_refused, name="socialaccount_signup"),
]
