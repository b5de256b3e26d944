"""A new mandate period or budget year: what continues, ends and is new, and its targets."""

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation

from accounts.models import AuditEvent, Membership
from followup.models import IndicatorValue, ReportingPeriod
from goals import goalfile, mandate
from goals.models import Goal, Indicator, Target
from goals.treecheck import tree_violations
from tests.goals import test_revision
from tests.goals.test_revision import exported, find
from tests.matrix import make_user

pytestmark = pytest.mark.django_db
world = test_revision.world  # the fixture
REASON, DECISION = "Ny strategisk plan", "KF § 118 2026-11-23"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def period_2023(world):
    """Every goal and indicator valid 2023–2026, as a mandate period's file says."""
    for goal in Goal.objects.all():
        Goal.objects.filter(pk=goal.pk).update(valid_from=2023, valid_to=2026)
    Indicator.objects.update(valid_from=2023, valid_to=2026)
    return world


def lines(plan):
    return [text for _kind, text in plan.all_lines]


def test_goals_ending_with_the_old_period_continue_and_their_targets_are_carried(period_2023):
    target = Target.objects.get(indicator__name="Trygga elever")
    before = (target.from_year, target.to_year, target.value, Target.history.count())
    plan = mandate.plan_mandate(2027, 2030)
    texts = lines(plan)
    assert "Continues 2027–2030: “Tillgängliga lärmiljöer”" in texts
    assert "Indicator continues 2027–2030: “Trygga elever”" in texts
    assert "Target carried forward to 2027–2030 for “Trygga elever”: ≥ 90" in texts
    assert Goal.objects.filter(valid_to=2030).count() == 0  # a plan writes nothing
    history = Goal.history.count()
    mandate.apply_mandate(plan, reason=REASON, decision=DECISION)
    assert set(Goal.objects.values_list("valid_to", flat=True)) == {2030}
    assert Indicator.objects.get(name="Trygga elever").valid_to == 2030
    target.refresh_from_db()
    assert (target.from_year, target.to_year, target.value) == before[:3]  # the old row is as it was
    carried = Target.objects.get(indicator__name="Trygga elever", from_year=2027)
    assert (carried.to_year, carried.value, carried.tolerance) == (2030, Decimal("90"), Decimal("5"))
    assert carried.changed_at is None  # a new decided target, not a changed one
    assert Goal.history.count() == history + Goal.objects.count()
    event = AuditEvent.objects.get(action="goal_tree.new_period")
    assert "2027–2030" in event.summary and DECISION in event.summary
    assert tree_violations() == []


def test_an_ended_goal_ends_with_its_sub_goals_and_keeps_its_follow_up(period_2023, client):
    board = period_2023["board_goal"]
    plan = mandate.plan_mandate(2027, 2030, ending=[board.pk])
    texts = lines(plan)
    assert "Ends 2026 with the period: “Tillgängliga lärmiljöer”" in texts
    assert "Ends 2026 with the period: “Läsning i årskurs 1”" in texts
    assert not any("Trygga elever" in text for text in texts)  # its indicator ends with it
    values = IndicatorValue.objects.count()
    mandate.apply_mandate(plan, reason=REASON, decision=DECISION)
    assert Goal.objects.get(pk=board.pk).valid_to == 2026
    assert Goal.objects.get(title="Läsning i årskurs 1").valid_to == 2026
    assert Goal.objects.get(title="Alla barns kunskapsutveckling").valid_to == 2030
    assert IndicatorValue.objects.count() == values
    parent = Goal.objects.get(title="Alla barns kunskapsutveckling")
    url = reverse("goals:detail", args=[parent.pk])
    assert "Tillgängliga lärmiljöer" in client.get(url, {"ar": 2026}).content.decode()
    assert "Tillgängliga lärmiljöer" not in client.get(url, {"ar": 2027}).content.decode()


def test_new_targets_leave_the_new_years_without_a_target(period_2023):
    plan = mandate.plan_mandate(2027, 2027, targets=mandate.NEW)
    assert "No target for 2027 yet: “Trygga elever”" in lines(plan)
    mandate.apply_mandate(plan, reason=REASON, decision=DECISION)
    assert not Target.objects.filter(from_year=2027).exists()
    assert Goal.objects.get(pk=period_2023["board_goal"].pk).valid_to == 2027


def test_a_file_brings_new_goals_and_ends_those_it_leaves_out(period_2023):
    doc = exported()
    goal, siblings = find(doc, "Tillgängliga lärmiljöer")
    siblings.remove(goal)
    siblings.append({"level": goal["level"], "title": "Digital skola", "owner": "BN", "valid_from": 2027})
    text = goalfile.dumps(doc)
    plan = mandate.plan_mandate(2027, 2030, file_plan=goalfile.read(text), sha256="abc")
    texts = lines(plan)
    assert "New goal: “Digital skola” (Bildningsnämnden) under “Alla barns kunskapsutveckling”" in texts
    assert "Ends 2026 with the period: “Tillgängliga lärmiljöer”" in texts
    assert "Continues 2027–2030: “Alla barns kunskapsutveckling”" in texts
    assert not any(t.startswith("Continues 2027–2030: “Tillgängliga") for t in texts)
    mandate.apply_mandate(plan, reason=REASON, decision=DECISION)
    assert Goal.objects.get(title="Digital skola").valid_from == 2027
    assert Goal.objects.get(pk=period_2023["board_goal"].pk).valid_to == 2026
    assert "abc" in AuditEvent.objects.get(action="goal_tree.new_period").summary
    assert tree_violations() == []


