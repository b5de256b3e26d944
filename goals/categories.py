"""Category sets and their categories (Perspektiv, Målområde, Agenda 2030 …) on goals and indicators.

Every path — the web pages, the admin, the goal file, the commands — reads and writes categories here.

Reading
- `Category.objects.in_force(year)`: the categories valid in `year`; pages and reports of a year show
  only those, while a goal keeps an expired category (and its history shows it).
- `labels(model, ids, year)` → {object id: [(set name, category name), …]} in each object's own order,
  in one query: what tree nodes, goal pages, reports and open data show.
- `grouped_by_set(categories)` → [{"set", "name", "categories"}]: categories as `in_force` gives them,
  grouped by set, for the pages' filters and lists.
- `categories_by_set(obj)` → {set key: [category names]} for a goal or an indicator, in its own order.
- `sets_as_data()` → [{"key", "name", "categories": [{"name", "description", "valid_from", "valid_to"}]}],
  every set in order with its categories in order.

Writing (each under one transaction; bad input raises `ValidationError` with every Swedish message at once
and changes nothing)
- `install_sets(data, user=None)` takes the shape `sets_as_data()` gives and creates or updates the sets
  (by key) and their categories (by name, ignoring case); categories it does not name are left alone.
- `install_category_set(key, user=None)`: a set shipped with the app (`SHIPPED_SETS`, e.g. "agenda2030"),
  installed or brought up to date; running it again changes nothing.
- `assign(obj, {set key: [names]})` gives a goal or an indicator exactly these categories in
  this order (sets in the mapping's order). A goal's go through `goals.tree`, with its history row.
- `link(obj, categories)`: the low-level write of an object's links, for `goals.tree` and bulk imports.
- `save_set`, `save_category`, `move_category`, `delete_set`, `delete_category`: the editing pages' and
  the admin's writes, with history.

Goal files of version 1 keep their key `perspectives`: it maps onto the set `PERSPECTIVE_SET`.
"""

import json
from collections import defaultdict
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from . import treecache
from .models import Category, CategorySet, Goal, GoalCategory, Indicator, IndicatorCategory

PERSPECTIVE_SET = "perspektiv"
PERSPECTIVE_SET_NAME = "Perspektiv"
# Sets shipped with the app as data: key → file under fixtures/.
SHIPPED_SETS = {"agenda2030": "agenda2030.json"}
CATEGORY_KEYS = ("name", "description", "valid_from", "valid_to")
LINKS = {Goal: (GoalCategory, "goal_id"), Indicator: (IndicatorCategory, "indicator_id")}


def this_year():
    """The year whose categories the pages show."""
    return timezone.localdate().year


# --- Reading ------------------------------------------------------------------------------------------


def in_force(year):
    """The categories in force in `year`, with their set, in the sets' order."""
    return (
        Category.objects.in_force(year)
        .select_related("set")
        .order_by("set__position", "set__name", "position", "name")
    )


def labels(model, ids=None, *, year):
    """Object id → [(set name, category name)] of the categories in force in `year`, in its own order."""
    link_model, column = LINKS[model]
    links = link_model.objects.filter(category__in=Category.objects.in_force(year))
    if ids is not None:
        links = links.filter(**{f"{column}__in": list(ids)})
    result = defaultdict(list)
    rows = links.order_by(column, "position", "pk").values_list(
        column, "category__set__name", "category__name"
    )
    for object_id, set_name, name in rows:
        result[object_id].append((set_name, name))
    return result


def grouped_by_set(shown):
    """The categories `shown` (set loaded, in the sets' order) grouped by set, for a filter or a list."""
    groups = []
    for category in shown:
        if not groups or groups[-1]["set"].pk != category.set_id:
            groups.append({"set": category.set, "name": category.set.name, "categories": []})
        groups[-1]["categories"].append(category)
    return groups


def categories_of(obj, *, year=None):
    """The object's categories (set loaded) in its own order, only those in force when `year` is given."""
    link_model, column = LINKS[type(obj)]
    links = link_model.objects.filter(**{column: obj.pk}).select_related("category__set")
    return [link.category for link in links.order_by("position", "pk") if link.category.holds(year)]


def categories_by_set(obj):
    """{set key: [category names]} of a goal or an indicator, in its own order."""
    result = {}
    for category in categories_of(obj):
        result.setdefault(category.set.key, []).append(category.name)
    return result


def sets_as_data():
    """Every set in order with its categories in order, as plain data (see the module's docstring)."""
    sets = CategorySet.objects.prefetch_related("categories")
    return [
        {
            "key": s.key,
            "name": s.name,
            "categories": [{key: getattr(c, key) for key in CATEGORY_KEYS} for c in s.categories.all()],
        }
        for s in sets
    ]


