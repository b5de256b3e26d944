"""The few names single sign-on takes from the goal chain's users and roles, imported in this one place.

When memberships and the audit log move to another app, only these imports change.
"""

from goals.models import AuditEvent, Membership, Organisation, record_event
from goals.services import grant_role, revoke_role

__all__ = ["AuditEvent", "Membership", "Organisation", "grant_role", "record_event", "revoke_role"]
