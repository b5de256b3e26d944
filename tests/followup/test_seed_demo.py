import json
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from accounts.models import AuditEvent
from followup import demo
from followup.models import ActivityStatus, Assessment, IndicatorValue, PeriodDeadline, ReportingPeriod
from followup.overview import overview
from followup.services import analysis_required, value_errors
from goals.goalfile import import_document
from goals.history import indicator_history
from goals.models import Activity, Goal, Indicator, Organisation, Target
from goals.targets import change_notes
from reports.models import PublishedReport, ReportRun
from tests.levels import Level

NORA = Path(__file__).resolve().parents[2] / "fixtures" / "nora.json"
YEAR = 2026


@pytest.fixture
def nora(db):
    import_document(json.loads(NORA.read_text(encoding="utf-8")))


@pytest.fixture
def seeded(nora):
    call_command("seed_demo", year=YEAR, no_report=True)


def counts():
    models = (
        Organisation,
        Goal,
        Indicator,
        Target,
        Activity,
        ReportingPeriod,
        IndicatorValue,
        ActivityStatus,
    )
    return {model.__name__: model.objects.count() for model in (*models, Assessment)}


def test_without_noras_chain_it_says_so_and_fails(db):
    with pytest.raises(CommandError):
        call_command("seed_demo", year=YEAR)
    assert not ReportingPeriod.objects.exists()
    assert not Organisation.objects.exists()


def test_demo_adds_boards_and_goals_under_noras_council_goals(seeded):
    codes = set(Organisation.objects.values_list("code", flat=True))
    assert {"KF", "KS", "BN", "SN", "SBN", "KFN", "BN-GR"} <= codes
    owners = Counter(Goal.objects.filter(level_kind=Level.BOARD).values_list("owner__code", flat=True))
    assert {"KS", "BN", "SN", "SBN", "KFN"} <= set(owners)
    assert Goal.objects.filter(level_kind=Level.UNIT, owner__code="BN-GR").count() == 1
    # Nora's own, untouched; beside them the demo's two financial goals of the council.
    assert Goal.objects.filter(level_kind=Level.COUNCIL, is_financial=False).count() == 11
    call_command("check_goal_tree")


def test_the_demo_has_two_financial_goals_with_five_years_of_values_and_a_summary_judgement(seeded):
    from reports.data import Spec, build_report
    from reports.summary import EconomySummary

    financial = list(Goal.objects.filter(is_financial=True).order_by("lft"))
    assert [g.title[:28] for g in financial] == [
        "Resultatet ska uppgå till mi",
        "Investeringarna ska till min",
    ]
    assert {g.owner.code for g in financial} == {"KF"}
    names = []
    for goal in financial:
        for indicator in goal.indicators.all():
            names.append(indicator.name)
            years = set(
                IndicatorValue.objects.filter(indicator=indicator).values_list("period__year", flat=True)
            )
            assert years == set(range(YEAR - 4, YEAR + 1)), indicator
    assert "Resultat i procent av skatteintäkter och generella statsbidrag" in names
    assert "Självfinansieringsgrad av investeringar" in names
    closed = ReportingPeriod.objects.filter(state=ReportingPeriod.State.CLOSED)
    assert EconomySummary.objects.filter(period__in=closed).count() == closed.count() == 8
    report = build_report(Spec("annual", ReportingPeriod.objects.get(year=YEAR - 1, kind="annual")))
    assert [c.goal.pk for c in report.economy.goals] == [g.pk for g in financial]
    assert "god ekonomisk hushållning" in report.economy.summary.text
    assert report.headline.endswith("av 11 KF-mål uppfyllda")  # the financial goals are not counted there


def test_periods_of_five_years_past_ones_closed_this_years_interim_open(seeded):
    periods = {(p.year, p.kind): p.state for p in ReportingPeriod.objects.all()}
    for year in range(YEAR - 4, YEAR):
        assert periods[(year, "interim_august")] == ReportingPeriod.State.CLOSED
        assert periods[(year, "annual")] == ReportingPeriod.State.CLOSED
    assert periods[(YEAR, "interim_august")] == ReportingPeriod.State.OPEN
    # Made from the calendar a year at a time: this year's annual period is there, open and empty.
    assert periods[(YEAR, "annual")] == ReportingPeriod.State.OPEN
    assert not IndicatorValue.objects.filter(period__year=YEAR, period__kind="annual").exists()
    assert len(periods) == 10
    assert AuditEvent.objects.filter(action="period.closed").count() == 8