def usage(categories):
    """Category id → how many goals and indicators carry it, in two queries."""
    ids = [c.pk for c in categories]
    counts = defaultdict(int)
    for model in (GoalCategory, IndicatorCategory):
        for category_id in model.objects.filter(category_id__in=ids).values_list("category_id", flat=True):
            counts[category_id] += 1
    return counts


# --- Names --------------------------------------------------------------------------------------------


def name_error(category_set, name, *, exclude=None):
    """The Swedish message when `name` (trimmed) is empty or another category of the set has it, else None."""
    name = (name or "").strip()
    if not name:
        return _("A category needs a name.")
    if category_set is None or category_set.pk is None:
        return None
    others = Category.objects.filter(set=category_set)
    if exclude is not None and exclude.pk is not None:
        others = others.exclude(pk=exclude.pk)
    # Compared here rather than with the database's LOWER(), which on SQLite folds only ASCII letters.
    if name.lower() in {other.lower() for other in others.values_list("name", flat=True)}:
        return _(
            'The set "%(set)s" already has a category "%(name)s" (names are compared ignoring case).'
        ) % {
            "set": category_set.name,
            "name": name,
        }
    return None


# --- Writing ------------------------------------------------------------------------------------------


def link(obj, categories):
    """Give `obj` (a goal or an indicator) exactly `categories`, in this order. No history of its own."""
    link_model, column = LINKS[type(obj)]
    link_model.objects.filter(**{column: obj.pk}).delete()
    link_model.objects.bulk_create(
        link_model(**{column: obj.pk}, category=category, position=position)
        for position, category in enumerate(categories)
    )


def resolve(mapping, *, place=""):
    """{set key: [names]} → the categories in that order; every unknown set or name in one ValidationError."""
    errors, found = [], []
    keys = list(mapping)
    sets = {s.key: s for s in CategorySet.objects.filter(key__in=keys)}
    by_name = {
        (c.set.key, c.name.lower()): c
        for c in Category.objects.filter(set__key__in=keys).select_related("set")
    }
    prefix = f"{place}: " if place else ""
    for key, names in mapping.items():
        if key not in sets:
            errors.append(prefix + _('unknown category set "%(key)s"') % {"key": key})
            continue
        seen = set()
        for name in names:
            category = by_name.get((key, str(name).strip().lower()))
            if category is None:
                errors.append(
                    prefix
                    + _('the set "%(set)s" has no category "%(name)s"')
                    % {"set": sets[key].name, "name": name}
                )
            elif category.pk in seen:
                errors.append(prefix + _('the category "%(name)s" is listed twice') % {"name": name})
            else:
                seen.add(category.pk)
                found.append(category)
    if errors:
        raise ValidationError(errors)
    return found


def assign(obj, mapping):
    """Give a goal or an indicator the categories named by {set key: [names]}, in this order."""
    from . import tree  # the tree module writes goals' categories with their history row

    with transaction.atomic():
        categories = resolve(mapping)
        if isinstance(obj, Goal):
            return tree.update_goal(obj, categories=categories)
        link(obj, categories)
        return obj


def _next_position(queryset):
    last = queryset.aggregate(last=Max("position"))["last"]
    return 0 if last is None else last + 1


@transaction.atomic
def save_set(category_set, *, user=None):
    """Save a set (new or changed, its fields set); a new one goes last."""
    category_set.name = category_set.name.strip()
    if category_set.pk is None:
        category_set.position = _next_position(CategorySet.objects.all())
    category_set._history_user = user
    category_set.save()
    treecache.changed()  # the tree shows "Set: Category" badges
    return category_set


@transaction.atomic
def save_category(category, *, user=None):
    """Save a category (new or changed) after checking its name within its set; a new one goes last."""
    category.name = (category.name or "").strip()
    error = name_error(category.set, category.name, exclude=category)
    if error:
        raise ValidationError({"name": error})
    if category.pk is None:
        category.position = _next_position(Category.objects.filter(set=category.set))
    category._history_user = user
    category.save()
    treecache.changed()
    return category


@transaction.atomic
def move_category(category, step, *, user=None):
    """Move a category one place up (`step` -1) or down (+1) within its set."""
    siblings = list(
        Category.objects.filter(set_id=category.set_id).select_for_update().order_by("position", "name")
    )
    index = next(i for i, c in enumerate(siblings) if c.pk == category.pk)
    other = index + step
    if not 0 <= other < len(siblings):
        return
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, row in enumerate(siblings):
        if row.position != position:
            row.position = position
            row._history_user = user
            row.save(update_fields=["position"])
    treecache.changed()


def _in_use_error(category, count):
    return _(
        'The category "%(name)s" is used by %(count)d goals or indicators; take it off them first, '
        "or end it with a last valid year instead."
    ) % {"name": category.name, "count": count}


