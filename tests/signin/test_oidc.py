"""Single sign-on over OpenID Connect, end to end over real HTTP: our live server, a provider on 127.0.0.1."""

import httpx
import pytest
from django.contrib.auth import get_user_model

from accounts.models import AuditEvent, Membership
from accounts.services import grant_role
from signin.models import GroupRoleMapping, ManagedMembership
from tests import factories

User = get_user_model()

pytestmark = pytest.mark.django_db(transaction=True)

KARI = {
    "email": "kari.nordmann@nora.example",
    "email_verified": True,
    "name": "Kari Nordmann",
    "given_name": "Kari",
    "family_name": "Nordmann",
    "preferred_username": "kari.nordmann",
}


def set_idp_user(oidc, sub, **claims):
    httpx.put(f"{oidc.url}/users/{sub}", json=claims).raise_for_status()


def sign_in(browser, oidc, sub="kari-sub"):
    """Press the provider's button on the login page, then sign in at the provider as `sub`."""
    login_page = browser.get("/konto/logga-in/")
    at_provider = browser.submit(login_page, "/konto/sso/")
    assert str(at_provider.url).startswith(oidc.url), at_provider.url
    return browser.post(str(at_provider.url), {"sub": sub})


def test_the_login_page_offers_the_provider_by_its_configured_name(browser, oidc):
    page = browser.get("/konto/logga-in/")
    assert "Logga in med Nora kommuns inloggning" in page.text
    # Local passwords stay on by default.
    assert 'name="password"' in page.text


def test_first_sign_in_creates_the_user_with_the_role_from_the_group(browser, oidc, bn):
    GroupRoleMapping.objects.create(group="NORA-BN-redaktor", organisation=bn, role=Membership.Role.EDITOR)
    set_idp_user(oidc, "kari-sub", **KARI, groups=["NORA-BN-redaktor", "NORA-alla"])

    landed = sign_in(browser, oidc)

    assert landed.status_code == 200
    assert str(landed.url).endswith("/mina-sidor/")  # the workspace
    assert "Logga ut" in landed.text
    kari = User.objects.get(email="kari.nordmann@nora.example")
    assert (kari.username, kari.first_name, kari.last_name) == ("kari.nordmann", "Kari", "Nordmann")
    assert not kari.has_usable_password()
    [membership] = Membership.objects.filter(user=kari)
    assert (membership.organisation, membership.role) == (bn, Membership.Role.EDITOR)
    assert ManagedMembership.objects.filter(membership=membership).exists()
    assert AuditEvent.objects.filter(action="membership.grant", object_id=str(membership.pk)).exists()
    assert "Bildningsnämnden" in landed.text


def test_a_changed_group_at_the_next_sign_in_takes_the_role_away_but_not_a_hand_granted_one(
    browser, oidc, bn
):
    ks = factories.board("KS", "Kommunstyrelsen")
    GroupRoleMapping.objects.create(group="NORA-BN-redaktor", organisation=bn, role=Membership.Role.EDITOR)
    GroupRoleMapping.objects.create(group="NORA-KS-lasare", organisation=ks, role=Membership.Role.READER)
    set_idp_user(oidc, "kari-sub", **KARI, groups=["NORA-BN-redaktor"])
    sign_in(browser, oidc)
    kari = User.objects.get(username="kari.nordmann")
    admin = User.objects.create_superuser("admin", password="x")
    grant_role(kari, ks, Membership.Role.CONTROLLER, by=admin)  # by hand, beside the groups

    browser.submit(browser.get("/"), "/konto/logga-ut/")
    set_idp_user(oidc, "kari-sub", **KARI, groups=["NORA-KS-lasare"])
    again = sign_in(browser, oidc)

    assert "Logga ut" in again.text
    assert User.objects.filter(email=KARI["email"]).count() == 1
    roles = set(Membership.objects.filter(user=kari).values_list("organisation__code", "role"))
    assert roles == {("KS", "reader"), ("KS", "controller")}
    revoked = AuditEvent.objects.get(action="membership.revoke")
    assert "kari.nordmann" in revoked.summary and "BN" in revoked.summary
    # BN editor, KS controller (by hand), KS reader.
    assert AuditEvent.objects.filter(action="membership.grant").count() == 3


REASONS = {
    "bad_signature": "Signature verification failed",
    "expired": "Signature has expired",
    "wrong_audience": "Audience doesn't match",
}


@pytest.mark.parametrize("spoil", ["bad_signature", "expired", "wrong_audience"])
def test_a_spoilt_id_token_is_refused_with_a_swedish_page_and_no_session(browser, oidc, bn, spoil, caplog):
    GroupRoleMapping.objects.create(group="NORA-BN-redaktor", organisation=bn, role=Membership.Role.EDITOR)
    set_idp_user(oidc, "kari-sub", **KARI, groups=["NORA-BN-redaktor"])
    oidc.spoil = spoil

    refused = sign_in(browser, oidc)

    assert refused.status_code == 401
    # Refused for the right reason, said in the log for the IT department.
    [refusal] = [r.getMessage() for r in caplog.records if r.name == "signin"]
    assert REASONS[spoil] in refusal
    assert "Inloggningen fungerade inte" in refused.text
    assert "Traceback" not in refused.text
    assert not browser.is_logged_in()
    assert not User.objects.filter(email=KARI["email"]).exists()
    assert not Membership.objects.exists()


def test_sign_out_ends_our_session_and_the_providers(browser, oidc, live_server):
    set_idp_user(oidc, "kari-sub", **KARI, groups=[])
    page = sign_in(browser, oidc)
    assert browser.is_logged_in()

    at_provider = browser.submit(page, "/konto/logga-ut/")

    # RP-initiated logout: the provider's end_session endpoint, with the ID token and the way back.
    assert str(at_provider.url).startswith(f"{oidc.url}/oauth2/end_session")
    [call] = oidc.end_session_calls
    assert call["post_logout_redirect_uri"] == f"{live_server.url}/"
    assert call["client_id"] == "noramal"
    assert call["id_token_hint"].count(".") == 2
    back = browser.post(
        f"{oidc.url}/oauth2/end_session/confirm", {"redirect_uri": call["post_logout_redirect_uri"]}
    )
    assert str(back.url) == f"{live_server.url}/"
    assert not browser.is_logged_in()
    assert "/konto/logga-in/" in str(browser.get("/mina-sidor/").url)


def test_a_local_account_with_the_same_address_is_the_one_signed_in(browser, oidc, bn):
    local = User.objects.create_user("kari", email=KARI["email"], password="Kari-lösen-2027")
    grant_role(local, bn, Membership.Role.READER, by=None)
    set_idp_user(oidc, "kari-sub", **KARI, groups=[])

    landed = sign_in(browser, oidc)

    assert "Logga ut" in landed.text
    assert list(User.objects.values_list("username", flat=True)) == ["kari"]
    assert set(Membership.objects.values_list("user__username", "role")) == {("kari", "reader")}