def _in_force(row, year):
    return (row.valid_from or 0) <= year <= (row.valid_to or 9999)


def test_every_indicator_has_targets_and_five_years_of_values_that_keep_the_rules(seeded):
    indicators = list(Indicator.objects.select_related("goal"))
    annual = Counter(
        IndicatorValue.objects.filter(period__kind="annual").values_list("indicator_id", flat=True)
    )
    targets = Counter(
        Target.objects.filter(from_year__gte=YEAR - 4, to_year__lte=YEAR).values_list(
            "indicator_id", flat=True
        )
    )
    for indicator in indicators:
        # The goals of the new mandate period and the one that ended have values in their own years only.
        years = [y for y in range(YEAR - 4, YEAR) if _in_force(indicator.goal, y)]
        assert annual[indicator.pk] == len(years), indicator
        assert targets[indicator.pk] == len(years) + _in_force(indicator.goal, YEAR), indicator
    this_year = IndicatorValue.objects.filter(period__year=YEAR).values_list("indicator_id", flat=True)
    assert {i.pk for i in indicators} & set(this_year)  # five years of values: this year's interim too
    by_pk = {i.pk: i for i in indicators}
    for value in IndicatorValue.objects.select_related("period"):
        indicator = by_pk[value.indicator_id]
        assert _in_force(indicator.goal, value.period.year), (indicator, value.period)
        for number in (value.total, value.women, value.men):
            assert value_errors(indicator, number) == [], (indicator, number)
        assert (value.women is not None) == indicator.gender_split


def test_judgements_in_every_state_with_analysis_where_required(seeded):
    current = ReportingPeriod.objects.get(year=YEAR, kind="interim_august")
    states = Counter((a.state, bool(a.return_comment)) for a in Assessment.objects.filter(period=current))
    assert states[(Assessment.State.DRAFT, False)] > 0
    assert states[(Assessment.State.DRAFT, True)] > 0  # sent back
    assert states[(Assessment.State.SUBMITTED, False)] > 0
    assert states[(Assessment.State.APPROVED, False)] > 0
    closed = Assessment.objects.exclude(period=current)
    assert set(closed.values_list("state", flat=True)) == {Assessment.State.APPROVED}
    valid = [g for g in Goal.objects.all() if _in_force(g, YEAR)]
    assert Assessment.objects.filter(period=current).count() == len(valid) < Goal.objects.count()
    for assessment in Assessment.objects.exclude(state=Assessment.State.DRAFT):
        if analysis_required(assessment.judgement):
            assert assessment.analysis.strip(), assessment
    judgements = set(Assessment.objects.values_list("judgement", flat=True))
    assert {"met", "partly_met", "not_met"} <= judgements


def test_every_activity_has_a_status_in_every_period_of_its_goal(seeded):
    activities = list(Activity.objects.select_related("goal"))
    assert len(activities) >= 20
    filled = [p for p in ReportingPeriod.objects.all() if (p.year, p.kind) != (YEAR, "annual")]
    expected = sum(_in_force(a.goal, p.year) for a in activities for p in filled)
    assert ActivityStatus.objects.count() == expected
    assert len(set(ActivityStatus.objects.values_list("status", flat=True))) >= 4


def test_running_it_again_changes_nothing(seeded, capsys):
    before = counts()
    call_command("seed_demo", year=YEAR)
    assert counts() == before
    assert AuditEvent.objects.filter(action=demo.MARKER).count() == 1