@transaction.atomic
def delete_category(category, *, user=None):
    """Delete a category that no goal or indicator carries."""
    count = usage([category]).get(category.pk, 0)
    if count:
        raise ValidationError(_in_use_error(category, count))
    category._history_user = user
    category.delete()
    treecache.changed()


@transaction.atomic
def delete_set(category_set, *, user=None):
    """Delete a set and its categories, when none of them is used."""
    categories = list(category_set.categories.all())
    counts = usage(categories)
    errors = [_in_use_error(c, counts[c.pk]) for c in categories if counts.get(c.pk)]
    if errors:
        raise ValidationError(errors)
    for category in categories:
        category._history_user = user
        category.delete()
    category_set._history_user = user
    category_set.delete()
    treecache.changed()


def _set_errors(data):
    """Every problem of `install_sets` data, as Swedish messages naming the set and the category."""
    errors = []
    if not isinstance(data, list):
        return [_("The category sets must be a list.")]
    keys = set()
    for index, item in enumerate(data, start=1):
        place = _("category set %(number)d") % {"number": index}
        if not isinstance(item, dict) or not str(item.get("key") or "").strip():
            errors.append(_("%(place)s: a set needs a key") % {"place": place})
            continue
        key = str(item["key"]).strip()
        if key in keys:
            errors.append(_('%(place)s: the key "%(key)s" is used twice') % {"place": place, "key": key})
        keys.add(key)
        if not str(item.get("name") or "").strip():
            errors.append(_("%(place)s: a set needs a name") % {"place": place})
        names = set()
        for number, category in enumerate(item.get("categories") or [], start=1):
            name = str((category or {}).get("name") or "").strip()
            where = _("%(place)s, category %(number)d") % {"place": place, "number": number}
            if not name:
                errors.append(_("%(place)s: a category needs a name") % {"place": where})
            elif name.lower() in names:
                errors.append(
                    _('%(place)s: the name "%(name)s" is used twice (ignoring case)')
                    % {"place": where, "name": name}
                )
            names.add(name.lower())
            first, last = (category or {}).get("valid_from"), (category or {}).get("valid_to")
            if first is not None and last is not None and last < first:
                errors.append(_("%(place)s: the last valid year comes before the first") % {"place": where})
    return errors


@transaction.atomic
def install_sets(data, *, user=None):
    """Create or update the sets of `data` (the shape of `sets_as_data()`); return how many rows changed."""
    errors = _set_errors(data)
    if errors:
        raise ValidationError(errors)
    changed = 0
    for item in data:
        key, name = str(item["key"]).strip(), str(item["name"]).strip()
        category_set = CategorySet.objects.filter(key=key).first()
        if category_set is None:
            category_set = CategorySet(key=key, name=name, position=_next_position(CategorySet.objects.all()))
        if category_set.pk is None or category_set.name != name:
            category_set.name = name
            category_set._history_user = user
            category_set.save()
            changed += 1
        existing = {c.name.lower(): c for c in category_set.categories.all()}
        for position, entry in enumerate(item.get("categories") or []):
            values = {
                "name": str(entry["name"]).strip(),
                "description": entry.get("description") or "",
                "valid_from": entry.get("valid_from"),
                "valid_to": entry.get("valid_to"),
                "position": position,
            }
            category = existing.get(values["name"].lower()) or Category(set=category_set)
            if category.pk is not None and all(getattr(category, k) == v for k, v in values.items()):
                continue
            for field, value in values.items():
                setattr(category, field, value)
            category.full_clean(exclude=["set"], validate_constraints=False)
            category._history_user = user
            category.save()
            changed += 1
    if changed:
        treecache.changed()
    return changed


def shipped_set_data(key):
    """The data of a set shipped with the app (`SHIPPED_SETS`)."""
    if key not in SHIPPED_SETS:
        raise ValidationError(
            _('There is no shipped category set "%(key)s"; there are: %(keys)s.')
            % {"key": key, "keys": ", ".join(sorted(SHIPPED_SETS))}
        )
    path = Path(settings.BASE_DIR) / "fixtures" / SHIPPED_SETS[key]
    return json.loads(path.read_text(encoding="utf-8"))


def install_category_set(key, *, user=None):
    """Install or bring up to date a set shipped with the app; return how many rows changed."""
    return install_sets([shipped_set_data(key)], user=user)


def is_installed(key):
    return CategorySet.objects.filter(key=key).exists()


def perspective_set(*, create=False):
    """The set that goal files of version 1 call `perspectives` (created on demand when `create`)."""
    category_set = CategorySet.objects.filter(key=PERSPECTIVE_SET).first()
    if category_set is None and create:
        category_set = CategorySet.objects.create(key=PERSPECTIVE_SET, name=PERSPECTIVE_SET_NAME, position=0)
    return category_set
