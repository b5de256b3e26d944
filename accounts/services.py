"""Users and their roles: every grant, change and revocation of a role, and every new login, is an audit
event as well as a history row, so that an auditor finds them in one list."""

from django.db import transaction
from django.utils.translation import gettext as _

from .models import Membership, record_event


def _role_summary(membership):
    return _("%(user)s: %(role)s in %(organisation)s") % {
        "user": membership.user.get_username(),
        "role": membership.get_role_display(),
        "organisation": membership.organisation.code,
    }


@transaction.atomic
def grant_role(user, organisation, role, *, by):
    """Give `user` the role in `organisation`; return the membership and whether it is new."""
    membership, created = Membership.objects.get_or_create(user=user, organisation=organisation, role=role)
    if created:
        record_event(
            "membership.grant", _("Role granted: %s") % _role_summary(membership), user=by, obj=membership
        )
    return membership, created


@transaction.atomic
def change_membership(membership, *, by):
    """Save a membership whose organisation or role was changed (the admin's edit form)."""
    before = Membership.objects.select_related("user", "organisation").get(pk=membership.pk)
    membership.save()
    summary = _("Role changed from %(before)s to %(after)s") % {
        "before": _role_summary(before),
        "after": _role_summary(membership),
    }
    record_event("membership.change", summary, user=by, obj=membership)


@transaction.atomic
def revoke_role(membership, *, by):
    """Take a role away; the audit event keeps what it was."""
    summary = _("Role revoked: %s") % _role_summary(membership)
    record_event("membership.revoke", summary, user=by, obj=membership)
    membership.delete()


@transaction.atomic
def create_user(form, *, by):
    """Create a login from a filled-in `UserCreateForm`."""
    user = form.save()
    record_event("user.create", _("User created: %s") % user.get_username(), user=by, obj=user)
    return user
