"""A revised goal file on an installation with goals: matched by keys, nothing of the history lost."""

import copy
import hashlib
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation

from accounts.models import AuditEvent, Membership
from followup.models import Assessment, IndicatorValue, ReportingPeriod
from goals import goalfile
from goals.goalfile import revision
from goals.models import Goal, Indicator, Target
from goals.treecheck import tree_violations
from tests.goals.test_goalfile import small_doc
from tests.matrix import make_user

pytestmark = pytest.mark.django_db
YEAR = 2027  # the revision holds from 2027; 2025 is closed, 2026 open


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def world():
    """Nora-shaped goals from a version 1 file, follow-up in a closed 2025 and an open 2026."""
    goalfile.import_plan(goalfile.validate(small_doc()))
    closed = ReportingPeriod.objects.create(year=2025, kind=ReportingPeriod.Kind.ANNUAL, state="closed")
    current = ReportingPeriod.objects.create(year=2026, kind=ReportingPeriod.Kind.ANNUAL)
    board_goal = Goal.objects.get(title="Tillgängliga lärmiljöer")
    indicator = Indicator.objects.get(name="Trygga elever")
    IndicatorValue.objects.create(indicator=indicator, period=closed, total=Decimal("84"))
    IndicatorValue.objects.create(indicator=indicator, period=current, total=Decimal("88"))
    Assessment.objects.create(
        goal=board_goal, period=closed, judgement="partly_met", analysis="Bättre.", state="approved"
    )
    return {"closed": closed, "current": current, "board_goal": board_goal, "indicator": indicator}


def exported():
    """The installation as a version 2 file, with its keys, as a municipality would edit it."""
    return json.loads(goalfile.dumps(goalfile.export_document()))


def find(doc, title):
    """The goal object of `doc` with `title`, and the list it sits in."""
    stack = [(doc["goals"], g) for g in doc["goals"]]
    while stack:
        siblings, goal = stack.pop()
        if goal["title"] == title:
            return goal, siblings
        stack += [(goal.get("children", []), c) for c in goal.get("children", [])]
    raise KeyError(title)


def plan_of(doc, year=YEAR):
    text = goalfile.dumps(doc)
    return revision.plan_revision(goalfile.read(text), year, sha256=revision.file_sha256(text.encode()))


def apply(doc, year=YEAR):
    plan = plan_of(doc, year)
    revision.apply_revision(plan, reason="Ny mål och budget", decision="KF § 112 2026-11-23")
    return plan


def follow_up_counts():
    return {model.__name__: model.objects.count() for model in (IndicatorValue, Assessment, ReportingPeriod)}


def test_an_unchanged_export_is_no_change(world):
    plan = plan_of(exported())
    assert plan.changes == 0
    assert plan.unchanged["goal"] == Goal.objects.count()
    assert "The file holds no changes." in revision.revision_text(plan)


def test_a_renamed_goal_keeps_its_row_history_and_follow_up(world):
    doc = exported()
    find(doc, "Tillgängliga lärmiljöer")[0]["title"] = "Trygga och tillgängliga lärmiljöer"
    before = follow_up_counts()
    plan = apply(doc)
    assert [text for _kind, text in plan.lines] == [
        "Changed title: “Tillgängliga lärmiljöer” → “Trygga och tillgängliga lärmiljöer”"
    ]
    goal = Goal.objects.get(pk=world["board_goal"].pk)
    assert goal.title == "Trygga och tillgängliga lärmiljöer"
    assert follow_up_counts() == before
    assert list(goal.history.order_by("history_id").values_list("history_type", "title")) == [
        ("+", "Tillgängliga lärmiljöer"),
        ("~", "Trygga och tillgängliga lärmiljöer"),
    ]
    assert tree_violations() == []


