"""A goal file's category sets, read and written onto what the installation keeps of them.

The categories of the set "perspektiv" (`goals.categories.PERSPECTIVE_SET`); these two functions per
direction are the only ones that know it.
"""

from django.utils.translation import gettext as _

from goals.categories import PERSPECTIVE_SET_NAME
from goals.models import Category, GoalCategory

from .format import CATEGORY_KEYS, CATEGORY_SET_KEYS, PERSPECTIVE_SET, GoalFileError
from .reading import _Object, guard, record


def _not_yet():
    return _("not supported yet")


def read_category_sets(top):
    """The file's categories as {name: description} of the one set there is (the perspectives)."""
    perspectives = {}
    for item, path in top.items("category_sets"):
        category_set = guard(_Object, item, path, CATEGORY_SET_KEYS)
        if category_set is None:
            continue
        key = category_set.text("key", None, default=None)
        if key != PERSPECTIVE_SET:
            message = _('only the category set "%(key)s" can be read: other sets are %(not_yet)s')
            message %= {"key": PERSPECTIVE_SET, "not_yet": _not_yet()}
            record(GoalFileError(category_set.at("key"), message))
            continue
        category_set.text("name", None, default=None)
        for entry, entry_path in category_set.items("categories"):
            category = guard(_Object, entry, entry_path, CATEGORY_KEYS)
            if category is None:
                continue
            name = category.text("name", Category, default=None)
            for years in ("valid_from", "valid_to"):
                if category.value.get(years) is not None:
                    message = _("validity years of categories are %(not_yet)s") % {"not_yet": _not_yet()}
                    record(GoalFileError(category.at(years), message))
            if name is None:
                record(GoalFileError(category.at("name"), _("required")))
            elif name in perspectives:
                message = _('the category "%(name)s" is listed twice') % {"name": name}
                record(GoalFileError(category.at("name"), message))
            else:
                perspectives[name] = category.text("description", Category) or ""
    return perspectives


def read_goal_categories(goal, obj, perspectives):
    """A goal's "categories" ({set key: [names]}) into the plan's perspective names."""
    value = obj.value.get("categories")
    if value is None:
        return
    if not isinstance(value, dict):
        record(GoalFileError(obj.at("categories"), _('expected an object like {"perspektiv": ["…"]}')))
        return
    for key, names in value.items():
        place = obj.at("categories") + f".{key}"
        if key != PERSPECTIVE_SET:
            record(GoalFileError(place, _('unknown category set "%(key)s"') % {"key": key}))
            continue
        if not isinstance(names, list):
            record(GoalFileError(place, _("expected a list of category names")))
            continue
        for index, name in enumerate(names):
            if not isinstance(name, str) or name not in perspectives:
                message = _('unknown category "%(name)s"') % {"name": name}
                record(GoalFileError(f"{place}[{index}]", message))
            elif name in goal.perspectives:
                message = _('the category "%(name)s" is listed twice') % {"name": name}
                record(GoalFileError(f"{place}[{index}]", message))
            else:
                goal.perspectives.append(name)


def category_sets_for_file():
    """The installation's category sets as a file writes them."""
    categories = list(
        Category.objects.filter(set__key=PERSPECTIVE_SET)
        .order_by("position", "name")
        .values("name", "description")
    )
    if not categories:
        return []
    for category in categories:
        if not category["description"]:
            del category["description"]
    return [{"key": PERSPECTIVE_SET, "name": PERSPECTIVE_SET_NAME, "categories": categories}]


def goal_categories_for_file():
    """{goal id: {set key: [names]}} for every goal with categories, in the sets' order (one query)."""
    links = GoalCategory.objects.filter(category__set__key=PERSPECTIVE_SET).order_by(
        "goal_id", "position", "pk"
    )
    by_goal = {}
    for goal_id, name in links.values_list("goal_id", "category__name"):
        by_goal.setdefault(goal_id, {}).setdefault(PERSPECTIVE_SET, []).append(name)
    return by_goal
