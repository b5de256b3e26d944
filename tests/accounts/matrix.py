"""The accounts app's rows of the permission matrix (see tests/matrix.py): one's own page, data and password
for every role, logins for everyone, users, roles and personal data for admins only."""

from accounts.models import MailPreference, Membership
from tests.goals.matrix import (
    ADMIN_PAGE,
    ADMIN_WRITE,
    NO_POST,
    PUBLIC,
    PUBLIC_NO_POST,
    READERS,
    _rows,
)
from tests.matrix import PASSWORD, expect, make_user, redirect_to


def extend(world):
    """A user with a role to revoke, to export and to pseudonymise."""
    spare = make_user("spare")
    world.spare_membership = Membership.objects.create(
        user=spare, organisation=world.bn, role=Membership.Role.READER
    )


def password_data(w):
    return {
        "old_password": PASSWORD,
        "new_password1": "Nytt-lösen-för-2026",
        "new_password2": "Nytt-lösen-för-2026",
    }


ROWS = [
    # One's own page; users and roles: admins.
    *_rows("accounts:workspace", lambda w: [], READERS, NO_POST),
    *_rows(
        "accounts:mail_preference",
        lambda w: [],
        NO_POST,
        expect(rest=302),
        lambda w: {"frequency": MailPreference.Frequency.WEEKLY},
        unchanged=lambda w: tuple(MailPreference.objects.values_list("user_id", "frequency").order_by("pk")),
    ),
    *_rows("accounts:members", lambda w: [], ADMIN_PAGE, NO_POST),
    *_rows(
        "accounts:user_create",
        lambda w: [],
        ADMIN_PAGE,
        ADMIN_WRITE,
        lambda w: {
            "username": "ny.tjansteman",
            "password1": "Ett-bra-lösen-2026",
            "password2": "Ett-bra-lösen-2026",
        },
    ),
    *_rows(
        "accounts:user_roles",
        lambda w: [w.spare_membership.user_id],
        ADMIN_PAGE,
        ADMIN_WRITE,
        lambda w: {"organisation": w.ks.pk, "role": Membership.Role.EDITOR},
    ),
    *_rows("accounts:role_revoke", lambda w: [w.spare_membership.pk], NO_POST, ADMIN_WRITE, lambda w: {}),
    # Personal data: what the app holds and anyone's export for admins; one's own export for everyone.
    *_rows("accounts:personal_data", lambda w: [], ADMIN_PAGE, NO_POST),
    *_rows("accounts:own_export", lambda w: [], READERS, NO_POST),
    *_rows("accounts:user_export", lambda w: [w.spare_membership.user_id], ADMIN_PAGE, NO_POST),
    *_rows(
        "accounts:user_pseudonymise",
        lambda w: [w.spare_membership.user_id],
        ADMIN_PAGE,
        ADMIN_WRITE,
        lambda w: {"username": "spare"},
    ),
    # Logging in and out, and one's password.
    *_rows(
        "login",
        lambda w: [],
        expect(anonymous=200, rest=redirect_to("accounts:workspace")),
        expect(anonymous=200, rest=redirect_to("accounts:workspace")),
        lambda w: {"username": "reader", "password": "fel"},
        unchanged=None,
    ),
    *_rows(
        "logout",
        lambda w: [],
        expect(anonymous=405, rest=405),
        expect(anonymous=redirect_to("goals:home"), rest=redirect_to("goals:home")),
        lambda w: {},
        unchanged=None,
    ),
    *_rows("password_change", lambda w: [], READERS, expect(rest=302), password_data),
    *_rows("password_change_done", lambda w: [], READERS, NO_POST),
    # A forgotten password: open to everyone (the e-mailed link is what proves the account).
    *_rows(
        "password_reset",
        lambda w: [],
        PUBLIC,
        expect(anonymous=redirect_to("password_reset_done"), rest=redirect_to("password_reset_done")),
        lambda w: {"email": "nobody@nora.example"},
    ),
    *_rows("password_reset_done", lambda w: [], PUBLIC, PUBLIC_NO_POST),
    # A made-up link: the page says that it does not work, and a POST changes nothing.
    *_rows("password_reset_confirm", lambda w: ["MQ", "fel-token"], PUBLIC, PUBLIC, password_data),
    *_rows("password_reset_complete", lambda w: [], PUBLIC, PUBLIC_NO_POST),
]