def test_a_left_out_goal_with_follow_up_is_ended_and_its_years_still_show(world, client):
    doc = exported()
    goal, siblings = find(doc, "Tillgängliga lärmiljöer")
    siblings.remove(goal)
    before = follow_up_counts()
    plan = apply(doc)
    texts = [text for _kind, text in plan.lines]
    assert (
        "Ends 2026: “Tillgängliga lärmiljöer” (3 rows of follow-up; "
        "still in the open period Annual report 2026)" in texts
    )
    # Its unit goal had none of its own: it goes.
    assert "Deleted (no follow-up): “Läsning i årskurs 1”" in texts
    ended = Goal.objects.get(pk=world["board_goal"].pk)
    assert ended.valid_to == YEAR - 1
    assert not Goal.objects.filter(title="Läsning i årskurs 1").exists()
    assert follow_up_counts() == before
    assert IndicatorValue.objects.filter(indicator=world["indicator"]).count() == 2
    page = client.get(reverse("goals:detail", args=[ended.pk])).content.decode()
    assert "Bättre." in page  # the closed year's judgement, as it was
    assert tree_violations() == []


def test_a_left_out_goal_without_follow_up_is_deleted(world):
    doc = exported()
    goal, siblings = find(doc, "Läsning i årskurs 1")
    siblings.remove(goal)
    apply(doc)
    assert not Goal.objects.filter(title="Läsning i årskurs 1").exists()
    assert Goal.objects.filter(title="Tillgängliga lärmiljöer", valid_to__isnull=True).exists()


def test_new_and_moved_goals(world):
    doc = exported()
    council, _ = find(doc, "Alla barns kunskapsutveckling")
    board, _ = find(doc, "Tillgängliga lärmiljöer")
    unit = board.pop("children")[0]
    council["children"].append(
        {"level": "board", "title": "Fler läsande barn", "owner": "BN", "children": [unit]}
    )
    plan = apply(doc)
    assert [text for _kind, text in plan.lines] == [
        "New goal: “Fler läsande barn” (Bildningsnämnden) under “Alla barns kunskapsutveckling”",
        "Moved: “Läsning i årskurs 1” from “Tillgängliga lärmiljöer” to “Fler läsande barn”",
    ]
    new = Goal.objects.get(title="Fler läsande barn")
    assert list(new.get_children().values_list("title", flat=True)) == ["Läsning i årskurs 1"]
    assert tree_violations() == []


def test_indicators_and_targets_are_revised_and_a_left_out_indicator_with_values_ends(world):
    doc = exported()
    goal, _ = find(doc, "Tillgängliga lärmiljöer")
    kept = goal["indicators"].pop(0)  # "Trygga elever", with values: ended
    assert kept["name"] == "Trygga elever"
    goal["indicators"].append(
        {"name": "Läsande elever", "unit": "%", "targets": [{"from": 2027, "value": 70}]}
    )
    overarching, _ = find(doc, "13 000 invånare 2030")
    overarching["indicators"][0]["targets"] = [{"from": 2030, "value": 13500}]
    plan = apply(doc)
    texts = [text for _kind, text in plan.lines]
    assert "New indicator: “Läsande elever” on “Tillgängliga lärmiljöer”" in texts
    assert "Changed target for “Invånare totalt”: 2030: ≥ 13\u00a0000 → 2030: ≥ 13\u00a0500" in texts
    assert (
        "Indicator ends 2026: “Trygga elever” (2 rows of follow-up; "
        "still in the open period Annual report 2026)" in texts
    )
    assert Indicator.objects.get(pk=world["indicator"].pk).valid_to == 2026
    target = Target.objects.get(indicator__name="Invånare totalt")
    assert (target.value, target.change_reason, target.change_decision) == (
        Decimal("13500"),
        "Ny mål och budget",
        "KF § 112 2026-11-23",
    )


