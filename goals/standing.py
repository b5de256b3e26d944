"""How each goal is going, for the goal pages: the follow-up tells (goals knows nothing of it).

The follow-up registers one source in its `AppConfig.ready` (`followup.status.Standing`); without one the
pages show no status. A source has:
- `audience(user)`: a name for the viewers that see the same statuses (the tree's cache keys on it);
- `latest(user, goal_ids)`: {goal id: status} with the latest judgement each viewer may see; a status has
  `symbol`, `label`, `period_label`, `text`, `note` and `url`;
- `summary(user, goal_ids)`: what the start page says of the headline level's goals, or None;
- `story(user, goal, indicators)`: a goal's judgements, analyses and trends over time, or None.
Summaries and stories name the template that shows them (`template`).
"""

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


def story(user, goal, indicators):
    source = _source()
    return source.story(user, goal, indicators) if source else None
