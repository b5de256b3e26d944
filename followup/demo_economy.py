"""The demo's goals for god ekonomisk hushållning: two financial goals of the council with their
indicators and decided targets, and the controller's summary judgement ("Samlad bedömning") of each
period the demo fills. Called by `followup.demo.seed_nora`; the numbers come from its seeded generator.
"""

from collections import defaultdict
from datetime import datetime, time
from decimal import Decimal

from django.utils import timezone

from goals import tree
from goals.models import Target
from goals.numbers import format_number

FINANCIAL_DECISION = "KF § 102 {year}-11-21"
# (title, [(indicator name, unit, decimals, base, step, target, tolerance)]): the result and the
# financing of the investments, as most municipalities' financial goals are written.
FINANCIAL_GOALS = (
    (
        "Resultatet ska uppgå till minst 2 % av skatteintäkter och generella statsbidrag",
        [("Resultat i procent av skatteintäkter och generella statsbidrag", "%", 1, 1.4, 0.25, "2.0", "0.5")],
    ),
    (
        "Investeringarna ska till minst 80 % finansieras med egna medel och soliditeten ska förbättras",
        [
            ("Självfinansieringsgrad av investeringar", "%", 0, 64, 6, "80", "10"),
            ("Soliditet inklusive samtliga pensionsförpliktelser", "%", 1, 17.5, 0.8, "20.0", "2.0"),
        ],
    ),
)
SUMMARY_WRITER = "Ekonomichefen"


def financial_goals(parent, council, first_year, years, make_items):
    """Create the financial goals under `parent` (Nora's overarching goal), owned by `council`, with a
    target for each of `years`; returns their Items made by `make_items(goal, specs)`."""
    from .demo import IndicatorSpec, Profile

    items = []
    for title, indicators in FINANCIAL_GOALS:
        goal = tree.create_goal(
            parent=parent,
            title=title,
            owner=council,
            level_kind=_council_level(parent),
            decision=FINANCIAL_DECISION.format(year=first_year - 1),
            valid_from=first_year,
            is_financial=True,
        )
        specs = [
            IndicatorSpec(name, unit, "higher", decimals, False, Profile(base, step, 0, noise=abs(step)))
            for name, unit, decimals, base, step, _target, _tolerance in indicators
        ]
        made = make_items(goal, specs)
        Target.objects.bulk_create(
            Target(
                indicator=item.indicator, from_year=year, to_year=year, value=Decimal(target),
                tolerance=Decimal(tolerance), comparison=Target.Comparison.AT_LEAST,
            )
            for item, (*_rest, target, tolerance) in zip(made, indicators, strict=True)
            for year in years
        )  # fmt: skip
        items += made
    return items


def _council_level(parent):
    """The headline level under the overarching goal (Nora: KF-mål), where the council's goals sit."""
    from goals.chain import styrmodell

    below = [rule for rule in styrmodell().children_of(parent.level_kind_id) if rule.decided_by_council]
    return below[0].key


def summaries(periods, items, current):
    """The summary judgement of each closed period the demo filled, quoting the financial indicators'
    (`items`) values as entered; the `current` period is left for the controller to write."""
    from reports.summary import EconomySummary

    from .models import IndicatorValue

    spec_of = {item.indicator.pk: item.spec for item in items}
    entered = IndicatorValue.objects.filter(indicator_id__in=spec_of, period__in=periods)
    values = defaultdict(list)
    for row in entered.select_related("indicator").order_by("indicator__goal__lft", "indicator__position"):
        decimals = spec_of[row.indicator_id].decimals
        values[row.period_id].append(f"{row.indicator.name.lower()} {format_number(row.total, decimals)} %")
    rows = []
    for period in periods:
        if period.pk == current.pk or not values[period.pk]:
            continue
        opening = (
            "Prognosen för helåret visar att kommunen i huvudsak når en god ekonomisk hushållning."
            if period.is_interim
            else "Kommunen bedöms sammantaget ha haft en god ekonomisk hushållning under året."
        )
        text = (
            f"{opening}\n\nDe finansiella nyckeltalen: {', '.join(values[period.pk])}. Resultatet och "
            "finansieringen av investeringarna följs upp månadsvis, och verksamhetsmålen bedöms i huvudsak "
            "uppfyllas."
        )
        rows.append(EconomySummary(period=period, written_by_name=SUMMARY_WRITER, text=text))
    EconomySummary.objects.bulk_create(rows)
    for row in rows:  # written when the period's report was: by its deadline
        row.written_at = min(
            timezone.make_aware(datetime.combine(row.period.deadline, time(15))), timezone.now()
        )
    EconomySummary.objects.bulk_update(rows, ["written_at"])
    return len(rows)
