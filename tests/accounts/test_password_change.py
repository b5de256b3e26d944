"""The password-change page counts wrong old passwords towards the login lockout, like the login page."""

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

ADDRESS = "10.0.0.1"


def change_password(client, old, new="Ett-nytt-lösenord-2026"):
    return client.post(
        reverse("password_change"),
        {"old_password": old, "new_password1": new, "new_password2": new},
        REMOTE_ADDR=ADDRESS,
    )


def test_wrong_old_passwords_lock_the_account_like_failed_logins(client, world):
    user = world.users["editor_bn"]
    client.force_login(user)
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        response = change_password(client, "fel")
        assert response.status_code == 200
        assert response.context["form"].errors["old_password"]
    locked = change_password(client, "fel")
    assert locked.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in locked.templates]
    # Locked now: the right old password changes nothing, and the login page refuses the right password too.
    assert change_password(client, "pw").status_code == 429
    user.refresh_from_db()
    assert user.check_password("pw")
    assert client.get(reverse("password_change"), REMOTE_ADDR=ADDRESS).status_code == 429
    client.logout()
    login = client.post(reverse("login"), {"username": "editor_bn", "password": "pw"}, REMOTE_ADDR=ADDRESS)
    assert login.status_code == 429


def test_the_right_old_password_changes_it(client, world):
    user = world.users["editor_bn"]
    client.force_login(user)
    change_password(client, "fel")
    response = change_password(client, "pw")
    assert response.status_code == 302 and response.url == reverse("password_change_done")
    user.refresh_from_db()
    assert user.check_password("Ett-nytt-lösenord-2026")
    # Still logged in after the change.
    assert client.get(reverse("accounts:workspace")).status_code == 200


def test_a_user_locked_out_at_login_gets_the_lockout_page_on_password_change(client, world):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "editor_bn", "password": "fel"}, REMOTE_ADDR=ADDRESS)
    client.force_login(world.users["editor_bn"])
    assert client.get(reverse("password_change"), REMOTE_ADDR=ADDRESS).status_code == 429
    assert change_password(client, "pw").status_code == 429
