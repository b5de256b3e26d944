"""Financial goals (god ekonomisk hushållning): a flag on a goal the council decides, set on the goal's
form and in the admin, written and read by the goal file version 2 (round trip byte for byte), refused on
a level the council does not decide, and left out of version 1, which has no place for it."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from followup.models import ReportingPeriod
from goals import goalfile, tree
from goals.goalfile import GoalFileError, revision
from goals.models import Goal
from reports.data import Spec, build_report
from reports.models import Kind
from tests.goals.test_goalfile import NORA, import_text
from tests.goals.test_goalfile_version2 import export_text, malmo_doc, refusal, reimport

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def financial_malmo():
    doc = malmo_doc()
    doc["goals"][1]["financial"] = True  # "Resultatet ska uppgå till minst en procent …"
    return doc


def test_the_flag_round_trips_byte_for_byte_through_version_2():
    import_text(goalfile.dumps(financial_malmo()))
    goal = Goal.objects.get(key="resultat")
    assert goal.is_financial
    assert not Goal.objects.exclude(pk=goal.pk).filter(is_financial=True).exists()
    first = export_text()
    assert first.count('"financial": true') == 1  # written where true, left out where false
    reimport(first)
    assert Goal.objects.get(key="resultat").is_financial
    assert export_text() == first


def test_a_file_without_the_flag_exports_as_before():
    import_text(NORA.read_text("utf-8"))
    assert '"financial"' not in export_text()
    assert export_text(version=1) == NORA.read_text("utf-8")


def test_version_1_refuses_a_chain_with_a_financial_goal():
    import_text(NORA.read_text("utf-8"))
    goal = Goal.objects.filter(level_kind="council").order_by("lft").first()
    tree.update_goal(goal, is_financial=True)
    with pytest.raises(GoalFileError, match="financial goal, which version 1 cannot hold"):
        export_text(version=1)


def test_a_financial_goal_on_a_level_the_council_does_not_decide_is_refused_at_its_place():
    doc = financial_malmo()
    doc["goals"][1]["children"][0]["financial"] = True  # a board's nämndsmål
    doc["goals"][0]["financial"] = "yes"
    lines = refusal(doc)
    assert any(
        line.startswith("goals[1].children[0].financial: A financial goal is decided by the council")
        for line in lines
    ), lines
    assert any(line.startswith("goals[0].financial: expected true or false") for line in lines), lines


def test_a_revision_sets_and_clears_the_flag():
    import_text(goalfile.dumps(malmo_doc()))
    for doc, expected in ((financial_malmo(), True), (malmo_doc(), False)):
        plan = revision.plan_revision(goalfile.read(goalfile.dumps(doc)), 2017)
        revision.apply_revision(plan, reason="Nya finansiella mål", decision="KF § 1 2016-12-01")
        assert Goal.objects.get(key="resultat").is_financial is expected


def test_the_model_refuses_the_flag_on_a_board_goal(world):
    with pytest.raises(ValidationError) as refused:
        tree.update_goal(world.bn_goal, is_financial=True)
    assert "is_financial" in refused.value.message_dict
    assert not Goal.objects.get(pk=world.bn_goal.pk).is_financial


def test_the_controller_marks_a_council_goal_financial_on_its_form(login, world):
    client = login("controller")
    url = reverse("goals:goal_edit", args=[world.kf_goal.pk])
    assert 'name="is_financial"' in client.get(url).content.decode()
    response = client.post(
        url, {"title": world.kf_goal.title, "owner": world.council.pk, "is_financial": "on"}
    )
    assert response.status_code == 302
    assert Goal.objects.get(pk=world.kf_goal.pk).is_financial
    # A board goal's form has no such field.
    board_form = client.get(reverse("goals:goal_edit", args=[world.bn_goal.pk])).content.decode()
    assert 'name="is_financial"' not in board_form


def test_the_admin_offers_the_flag(client, world):
    user = world.users["admin"]
    user.is_staff = user.is_superuser = True
    user.save()
    client.force_login(user)
    page = client.get(reverse("admin:goals_goal_change", args=[world.kf_goal.pk]))
    assert page.status_code == 200 and 'name="is_financial"' in page.content.decode()


def test_a_compilation_lists_the_financial_goals_with_the_goals_under_them():
    import_text(goalfile.dumps(financial_malmo()))
    period = ReportingPeriod.objects.create(year=2017, kind="annual", deadline="2018-02-15")
    report = build_report(Spec(Kind.COMPILATION, period))
    [section] = report.economy.goals
    assert section.goal.title.startswith("Resultatet ska uppgå")
    assert [g.title for group in section.boards for g in group.goals] == [
        "Tekniska nämnden håller sin budget"
    ]
    assert section.goal.number == "F1"
