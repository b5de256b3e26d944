"""Identity providers on 127.0.0.1 for the single-sign-on tests, each a real HTTP server in a thread.

- OpenID Connect: the `oidc-provider-mock` package, with a hook that can spoil the ID token it issues
  (a broken signature, an expired token, a token for another client) as a forged or faulty provider would.
- SAML 2.0: a small IdP built on python3-saml and xmlsec: metadata, and an SSO endpoint that answers an
  AuthnRequest with a response whose assertion it signs with its own test key (or spoils the same three ways).
"""

import base64
import html
import json
import threading
import uuid
import zlib
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs

import flask
import joserfc.jwt
import oidc_provider_mock
import werkzeug.serving
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from lxml import etree
from onelogin.saml2.constants import OneLogin_Saml2_Constants
from onelogin.saml2.utils import OneLogin_Saml2_Utils

SPOILS = {"bad_signature", "expired", "wrong_audience"}


@contextmanager
def serve(wsgi_app):
    server = werkzeug.serving.make_server("127.0.0.1", 0, wsgi_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _flip_signature(token):
    header, payload, signature = token.split(".")
    raw = bytearray(base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4)))
    raw[len(raw) // 2] ^= 0xFF
    return f"{header}.{payload}.{base64.urlsafe_b64encode(bytes(raw)).rstrip(b'=').decode()}"


class OidcProvider:
    def __init__(self):
        self.spoil = None  # one of SPOILS, applied to the next ID tokens
        self.end_session_calls = []
        self.app = oidc_provider_mock.app(require_nonce=False)
        self.app.after_request(self._after)

    def _after(self, response):
        if flask.request.path == "/oauth2/end_session":
            self.end_session_calls.append(dict(flask.request.values))
        if flask.request.path != "/oauth2/token" or not self.spoil or response.status_code != 200:
            return response
        body = json.loads(response.get_data())
        token = body["id_token"]
        if self.spoil == "bad_signature":
            body["id_token"] = _flip_signature(token)
        else:
            key = flask.g.oidc_provider_mock_storage.jwk
            claims = joserfc.jwt.decode(token, key).claims
            header = {"alg": "RS256", "kid": key.kid}
            if self.spoil == "expired":
                claims["iat"] = int((datetime.now(UTC) - timedelta(hours=2)).timestamp())
                claims["exp"] = int((datetime.now(UTC) - timedelta(hours=1)).timestamp())
            else:
                claims["aud"] = "en-annan-tjanst"
            body["id_token"] = joserfc.jwt.encode(header, claims, key)
        response.set_data(json.dumps(body))
        return response


@contextmanager
def oidc_provider():
    provider = OidcProvider()
    with serve(provider.app) as url:
        provider.url = url
        yield provider


# --- SAML ----------------------------------------------------------------------------------------------


def _key_and_certificate(common_name):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    return key_pem, certificate.public_bytes(serialization.Encoding.PEM).decode()


def _saml_time(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


GROUPS_ATTRIBUTE = "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups"


class SamlIdp:
    """The user who signs in is `self.user` (as if logged in at the IdP already): email, names, groups."""

    def __init__(self):
        self.key, self.certificate = _key_and_certificate("Test-IdP Nora")
        self.user = None
        self.spoil = None
        self.url = None

    @property
    def entity_id(self):
        return f"{self.url}/idp"

    def metadata(self):
        cert = "".join(line for line in self.certificate.splitlines() if "CERTIFICATE" not in line)
        return f"""<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#"
    entityID="{self.entity_id}">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>{cert}</ds:X509Certificate>
    </ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
      Location="{self.url}/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>"""

    def response_for(self, request_xml):
        request = etree.fromstring(request_xml)
        request_id = request.get("ID")
        acs_url = request.get("AssertionConsumerServiceURL")
        sp_entity_id = request.find("{urn:oasis:names:tc:SAML:2.0:assertion}Issuer").text
        now = datetime.now(UTC)
        if self.spoil == "expired":
            now -= timedelta(hours=2)
        audience = "https://en-annan-tjanst.example/saml" if self.spoil == "wrong_audience" else sp_entity_id
        user = self.user
        attributes = {
            "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress": [user["email"]],
            "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname": [user["first_name"]],
            "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname": [user["last_name"]],
            GROUPS_ATTRIBUTE: user["groups"],
        }
        attribute_xml = "".join(
            f'<saml:Attribute Name="{html.escape(name)}">'
            + "".join(f"<saml:AttributeValue>{html.escape(v)}</saml:AttributeValue>" for v in values)
            + "</saml:Attribute>"
            for name, values in attributes.items()
        )
        assertion_id = f"_{uuid.uuid4().hex}"
        assertion = f"""<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" ID="{assertion_id}" Version="2.0"
 IssueInstant="{_saml_time(now)}">
<saml:Issuer>{self.entity_id}</saml:Issuer>
<saml:Subject>
<saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">{user["email"]}</saml:NameID>
<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">
<saml:SubjectConfirmationData NotOnOrAfter="{_saml_time(now + timedelta(minutes=5))}" Recipient="{acs_url}"
 InResponseTo="{request_id}"/>
</saml:SubjectConfirmation>
</saml:Subject>
<saml:Conditions NotBefore="{_saml_time(now - timedelta(minutes=1))}"
 NotOnOrAfter="{_saml_time(now + timedelta(minutes=5))}">
<saml:AudienceRestriction><saml:Audience>{audience}</saml:Audience></saml:AudienceRestriction>
</saml:Conditions>
<saml:AuthnStatement AuthnInstant="{_saml_time(now)}" SessionIndex="{assertion_id}">
<saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext>
</saml:AuthnStatement>
<saml:AttributeStatement>{attribute_xml}</saml:AttributeStatement>
</saml:Assertion>"""
        signed = OneLogin_Saml2_Utils.add_sign(
            assertion,
            self.key,
            self.certificate,
            sign_algorithm=OneLogin_Saml2_Constants.RSA_SHA256,
            digest_algorithm=OneLogin_Saml2_Constants.SHA256,
        ).decode()
        signed = signed.replace('<?xml version="1.0"?>\n', "")
        if self.spoil == "bad_signature":
            # Someone changed the signed assertion on the way: another group.
            signed = signed.replace(html.escape(user["groups"][0]), "NORA-KS-admin")
        response = f"""<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"
 xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_{uuid.uuid4().hex}" Version="2.0"
 IssueInstant="{_saml_time(now)}" Destination="{acs_url}" InResponseTo="{request_id}">
<saml:Issuer>{self.entity_id}</saml:Issuer>
<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>
{signed}
</samlp:Response>"""
        return acs_url, base64.b64encode(response.encode()).decode()

    def wsgi(self, environ, start_response):
        path = environ["PATH_INFO"]
        if path == "/metadata":
            start_response("200 OK", [("Content-Type", "application/samlmetadata+xml")])
            return [self.metadata().encode()]
        if path == "/sso":
            query = parse_qs(environ["QUERY_STRING"])
            request_xml = zlib.decompress(base64.b64decode(query["SAMLRequest"][0]), -15)
            acs_url, saml_response = self.response_for(request_xml)
            relay_state = html.escape(query.get("RelayState", [""])[0])
            page = f"""<html><body><form method="post" action="{html.escape(acs_url)}">
<input type="hidden" name="SAMLResponse" value="{saml_response}">
<input type="hidden" name="RelayState" value="{relay_state}">
<input type="submit" value="Fortsätt"></form></body></html>"""
            start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
            return [page.encode()]
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]


@contextmanager
def saml_idp():
    idp = SamlIdp()
    with serve(idp.wsgi) as url:
        idp.url = url
        yield idp
