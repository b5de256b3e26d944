"""The goal tree's rows as HTML, each rendered once and kept by what it shows.

The tree page's whole list is kept by `goals.treecache` until the tree changes. After a change (a title
edit, a judgement approved) the list is built again from the database, but of its thousands of rows only
the changed ones need rendering: every row's HTML is kept under a key made of everything the row shows —
its address, title, level and level name, owner, indicator count, categories, child count, whether it
opens a child list and folds on a phone, its filter mark, its status as rendered for the viewer's
audience, and the language. A row that changed in any of these has a new key, so a kept row is never
stale and nothing needs invalidating; the public's and the staff's rows differ only where their statuses
do. Filtered views (category, board, year) reuse the same rows.

The rows are kept in this process, in a bounded mapping, not in Django's cache: a lookup there costs more
per row than the row's rendering (key validation and unpickling, ~10 µs a row, 50 ms for 5,000 rows),
while a dictionary lookup costs well under a microsecond. A row's key is its content, so every worker
process may keep its own without ever serving another's stale row; each renders a row once.

A miss is rendered here in Python, with the escaping of Django's templates (`html.escape`), in the markup
of `templates/goals/includes/tree_list.html`'s former loop; the status symbol comes from its template
(`includes/judgement_symbol.html`), once per distinct status.
"""

import threading
from html import escape
from itertools import islice

from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .treeview import SHOWN

# About a kilobyte a row: 5,000 goals in two languages for the public and the staff fit.
ROW_LIMIT = 25_000
CLOSE = b"</ul></details></li>"

_rows = {}
_lock = threading.Lock()


def tree_list(view):
    """The nested lists of a `goals.treeview.TreeView` as UTF-8 HTML (its rows not empty): bytes, joined
    into the page as they are (goals/treecache.py)."""
    language = get_language()
    filtered = view.filtered
    statuses = {}
    keys = []
    for row in view.rows:
        status = row.status
        if status is None:
            status_html = ""
        else:
            # The words depend on the period, the judgement and whether it is approved: worded once for
            # each such triple, not once per goal (each word is a translation lookup).
            shown = (status.period.pk, status.judgement, status.approved)
            status_html = statuses.get(shown)
            if status_html is None:
                status_html = statuses[shown] = _status_html(status)
        keys.append((language, filtered, status_html, row[:SHOWN]))
    found = [_rows.get(key) for key in keys]
    missing = [index for index, html in enumerate(found) if html is None]
    if missing:
        words = (_("Owner:"), _("matches the filter"), _("Categories:"))
        for index in missing:
            found[index] = _row_html(keys[index], words).encode()
        _keep({keys[index]: found[index] for index in missing})
    parts = [b'<ul class="goal-tree">\n']
    for row, html in zip(view.rows, found, strict=True):
        if row.closes:
            parts.append(CLOSE * row.closes)
        parts.append(html)
    parts.append(CLOSE * view.closes_at_end)
    parts.append(b"\n</ul>\n")
    return b"".join(parts)


def rendered_count():
    """How many rows this process keeps (for tests and the benchmark)."""
    return len(_rows)


def forget():
    """Drop every kept row (tests, the benchmark)."""
    with _lock:
        _rows.clear()


def _keep(new):
    with _lock:
        overflow = len(_rows) + len(new) - ROW_LIMIT
        if overflow > 0:
            # The oldest first (dictionaries keep their order of insertion), and half at once, so that
            # a page larger than what is left does not evict row by row.
            for key in list(islice(_rows, max(overflow, ROW_LIMIT // 2))):
                _rows.pop(key, None)
        _rows.update(new)


def _status_html(status):
    return render_to_string("includes/judgement_symbol.html", {"status": status})


def _row_html(key, words):
    _language, filtered, status_html, shown = key
    (
        url,
        title,
        level,
        level_label,
        owner_code,
        owner_name,
        indicator_label,
        categories,
        child_label,
        opens,
        folds_on_phone,
        matches,
    ) = shown
    owner_text, match_text, categories_text = words
    title = escape(title)
    context = " goal-tree__item--context" if filtered and not matches else ""
    if filtered and matches:
        shown_title = f'<mark>{title}</mark><span class="visually-hidden"> ({escape(match_text)})</span>'
    else:
        shown_title = title
    badges = ""
    if categories:
        names = "".join(f'<span class="badge category-badge">{escape(name)}</span> ' for name in categories)
        badges = f' <span class="visually-hidden">{escape(categories_text)} </span>{names}'
    status = f' <span class="goal-node__status">{status_html}</span>' if status_html else ""
    if not opens:
        end = "</li>"
    else:
        fold = " data-fold-on-phone" if folds_on_phone else ""
        end = (
            f"<details open{fold}><summary>{escape(child_label)}"
            f'<span class="visually-hidden">: {title}</span></summary><ul>'
        )
    return (
        f'\n<li class="goal-tree__item goal-tree__item--{escape(level)}{context}">\n'
        f'<div class="goal-node"><span class="goal-node__level">{escape(level_label)}</span> '
        f'<a class="goal-node__title" href="{escape(url)}">{shown_title}</a>\n'
        f'<span class="goal-node__meta"><span class="badge owner-badge" title="{escape(owner_name)}">'
        f'<span class="visually-hidden">{escape(owner_text)} </span>{escape(owner_code)}</span> '
        f'<span class="goal-node__indicators">{escape(indicator_label)}</span>{badges}{status}</span></div>\n'
        f"{end}\n"
    )
