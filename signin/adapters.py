"""django-allauth's hooks: no local sign-up, users created on first sign-in, a Swedish error page."""

import logging

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.utils import user_field
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.utils import generate_unique_username

logger = logging.getLogger("signin")


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        # Local accounts are made by administrators (the members page), never by visitors.
        return False


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin):
        # Anyone the municipality's identity provider vouches for gets an account; roles come from groups.
        return True

    def populate_user(self, request, sociallogin, data):
        """Name and e-mail from the claims; the username from preferred_username, else the e-mail."""
        user = super().populate_user(request, sociallogin, data)
        candidates = [data.get("username"), data.get("email")]
        user_field(user, "username", generate_unique_username([c for c in candidates if c] + ["user"]))
        return user

    def on_authentication_error(self, request, provider, error=None, exception=None, extra_context=None):
        # The page says what the user can do; the log says what went wrong (the token's or assertion's fault).
        reason = (extra_context or {}).get("saml_last_error_reason") or exception
        if exception is not None and exception.__cause__ is not None:
            reason = f"{exception}: {exception.__cause__}"
        logger.warning(
            "single sign-on refused (%s, %s): %s", getattr(provider, "id", provider), error, reason
        )
