"""Single sign-on's rows of the permission matrix (see tests/matrix.py).

The matrix runs without an identity provider configured: every sign-in URL is "not found" for everyone,
the places allauth sends a cancelled or failed sign-in are public pages, and the "more details" step
refuses in Swedish.
"""

from tests.matrix import Redirect, Row, expect

NOT_FOUND = expect(anonymous=404, rest=404)
PUBLIC = expect(anonymous=200, rest=200)
PUBLIC_NO_POST = expect(anonymous=405, rest=405)
_finish = Redirect("/konto/sso/saml/idp/acs/finish/")
TO_FINISH = expect(anonymous=_finish, rest=_finish)


def _rows(name, args, get, post):
    return [
        Row(name, args=args, expect=get),
        Row(name, args=args, method="POST", data=lambda w: {}, expect=post),
    ]


ROWS = [
    *_rows("openid_connect_login", lambda w: ["oidc"], NOT_FOUND, NOT_FOUND),
    *_rows("openid_connect_callback", lambda w: ["oidc"], NOT_FOUND, NOT_FOUND),
    *_rows("saml_login", lambda w: ["idp"], NOT_FOUND, NOT_FOUND),
    # The assertion consumer keeps what it got and sends on to the finishing step, which finds no IdP.
    *_rows("saml_acs", lambda w: ["idp"], TO_FINISH, TO_FINISH),
    *_rows("saml_finish_acs", lambda w: ["idp"], NOT_FOUND, NOT_FOUND),
    *_rows("saml_sls", lambda w: ["idp"], NOT_FOUND, NOT_FOUND),
    *_rows("saml_metadata", lambda w: ["idp"], NOT_FOUND, NOT_FOUND),
    *_rows("socialaccount_login_cancelled", lambda w: [], PUBLIC, PUBLIC_NO_POST),
    *_rows("socialaccount_login_error", lambda w: [], PUBLIC, PUBLIC_NO_POST),
    *_rows(
        "socialaccount_signup", lambda w: [], expect(anonymous=403, rest=403), expect(anonymous=403, rest=403)
    ),
]
