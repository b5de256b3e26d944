"""The dialogue on a judgement: its board and the controllers write to each other, and the other side is told.

A comment is never changed or deleted: the thread, oldest first with who and when, is the dialogue's history.
Writing one is also an audit event ("assessment.comment"), beside the judgement's own changes. Who writes:
`Assessment.can_comment` (the goal's follow-up writers and controllers, in an open period); everyone with a
role reads the thread.
"""

import logging
import smtplib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import Membership, record_event
from goals.models import Organisation
from goals.permissions import is_controller
from goals.textinput import COMMENT_MAX, control_character_message

from .models import AssessmentComment

logger = logging.getLogger(__name__)
Role = Membership.Role


def thread(assessment):
    """The judgement's comments, oldest first, with their authors; one query (none without a judgement)."""
    if assessment is None or assessment.pk is None:
        return []
    return list(AssessmentComment.objects.filter(assessment=assessment).select_related("author"))


def comment_errors(text):
    """Why `text` cannot be a comment (Swedish messages), or [] when it can."""
    text = (text or "").strip()
    if not text:
        return [_("Write a comment.")]
    if len(text) > COMMENT_MAX:
        return [
            _("A comment holds at most %(max)d characters; this one has %(count)d.")
            % {"max": COMMENT_MAX, "count": len(text)}
        ]
    message = control_character_message(text)
    return [message] if message else []


def add_comment(assessment, user, text):
    """Write `user`'s comment in the judgement's dialogue; `assessment.can_comment(user)` must allow it."""
    if not assessment.can_comment(user):
        raise PermissionDenied
    errors = comment_errors(text)
    if errors:
        raise ValidationError({"text": errors})
    with transaction.atomic():
        comment = AssessmentComment.objects.create(assessment=assessment, author=user, text=text.strip())
        summary = _("Comment on the judgement of %(goal)s (%(period)s).") % {
            "goal": assessment.goal.title,
            "period": assessment.period,
        }
        record_event("assessment.comment", summary, user=user, obj=assessment)
    return comment


def recipients(comment):
    """The other side of the dialogue, with an address: the board's editors when a controller writes, the
    controllers when the board writes (and the other controllers on a goal of the council, whose follow-up
    only controllers write). Never the writer, never an inactive account."""
    author, owner = comment.author, comment.assessment.goal.owner
    users = get_user_model().objects.filter(is_active=True).exclude(email="").exclude(pk=author.pk)
    if is_controller(author) and owner.kind != Organisation.Kind.COUNCIL:
        # Editors of an organisation write the follow-up of its parts too (goals.permissions).
        editors = {"memberships__role": Role.EDITOR, "memberships__organisation__in": _with_parents(owner)}
        users = users.filter(**editors)
    else:
        users = users.filter(memberships__role=Role.CONTROLLER)
    return list(users.distinct().order_by("pk"))


def _with_parents(organisation):
    parents = dict(Organisation.objects.values_list("pk", "parent_id"))
    found, node = [], organisation.pk
    while node is not None and node not in found:
        found.append(node)
        node = parents.get(node)
    return found


def comment_link(comment, absolute_url=None):
    """The judgement page's address: on NORAMAL_SITE_URL when set, else as the request saw the site."""
    assessment = comment.assessment
    path = reverse("followup:assessment", args=[assessment.period_id, assessment.goal_id]) + "#dialogue"
    site = getattr(settings, "NORAMAL_SITE_URL", "")
    if site:
        return site.rstrip("/") + path
    return absolute_url(path) if absolute_url else path


def notify_comment(comment, absolute_url=None):
    """Tell the other side of the dialogue by e-mail, one message each; the number sent.

    `absolute_url`: the request's `build_absolute_uri`, for the link when NORAMAL_SITE_URL is not set. A mail
    server that fails is logged: the comment is written and shown whatever the mail does.
    """
    to = recipients(comment)
    if not to:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "comment": comment,
            "assessment": comment.assessment,
            "goal": comment.assessment.goal,
            "period": comment.assessment.period,
            "author": comment.author.get_full_name() or comment.author.get_username(),
            "link": comment_link(comment, absolute_url),
        }
        subject = " ".join(render_to_string("followup/email/comment_subject.txt", context).split())
        text = render_to_string("followup/email/comment_body.txt", context)
        html = render_to_string("followup/email/comment_body.html", context)
    messages = []
    for user in to:
        message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [user.email])
        message.attach_alternative(html, "text/html")
        messages.append(message)
    try:
        return mailers.default.send_messages(messages) or 0
    except (smtplib.SMTPException, OSError):
        logger.exception("The notice of comment %s could not be sent.", comment.pk)
        return 0
