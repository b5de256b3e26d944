"""Four eyes: a judgement is approved by another person than those who wrote it.

Whoever wrote or changed a judgement's text (its judgement or its analysis), or submitted it, cannot approve
it; another controller must (`refusal`). The history (django-simple-history) is the record: each row is
compared with the one before it, so a save that only changed the state (submitting, sending back) writes
nothing. A controller's change of a board's draft is marked in its history row (`CONTROLLER_EDIT`) and
shown to the board on the judgement page (`controller_edits`). Read in one query for any number of
judgements, so that the approval queue asks once.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from goals.models import Organisation
from goals.permissions import is_controller

from .models import Assessment

# The history row's change reason of a controller's change of a board's draft.
CONTROLLER_EDIT = "controller_edit"


@dataclass
class Edit:
    """A controller's change of a board's draft, as the history keeps it."""

    when: object
    who: str


@dataclass
class Authorship:
    """Who wrote a judgement: the users who changed its text or submitted it, and the controllers' edits."""

    writers: set = field(default_factory=set)
    controller_edits: list = field(default_factory=list)


def is_controller_edit(user, goal):
    """Is `user`'s change of `goal`'s judgement a controller's change of a board's (not the council's)?"""
    return user is not None and is_controller(user) and goal.owner.kind != Organisation.Kind.COUNCIL


def _name(first, last, username):
    return f"{first} {last}".strip() or username or "–"


def authorship(assessments):
    """Authorship per assessment pk, for `assessments` (one query for all of them)."""
    found = {a.pk: Authorship() for a in assessments}
    for assessment in assessments:
        if assessment.submitted_by_id:
            found[assessment.pk].writers.add(assessment.submitted_by_id)
    rows = (
        Assessment.history.filter(id__in=found)
        .order_by("id", "history_date", "history_id")
        .values_list(
            "id",
            "history_user_id",
            "judgement",
            "analysis",
            "history_change_reason",
            "history_date",
            "history_user__first_name",
            "history_user__last_name",
            "history_user__username",
        )
    )
    previous = {}
    for pk, user_id, judgement, analysis, reason, when, first, last, username in rows:
        text = (judgement, analysis)
        if previous.get(pk) != text and user_id is not None:
            found[pk].writers.add(user_id)
        previous[pk] = text
        if reason == CONTROLLER_EDIT:
            found[pk].controller_edits.append(Edit(when, _name(first, last, username)))
    return found


def refusal(user, assessment, known=None):
    """Why `user` may not approve `assessment` under four eyes, or None. `known`: its `Authorship`, when
    read already. No user is the system, which is not asked."""
    if user is None or assessment is None or assessment.pk is None:
        return None
    known = known or authorship([assessment])[assessment.pk]
    if user.pk in known.writers:
        return _("You wrote or changed this judgement: another controller must approve it (four eyes).")
    return None
