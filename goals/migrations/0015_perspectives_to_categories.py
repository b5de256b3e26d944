"""Every perspective becomes a category of the set "perspektiv", every goal's perspectives its categories.

A category keeps its perspective's id, so history rows and old addresses (`?perspektiv=ID`) still name it;
the perspectives' own history and each goal history row's perspectives move along. Reversible: the
categories of the set "perspektiv" turn back into perspectives.
"""

from django.core.management.color import no_style
from django.db import migrations

SET_KEY = "perspektiv"
SET_NAME = "Perspektiv"
HISTORY_FIELDS = ("history_date", "history_change_reason", "history_type", "history_user_id")


def _reset_sequences(schema_editor, *models):
    statements = schema_editor.connection.ops.sequence_reset_sql(no_style(), models)
    with schema_editor.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _unique_name(name, taken):
    """The name, trimmed; with a number added when another one differs only in case (nothing is dropped)."""
    name, candidate, number = name.strip(), name.strip(), 1
    while candidate.lower() in taken:
        number += 1
        candidate = f"{name[:95]} ({number})"
    taken.add(candidate.lower())
    return candidate


def forward(apps, schema_editor):
    Perspective = apps.get_model("goals", "Perspective")
    HistoricalPerspective = apps.get_model("goals", "HistoricalPerspective")
    CategorySet = apps.get_model("goals", "CategorySet")
    Category = apps.get_model("goals", "Category")
    HistoricalCategory = apps.get_model("goals", "HistoricalCategory")
    GoalCategory = apps.get_model("goals", "GoalCategory")
    Goal = apps.get_model("goals", "Goal")
    OldHistoryLink = apps.get_model("goals", "HistoricalGoal_perspectives")
    NewHistoryLink = apps.get_model("goals", "HistoricalGoalCategory")

    perspectives = list(Perspective.objects.order_by("position", "name", "pk"))
    if not perspectives and not HistoricalPerspective.objects.exists():
        return
    category_set, _created = CategorySet.objects.get_or_create(
        key=SET_KEY, defaults={"name": SET_NAME, "position": 0}
    )
    taken = set()
    Category.objects.bulk_create(
        Category(
            pk=p.pk,
            set=category_set,
            name=_unique_name(p.name, taken),
            description=p.description,
            position=p.position,
        )
        for p in perspectives
    )
    HistoricalCategory.objects.bulk_create(
        HistoricalCategory(
            id=row.id,
            set_id=category_set.pk,
            name=row.name.strip(),
            description=row.description,
            position=row.position,
            **{name: getattr(row, name) for name in HISTORY_FIELDS},
        )
        for row in HistoricalPerspective.objects.order_by("history_id")
    )
    rank = {p.pk: index for index, p in enumerate(perspectives)}
    last = len(rank)
    links = []
    for goal_id, perspective_id in Goal.perspectives.through.objects.values_list("goal_id", "perspective_id"):
        links.append((goal_id, perspective_id))
    links.sort(key=lambda link: (link[0], rank.get(link[1], last), link[1]))
    positions = {}
    rows = []
    for goal_id, perspective_id in links:
        position = positions[goal_id] = positions.get(goal_id, -1) + 1
        rows.append(GoalCategory(goal_id=goal_id, category_id=perspective_id, position=position))
    GoalCategory.objects.bulk_create(rows)

    old = sorted(
        OldHistoryLink.objects.values_list("history_id", "id", "goal_id", "perspective_id"),
        key=lambda r: (r[0], rank.get(r[3], last), r[3] or 0),
    )
    positions = {}
    kept = []
    for history_id, link_id, goal_id, perspective_id in old:
        position = positions[history_id] = positions.get(history_id, -1) + 1
        kept.append(
            NewHistoryLink(
                id=link_id, history_id=history_id, goal_id=goal_id, category_id=perspective_id, position=position
            )
        )
    NewHistoryLink.objects.bulk_create(kept)
    _reset_sequences(schema_editor, Category)


def backward(apps, schema_editor):
    Perspective = apps.get_model("goals", "Perspective")
    HistoricalPerspective = apps.get_model("goals", "HistoricalPerspective")
    CategorySet = apps.get_model("goals", "CategorySet")
    Category = apps.get_model("goals", "Category")
    HistoricalCategory = apps.get_model("goals", "HistoricalCategory")
    GoalCategory = apps.get_model("goals", "GoalCategory")
    Goal = apps.get_model("goals", "Goal")
    OldHistoryLink = apps.get_model("goals", "HistoricalGoal_perspectives")
    NewHistoryLink = apps.get_model("goals", "HistoricalGoalCategory")

    category_set = CategorySet.objects.filter(key=SET_KEY).first()
    if category_set is None:
        return
    categories = list(Category.objects.filter(set=category_set))
    Perspective.objects.bulk_create(
        Perspective(pk=c.pk, name=c.name, description=c.description, position=c.position) for c in categories
    )
    historical = HistoricalCategory.objects.filter(set_id=category_set.pk).order_by("history_id")
    HistoricalPerspective.objects.bulk_create(
        HistoricalPerspective(
            id=row.id,
            name=row.name,
            description=row.description,
            position=row.position,
            **{name: getattr(row, name) for name in HISTORY_FIELDS},
        )
        for row in historical
    )
    ids = {c.pk for c in categories} | set(historical.values_list("id", flat=True))
    through = Goal.perspectives.through
    through.objects.bulk_create(
        through(goal_id=goal_id, perspective_id=category_id)
        for goal_id, category_id in GoalCategory.objects.filter(category__set=category_set).values_list(
            "goal_id", "category_id"
        )
    )
    OldHistoryLink.objects.bulk_create(
        OldHistoryLink(id=link_id, history_id=history_id, goal_id=goal_id, perspective_id=category_id)
        for link_id, history_id, goal_id, category_id in NewHistoryLink.objects.filter(
            category_id__in=ids
        ).values_list("id", "history_id", "goal_id", "category_id")
    )
    NewHistoryLink.objects.filter(category_id__in=ids).delete()
    GoalCategory.objects.filter(category__set=category_set).delete()
    HistoricalCategory.objects.filter(set_id=category_set.pk).delete()
    Category.objects.filter(set=category_set).delete()
    if not Category.objects.filter(set=category_set).exists():
        category_set.delete()
    _reset_sequences(schema_editor, Perspective)


class Migration(migrations.Migration):
    dependencies = [("goals", "0014_categories")]

    operations = [migrations.RunPython(forward, backward)]
