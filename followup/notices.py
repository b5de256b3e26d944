"""Notices by e-mail on events: a judgement sent back or approved goes to its board's editors, a comment in a
judgement's dialogue to the other side.

(A period about to close is told in the reminder run, `reminders.send_reminders`.) Each notice is sent and
logged like a reminder (`mail.send_once`, once per key); it goes whatever the person chose for the reminders
(`mail.stopped_by_choice`), since it is news about a judgement they work on, not a reminder. A mail server
that fails loses the notice, never the event: the change or the comment stands, the notice is not logged.
"""

import functools
import logging
import smtplib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from accounts.models import Membership
from goals.models import Organisation
from goals.permissions import is_controller

from .mail import send_once, site_url
from .models import SentMail

logger = logging.getLogger(__name__)


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


def _in_site_language(function):
    """Subjects and bodies in the site's language, whatever the language of the request that caused them."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return function(*args, **kwargs)

    return wrapper


@_in_site_language
def _send_judgement_notice(assessment):
    returned = assessment.is_draft
    kind = SentMail.Kind.RETURNED if returned else SentMail.Kind.APPROVED
    goal, period = assessment.goal, assessment.period
    if returned:
        subject = _("Noramål: the judgement of “%(goal)s” was sent back") % {"goal": goal.title}
    else:
        subject = _("Noramål: the judgement of “%(goal)s” was approved") % {"goal": goal.title}
    link = site_url(reverse("followup:assessment", args=[period.pk, goal.pk]))

    def send(user):
        return send_once(
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

    return _send_each(editors_of(goal.owner), send)


def comment_recipients(comment):
    """The other side of the dialogue, with an address: the board's editors when a controller writes, the
    controllers when the board writes (and the other controllers on a goal of the council, whose follow-up
    only controllers write). Never the writer, never an inactive account."""
    author, owner = comment.author, comment.assessment.goal.owner
    if is_controller(author) and owner.kind != Organisation.Kind.COUNCIL:
        # Editors of an organisation write the follow-up of its parts too (goals.permissions).
        return [user for user in editors_of(owner) if user.pk != author.pk]
    users = get_user_model().objects.filter(is_active=True, memberships__role=Membership.Role.CONTROLLER)
    return list(users.exclude(email="").exclude(pk=author.pk).distinct().order_by("pk"))


@_in_site_language
def notify_comment(comment):
    """Tell the other side of the dialogue of `comment` (written and committed), one mail each, linked to the
    judgement's dialogue; the number sent."""
    assessment = comment.assessment
    goal, period = assessment.goal, assessment.period
    link = site_url(reverse("followup:assessment", args=[period.pk, goal.pk]) + "#dialogue")
    subject = _("New comment on the judgement of %(goal)s") % {"goal": Truncator(goal.title).chars(60)}
    author = comment.author.get_full_name() or comment.author.get_username()

    def send(user):
        return send_once(
            key=f"{SentMail.Kind.COMMENT}:{user.pk}:{comment.pk}",
            kind=SentMail.Kind.COMMENT,
            user=user,
            subject=subject,
            template="followup/mail/comment",
            context={
                "comment": comment,
                "assessment": assessment,
                "goal": goal,
                "period": period,
                "author": author,
                "link": link,
            },
            period=period,
            reason=str(SentMail.Kind.COMMENT.label),
        )

    return _send_each(comment_recipients(comment), send)


def _send_each(users, send):
    """`send(user)` (a `send_once`) to each of `users`; the number sent.

    A mail server that fails ends the round (the next would fail alike): what it refused is not logged."""
    sent = 0
    for user in users:
        try:
            sent += send(user)
        except (smtplib.SMTPException, OSError):
            logger.exception("A notice to user %s could not be sent.", user.pk)
            break
    return sent
