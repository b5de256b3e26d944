"""Nora's goal chain with a few years of follow-up, built directly from the models for the report tests."""

from datetime import date
from decimal import Decimal
from pathlib import Path

from followup.models import ActivityStatus, Assessment, IndicatorValue, ReportingPeriod
from goals import goalfile
from goals.models import Activity, Goal, Indicator, Target
from tests.levels import Level

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "nora.json"
J = Assessment.Judgement
S = Assessment.State
# The eleven KF goals' judgements at the 2026 annual period: 8 met, 2 partly, 1 not met.
KF_JUDGEMENTS = [J.MET] * 8 + [J.PARTLY_MET, J.PARTLY_MET, J.NOT_MET]


def analysis_for(n):
    return f"Analys av mål {n}: arbetet har gått enligt plan och resultaten följs upp löpande."


def build(year=2026):
    """Import Nora, add periods 2023–2026 (annual) and an August interim of `year`, values and judgements."""
    goalfile.import_plan(goalfile.read(FIXTURE.read_text(encoding="utf-8")))
    periods = {
        y: ReportingPeriod.objects.create(
            year=y, kind=ReportingPeriod.Kind.ANNUAL, deadline=date(y + 1, 2, 15),
            state=ReportingPeriod.State.CLOSED if y < year else ReportingPeriod.State.OPEN,
        )
        for y in range(year - 3, year + 1)
    }  # fmt: skip
    interim = ReportingPeriod.objects.create(
        year=year, kind=ReportingPeriod.Kind.INTERIM_AUGUST, deadline=date(year, 9, 15)
    )
    population = Indicator.objects.get(kolada_kpi="N01951")
    safe = Indicator.objects.get(kolada_kpi="N15643")
    eligible = Indicator.objects.get(kolada_kpi="N15428")
    for indicator, value in ((safe, 85), (eligible, 90)):
        Target.objects.create(indicator=indicator, from_year=year, to_year=year, value=value, tolerance=3)
    for n, y in enumerate(sorted(periods)):
        period = periods[y]
        IndicatorValue.objects.create(
            indicator=population, period=period, total=Decimal(10400 + 37 * n), source="kolada"
        )
        IndicatorValue.objects.create(indicator=safe, period=period, total=Decimal("81.5") + n)
        IndicatorValue.objects.create(
            indicator=eligible, period=period, total=Decimal("87.25") + n,
            women=Decimal("89.5") + n, men=Decimal("85.0") + n, source="kolada",
        )  # fmt: skip
    IndicatorValue.objects.create(indicator=safe, period=interim, total=Decimal("83.0"))
    council_goals = list(Goal.objects.of_level(Level.COUNCIL).in_tree_order())
    for n, (goal, judgement) in enumerate(zip(council_goals, KF_JUDGEMENTS, strict=True), start=1):
        Assessment.objects.create(
            goal=goal, period=periods[year], judgement=judgement, analysis=analysis_for(n), state=S.APPROVED
        )
        Assessment.objects.create(
            goal=goal, period=interim, judgement=J.MET, analysis=f"Prognos för mål {n}.", state=S.APPROVED
        )
    board_goal = Goal.objects.get(level_kind=Level.BOARD)
    Assessment.objects.create(
        goal=board_goal, period=periods[year], judgement=J.PARTLY_MET, state=S.SUBMITTED,
        analysis="Tryggheten har ökat men behörigheten ligger under målet.",
    )  # fmt: skip
    first, second = Activity.objects.filter(goal=board_goal).order_by("position")
    ActivityStatus.objects.create(
        activity=first, period=periods[year], status="done", comment="Rutinen är antagen."
    )
    ActivityStatus.objects.create(activity=second, period=periods[year], status="delayed")
    return {"annual": periods[year], "interim": interim, "periods": periods, "board_goal": board_goal}
