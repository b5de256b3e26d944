"""Single sign-on over SAML 2.0, end to end over real HTTP: our live server, a signing IdP on 127.0.0.1."""

import html
import re

import pytest
from django.contrib.auth import get_user_model

from accounts.models import AuditEvent, Membership
from signin.models import GroupRoleMapping
from tests.signin.idps import GROUPS_ATTRIBUTE

User = get_user_model()

pytestmark = pytest.mark.django_db(transaction=True)

KARI = {"email": "kari.nordmann@nora.example", "first_name": "Kari", "last_name": "Nordmann"}


def sign_in(browser, idp):
    """Press the SAML button; the IdP answers with its auto-posting form, which the browser posts to us."""
    login_page = browser.get("/konto/logga-in/")
    at_idp = browser.submit(login_page, "/konto/sso/saml/")
    assert str(at_idp.url).startswith(f"{idp.url}/sso")
    action = html.unescape(re.search(r'action="([^"]+)"', at_idp.text).group(1))
    fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', at_idp.text))
    return browser.post(action, {k: html.unescape(v) for k, v in fields.items()})


def test_first_sign_in_creates_the_user_with_the_role_from_the_group(browser, saml, bn):
    GroupRoleMapping.objects.create(group="NORA-BN-redaktor", organisation=bn, role=Membership.Role.EDITOR)
    saml.user = {**KARI, "groups": ["NORA-BN-redaktor"]}

    landed = sign_in(browser, saml)

    assert str(landed.url).endswith("/mina-sidor/"), landed.text
    assert "Logga ut" in landed.text
    kari = User.objects.get(email=KARI["email"])
    assert (kari.username, kari.first_name, kari.last_name) == ("kari.nordmann", "Kari", "Nordmann")
    [membership] = Membership.objects.filter(user=kari)
    assert (membership.organisation, membership.role) == (bn, Membership.Role.EDITOR)
    assert AuditEvent.objects.filter(action="membership.grant", object_id=str(membership.pk)).exists()


def test_the_next_sign_in_without_the_group_takes_the_role_away(browser, saml, bn):
    GroupRoleMapping.objects.create(group="NORA-BN-redaktor", organisation=bn, role=Membership.Role.EDITOR)
    saml.user = {**KARI, "groups": ["NORA-BN-redaktor"]}
    sign_in(browser, saml)
    browser.submit(browser.get("/"), "/konto/logga-ut/")
    assert not browser.is_logged_in()

    saml.user = {**KARI, "groups": ["NORA-alla"]}
    again = sign_in(browser, saml)

    assert "Logga ut" in again.text
    assert not Membership.objects.exists()
    assert AuditEvent.objects.filter(action="membership.revoke").count() == 1


REASONS = {
    "bad_signature": "Signature validation failed",
    "expired": "expired",
    "wrong_audience": "not a valid audience",
}


@pytest.mark.parametrize("spoil", ["bad_signature", "expired", "wrong_audience"])
def test_a_spoilt_assertion_is_refused_with_a_swedish_page_and_no_session(browser, saml, bn, spoil, caplog):
    GroupRoleMapping.objects.create(group="NORA-BN-redaktor", organisation=bn, role=Membership.Role.EDITOR)
    saml.user = {**KARI, "groups": ["NORA-BN-redaktor"]}
    saml.spoil = spoil

    refused = sign_in(browser, saml)

    assert refused.status_code == 401
    # Refused for the right reason, said in the log for the IT department.
    [refusal] = [r.getMessage() for r in caplog.records if r.name == "signin"]
    assert REASONS[spoil] in refusal
    assert "Inloggningen fungerade inte" in refused.text
    assert not browser.is_logged_in()
    assert not User.objects.filter(email=KARI["email"]).exists()


def test_our_metadata_names_our_entity_id_and_assertion_consumer(browser, saml):
    metadata = browser.get("/konto/sso/saml/idp/metadata/")
    assert metadata.status_code == 200
    assert 'entityID="https://noramal.test/saml"' in metadata.text
    assert "/konto/sso/saml/idp/acs/" in metadata.text


def test_the_groups_attribute_is_the_one_entra_and_adfs_use_by_default():
    from signin.config import SAML_GROUPS_DEFAULT

    assert SAML_GROUPS_DEFAULT == GROUPS_ATTRIBUTE