def test_it_publishes_the_latest_closed_annual_report_for_the_public(nora, client):
    call_command("seed_demo", year=YEAR)
    published = PublishedReport.objects.get()
    latest_closed = (
        ReportingPeriod.objects.filter(kind="annual", state=ReportingPeriod.State.CLOSED)
        .order_by("-year")
        .first()
    )
    assert (published.kind, published.period, published.version) == ("annual", latest_closed, 1)
    assert latest_closed.year == YEAR - 1
    # Published through the controllers' service: its run and its audit event are there too.
    assert ReportRun.objects.get(published=published).state == ReportRun.State.DONE
    assert AuditEvent.objects.filter(action="report.publish", object_id=str(published.pk)).exists()

    page = client.get(reverse("reports:published_list")).content.decode()
    assert f"Årsredovisning {YEAR - 1} – måluppfyllelse" in page
    assert f'href="{published.get_absolute_url()}"' in page
    download = client.get(published.get_absolute_url())
    assert download.status_code == 200 and download.content.startswith(b"%PDF")

    call_command("seed_demo", year=YEAR)  # already seeded: nothing more is published
    assert PublishedReport.objects.count() == 1


def test_no_report_publishes_nothing(nora):
    call_command("seed_demo", year=YEAR, no_report=True)
    assert IndicatorValue.objects.exists()
    assert not PublishedReport.objects.exists()


def test_it_refuses_to_mix_with_existing_follow_up(nora):
    ReportingPeriod.objects.create(year=YEAR - 1, kind="annual")
    goals = Goal.objects.count()
    with pytest.raises(CommandError):
        call_command("seed_demo", year=YEAR)
    call_command("seed_demo", year=YEAR, skip_if_present=True)  # make run goes on
    assert Goal.objects.count() == goals
    assert not Organisation.objects.filter(code="SN").exists()


def test_skip_if_present_still_fails_without_the_chain(db):
    with pytest.raises(CommandError):
        call_command("seed_demo", year=YEAR, skip_if_present=True)


def test_the_numbers_come_from_the_seeded_generator(seeded):
    spec = demo.GOALS[0].indicators[0]
    key = f"{demo.GOALS[0].title}:{spec.name}"
    years = list(range(YEAR - 4, YEAR + 1))
    assert demo.series(key, spec, years) == demo.series(key, spec, years)
    stored = dict(
        IndicatorValue.objects.filter(indicator__name=spec.name, period__kind="annual").values_list(
            "period__year", "total"
        )
    )
    expected = demo.series(key, spec, years)
    assert stored == {year: expected[year][0] for year in years[:-1]}


def test_large_option_builds_a_synthetic_municipality(db):
    call_command("seed_demo", boards=3, goals_per_board=4, years=2, year=YEAR)
    assert Organisation.objects.filter(kind=Organisation.Kind.BOARD).count() == 3
    assert Goal.objects.filter(level_kind__in=[Level.BOARD, Level.UNIT]).count() == 12
    assert ReportingPeriod.objects.count() == 3
    assert ReportingPeriod.objects.closed().count() == 2
    assert IndicatorValue.objects.exists()
    current = Assessment.objects.filter(period__year=YEAR)
    assert {"draft", "submitted", "approved"} <= set(current.values_list("state", flat=True))
    call_command("check_goal_tree")


def test_large_option_refuses_a_database_with_goals(nora):
    with pytest.raises(CommandError):
        call_command("seed_demo", boards=3, goals_per_board=4, years=2, year=YEAR)


def test_large_option_needs_both_sizes(db):
    with pytest.raises(CommandError):
        call_command("seed_demo", boards=3, year=YEAR)


# --- The cycle: a first visit in any month ----------------------------------------------------------------


def _seed_on(day):
    call_command("seed_demo", today=day, no_report=True)


@pytest.mark.parametrize(
    ("day", "open_period", "start"),
    [
        (date(2027, 2, 15), (2026, "annual"), 2027),  # the annual report is being written
        (date(2027, 9, 20), (2027, "interim_august"), 2027),  # the interim report is being written
        (date(2027, 6, 10), (2026, "annual"), 2027),  # between the calendar's deadlines
    ],
)
def test_a_first_visit_in_any_month_shows_closed_open_and_at_most_one_late(nora, day, open_period, start):
    _seed_on(day)
    periods = list(ReportingPeriod.objects.prefetch_related("deadlines"))
    closed = [p for p in periods if p.state == ReportingPeriod.State.CLOSED]
    reported = ReportingPeriod.objects.get(year=open_period[0], kind=open_period[1])
    assert closed and reported.is_open
    assert all(p.sort_key < reported.sort_key for p in closed)
    # Every period was made from the reporting calendar: its cut-off and its staggered steps.
    for period in periods:
        assert period.cutoff is not None
        assert [d.name for d in period.deadlines.all()] == [
            "Enheter och förvaltningar",
            "Nämnder, utskott och bolag",
            "Kommunstyrelsen",
            "Kommunfullmäktige",
        ]
    # The period being reported has its steps around the day: the units' passed, the boards' ahead.
    steps = list(reported.deadlines.all())
    assert steps[0].deadline < day < steps[1].deadline < steps[2].deadline < steps[3].deadline
    assert reported.deadline == steps[3].deadline
    rows = overview(reported, today=day)
    late = [row.organisation.code for row in rows if row.overdue]
    assert len(late) <= 1 and len(rows) >= 7
    boards = [row for row in rows if row.organisation.kind == Organisation.Kind.BOARD]
    assert boards and not any(row.overdue for row in boards)


