"""A goal file's category sets (version 2), and the categories of its goals and indicators.

Every set is read and written with its categories and their validity years, in the shape of
`goals.categories.sets_as_data()`; importing installs them through `goals.categories.install_sets`. A goal's
or an indicator's `categories` ({set key: [names]}) keep their own order. Version 1's `perspectives`
are read in `reading.py` as the set "perspektiv" (`goals.categories.PERSPECTIVE_SET`).
"""

from django.utils.translation import gettext as _

from goals import categories as service
from goals.models import Category, CategorySet, GoalCategory, IndicatorCategory

from .format import CATEGORY_KEYS, CATEGORY_SET_KEYS, GoalFileError
from .reading import _Object, guard, record


class FileSets:
    """The sets a file's goals and indicators may name: the file's own, else the installation's."""

    def __init__(self, data):
        self.data = data  # install_sets data, or None when the file has no "category_sets"
        sets = data if data is not None else service.sets_as_data()
        self.names = {s["key"]: s["name"] for s in sets}
        self.categories = {s["key"]: {c["name"].lower(): c["name"] for c in s["categories"]} for s in sets}


def read_category_sets(top):
    """The file's "category_sets", checked, as `FileSets`."""
    if top.value.get("category_sets") is None:
        return FileSets(None)
    data, keys = [], set()
    for item, path in top.items("category_sets"):
        category_set = guard(_Object, item, path, CATEGORY_SET_KEYS)
        if category_set is None:
            continue
        key = category_set.text("key", CategorySet, None)
        name = category_set.text("name", CategorySet, None)
        for field, value in (("key", key), ("name", name)):
            if value is None:
                record(GoalFileError(category_set.at(field), _("required")))
        if key in keys:
            message = _('the category set "%(key)s" is listed twice') % {"key": key}
            record(GoalFileError(category_set.at("key"), message))
            continue
        keys.add(key)
        entries, names = [], set()
        for entry, entry_path in category_set.items("categories"):
            category = guard(_Object, entry, entry_path, CATEGORY_KEYS)
            if category is None:
                continue
            category_name = category.text("name", Category, None)
            first = category.whole("valid_from", Category)
            last = category.whole("valid_to", Category)
            if first is not None and last is not None and last < first:
                message = _("The last valid year comes before the first.")
                record(GoalFileError(category.at("valid_to"), message))
            if category_name is None:
                record(GoalFileError(category.at("name"), _("required")))
            elif category_name.strip().lower() in names:
                message = _('the category "%(name)s" is listed twice') % {"name": category_name}
                record(GoalFileError(category.at("name"), message))
            else:
                names.add(category_name.strip().lower())
                entries.append(
                    {
                        "name": category_name.strip(),
                        "description": category.text("description", Category) or "",
                        "valid_from": first,
                        "valid_to": last,
                    }
                )
        if key is not None and name is not None:
            data.append({"key": key, "name": name, "categories": entries})
    return FileSets(data)


def read_categories(obj, sets):
    """An object's "categories" ({set key: [names]}) as {set key: [the sets' own names]}, in its order."""
    value = obj.value.get("categories")
    result = {}
    if value is None:
        return result
    if not isinstance(value, dict):
        record(GoalFileError(obj.at("categories"), _('expected an object like {"perspektiv": ["…"]}')))
        return result
    for key, names in value.items():
        place = obj.at("categories") + f".{key}"
        if key not in sets.categories:
            record(GoalFileError(place, _('unknown category set "%(key)s"') % {"key": key}))
            continue
        if not isinstance(names, list):
            record(GoalFileError(place, _("expected a list of category names")))
            continue
        chosen = result.setdefault(key, [])
        for index, name in enumerate(names):
            known = sets.categories[key].get(name.strip().lower()) if isinstance(name, str) else None
            if known is None:
                message = _('the set "%(set)s" has no category "%(name)s"')
                record(GoalFileError(f"{place}[{index}]", message % {"set": sets.names[key], "name": name}))
            elif known in chosen:
                message = _('the category "%(name)s" is listed twice') % {"name": name}
                record(GoalFileError(f"{place}[{index}]", message))
            else:
                chosen.append(known)
    return {key: names for key, names in result.items() if names}


def category_ids():
    """{(set key, lower-case name): category id} of every category (one query)."""
    rows = Category.objects.values_list("set__key", "name", "pk")
    return {(key, name.lower()): pk for key, name, pk in rows}


def category_sets_for_file():
    """Every set of the installation as a file writes it: empty descriptions and open years left out."""
    sets = service.sets_as_data()
    for category_set in sets:
        category_set["categories"] = [
            {key: value for key, value in category.items() if value not in ("", None)}
            for category in category_set["categories"]
        ]
    return sets


def categories_for_file(link_model, column):
    """{object id: {set key: [names]}} for every goal or indicator with categories, in its own order."""
    rows = link_model.objects.order_by(column, "position", "pk").values_list(
        column, "category__set__key", "category__name"
    )
    by_object = {}
    for object_id, key, name in rows:
        by_object.setdefault(object_id, {}).setdefault(key, []).append(name)
    return by_object


def goal_categories_for_file():
    return categories_for_file(GoalCategory, "goal_id")


def indicator_categories_for_file():
    return categories_for_file(IndicatorCategory, "indicator_id")
