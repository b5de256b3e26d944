"""One predicate for who writes an organisation's follow-up; the judgement's states asked, not compared."""

import re
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from followup import services
from followup.models import Assessment
from followup.permissions import (
    can_write_follow_up,
    follow_up_organisation_ids,
    goal_for_write,
    organisation_for_write,
)
from tests.matrix import PERSONAS, make_user

WRITERS = [p for p in PERSONAS if p != "anonymous"]
TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "followup"


def loads(loader, user, pk):
    try:
        loader(user, pk)
    except (PermissionDenied, Http404):
        return False
    return True


@pytest.mark.parametrize("persona", WRITERS)
@pytest.mark.parametrize("org", ["bn", "ks", "council"])
def test_every_follow_up_check_answers_as_the_one_predicate(world, persona, org):
    user, organisation = world.users[persona], getattr(world, org)
    allowed = can_write_follow_up(user, organisation)
    goal = {"bn": world.bn_goal, "ks": world.ks_goal, "council": world.kf_goal}[org]
    assert (organisation.pk in follow_up_organisation_ids(user)) == allowed
    assert loads(organisation_for_write, user, organisation.pk) == allowed
    assert loads(goal_for_write, user, goal.pk) == allowed
    try:
        services.save_assessment(world.period, goal, judgement="met", analysis="", by=user)
        saved = True
    except PermissionDenied:
        saved = False
    assert saved == allowed


def test_the_council_is_for_controllers_even_for_its_own_editor(world):
    editor = make_user("editor_kf", "editor", world.council)
    assert not can_write_follow_up(editor, world.council)
    assert can_write_follow_up(world.users["controller"], world.council)


@pytest.mark.parametrize(
    ("state", "persona", "edit", "approve", "send_back"),
    [
        (Assessment.State.DRAFT, "editor_bn", True, False, False),
        (Assessment.State.DRAFT, "controller", True, False, False),
        (Assessment.State.SUBMITTED, "editor_bn", False, False, False),
        (Assessment.State.SUBMITTED, "controller", False, True, True),
        (Assessment.State.APPROVED, "controller", False, False, True),
        (Assessment.State.DRAFT, "editor_ks", False, False, False),
        (Assessment.State.SUBMITTED, "reader", False, False, False),
    ],
)
def test_what_each_state_allows_whom(world, state, persona, edit, approve, send_back):
    assessment = Assessment(goal=world.bn_goal, period=world.period, state=state)
    user = world.users[persona]
    assert (assessment.can_edit(user), assessment.can_submit(user)) == (edit, edit)
    assert (assessment.can_approve(user), assessment.can_return(user)) == (approve, send_back)


def test_a_closed_periods_judgement_allows_nothing(world):
    assessment = Assessment(goal=world.bn_goal, period=world.closed_period, state=Assessment.State.SUBMITTED)
    admin = world.users["admin"]
    assert not any(f(admin) for f in (assessment.can_edit, assessment.can_approve, assessment.can_return))


def test_templates_ask_the_judgement_and_never_compare_its_state():
    compared = [
        f"{path.name}: {match}"
        for path in TEMPLATES.rglob("*.html")
        for match in re.findall(r"\.state\s*[!=]=\s*[\"'][a-z_]+[\"']", path.read_text())
    ]
    assert compared == []
