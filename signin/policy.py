"""Who may log in with a local password: everyone, or only the break-glass administrators."""

from django.conf import settings


def local_login_for_everyone():
    return settings.NORAMAL_LOCAL_LOGIN


def is_break_glass(user):
    """Superusers and the users in NORAMAL_BREAK_GLASS_USERS keep their password when SSO is required."""
    return user.is_superuser or user.get_username() in settings.NORAMAL_BREAK_GLASS_USERS


def may_use_password(user):
    return local_login_for_everyone() or is_break_glass(user)
