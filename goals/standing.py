"""How goals stand in their latest follow-up, for the goal pages (the start page, a goal's page).

Goals knows nothing of follow-up: the follow-up app registers its reader here in `AppConfig.ready`, as it
registers its deletion guards. The pages show what the reader returns, on every level of the chain alike
(the vision's "13 000 invånare" as much as a board goal's indicator).
"""

from dataclasses import dataclass, field

# Callables `reader(goals, indicators, user) -> {goal id: GoalStanding}`: `goals` a list of Goal,
# `indicators` their indicators with `targets` prefetched (the pages have them already).
READERS = []


@dataclass
class IndicatorStanding:
    """An indicator's latest value the viewer may see, the target it is judged against, and the signal."""

    period: str  # the period of the value ("Årsredovisning 2025")
    value: str  # the total at the indicator's decimals
    target: str  # the target in force that year, or the next one with its year ("≥ 13 000 (2030)")
    signal: str  # green, yellow, red or none
    signal_label: str


@dataclass
class GoalStanding:
    """A goal's latest stated judgement the viewer may see, and its indicators' standing."""

    period: str = ""  # the judgement's period; "" without a judgement
    judgement: str = ""  # its wording for the period's kind ("Delvis uppfyllt", "Bedöms uppfyllas")
    judgement_code: str = ""
    analysis: str = ""
    indicators: dict = field(default_factory=dict)  # indicator id -> IndicatorStanding


def standing_of(goals, indicators, user):
    """{goal id: GoalStanding} for `goals` as `user` may see them; {} when no reader is registered."""
    goals, indicators = list(goals), list(indicators)
    result = {}
    for reader in READERS:
        result.update(reader(goals, indicators, user))
    return result