def test_a_closed_years_target_is_refused(world):
    Target.objects.create(indicator=world["indicator"], from_year=2025, to_year=2025, value=80)
    doc = exported()
    goal, _ = find(doc, "Tillgängliga lärmiljöer")
    goal["indicators"][0]["targets"][0]["value"] = 70  # the 2025 target
    before = Target.objects.get(from_year=2025).value
    with pytest.raises(goalfile.GoalFileError) as error:
        plan_of(doc)
    assert "whose annual report is closed" in str(error.value)
    assert Target.objects.get(from_year=2025).value == before


def test_a_file_without_keys_matches_on_level_owner_and_title(world):
    doc = small_doc()
    doc["council_goals"][0]["board_goals"][0]["description"] = "Nu med beskrivning."
    plan = plan_of(doc)
    assert [text for _kind, text in plan.lines] == ["Changed description: “Tillgängliga lärmiljöer”"]


def test_ambiguous_matching_names_both_places(world):
    doc = small_doc()
    twin = copy.deepcopy(doc["council_goals"][0]["board_goals"][0])
    doc["council_goals"][0]["board_goals"].append(twin)
    with pytest.raises(goalfile.GoalFileError) as error:
        plan_of(doc)
    assert str(error.value).splitlines()[0] == (
        "council_goals[0].board_goals[1]: this goal has the same level, owner and title as the goal at "
        "council_goals[0].board_goals[0], and neither has a key: give them keys so that the revision can "
        "tell them apart"
    )


def test_dry_run_prints_in_swedish_and_changes_nothing(world, tmp_path):
    doc = exported()
    find(doc, "Tillgängliga lärmiljöer")[0]["title"] = "Trygga lärmiljöer"
    path = tmp_path / "mal.json"
    path.write_text(goalfile.dumps(doc), encoding="utf-8")
    before = list(Goal.history.values_list("history_id", flat=True))
    out = StringIO()
    with translation.override("sv"):
        call_command("import_goals", str(path), "--dry-run", "--from-year", "2027", stdout=out)
    text = out.getvalue()
    assert "Ändrad titel: ”Tillgängliga lärmiljöer” → ”Trygga lärmiljöer”" in text
    assert "Provkörning: ingenting ändrades." in text
    assert list(Goal.history.values_list("history_id", flat=True)) == before
    assert Goal.objects.filter(title="Tillgängliga lärmiljöer").exists()


def test_command_applies_a_revision_as_one_audit_event(world, tmp_path):
    doc = exported()
    find(doc, "Tillgängliga lärmiljöer")[0]["title"] = "Trygga lärmiljöer"
    path = tmp_path / "mal.json"
    path.write_text(goalfile.dumps(doc), encoding="utf-8")
    make_user("controller", Membership.Role.CONTROLLER, world["board_goal"].owner.parent)
    call_command(
        "import_goals", str(path), "--from-year", "2027", "--reason", "Revision", "--decision",
        "KF § 112 2026-11-23", "--user", "controller", stdout=StringIO(),
    )  # fmt: skip
    event = AuditEvent.objects.get(action="goal_tree.revise")
    assert hashlib.sha256(path.read_bytes()).hexdigest() in event.summary
    assert "KF § 112 2026-11-23" in event.summary and "Revision" in event.summary
    assert event.user.username == "controller"
    assert Goal.history.filter(title="Trygga lärmiljöer").get().history_user.username == "controller"


def test_a_revision_needs_a_reason_and_a_decision(world, tmp_path):
    doc = exported()
    find(doc, "Tillgängliga lärmiljöer")[0]["title"] = "Trygga lärmiljöer"
    path = tmp_path / "mal.json"
    path.write_text(goalfile.dumps(doc), encoding="utf-8")
    with pytest.raises(CommandError, match="Say why the goals are revised"):
        call_command("import_goals", str(path), stdout=StringIO())
    assert Goal.objects.filter(title="Tillgängliga lärmiljöer").exists()


