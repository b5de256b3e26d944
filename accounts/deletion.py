"""Whether a user account may be deleted: not once the records name it; it is deactivated instead.

The rule itself is on the models: every foreign key that records what a user did (entered, approved, closed,
published, requested, changed in the history) is PROTECT, so no path deletes such a user. This module says
which of those rows name a user, for a message that tells the administrator what to do instead.
"""

from django.db import models
from django.utils.text import get_text_list
from django.utils.translation import gettext as _


def user_deletion_blockers(user):
    """The protected rows that name the user, as [(plural name, count)]; empty when it may be deleted."""
    blockers = []
    for relation in type(user)._meta.get_fields(include_hidden=True):
        if getattr(relation, "on_delete", None) is not models.PROTECT or relation.concrete:
            continue
        model = relation.related_model
        count = model._base_manager.filter(**{relation.field.name: user.pk}).count()
        if count:
            blockers.append((str(model._meta.verbose_name_plural), count))
    return sorted(blockers)


def refusal(user, blockers):
    """Why `user` cannot be deleted, and what to do instead."""
    what = get_text_list([f"{name}: {count}" for name, count in blockers], _("and"))
    return _(
        "%(user)s cannot be deleted: the records name this user (%(what)s). Deactivate the account instead "
        "(untick “Active”): the user can no longer log in, and the records keep the name."
    ) % {"user": user.get_username(), "what": what}
