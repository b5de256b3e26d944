"""The tree cache's per-process memo (goals/treecache.py): the page is the same bytes as a fresh
rendering, and no process serves an older tree than the shared cache holds."""

import pytest
from django.test import Client
from django.urls import reverse

from goals import tree, treecache, treerows
from goals.models import Goal
from tests.goals.test_treecache_stampede import (
    NEW_TITLE,
    OLD_TITLE,
    entry_keys,
    hold_the_lock,
    shared_cache,
    titles,
)

pytestmark = pytest.mark.django_db
TREE = reverse("goals:tree")


def test_the_page_from_the_cache_is_the_same_bytes_as_a_fresh_rendering(world, settings):
    visitor = Client()
    first = visitor.get(TREE)
    assert first["Content-Type"] == "text/html; charset=utf-8"
    from_memo = visitor.get(TREE).content
    treecache.forget()  # as a worker that did not render it: the shared entry is read
    from_shared_entry = visitor.get(TREE).content
    settings.GOAL_TREE_CACHE = None
    treerows.forget()
    fresh = visitor.get(TREE).content
    assert first.content == from_memo == from_shared_entry == fresh
    page = fresh.decode()
    assert OLD_TITLE in page and "<!--noramal-tree-" not in page
    assert page.count('class="goal-node__title"') == 5
    # The list sits inside the page's main content, after the filter form.
    assert page.index("</form>") < page.index('<ul class="goal-tree">') < page.index("</main>")


def test_a_logged_in_page_from_the_cache_still_shows_the_users_own_header(login, world):
    editor = login("editor_bn")
    editor.get(TREE)
    page = editor.get(TREE).content.decode()
    assert "csrfmiddlewaretoken" in page  # the logout form, rendered for this request
    assert OLD_TITLE in page


def test_another_workers_change_is_not_hidden_by_this_processs_memo(world):
    visitor = Client()
    assert OLD_TITLE in titles(visitor)
    # Another process changes the goal and the shared version; this process still keeps the old page.
    Goal.objects.filter(pk=world.bn_goal.pk).update(title=NEW_TITLE)
    shared_cache().set(treecache.VERSION_KEY, "another worker's version", timeout=None)
    shown = titles(visitor)
    assert NEW_TITLE in shown and OLD_TITLE not in shown


def test_another_workers_rendering_replaces_what_this_process_keeps(world):
    key = ("memo",)
    assert treecache.rendered(key, lambda: "earlier tree") == "earlier tree"
    kept = dict(treecache._memo)
    # Another process renders the changed tree; this process still keeps the earlier one.
    treecache.changed()
    assert treecache.rendered(key, lambda: "new tree") == "new tree"
    treecache._memo.clear()
    treecache._memo.update(kept)
    assert treecache.rendered(key, lambda: "not rendered again") == "new tree"


def test_the_editor_is_not_served_the_kept_earlier_tree_while_another_worker_renders(login, world):
    visitor = Client()
    editor = login("editor_bn")
    assert OLD_TITLE in titles(visitor)  # kept in this process's memo
    [entry_key] = entry_keys()
    hold_the_lock(entry_key)
    response = editor.post(
        reverse("goals:goal_edit", args=[world.bn_goal.pk]), {"title": NEW_TITLE, "owner": world.bn.pk}
    )
    assert response.status_code == 302
    shown = titles(editor)
    assert NEW_TITLE in shown and OLD_TITLE not in shown


def test_a_visitor_is_served_the_kept_earlier_tree_while_another_worker_renders(world):
    visitor = Client()
    assert OLD_TITLE in titles(visitor)
    [entry_key] = entry_keys()
    tree.update_goal(world.bn_goal, title=NEW_TITLE)
    hold_the_lock(entry_key)
    shown = titles(visitor)
    assert OLD_TITLE in shown and NEW_TITLE not in shown
