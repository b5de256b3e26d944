"""Notices by e-mail on events: a judgement sent back or approved goes to its board's editors.

(A period about to close is told in the reminder run, `reminders.send_reminders`.) Each notice is logged
like a reminder (`SentMail`) and sent once; it goes whatever the person chose for the reminders, since it
is news about their own judgement, not a reminder.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Membership
from goals.models import Organisation

from .mail import send_once, site_url
from .models import SentMail


def editors_of(organisation):
    """Active users with an e-mail address who are editors of `organisation` or of one it is part of."""
    parents = dict(Organisation.objects.values_list("pk", "parent_id"))
    chain, node = [], organisation.pk
    while node is not None and node not in chain:
        chain.append(node)
        node = parents.get(node)
    editors = Membership.objects.filter(role=Membership.Role.EDITOR, organisation_id__in=chain)
    return list(
        get_user_model()
        .objects.filter(pk__in=editors.values("user_id"), is_active=True)
        .exclude(email="")
        .order_by("pk")
    )


def notify_judgement(assessment):
    """Tell the goal's board that its judgement was sent back or approved (after the change is committed);
    returns the assessment."""
    transaction.on_commit(lambda: _send_judgement_notice(assessment))
    return assessment


def _send_judgement_notice(assessment):
    returned = assessment.is_draft
    kind = SentMail.Kind.RETURNED if returned else SentMail.Kind.APPROVED
    goal, period = assessment.goal, assessment.period
    if returned:
        subject = _("Noramål: the judgement of “%(goal)s” was sent back") % {"goal": goal.title}
    else:
        subject = _("Noramål: the judgement of “%(goal)s” was approved") % {"goal": goal.title}
    link = site_url(reverse("followup:assessment", args=[period.pk, goal.pk]))
    for user in editors_of(goal.owner):
        send_once(
            key=f"{kind}:{user.pk}:{assessment.pk}:{assessment.version}",
            kind=kind,
            user=user,
            subject=subject,
            template="followup/mail/judgement",
            context={
                "assessment": assessment,
                "goal": goal,
                "period": period,
                "returned": returned,
                "link": link,
            },
            period=period,
            reason=str(SentMail.Kind(kind).label),
        )
