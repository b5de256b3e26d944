"""Search the goal chain: goals, indicators, activities and the council's assignments (KF-uppdrag) by title
(or name) and description.

Swedish-aware without anything from the database: both the query and the texts are folded in Python
(case folded, accents and the Swedish dots and rings taken off: "förskola", "Förskola" and "forskola" are
all "forskola"), so the search behaves the same on SQLite and PostgreSQL. The candidates are bounded by the
chain itself (every goal, indicator, activity and assignment the viewer may see, read as four plain column
lists); the 5,000-goal synthetic tree is searched in about a tenth of a second (docs/performance.md).

Assignments are everyone's to read (the public list `/uppdrag/`); one may belong to no goal, and then its
owner stands beside it instead of a goal.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext as _

from .chain import styrmodell
from .models import Assignment
from .permissions import activities_for, goals_for, indicators_for

MAX_QUERY_LENGTH = 100
MIN_QUERY_LENGTH = 2
MAX_RESULTS_PER_GROUP = 50
EXCERPT_LENGTH = 160
# Group keys beside the levels' own keys (which are slugs, never with a colon).
INDICATORS, ACTIVITIES, ASSIGNMENTS = ":indicators", ":activities", ":assignments"


# The combining marks that NFKD splits off letters: å, ä, ö, é, ü … become a, a, o, e, u plus one of these.
COMBINING_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text):
    """`text` as the search compares it: lower case, without accents ("Förskola" → "forskola")."""
    folded = text.casefold()
    if folded.isascii():
        return folded
    return COMBINING_MARKS.sub("", unicodedata.normalize("NFKD", folded))


def clean_query(raw):
    """The query as searched: surrounding and repeated spaces gone, at most MAX_QUERY_LENGTH characters."""
    return " ".join((raw or "").split())[:MAX_QUERY_LENGTH]


@dataclass
class Hit:
    title: str
    url: str
    excerpt: str
    context: str  # the goal an indicator, activity or assignment belongs to (an assignment's owner without
    # one); "" for a goal


@dataclass
class Group:
    key: str
    heading: str
    hits: list = field(default_factory=list)
    total: int = 0


@dataclass
class Results:
    query: str
    groups: list
    too_short: bool = False

    @property
    def total(self):
        return sum(group.total for group in self.groups)


def _matches(words, *texts):
    folded = fold(" ".join(text or "" for text in texts))
    return all(word in folded for word in words)


def _excerpt(description):
    text = " ".join((description or "").split())
    return text if len(text) <= EXCERPT_LENGTH else text[: EXCERPT_LENGTH - 1].rstrip() + "…"


def search(user, raw_query):
    """What `user` finds for `raw_query`: goals grouped by their level (in the styrmodell's order), then
    indicators, activities and assignments; each group capped at MAX_RESULTS_PER_GROUP, with its total."""
    query = clean_query(raw_query)
    if len(query) < MIN_QUERY_LENGTH:
        return Results(query=query, groups=[], too_short=bool(query))
    words = fold(query).split()
    model = styrmodell()
    goal_url = reverse("goals:detail", args=[987654321]).replace("987654321", "{}")
    goal_titles = dict(goals_for(user).values_list("pk", "title"))
    groups = {}

    def add(key, heading, hit):
        group = groups.setdefault(key, Group(key=key, heading=heading))
        group.total += 1
        if len(group.hits) < MAX_RESULTS_PER_GROUP:
            group.hits.append(hit)

    goals = (
        goals_for(user).order_by("tree_id", "lft").values_list("pk", "level_kind_id", "title", "description")
    )
    for pk, level, title, description in goals:
        if _matches(words, title, description):
            add(level, model.plural(level), Hit(title, goal_url.format(pk), _excerpt(description), ""))
    indicators = indicators_for(user).order_by("goal__tree_id", "goal__lft", "position", "pk")
    for pk, goal_id, name, description in indicators.values_list("pk", "goal_id", "name", "description"):
        if _matches(words, name, description):
            url = goal_url.format(goal_id) + f"#indicator-{pk}-name"
            add(
                INDICATORS,
                _("Indicators"),
                Hit(name, url, _excerpt(description), goal_titles.get(goal_id, "")),
            )
    activities = activities_for(user).order_by("goal__tree_id", "goal__lft", "pk")
    for pk, goal_id, title, description in activities.values_list("pk", "goal_id", "title", "description"):
        if _matches(words, title, description):
            url = goal_url.format(goal_id) + f"#activity-{pk}-title"
            add(
                ACTIVITIES,
                _("Activities"),
                Hit(title, url, _excerpt(description), goal_titles.get(goal_id, "")),
            )
    assignments = Assignment.objects.order_by("position", "pk").values_list(
        "pk", "goal_id", "owner__name", "title", "description"
    )
    assignment_url = reverse("goals:assignments") + "#assignment-{}"
    for pk, goal_id, owner, title, description in assignments:
        if _matches(words, title, description):
            context = goal_titles.get(goal_id, "") if goal_id else owner
            add(
                ASSIGNMENTS,
                _("Assignments"),
                Hit(title, assignment_url.format(pk), _excerpt(description), context),
            )
    level_groups = sorted(
        (group for key, group in groups.items() if key in model), key=lambda g: model.get(g.key).position
    )
    others = [groups[key] for key in (INDICATORS, ACTIVITIES, ASSIGNMENTS) if key in groups]
    return Results(query=query, groups=level_groups + others)
