"""Report data as plain data: what each kind shows, and a fixed number of queries at any tree size."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from followup.models import Assessment, IndicatorValue, ReportingPeriod
from goals import goalfile, tree
from goals.models import Goal, Indicator, Organisation
from goals.synthetic import synthetic_document
from reports.data import ReportUnavailable, Spec, build_report, spec_for
from reports.models import Kind
from tests.levels import Level
from tests.reports.world import KF_JUDGEMENTS, analysis_for

J = Assessment.Judgement
NBSP = "\xa0"


def annual(w):
    return build_report(Spec(Kind.ANNUAL, w["annual"]))


def test_annual_overview_counts_the_council_goals_outcomes(nora_world):
    report = annual(nora_world)
    assert report.headline == "8 av 11 KF-mål uppfyllda"
    assert report.totals == {"met": 8, "partly_met": 2, "not_met": 1, "not_assessed": 0}
    assert [c.goal.judgement.code for c in report.council_goals] == [j.value for j in KF_JUDGEMENTS]
    assert [c.goal.judgement.analysis for c in report.council_goals] == [
        analysis_for(n) for n in range(1, 12)
    ]
    assert [label for _code, label in report.judgement_labels] == [
        "Uppfyllt", "Delvis uppfyllt", "Ej uppfyllt", "Ej bedömt"
    ]  # fmt: skip


def test_interim_report_speaks_of_a_forecast(nora_world):
    report = build_report(Spec(Kind.INTERIM, nora_world["interim"]))
    assert report.headline == "11 av 11 KF-mål bedöms uppfyllas"
    assert report.council_goals[0].goal.judgement.label == "Bedöms uppfyllas"
    # Compared with earlier interim periods of the same kind, never with annual values.
    assert [c.label for c in report.columns] == ["Delår 2026"]


def test_interim_report_compares_with_the_same_interim_period_of_earlier_years(nora_world):
    earlier = ReportingPeriod.objects.create(
        year=2025, kind=ReportingPeriod.Kind.INTERIM_AUGUST, deadline=date(2025, 9, 15)
    )
    ReportingPeriod.objects.create(
        year=2025, kind=ReportingPeriod.Kind.INTERIM_APRIL, deadline=date(2025, 5, 15)
    )
    safe = Indicator.objects.get(kolada_kpi="N15643")
    IndicatorValue.objects.create(indicator=safe, period=earlier, total=Decimal("79.0"))
    report = build_report(Spec(Kind.INTERIM, nora_world["interim"]))
    assert [c.label for c in report.columns] == ["Delår 2025", "Delår 2026"]
    row = next(i for g in report.all_goals() for i in g.indicators if i.pk == safe.pk)
    assert [v.total if v else None for v in row.values] == [Decimal("79.0"), Decimal("83.0")]


def test_board_goals_sit_under_their_council_goal_with_their_own_judgement(nora_world):
    report = annual(nora_world)
    fifth = report.council_goals[4]
    assert fifth.goal.number == "5"
    [group] = fifth.boards
    assert (group.code, group.name) == ("BN", "Bildningsnämnden")
    [goal] = group.goals
    assert goal.number == "5.1"
    assert goal.judgement.code == "partly_met" and goal.judgement.stated and not goal.judgement.approved
    assert goal.judgement.analysis == "Tryggheten har ökat men behörigheten ligger under målet."
    assert fifth.counts == {"met": 0, "partly_met": 1, "not_met": 0, "not_assessed": 0}
    assert [(a.title, a.status_label) for a in goal.activities] == [
        ("Ta fram gemensam rutin för samverkan mellan Skola och IFO", "Genomförd"),
        ("Utveckla de digitala pedagogiska verktygen", "Försenad"),
    ]


def test_indicators_carry_years_of_values_targets_signals_and_sources(nora_world):
    report = annual(nora_world)
    assert [c.label for c in report.columns] == ["2023", "2024", "2025", "2026"]
    safe, eligible = report.council_goals[4].boards[0].goals[0].indicators
    assert [v.total for v in safe.values] == [
        Decimal("81.5"),
        Decimal("82.5"),
        Decimal("83.5"),
        Decimal("84.5"),
    ]
    assert (safe.target, safe.target_year, safe.signal, safe.signal_word) == (85, 2026, "yellow", "Nära")
    assert not safe.from_kolada
    assert eligible.gender_split and eligible.from_kolada
    assert eligible.current.women == Decimal("92.5") and eligible.current.men == Decimal("88.0")
    assert (eligible.signal, eligible.signal_word) == ("green", "Nått")


def test_annual_report_shows_the_population_against_the_target_of_2030(nora_world):
    report = annual(nora_world)
    [population] = report.top[1].indicators
    assert population.name == "Invånare totalt" and population.from_kolada
    assert [v.total for v in population.values] == [10400, 10437, 10474, 10511]
    assert (population.target, population.target_year, population.signal) == (13000, 2030, "none")


def test_a_draft_judgement_is_not_reported(nora_world):
    goal = Goal.objects.get(level_kind=Level.BOARD)
    Assessment.objects.filter(goal=goal).update(state=Assessment.State.DRAFT)
    section = annual(nora_world).council_goals[4].boards[0].goals[0]
    assert (section.judgement.code, section.judgement.analysis) == ("not_assessed", "")
    assert section.judgement.state == "draft" and not section.judgement.stated


def test_board_report_holds_only_the_boards_goals_and_their_council_goals(nora_world):
    report = build_report(Spec(Kind.BOARD, nora_world["annual"], Organisation.objects.get(code="BN")))
    assert report.title == "Nämndrapport 2026 – Bildningsnämnden"
    assert [c.goal.number for c in report.council_goals] == ["5"]
    assert report.headline == "0 av 1 nämndmål uppfyllda"
    assert report.totals["partly_met"] == 1


def test_an_administration_has_its_own_report_like_a_board(nora_world):
    from goals import chain
    from goals.models import GoalLevel

    GoalLevel.objects.filter(key="board").update(owner_kinds=["board", "committee", "administration"])
    chain.forget()
    kf = Organisation.objects.get(code="KF")
    administration = Organisation.objects.create(
        code="BUF", name="Barn- och utbildningsförvaltningen", kind="administration", parent=kf
    )
    council_goal = Goal.objects.filter(level_kind=Level.COUNCIL).first()
    tree.create_goal(parent=council_goal, title="Fler elever når målen", owner=administration)
    report = build_report(spec_for("board", 2026, board_code="BUF"))
    assert report.title == "Nämndrapport 2026 – Barn- och utbildningsförvaltningen"
    assert [c.goal.title for c in report.council_goals] == [council_goal.title]
    assert report.headline == "0 av 1 nämndmål uppfyllda"


def test_compilation_is_the_decided_chain_without_follow_up(nora_world):
    Goal.objects.filter(level_kind=Level.BOARD).update(valid_from=2025, valid_to=2026)
    report = build_report(Spec(Kind.COMPILATION, nora_world["annual"]))
    assert report.title == "Sammanställning av mål 2026"
    assert report.columns == [] and not report.follow_up
    assert all(goal.judgement is None for goal in report.all_goals())
    assert report.council_goals[0].goal.decision == "KF § 49 2020-06-10"
    assert report.council_goals[0].goal.categories == [("Perspektiv", ["Livskvalitet"])]
    safe = report.council_goals[4].boards[0].goals[0].indicators[0]
    assert safe.targets == ["2026: ≥ 85,0"]


def test_goals_not_valid_in_the_year_are_left_out_with_their_sub_goals(nora_world):
    Goal.objects.filter(level_kind=Level.BOARD).update(valid_to=2025)
    report = annual(nora_world)
    assert report.council_goals[4].boards == []
    assert len(report.council_goals) == 11


def test_kinds_must_fit_their_period(nora_world):
    with pytest.raises(ReportUnavailable):
        build_report(Spec(Kind.ANNUAL, nora_world["interim"]))
    with pytest.raises(ReportUnavailable):
        build_report(Spec(Kind.INTERIM, nora_world["annual"]))
    with pytest.raises(ReportUnavailable):
        build_report(Spec(Kind.BOARD, nora_world["annual"]))


def test_spec_for_finds_the_years_period_and_board(nora_world):
    assert spec_for("annual", 2026).period == nora_world["annual"]
    assert spec_for("interim", 2026).period == nora_world["interim"]
    assert spec_for("board", 2026, board_code="BN").board.code == "BN"
    assert (
        spec_for("board", 2026, board_code="BN", period_kind="interim_august").period == nora_world["interim"]
    )
    with pytest.raises(ReportUnavailable):
        spec_for("annual", 2019)
    with pytest.raises(ReportUnavailable):
        spec_for("board", 2026, board_code="XX")


def _with_follow_up(year=2026):
    """Periods with a value per indicator and a judgement per goal, in a few bulk queries."""
    periods = [
        ReportingPeriod.objects.create(year=y, kind="annual", deadline=date(y + 1, 2, 1))
        for y in (year - 1, year)
    ]
    indicators = list(Indicator.objects.values_list("pk", flat=True))
    IndicatorValue.objects.bulk_create(
        IndicatorValue(indicator_id=pk, period=p, total=Decimal(n % 90))
        for p in periods
        for n, pk in enumerate(indicators)
    )
    Assessment.objects.bulk_create(
        Assessment(
            goal_id=pk, period=periods[-1], judgement=J.MET, state=Assessment.State.APPROVED, analysis="Bra."
        )
        for pk in Goal.objects.values_list("pk", flat=True)
    )
    return periods[-1]


def _queries(spec):
    with CaptureQueriesContext(connection) as queries:
        build_report(spec)
    return len(queries)


@pytest.mark.parametrize("kind", [Kind.ANNUAL, Kind.COMPILATION, Kind.BOARD])
def test_report_data_takes_the_same_few_queries_for_a_small_and_a_large_tree(
    db, kind, django_assert_max_num_queries
):
    goalfile.import_document(synthetic_document(goal_count=30, boards=3))
    period = _with_follow_up()
    small = _queries(Spec(kind, period, Organisation.objects.get(code="B01") if kind == Kind.BOARD else None))
    # A replacing import refuses while follow-up hangs on the goals: clear it first.
    Assessment.objects.all().delete()
    IndicatorValue.objects.all().delete()
    ReportingPeriod.objects.all().delete()
    goalfile.import_document(synthetic_document(goal_count=600, boards=12, seed=2), replace=True)
    period = _with_follow_up()
    spec = Spec(kind, period, Organisation.objects.get(code="B01") if kind == Kind.BOARD else None)
    # 25 for the report itself, 2 for its appendix "Källor och härkomst" (reports.provenance).
    with django_assert_max_num_queries(27):
        report = build_report(spec)
    assert sum(1 for _goal in report.all_goals()) > (20 if kind == Kind.BOARD else 300)
    assert _queries(spec) == small


def test_a_goal_keeps_its_number_in_its_boards_report(nora_world):
    kf = Goal.objects.of_level(Level.COUNCIL).in_tree_order()[4]
    ks = Organisation.objects.get(code="KS")
    tree.create_goal(parent=kf, title="KS-mål före BN", owner=ks, index=0)
    Organisation.objects.filter(code="KS").update(position=0)
    Organisation.objects.filter(code="BN").update(position=5)
    annual_numbers = {g.title: g.number for g in annual(nora_world).all_goals()}
    board = build_report(Spec(Kind.BOARD, nora_world["annual"], Organisation.objects.get(code="BN")))
    [section] = board.council_goals
    [goal] = section.boards[0].goals
    assert goal.number == annual_numbers[goal.title] == "5.2"
    assert section.counts == {"met": 0, "partly_met": 1, "not_met": 0, "not_assessed": 0}


def test_each_goal_carries_its_judgements_of_the_earlier_years(nora_world):
    first = Goal.objects.of_level(Level.COUNCIL).in_tree_order().first()
    periods = nora_world["periods"]
    Assessment.objects.create(goal=first, period=periods[2025], judgement="met", state="approved")
    Assessment.objects.create(goal=first, period=periods[2024], judgement="not_met", state="draft")
    report = annual(nora_world)
    assert report.council_goals[0].goal.history == [
        ("2023", "not_assessed", "Ej bedömt"),
        ("2024", "not_assessed", "Ej bedömt"),  # a draft is not reported
        ("2025", "met", "Uppfyllt"),
    ]
    assert report.council_goals[1].goal.history == []
