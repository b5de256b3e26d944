"""Who may do what in the follow-up (built on goals.permissions), and loaders that fetch in the user's scope.

- An indicator's values and an activity's status are its owner's to enter, whoever owns its goal (a board's
  indicator on a KF goal is the board's); a goal's judgement is the goal's owner's. An organisation's
  follow-up: its editors (and the editors of an organisation it is part of), controllers and admins. The
  council's: controllers and admins.
- Approving or sending back a judgement, and managing periods: controllers and admins.
- The dialogue on a judgement: those who write the goal's follow-up (its board's editors) and controllers
  write in it; everyone with a role reads it.
- Reading follow-up of open periods: logged-in users with a role. Closed periods and Kolada values are public.
  Every follow-up page has a read view for them (readers, and editors on another organisation's pages): the
  periods, the overview, each organisation's judgements, each judgement. A closed period's approved
  judgements are public pages (`Assessment.objects.public`).
A user without any write role gets 403 on write pages; an editor who asks to write another organisation's
follow-up gets 404, so that nothing about it leaks.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from goals.models import Goal, Organisation
from goals.permissions import can_read, can_write, editable_organisation_ids, is_controller

__all__ = [
    "can_approve",
    "can_comment",
    "can_manage_periods",
    "can_read",
    "can_resolve_kolada_differences",
    "can_see_open_values",
    "can_write_follow_up",
    "follow_up_organisation_ids",
    "goal_for_write",
    "organisation_for_read",
    "organisation_for_write",
    "require_controller",
    "require_reader",
]


def can_manage_periods(user):
    """Controllers run the reporting calendar: create, close and reopen periods."""
    return is_controller(user)


def can_approve(user):
    """Controllers approve a submitted judgement or send it back."""
    return is_controller(user)


def can_resolve_kolada_differences(user):
    """Controllers bring in Kolada's data: they keep our figure or take Kolada's where the two differ."""
    return is_controller(user)


def can_see_open_values(user):
    """Values of a period that is still open are for logged-in users with a role, not yet for the public."""
    return can_read(user)


def can_write_follow_up(user, organisation):
    """May `user` write `organisation`'s follow-up: the values of the indicators it owns, the statuses of its
    activities and the judgements of its goals (`services.writer_of` says whose an item is)?

    Its editors (and those of an organisation it is part of), controllers and admins. Only controllers and
    admins write the council's part of the chain, even an editor of the council itself.
    """
    if is_controller(user):
        return True
    if organisation.kind == Organisation.Kind.COUNCIL:
        return False
    return organisation.pk in editable_organisation_ids(user)


def can_comment(user, organisation):
    """May `user` write in the dialogue on a judgement of `organisation`'s goal? Its writers (its editors,
    controllers and admins) are the two sides of it; readers follow it."""
    return can_write_follow_up(user, organisation)


def follow_up_organisation_ids(user):
    """Ids of the organisations whose follow-up the user writes (`can_write_follow_up` of each)."""
    if not can_write(user):
        return set()
    return {o.pk for o in Organisation.objects.only("pk", "kind") if can_write_follow_up(user, o)}


def require_reader(user):
    if not can_read(user):
        raise PermissionDenied


def require_controller(user):
    if not is_controller(user):
        raise PermissionDenied


def organisation_for_write(user, pk):
    """The organisation whose follow-up `user` writes: 403 without any write role, 404 when not theirs."""
    if not can_write(user):
        raise PermissionDenied
    organisation = get_object_or_404(Organisation, pk=pk)
    if not can_write_follow_up(user, organisation):
        raise Http404
    return organisation


def organisation_for_read(user, pk):
    """An organisation whose follow-up `user` reads (everyone with a role reads all): 403 without one."""
    require_reader(user)
    return get_object_or_404(Organisation, pk=pk)


def goal_for_write(user, pk):
    """A goal whose judgement `user` writes: 403 without any write role, 404 when not theirs."""
    if not can_write(user):
        raise PermissionDenied
    goal = get_object_or_404(Goal.objects.select_related("owner"), pk=pk)
    if not can_write_follow_up(user, goal.owner):
        raise Http404
    return goal