@pytest.mark.parametrize("day", [date(2027, 2, 15), date(2027, 9, 20)])
def test_a_new_mandate_period_ends_one_goal_begins_one_and_raises_a_target(nora, day):
    _seed_on(day)
    start = 2027
    ended = Goal.objects.get(title=demo.ENDED_GOAL)
    first = min(ReportingPeriod.objects.values_list("year", flat=True))
    assert (ended.valid_from, ended.valid_to) == (first, start - 1)
    # Ended, not deleted: its closed year's judgement is still there, approved.
    closed_year = Assessment.objects.filter(
        goal=ended, period__year=start - 1, period__state=ReportingPeriod.State.CLOSED
    )
    assert closed_year.filter(state=Assessment.State.APPROVED).exists()
    assert not Assessment.objects.filter(goal=ended, period__year__gte=start).exists()
    closed = Assessment.objects.filter(goal=ended, period__state=ReportingPeriod.State.CLOSED)
    latest = max(closed.select_related("period"), key=lambda a: a.period.sort_key)
    page = Client().get(reverse("goals:detail", args=[ended.pk])).content.decode()
    assert str(latest.period) in page and latest.get_judgement_display() in page
    new = Goal.objects.get(title=demo.NEW_GOAL.title)
    assert (new.valid_from, new.valid_to, new.owner.code) == (start, None, "KS")
    assert new.parent_id == ended.parent_id
    assert not Assessment.objects.filter(goal=new, period__year__lt=start).exists()
    if day.year >= start and day.month >= 9:
        assert Assessment.objects.filter(goal=new, period__year=start).exists()
    # The revision is the goal file's, with its reason and decision, recorded once.
    event = AuditEvent.objects.get(action="goal_tree.revise")
    assert "KF § 118 2026-11-23" in event.summary and "Strategisk plan 2027–2030" in event.summary
    # The raised target carries the reason and decision, in the indicator's history and a report's footnote.
    indicator = Indicator.objects.get(name=demo.RAISED_TARGET)
    target = Target.objects.get(indicator=indicator, from_year=start)
    assert target.change_decision == "KF § 118 2026-11-23"
    assert target.change_reason.startswith("Strategisk plan 2027–2030")
    changes = [c for e in indicator_history(indicator) if e.subject.endswith(str(start)) for c in e.changes]
    assert any(c.new == target.change_reason for c in changes), changes
    assert "KF § 118 2026-11-23" in change_notes([indicator.pk], start)[indicator.pk]
    call_command("check_goal_tree")


def test_seeding_on_a_day_twice_changes_nothing(nora):
    day = date(2027, 9, 20)
    _seed_on(day)
    before = counts()
    deadlines = list(PeriodDeadline.objects.values_list("period__year", "period__kind", "name", "deadline"))
    _seed_on(day)
    call_command("seed_demo", today=date(2027, 2, 15), skip_if_present=True)
    assert counts() == before
    assert list(PeriodDeadline.objects.values_list("period__year", "period__kind", "name", "deadline")) == (
        deadlines
    )
    assert AuditEvent.objects.filter(action="goal_tree.revise").count() == 1


def test_the_today_option_takes_an_iso_date(nora):
    call_command("seed_demo", "--today", "2027-02-15", "--no-report")
    assert ReportingPeriod.objects.get(year=2026, kind="annual").is_open
    with pytest.raises(CommandError):
        call_command("seed_demo", "--today", "15/2/2027")
