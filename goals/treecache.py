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

Each entry names its rendering with a random token, and every process keeps the HTML of the renderings
it wrote or read, decompressed, by entry key and token (`MEMO_ENTRIES` of them): a hit still reads the
entry (its version, beginning and token decide, by the rules below, exactly as without the memo), but
decompresses it only when this process does not keep that very rendering. So a process never serves
other HTML than the shared entry holds: another worker's change replaces the version, another worker's
rendering the token. The HTML is handed out as UTF-8 bytes (`rendered_bytes_with`), joined into the page
without being decoded.

Rendering again after a change is cheap: the rows that did not change come from `goals.treerows`, which
keeps each row's HTML under what it shows and needs no invalidation of its own.

No stampede after a change: when an entry is stale, one request at a time renders it again. That request
takes a short lock in the same cache (`cache.add` of the entry's key + ":rendering", expiring after
`LOCK_SECONDS`) and releases it once the new rendering is written, or when the rendering fails. The
requests that find the lock taken do not render too: they are served the stale rendering still under the
entry's key (the tree before the latest changes, replaced as soon as the lock holder writes). A request
renders itself, in parallel, only when there is no earlier rendering to serve, when the lock has expired
(a render that took over `LOCK_SECONDS`: the next request takes the lock again), or under the rule below.

The rule that keeps an editor's own change visible: a stale rendering is served only to a browser whose
own last tree change is older than the moment that rendering began. Every request that changed the tree
(`changed()` marks it) gets the signed cookie `CHANGE_COOKIE` with the time its response was made — after
the change was committed — and `own_change(request)` reads it back; each entry stores the time its
rendering began, before it read any goal. A browser that changed the tree after that time renders the tree
itself instead (taking the lock when it is free, so that the others are still served). Visitors who
changed nothing, and editors whose change the stale rendering already shows, get the stale one. The cookie
lasts `CHANGE_COOKIE_SECONDS` (an hour): after that the browser is served like any other, which matters
only for a filter nobody rendered since the change, and only while another request is rendering it. The
cookie is signed; a forged one is ignored.
"""

import contextvars
import logging
import threading
import time
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
# How long one renderer may hold an entry's lock before another request renders it too.
LOCK_SECONDS = 10
CHANGE_COOKIE = "noramal_tree_changed"
CHANGE_COOKIE_SECONDS = 3600
_COOKIE_SALT = "goals.treecache.change"
# The renderings this process keeps, decompressed, by entry key: (rendering token, HTML bytes).
# A few megabytes each; the oldest goes first.
MEMO_ENTRIES = 8
_memo = {}
_memo_lock = threading.Lock()
# Set by `changed()` for the request being served; `ChangeCookieMiddleware` turns it into the cookie.
_changed_here = contextvars.ContextVar("goals_tree_changed_here", default=False)


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
    _changed_here.set(True)
    _new_version(cache)
    transaction.on_commit(lambda: _new_version(cache))


def _new_version(cache):
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def rendered(key, render, changed_at=None):
    """The tree HTML for `key` (a tuple naming the filter), from the cache or from `render()`."""
    return rendered_with(key, lambda: (render(), None), changed_at)[0]


def rendered_with(key, render, changed_at=None):
    """(HTML, extra) for `key`, from the cache or from `render()`, which returns both: `extra` is a small
    value that belongs with the rendering (the tree page keeps its filter's years there).

    `changed_at` is when the requesting browser last changed the tree (`own_change(request)`), or None: a
    stale rendering begun before it is not served to that browser (see the module's docstring)."""
    html, extra = rendered_bytes_with(key, render, changed_at)
    return html.decode(), extra


def rendered_bytes_with(key, render, changed_at=None):
    """As `rendered_with`, with the HTML as UTF-8 bytes: what the tree page joins into its response.
    `render()` may return the HTML as a str or as UTF-8 bytes."""
    cache = _cache()
    if cache is None:
        html, extra = render()
        return _utf8(html), extra
    begun = time.time()
    entry_key = "goals:tree:" + ":".join(str(part) for part in (get_language(), *key))
    lock_key = entry_key + ":rendering"
    # One round trip on a hit, and on a stale entry whose lock is taken: the version, entry and lock.
    found = cache.get_many([VERSION_KEY, entry_key, lock_key])
    version = found.get(VERSION_KEY)
    if version is None:
        # The first page since the cache was emptied: start a version (add() keeps a racing worker's).
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY)
    entry = found.get(entry_key)
    if entry is None or len(entry) != 5:
        # Nothing rendered yet (or stored by an older release): nothing to serve while another renders.
        return _render(cache, entry_key, version, begun, render)
    entry_version, _compressed, extra, entry_begun, _rendering = entry
    if entry_version == version:
        return _unpacked(entry_key, entry), extra
    locked = lock_key not in found and cache.add(lock_key, begun, timeout=LOCK_SECONDS)
    if not locked:
        if changed_at is None or changed_at <= entry_begun:
            return _unpacked(entry_key, entry), extra
        return _render(cache, entry_key, version, begun, render)
    started = time.monotonic()
    try:
        return _render(cache, entry_key, version, begun, render)
    finally:
        # After an expiry the lock may be another renderer's: left to expire.
        if time.monotonic() - started < LOCK_SECONDS:
            cache.delete(lock_key)


def _unpacked(entry_key, entry):
    """The entry's HTML: kept by this process when it wrote or read this very rendering, else
    decompressed (and kept)."""
    rendering = entry[4]
    kept = _memo.get(entry_key)
    if kept is not None and kept[0] == rendering:
        return kept[1]
    html = zlib.decompress(entry[1])
    _remember(entry_key, rendering, html)
    return html


def _render(cache, entry_key, version, begun, render):
    # The version was read before the goals are: a rendering of rows older than a concurrent change is
    # stored under the version before it, which that change has already replaced.
    html, extra = render()
    html = _utf8(html)
    rendering = uuid.uuid4().hex
    packed = (version, zlib.compress(html, COMPRESSION_LEVEL), extra, begun, rendering)
    cache.set(entry_key, packed, timeout=None)
    _remember(entry_key, rendering, html)
    return html, extra


def _utf8(html):
    return html.encode() if isinstance(html, str) else html


def _remember(entry_key, rendering, html):
    with _memo_lock:
        _memo.pop(entry_key, None)
        while len(_memo) >= MEMO_ENTRIES:
            _memo.pop(next(iter(_memo)))
        _memo[entry_key] = (rendering, html)


def forget():
    """Drop this process's memo of renderings (tests, the benchmark): the next hit decompresses the entry."""
    with _memo_lock:
        _memo.clear()


def own_change(request):
    """When this browser last changed the tree (seconds since the epoch), or None."""
    value = request.get_signed_cookie(
        CHANGE_COOKIE, default=None, salt=_COOKIE_SALT, max_age=CHANGE_COOKIE_SECONDS
    )
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


class ChangeCookieMiddleware:
    """Give the browser whose request changed the tree the time of that change (see `own_change`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _changed_here.set(False)
        try:
            response = self.get_response(request)
            if _changed_here.get():
                # After the view: its transaction is committed, so a rendering begun later shows the change.
                response.set_signed_cookie(
                    CHANGE_COOKIE,
                    repr(time.time()),
                    salt=_COOKIE_SALT,
                    max_age=CHANGE_COOKIE_SECONDS,
                    httponly=True,
                    samesite="Lax",
                    secure=settings.SESSION_COOKIE_SECURE,
                )
        finally:
            _changed_here.reset(token)
        return response
