"""Single sign-on's configuration from the environment (signin/config.py)."""

from signin import config
from tests.signin.idps import SamlIdp


def test_nothing_configured_means_no_provider():
    assert config.providers({}) == {}


def test_oidc_from_the_environment_with_its_defaults():
    [app] = config.providers(
        {"NORAMAL_OIDC_SERVER_URL": "https://login.nora.example", "NORAMAL_OIDC_CLIENT_ID": "noramal"}
    )["openid_connect"]["APPS"]
    assert app["name"] == "Kommunens inloggning"
    assert app["settings"]["server_url"] == "https://login.nora.example"
    assert app["settings"]["groups_claim"] == "groups"


def test_saml_from_a_metadata_file_with_our_certificate_for_signed_requests(tmp_path):
    idp = SamlIdp()
    idp.url = "https://adfs.nora.example"
    (tmp_path / "idp.xml").write_text(idp.metadata())
    (tmp_path / "sp.crt").write_text(idp.certificate)
    (tmp_path / "sp.key").write_text(idp.key)
    [app] = config.providers(
        {
            "NORAMAL_SAML_IDP_METADATA_FILE": str(tmp_path / "idp.xml"),
            "NORAMAL_SAML_SP_ENTITY_ID": "https://mal.nora.example/saml",
            "NORAMAL_SAML_SP_CERT_FILE": str(tmp_path / "sp.crt"),
            "NORAMAL_SAML_SP_KEY_FILE": str(tmp_path / "sp.key"),
            "NORAMAL_SAML_GROUPS_ATTRIBUTE": "memberOf",
        }
    )["saml"]["APPS"]
    settings = app["settings"]
    assert settings["idp"]["entity_id"] == "https://adfs.nora.example/idp"
    assert settings["idp"]["sso_url"] == "https://adfs.nora.example/sso"
    assert settings["sp"] == {"entity_id": "https://mal.nora.example/saml"}
    assert settings["advanced"]["authn_request_signed"] is True
    assert settings["advanced"]["want_assertion_signed"] is True
    assert settings["groups_attribute"] == "memberOf"


def test_local_login_switch_and_break_glass_users():
    assert config.local_login({"NORAMAL_LOCAL_LOGIN": "false", "NORAMAL_BREAK_GLASS_USERS": "a, b,"}) == (
        False,
        ["a", "b"],
    )