def test_an_invalid_file_changes_nothing_and_lists_every_error(world, tmp_path):
    doc = exported()
    goal, _ = find(doc, "Tillgängliga lärmiljöer")
    goal["title"] = ""
    goal["owner"] = "NOPE"
    path = tmp_path / "mal.json"
    path.write_text(goalfile.dumps(doc), encoding="utf-8")
    before = Goal.objects.count(), AuditEvent.objects.count()
    with pytest.raises(CommandError) as error:
        call_command("import_goals", str(path), "--reason", "x", "--decision", "y", stdout=StringIO())
    lines = str(error.value).splitlines()
    assert any(line.endswith(".title: must not be empty") for line in lines)
    assert any('unknown organisation "NOPE"' in line for line in lines)
    assert (Goal.objects.count(), AuditEvent.objects.count()) == before


def test_replace_refuses_while_follow_up_hangs_on_the_goals(world, tmp_path):
    path = tmp_path / "mal.json"
    path.write_text(goalfile.dumps(exported()), encoding="utf-8")
    with pytest.raises(CommandError, match="would delete the follow-up"):
        call_command("import_goals", str(path), "--replace", stdout=StringIO())
    assert Goal.objects.count() == 5


def test_the_plan_is_refused_when_the_goals_changed_since(world):
    doc = exported()
    find(doc, "Tillgängliga lärmiljöer")[0]["title"] = "Trygga lärmiljöer"
    plan = plan_of(doc)
    Goal.objects.filter(title="Läsning i årskurs 1").update(title="Läsning")
    with pytest.raises(revision.RevisionRefused, match="changed since"):
        revision.apply_revision(plan, reason="r", decision="d")
    assert Goal.objects.filter(title="Tillgängliga lärmiljöer").exists()


def test_default_from_year():
    import datetime

    assert revision.default_from_year(datetime.date(2026, 9, 30)) == 2026
    assert revision.default_from_year(datetime.date(2026, 10, 1)) == 2027


# --- The controllers' page ----------------------------------------------------------------------------


def test_page_flow_upload_preview_confirm(world, client):
    controller = make_user("controller", Membership.Role.CONTROLLER, world["board_goal"].owner.parent)
    client.force_login(controller)
    doc = exported()
    find(doc, "Tillgängliga lärmiljöer")[0]["title"] = "Trygga lärmiljöer"
    upload = StringIO(goalfile.dumps(doc))
    upload.name = "mal.json"
    url = reverse("goals:revise")
    data = {"file": upload, "from_year": YEAR, "reason": "Ny plan", "decision": "KF § 112 2026-11-23"}
    preview = client.post(url, data)
    page = preview.content.decode()
    assert preview.status_code == 200
    assert "Changed title: “Tillgängliga lärmiljöer” → “Trygga lärmiljöer”" in page
    assert Goal.objects.filter(title="Tillgängliga lärmiljöer").exists()  # nothing yet
    # Confirming without the explicit confirmation does nothing.
    assert client.post(url, {"step": "apply"}).status_code == 200
    assert Goal.objects.filter(title="Tillgängliga lärmiljöer").exists()
    response = client.post(url, {"step": "apply", "confirm": "on"})
    assert response.status_code == 302
    assert Goal.objects.filter(title="Trygga lärmiljöer").exists()
    assert AuditEvent.objects.filter(action="goal_tree.revise", user=controller).count() == 1


def test_page_shows_every_error_and_changes_nothing(world, client):
    controller = make_user("controller", Membership.Role.CONTROLLER, world["board_goal"].owner.parent)
    client.force_login(controller)
    doc = exported()
    goal, _ = find(doc, "Tillgängliga lärmiljöer")
    goal["title"], goal["owner"] = "", "NOPE"
    upload = StringIO(goalfile.dumps(doc))
    upload.name = "mal.json"
    before = Goal.objects.count()
    data = {"file": upload, "from_year": YEAR, "reason": "r", "decision": "d"}
    page = client.post(reverse("goals:revise"), data).content.decode()
    assert "must not be empty" in page and "unknown organisation" in page
    assert Goal.objects.count() == before
