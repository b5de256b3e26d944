"""Stable keys of goals and indicators: what files and revisions match them by, whatever the database ids.

A goal or an indicator made without a key gets one from its database id ("mal-17", "ind-42"), here and
nowhere else: a single save (`give_key`, from the models' `save`) and a bulk insert (`fill_missing`) both
name the key with `key_from_id`. A key is kept from then on: an export writes it, an import keeps it.
"""

# What a key made from the id begins with (Swedish, as the files are read by the municipality's staff).
GOAL_PREFIX = "mal"
INDICATOR_PREFIX = "ind"
KEY_MAX = 60


def prefix_of(model):
    return GOAL_PREFIX if model._meta.model_name == "goal" else INDICATOR_PREFIX


def key_from_id(prefix, pk, taken=frozenset()):
    """ "mal-17"; should a key given by hand already be "mal-17", then "mal-17-2", "mal-17-3" …"""
    key, number = f"{prefix}-{pk}", 1
    while key in taken:
        number += 1
        key = f"{prefix}-{pk}-{number}"
    return key


def _taken(model):
    """The keys of `model` that look made from an id (one query): a new key must not be one of them."""
    return set(model.objects.filter(key__startswith=f"{prefix_of(model)}-").values_list("key", flat=True))


def fill_missing(model, rows):
    """Give each saved row of `rows` that has no key one from its id, in two queries however many."""
    missing = [row for row in rows if not row.key]
    if not missing:
        return
    taken, prefix = _taken(model), prefix_of(model)
    for row in missing:
        row.key = key_from_id(prefix, row.pk, taken)
        taken.add(row.key)
    model.objects.bulk_update(missing, ["key"])


def give_key(obj):
    """Give a row just saved without a key its key from its id; its history's rows get it too."""
    model, prefix = type(obj), prefix_of(type(obj))
    taken = model.objects.filter(key__startswith=f"{prefix}-{obj.pk}").values_list("key", flat=True)
    obj.key = key_from_id(prefix, obj.pk, set(taken))
    model.objects.filter(pk=obj.pk).update(key=obj.key)
    history = getattr(model, "history", None)
    if history is not None:
        history.filter(id=obj.pk, key__isnull=True).update(key=obj.key)
