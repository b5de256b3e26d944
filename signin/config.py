"""Single sign-on configured from the environment: django-allauth's providers, the local-login switch.

Nothing configured: no provider, and the login page is the local one. Read by noramal/settings.py (and by the
tests, with an environment of their own).
"""

from pathlib import Path

SAML_SLUG = "idp"  # in the SAML URLs: /konto/sso/saml/idp/acs/ and so on
OIDC_PROVIDER_ID = "oidc"  # in the OIDC URLs: /konto/sso/oidc/login/callback/
# Where Entra ID and ADFS put groups in a SAML assertion; NORAMAL_SAML_GROUPS_ATTRIBUTE names another.
SAML_GROUPS_DEFAULT = "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups"
SAML_ATTRIBUTES = {
    "uid": ["urn:oasis:names:tc:SAML:attribute:subject-id"],
    "email": [
        "urn:oid:0.9.2342.19200300.100.1.3",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
        "email",
        "mail",
    ],
    "first_name": [
        "urn:oid:2.5.4.42",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname",
        "givenName",
    ],
    "last_name": ["urn:oid:2.5.4.4", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname", "sn"],
    "username": [
        "urn:oid:0.9.2342.19200300.100.1.1",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn",
        "uid",
    ],
}


def _bool(environ, name, default):
    return environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def _read(path):
    return Path(path).read_text(encoding="utf-8")


def oidc_app(environ):
    """The OpenID Connect provider (Entra ID, ADFS, Keycloak…); None without NORAMAL_OIDC_SERVER_URL."""
    server_url = environ.get("NORAMAL_OIDC_SERVER_URL", "").strip()
    if not server_url:
        return None
    return {
        "provider_id": OIDC_PROVIDER_ID,
        "name": environ.get("NORAMAL_OIDC_NAME", "").strip() or "Kommunens inloggning",
        "client_id": environ.get("NORAMAL_OIDC_CLIENT_ID", ""),
        "secret": environ.get("NORAMAL_OIDC_CLIENT_SECRET", ""),
        "settings": {
            "server_url": server_url,
            "groups_claim": environ.get("NORAMAL_OIDC_GROUPS_CLAIM", "").strip() or "groups",
            # The groups may be only in the ID token (Entra ID) or only at the userinfo endpoint.
            "fetch_userinfo": _bool(environ, "NORAMAL_OIDC_FETCH_USERINFO", True),
        },
    }


def saml_app(environ):
    """The SAML 2.0 identity provider (ADFS, Shibboleth, an e-legitimation broker), or None when unset."""
    metadata_url = environ.get("NORAMAL_SAML_IDP_METADATA_URL", "").strip()
    metadata_file = environ.get("NORAMAL_SAML_IDP_METADATA_FILE", "").strip()
    if not (metadata_url or metadata_file):
        return None
    idp_entity_id = environ.get("NORAMAL_SAML_IDP_ENTITY_ID", "").strip() or None
    if metadata_url:
        idp = {"metadata_url": metadata_url, "entity_id": idp_entity_id}
    else:
        idp = _idp_from_metadata(_read(metadata_file), idp_entity_id)
    advanced = {
        # The assertion must be signed by the IdP's certificate, and be for us, in time.
        "want_assertion_signed": True,
        "strict": True,
        "reject_deprecated_algorithm": True,
    }
    cert_file = environ.get("NORAMAL_SAML_SP_CERT_FILE", "").strip()
    key_file = environ.get("NORAMAL_SAML_SP_KEY_FILE", "").strip()
    if cert_file and key_file:
        advanced.update(
            x509cert=_read(cert_file),
            private_key=_read(key_file),
            authn_request_signed=True,
            logout_request_signed=True,
            # An IdP that encrypts assertions uses the same certificate.
            want_assertion_encrypted=_bool(environ, "NORAMAL_SAML_WANT_ENCRYPTED", False),
        )
    sp = {}
    if environ.get("NORAMAL_SAML_SP_ENTITY_ID", "").strip():
        sp["entity_id"] = environ["NORAMAL_SAML_SP_ENTITY_ID"].strip()
    return {
        "provider_id": "saml",
        "name": environ.get("NORAMAL_SAML_NAME", "").strip() or "Kommunens inloggning (SAML)",
        "client_id": SAML_SLUG,
        "settings": {
            "idp": idp,
            "sp": sp,
            "advanced": advanced,
            "attribute_mapping": SAML_ATTRIBUTES,
            "groups_attribute": environ.get("NORAMAL_SAML_GROUPS_ATTRIBUTE", "").strip()
            or SAML_GROUPS_DEFAULT,
        },
    }


def _idp_from_metadata(xml, entity_id):
    from onelogin.saml2.idp_metadata_parser import OneLogin_Saml2_IdPMetadataParser

    parsed = OneLogin_Saml2_IdPMetadataParser.parse(xml, entity_id=entity_id)["idp"]
    return {
        "entity_id": parsed["entityId"],
        "sso_url": parsed["singleSignOnService"]["url"],
        "slo_url": parsed.get("singleLogoutService", {}).get("url"),
        "x509cert": parsed.get("x509cert") or parsed["x509certMulti"]["signing"][0],
    }


def providers(environ):
    """SOCIALACCOUNT_PROVIDERS for django-allauth: the configured apps only."""
    result = {}
    if oidc := oidc_app(environ):
        result["openid_connect"] = {"APPS": [oidc], "OAUTH_PKCE_ENABLED": True}
    if saml := saml_app(environ):
        result["saml"] = {"APPS": [saml]}
    return result


def local_login(environ):
    """Whether local passwords work for everyone (NORAMAL_LOCAL_LOGIN), and the break-glass usernames."""
    users = [u.strip() for u in environ.get("NORAMAL_BREAK_GLASS_USERS", "").split(",") if u.strip()]
    return _bool(environ, "NORAMAL_LOCAL_LOGIN", True), users
