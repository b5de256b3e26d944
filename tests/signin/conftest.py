"""Our app on a live server, an identity provider on 127.0.0.1, and a cookie-keeping HTTP client between."""

import re

import httpx
import pytest
from django.core.cache import cache

from signin import config as signin_config
from tests import factories
from tests.signin import idps

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Browser:
    """Follows redirects and posts forms the way a browser does; every request is real HTTP."""

    def __init__(self, base_url):
        self.base_url = base_url
        self.http = httpx.Client(follow_redirects=True, timeout=20)

    def get(self, path_or_url):
        return self.http.get(path_or_url if "://" in path_or_url else self.base_url + path_or_url)

    def post(self, url, data):
        return self.http.post(url if "://" in url else self.base_url + url, data=data)

    def submit(self, page, action_pattern, data=None):
        """Post the form whose action matches `action_pattern` on `page`, with the page's CSRF token."""
        action = re.search(rf'<form method="post" action="({action_pattern}[^"]*)"', page.text).group(1)
        fields = {"csrfmiddlewaretoken": CSRF.search(page.text).group(1), **(data or {})}
        return self.post(action.replace("&amp;", "&"), fields)

    def is_logged_in(self):
        return "Logga ut" in self.get("/").text

    def close(self):
        self.http.close()


@pytest.fixture
def browser(live_server):
    browser = Browser(live_server.url)
    yield browser
    browser.close()


@pytest.fixture
def bn(transactional_db):
    return factories.board("BN", "Bildningsnämnden")


@pytest.fixture
def oidc(settings, monkeypatch, transactional_db):
    """The OpenID provider, and Noramål configured for it from the environment's variables."""
    monkeypatch.setenv("AUTHLIB_INSECURE_TRANSPORT", "1")  # plain HTTP on 127.0.0.1
    with idps.oidc_provider() as provider:
        settings.SOCIALACCOUNT_PROVIDERS = signin_config.providers(
            {
                "NORAMAL_OIDC_SERVER_URL": provider.url,
                "NORAMAL_OIDC_CLIENT_ID": "noramal",
                "NORAMAL_OIDC_CLIENT_SECRET": "hemligt",
                "NORAMAL_OIDC_NAME": "Nora kommuns inloggning",
            }
        )
        yield provider


@pytest.fixture
def saml(settings, transactional_db):
    """The SAML IdP, and Noramål configured for it from the environment's variables (its metadata URL)."""
    with idps.saml_idp() as idp:
        settings.SOCIALACCOUNT_PROVIDERS = signin_config.providers(
            {
                "NORAMAL_SAML_IDP_METADATA_URL": f"{idp.url}/metadata",
                "NORAMAL_SAML_SP_ENTITY_ID": "https://noramal.test/saml",
                "NORAMAL_SAML_NAME": "Nora kommun (SAML)",
            }
        )
        cache.clear()  # allauth keeps fetched metadata there
        yield idp
