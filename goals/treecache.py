"""A shared cache of the rendered goal tree, invalidated by every write that changes what the tree shows.

Rendering 5,000 goals costs Django's template engine a few hundred milliseconds, and the tree changes
rarely, so the tree page keeps its rendered list in the cache named by `settings.GOAL_TREE_CACHE` (the
database cache by default: shared by every gunicorn worker, and written in the same transaction as the
change itself).

Invalidation is a version: a random token under one key. Every write path that changes what the tree
shows — goals created, moved, changed or deleted (`goals.tree`), a goal file imported (`goals.goalfile`),
indicators added or removed (the tree shows their number), category sets, categories and organisations
changed — calls `changed()`, which writes a new token. Each filter combination is stored under a fixed
key together with the token it was rendered under; an entry whose token is not the current one is
rendered again and overwritten. So old renderings never pile up: the cache holds at most one entry per
filter combination. An entry may carry a small value beside its HTML (`rendered_with`: the tree page keeps
the years its year select lists there, so that a cached page reads no goal).

Rendering again after a change is cheap: the rows that did not change come from `goals.treerows`, which
keeps each row's HTML under what it shows and needs no invalidation of its own.
"""

import logging
import uuid
import zlib

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.utils.translation import get_language

log = logging.getLogger(__name__)
VERSION_KEY = "goals:tree:version"
# The whole tree is several megabytes of HTML that compresses about tenfold: less to store, and less for
# every worker to read back from the database than it costs to decompress.
COMPRESSION_LEVEL = 1


def _cache():
    alias = getattr(settings, "GOAL_TREE_CACHE", None)
    return caches[alias] if alias else None


def changed():
    """Say that the goal tree changed: the next tree page is rendered afresh.

    The new version is written at once — in the caller's transaction, when the cache lives in the same
    database, so that readers see the new tree and the new version together — and again after the commit,
    for a cache outside the database: a reader that rendered the old rows between the two writes stored
    them under a version that no longer counts.
    """
    cache = _cache()
    if cache is None:
        return
    _new_version(cache)
    transaction.on_commit(lambda: _new_version(cache))


def _new_version(cache):
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def rendered(key, render):
    """The tree HTML for `key` (a tuple naming the filter), from the cache or from `render()`."""
    return rendered_with(key, lambda: (render(), None))[0]


def rendered_with(key, render):
    """(HTML, extra) for `key`, from the cache or from `render()`, which returns both: `extra` is a small
    value that belongs with the rendering (the tree page keeps its filter's years there)."""
    cache = _cache()
    if cache is None:
        return render()
    entry_key = "goals:tree:" + ":".join(str(part) for part in (get_language(), *key))
    # One round trip on a hit: the version and the entry together.
    found = cache.get_many([VERSION_KEY, entry_key])
    version = found.get(VERSION_KEY)
    if version is None:
        # The first page since the cache was emptied: start a version (add() keeps a racing worker's).
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY)
    entry = found.get(entry_key)
    if entry is not None and entry[0] == version and len(entry) == 3:
        return zlib.decompress(entry[1]).decode(), entry[2]
    # The version was read before the goals are: a rendering of rows older than a concurrent change is
    # stored under the version before it, which that change has already replaced.
    html, extra = render()
    cache.set(entry_key, (version, zlib.compress(html.encode(), COMPRESSION_LEVEL), extra), timeout=None)
    return html, extra
