"""How goals stand in their follow-up, for the goal pages: the follow-up tells (goals knows nothing of it).

The follow-up app registers here in its `AppConfig.ready`, as it registers its deletion guards:

- one status source in `SOURCES` (`followup.status.Standing`); without one the pages show no status. A
  source has `audience(user)` (a name for the viewers that see the same statuses; the tree's cache keys on
  it), `latest(user, goal_ids)` ({goal id: status} with the latest judgement each viewer may see; a status
  has `symbol`, `label`, `period_label`, `text`, `note` and `url`), `summary(user, goal_ids)` (what the
  start page says of the headline level's goals, or None) and `story(user, goal, indicators, up_to)` (a
  goal's judgements, analyses and trends over time, up to a year when given, or None). Summaries and
  stories name the template that shows them (`template`).
- readers in `READERS` (`followup.standing.latest_standing`) that give each goal's indicators their latest
  value, target and signal, on every level of the chain alike (the vision's "13 000 invånare" as much as a
  board goal's indicator).
"""

from dataclasses import dataclass, field

SOURCES = []


def _source():
    return SOURCES[0] if SOURCES else None


def audience(user):
    source = _source()
    return source.audience(user) if source else ""


def latest(user, goal_ids):
    source = _source()
    return source.latest(user, goal_ids) if source else {}


def summary(user, goal_ids):
    source = _source()
    return source.summary(user, goal_ids) if source else None


def story(user, goal, indicators, up_to=None):
    source = _source()
    return source.story(user, goal, indicators, up_to) if source else None


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
