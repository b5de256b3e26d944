"""Local passwords switched off (NORAMAL_LOCAL_LOGIN=false): only break-glass administrators keep them."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from signin import config as signin_config
from tests.smtp import smtp_inbox  # noqa: F401 - the fixture

User = get_user_model()

pytestmark = pytest.mark.django_db

OIDC_ENV = {"NORAMAL_OIDC_SERVER_URL": "https://login.nora.example", "NORAMAL_OIDC_CLIENT_ID": "noramal"}


@pytest.fixture
def sso_only(settings):
    settings.SOCIALACCOUNT_PROVIDERS = signin_config.providers(
        {**OIDC_ENV, "NORAMAL_OIDC_NAME": "Nora-inloggning"}
    )
    settings.NORAMAL_LOCAL_LOGIN, settings.NORAMAL_BREAK_GLASS_USERS = signin_config.local_login(
        {"NORAMAL_LOCAL_LOGIN": "false", "NORAMAL_BREAK_GLASS_USERS": "nodadmin, reserv"}
    )


@pytest.fixture
def people():
    return {
        "kari": User.objects.create_user("kari", email="kari@nora.example", password="Kari-lösen-2027"),
        "nodadmin": User.objects.create_user("nodadmin", email="nod@nora.example", password="Nöd-lösen-2027"),
        "root": User.objects.create_superuser("root", email="root@nora.example", password="Root-lösen-2027"),
    }


def log_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password}, follow=True)


def test_without_a_provider_the_login_page_is_the_local_one(client):
    page = client.get(reverse("login")).content.decode()
    assert 'name="password"' in page
    assert "/konto/sso/" not in page
    assert "Nödinloggning" not in page


def test_with_local_login_off_the_page_shows_the_button_and_a_folded_emergency_login(client, sso_only):
    page = client.get(reverse("login")).content.decode()
    assert "Logga in med Nora-inloggning" in page
    assert "/konto/sso/oidc/login/" in page
    assert "<details" in page and "Nödinloggning för administratörer" in page
    assert "Eller med ett lokalt konto" not in page


def test_a_staff_members_right_password_is_refused(client, sso_only, people):
    page = log_in(client, "kari", "Kari-lösen-2027")
    # Django's Swedish "wrong username or password": the same as for a wrong password.
    assert "Ange ett korrekt användarnamn och lösenord" in page.content.decode()
    assert not page.context["user"].is_authenticated


@pytest.mark.parametrize("username,password", [("nodadmin", "Nöd-lösen-2027"), ("root", "Root-lösen-2027")])
def test_break_glass_administrators_still_log_in(client, sso_only, people, username, password):
    page = log_in(client, username, password)
    assert page.context["user"].get_username() == username


def test_the_admin_login_refuses_the_staff_members_password_too(client, sso_only, people):
    people["kari"].is_staff = True
    people["kari"].save()
    page = client.post(
        reverse("admin:login"),
        {"username": "kari", "password": "Kari-lösen-2027", "next": "/admin/"},
        follow=True,
    )
    assert not page.context["user"].is_authenticated


def test_the_password_reset_mails_only_break_glass_administrators(client, sso_only, people, smtp_inbox):  # noqa: F811
    for address in ("kari@nora.example", "nod@nora.example"):
        page = client.post(reverse("password_reset"), {"email": address}, follow=True)
        assert "Kolla din e-post" in page.content.decode()  # the same answer for both
    assert [m.recipients for m in smtp_inbox.messages] == [["nod@nora.example"]]
    form = client.get(reverse("password_reset")).content.decode()
    assert "bara för administratörernas nödinloggning" in form


def test_local_login_on_by_default_for_everyone(client, people):
    assert signin_config.local_login({}) == (True, [])
    page = log_in(client, "kari", "Kari-lösen-2027")
    assert page.context["user"].get_username() == "kari"
