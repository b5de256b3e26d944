"""The few names single sign-on takes from the goal chain's users and roles, imported in this one place.

When memberships and the audit log move to another app, only these imports change.
"""

from accounts.models import AuditEvent, Membership, record_event
from accounts.services import grant_role, revoke_role
from goals.models import Organisation

__all__ = ["AuditEvent", "Membership", "Organisation", "grant_role", "record_event", "revoke_role"]
