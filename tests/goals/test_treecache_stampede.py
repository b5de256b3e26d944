"""The tree cache after a change (goals/treecache.py): one renderer at a time, the others served the earlier
rendering, and the browser that made the change sees it."""

import threading

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.urls import reverse

from goals import tree, treecache
from tests.goals.test_views import read

pytestmark = pytest.mark.django_db
TREE = reverse("goals:tree")
OLD_TITLE = "Ökad måluppfyllelse i skolan"
NEW_TITLE = "Alla elever når kunskapskraven"


def titles(client):
    return [title for _depth, title in read(client.get(TREE)).tree_links]


def shared_cache():
    return caches[treecache.settings.GOAL_TREE_CACHE]


def entry_keys():
    """The tree entries in the shared cache's table, as the cache names them (without its prefix)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM noramal_cache WHERE cache_key LIKE %s", ["%goals:tree:%"])
        keys = [row[0].split(":", 2)[2] for row in cursor.fetchall()]
    return [key for key in keys if key != treecache.VERSION_KEY and not key.endswith(":rendering")]


def hold_the_lock(entry_key):
    """Act as another worker that is rendering this entry right now."""
    assert shared_cache().add(entry_key + ":rendering", "another worker", timeout=treecache.LOCK_SECONDS)


def test_two_requests_for_a_stale_entry_render_it_once_and_the_second_gets_the_earlier_one(settings):
    # Two threads at once, on the local-memory cache (the test database's connection is not shared
    # between threads); the first holds the lock while its rendering waits.
    settings.GOAL_TREE_CACHE = "default"
    caches["default"].clear()
    key = ("parallel",)
    assert treecache.rendered(key, lambda: "earlier tree") == "earlier tree"
    treecache.changed()
    rendering, finish = threading.Event(), threading.Event()
    renders, results = [], {}

    def slow_render():
        renders.append(threading.current_thread().name)
        rendering.set()
        assert finish.wait(10)
        return "new tree"

    def request(name):
        results[name] = treecache.rendered(key, slow_render)

    first = threading.Thread(target=request, args=("first",), name="first")
    first.start()
    assert rendering.wait(10)
    second = threading.Thread(target=request, args=("second",), name="second")
    second.start()
    second.join(10)
    # The second one answered while the first was still rendering, without rendering itself.
    assert results == {"second": "earlier tree"}
    finish.set()
    first.join(10)
    assert renders == ["first"]
    assert results == {"first": "new tree", "second": "earlier tree"}
    # The new rendering is the one served from now on, and the lock is gone.
    assert treecache.rendered(key, lambda: "not rendered again") == "new tree"
    treecache.changed()
    assert treecache.rendered(key, lambda: "after the next change") == "after the next change"
    caches["default"].clear()


def test_while_another_worker_renders_a_visitor_gets_the_earlier_tree_in_three_queries(
    world, django_assert_max_num_queries
):
    visitor = Client()
    assert OLD_TITLE in titles(visitor)
    [entry_key] = entry_keys()
    tree.update_goal(world.bn_goal, title=NEW_TITLE)
    hold_the_lock(entry_key)
    with django_assert_max_num_queries(3):
        response = visitor.get(TREE)
    shown = [title for _depth, title in read(response).tree_links]
    assert OLD_TITLE in shown and NEW_TITLE not in shown
    # Once the other worker is done (its lock released), the next page is the new tree.
    shared_cache().delete(entry_key + ":rendering")
    shown = titles(visitor)
    assert NEW_TITLE in shown and OLD_TITLE not in shown


def test_the_editor_sees_their_own_change_while_another_worker_renders(login, world):
    editor = login("editor_bn")
    other_editor = Client()
    other_editor.force_login(world.users["editor_ks"])
    assert OLD_TITLE in titles(editor)
    [entry_key] = entry_keys()
    hold_the_lock(entry_key)  # from before the edit: that rendering cannot show it
    response = editor.post(
        reverse("goals:goal_edit", args=[world.bn_goal.pk]), {"title": NEW_TITLE, "owner": world.bn.pk}
    )
    assert response.status_code == 302
    assert treecache.CHANGE_COOKIE in response.cookies
    shown = titles(editor)
    assert NEW_TITLE in shown and OLD_TITLE not in shown
    # The editor's rendering was stored: the other editor (same entry, no change of their own) gets it.
    shown = titles(other_editor)
    assert NEW_TITLE in shown and OLD_TITLE not in shown


def test_a_browser_whose_change_is_older_than_the_earlier_rendering_is_served_it(login, world):
    editor = login("editor_bn")
    editor.post(
        reverse("goals:goal_edit", args=[world.bn_goal.pk]), {"title": NEW_TITLE, "owner": world.bn.pk}
    )
    assert NEW_TITLE in titles(editor)  # rendered after the edit
    [entry_key] = entry_keys()
    tree.update_goal(world.ks_goal, title="Fler hyresrätter")  # someone else's change
    hold_the_lock(entry_key)
    shown = titles(editor)
    # The earlier rendering shows the editor's change, so they get it rather than rendering too.
    assert NEW_TITLE in shown and "Fler hyresrätter" not in shown


def test_a_forged_change_cookie_counts_for_nothing(world):
    visitor = Client()
    assert OLD_TITLE in titles(visitor)
    [entry_key] = entry_keys()
    tree.update_goal(world.bn_goal, title=NEW_TITLE)
    hold_the_lock(entry_key)
    visitor.cookies[treecache.CHANGE_COOKIE] = "99999999999"
    assert OLD_TITLE in titles(visitor)


def test_the_lock_is_released_when_the_rendering_fails(world):
    key = ("failing",)
    assert treecache.rendered(key, lambda: "earlier tree") == "earlier tree"
    treecache.changed()

    def broken_render():
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        treecache.rendered(key, broken_render)
    # Had the lock stayed, this request would be served the earlier tree instead of rendering.
    assert treecache.rendered(key, lambda: "new tree") == "new tree"


def test_without_an_earlier_rendering_a_request_renders_even_while_another_does(world):
    key = ("nothing-yet",)
    shared_cache().add("goals:tree:sv:nothing-yet:rendering", "another worker", timeout=10)
    assert treecache.rendered(key, lambda: "new tree") == "new tree"
