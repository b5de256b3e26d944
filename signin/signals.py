"""At every sign-in through the identity provider, the roles are set again from its groups."""

from allauth.account.signals import user_logged_in
from django.dispatch import receiver

from .roles import apply_group_roles


def groups_in(sociallogin):
    """The groups the identity provider sent, from the claim or attribute its configuration names."""
    account = sociallogin.account
    app_settings = account.get_provider().app.settings
    data = account.extra_data or {}
    if account.provider == "saml" or "groups_attribute" in app_settings:
        return data.get(app_settings.get("groups_attribute", "groups"))
    claim = app_settings.get("groups_claim", "groups")
    # The userinfo answer is preferred; some providers put groups only in the ID token.
    for part in ("userinfo", "id_token"):
        if claim in (data.get(part) or {}):
            return data[part][claim]
    return data.get(claim)


@receiver(user_logged_in)
def apply_roles_from_groups(sender, request, user, sociallogin=None, **kwargs):
    if sociallogin is not None:
        apply_group_roles(user, groups_in(sociallogin))
