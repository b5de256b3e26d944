"""The dialogue on a judgement: its board and the controllers write to each other, and the other side is told.

A comment is never changed or deleted: the thread, oldest first with who and when, is the dialogue's history.
Writing one is also an audit event ("assessment.comment"), beside the judgement's own changes. Who writes:
`Assessment.can_comment` (the goal's follow-up writers and controllers, in an open period); everyone with a
role reads the thread. The other side is told by e-mail: `notices.notify_comment`.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import record_event
from goals.textinput import COMMENT_MAX, control_character_message

from .models import AssessmentComment


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