def test_bad_years_are_refused_all_at_once_and_a_closed_year_cannot_begin_a_period(period_2023):
    with pytest.raises(mandate.MandateRefused) as refused:
        mandate.plan_mandate(2031, 2027)
    assert "comes before its first" in str(refused.value)
    with pytest.raises(mandate.MandateRefused) as refused:
        mandate.plan_mandate(2025, 2028)  # 2025's annual report is closed
    assert "2025 is closed" in str(refused.value)


def test_the_plan_is_refused_when_the_goals_changed_since(period_2023):
    plan = mandate.plan_mandate(2027, 2030)
    Goal.objects.filter(title="Läsning i årskurs 1").update(valid_to=2025)
    with pytest.raises(mandate.MandateRefused):
        mandate.apply_mandate(plan, reason=REASON, decision=DECISION)
    assert not Goal.objects.filter(valid_to=2030).exists()


def test_command_dry_run_and_apply(period_2023, tmp_path, capsys):
    call_command("start_period", "--first", "2027", "--last", "2030", "--dry-run")
    out = capsys.readouterr().out
    assert "Continues 2027–2030: “Tillgängliga lärmiljöer”" in out
    assert not Goal.objects.filter(valid_to=2030).exists()
    with pytest.raises(CommandError):
        call_command("start_period", "--first", "2027", "--last", "2030")  # no reason, no decision
    board = period_2023["board_goal"]
    call_command("start_period", "--first", "2027", "--last", "2030", "--end", board.key,
                 "--reason", REASON, "--decision", DECISION)  # fmt: skip
    assert Goal.objects.get(pk=board.pk).valid_to == 2026
    assert Goal.objects.get(title="Alla barns kunskapsutveckling").valid_to == 2030


def test_page_flow_preview_end_a_goal_confirm(period_2023, client):
    controller = make_user("controller", Membership.Role.CONTROLLER, period_2023["board_goal"].owner.parent)
    client.force_login(controller)
    url = reverse("goals:new_period")
    assert client.get(url).status_code == 200
    data = {"first_year": 2027, "last_year": 2030, "targets": "carry", "reason": REASON, "decision": DECISION}
    page = client.post(url, data).content.decode()
    assert "Continues 2027–2030: “Tillgängliga lärmiljöer”" in page
    board = period_2023["board_goal"]
    page = client.post(url, {"step": "update", "end": [str(board.pk)]}).content.decode()
    assert "Ends 2026 with the period: “Tillgängliga lärmiljöer”" in page
    assert client.post(url, {"step": "apply"}).status_code == 200  # not confirmed: nothing
    assert not Goal.objects.filter(valid_to=2030).exists()
    assert client.post(url, {"step": "apply", "confirm": "on"}).status_code == 302
    assert Goal.objects.get(pk=board.pk).valid_to == 2026
    assert Goal.objects.get(title="Alla barns kunskapsutveckling").valid_to == 2030
    assert AuditEvent.objects.filter(action="goal_tree.new_period", user=controller).count() == 1


def test_page_refuses_a_reader_and_lists_a_bad_file(period_2023, client):
    reader = make_user("reader", Membership.Role.READER, period_2023["board_goal"].owner.parent)
    client.force_login(reader)
    assert client.get(reverse("goals:new_period")).status_code == 403
    controller = make_user("controller", Membership.Role.CONTROLLER, period_2023["board_goal"].owner.parent)
    client.force_login(controller)
    doc = exported()
    find(doc, "Tillgängliga lärmiljöer")[0]["owner"] = "NOPE"
    upload = StringIO(json.dumps(doc))
    upload.name = "mal.json"
    data = {"first_year": 2027, "last_year": 2030, "targets": "carry", "reason": REASON, "decision": DECISION,
            "file": upload}  # fmt: skip
    page = client.post(reverse("goals:new_period"), data).content.decode()
    assert "unknown organisation" in page
    assert not Goal.objects.filter(valid_to=2030).exists()


def test_goal_page_year_filter_shows_what_is_valid_in_the_year(period_2023, client):
    indicator = period_2023["indicator"]
    Target.objects.create(indicator=indicator, from_year=2023, to_year=2025, value=80)
    goal = period_2023["board_goal"]
    url = reverse("goals:detail", args=[goal.pk])
    page = client.get(url, {"ar": 2026}).content.decode()
    assert "Trygga elever" in page and "Läsning i årskurs 1" in page
    assert "2023–2025" not in page and "2026" in page
    assert "2023–2025" in client.get(url).content.decode()  # without a year: every target
    page = client.get(url, {"ar": 2027}).content.decode()
    assert "Läsning i årskurs 1" not in page and "Trygga elever" not in page
    assert "This goal was not valid in 2027." in page
    assert client.get(url, {"ar": "x"}).status_code == 200  # a year that is none: every year
    assert ReportingPeriod.objects.count() == 2
