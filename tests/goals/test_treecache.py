"""The tree page's cache (goals/treecache.py): served from the cache, and fresh after every tree change."""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import translation

from goals import goalfile, tree, treecache
from goals.models import Goal
from goals.synthetic import synthetic_document
from tests import factories
from tests.goals.test_editing import indicator_data
from tests.goals.test_views import read

pytestmark = pytest.mark.django_db
TREE = reverse("goals:tree")


def tree_titles(client, query=""):
    return [title for _depth, title in read(client.get(TREE + query)).tree_links]


def goal_queries(queries):
    return [q["sql"] for q in queries if "goals_goal" in q["sql"]]


def test_second_tree_page_comes_from_the_cache_without_reading_goals(
    client, world, django_assert_max_num_queries
):
    first = client.get(TREE).content.decode()
    with django_assert_max_num_queries(3) as captured:
        second = client.get(TREE).content.decode()
    assert goal_queries(captured.captured_queries) == []
    assert second.count("goal-node__title") == first.count("goal-node__title") == 5


def test_editing_a_title_on_the_web_shows_on_the_tree_at_once(login, world):
    client = login("editor_bn")
    assert "Ökad måluppfyllelse i skolan" in tree_titles(client)
    response = client.post(
        reverse("goals:goal_edit", args=[world.bn_goal.pk]),
        {"title": "Alla elever når kunskapskraven", "owner": world.bn.pk},
    )
    assert response.status_code == 302
    titles = tree_titles(client)
    assert "Alla elever når kunskapskraven" in titles and "Ökad måluppfyllelse i skolan" not in titles
    # A visitor who is not logged in (another client, the same shared cache) sees it too.
    assert "Alla elever når kunskapskraven" in tree_titles(Client())


def test_changing_what_the_tree_does_not_show_keeps_the_cache(world):
    from goals import tree

    cache = caches[treecache.settings.GOAL_TREE_CACHE]
    treecache.rendered(("k",), lambda: "tree")
    version = cache.get(treecache.VERSION_KEY)
    tree.update_goal(world.bn_goal, description="Ny beskrivning", decision="BN § 3 2026-01-20")
    assert cache.get(treecache.VERSION_KEY) == version
    tree.update_goal(world.bn_goal, owner=world.ks)
    assert cache.get(treecache.VERSION_KEY) != version
    version = cache.get(treecache.VERSION_KEY)
    tree.update_goal(world.kf_goal, categories=[])  # it had none: nothing to show differently
    assert cache.get(treecache.VERSION_KEY) == version
    tree.update_goal(world.kf_goal, categories=[factories.perspective("Livskvalitet", position=2)])
    assert cache.get(treecache.VERSION_KEY) != version


def test_adding_moving_and_deleting_goals_on_the_web_show_on_the_tree(login, world):
    client = login("controller")
    tree_titles(client)
    client.post(
        reverse("goals:goal_create", args=[world.kf_goal.pk]), {"title": "Nytt mål", "owner": world.bn.pk}
    )
    assert "Nytt mål" in tree_titles(client)
    new = Goal.objects.get(title="Nytt mål")

    client.post(reverse("goals:goal_move", args=[new.pk]), {"parent": world.kf_goal.pk, "place": 1})
    titles = tree_titles(client)
    assert titles.index("Nytt mål") < titles.index("Ökad måluppfyllelse i skolan")

    assert client.post(reverse("goals:goal_delete", args=[new.pk])).status_code == 302
    assert "Nytt mål" not in tree_titles(client)


def test_indicator_added_and_deleted_on_the_web_changes_the_count_on_the_tree(login, world):
    client = login("editor_bn")
    assert "1 indikator" in client.get(TREE).content.decode()
    client.post(reverse("goals:indicator_create", args=[world.bn_goal.pk]), indicator_data(world.bn))
    assert "2 indikatorer" in client.get(TREE).content.decode()
    client.post(reverse("goals:indicator_delete", args=[world.bn_indicator.pk]))
    html = client.get(TREE).content.decode()
    assert "2 indikatorer" not in html and html.count("1 indikator") == 2


def test_renamed_category_shows_on_the_tree(login, world):
    perspective = factories.perspective("Hållbarhet", position=1)
    tree.update_goal(world.kf_goal, categories=[perspective])
    client = login("controller")
    assert "Perspektiv: Hållbarhet" in client.get(TREE).content.decode()
    response = client.post(
        reverse("goals:category_edit", args=[perspective.pk]), {"name": "Hållbar utveckling"}
    )
    assert response.status_code == 302
    assert "Perspektiv: Hållbar utveckling" in client.get(TREE).content.decode()
    response = client.post(
        reverse("goals:category_set_edit", args=[perspective.set_id]), {"name": "Målområde"}
    )
    assert "Målområde: Hållbar utveckling" in client.get(TREE).content.decode()


def test_goal_file_import_replaces_the_cached_tree(client, world):
    assert len(tree_titles(client)) == 5
    goalfile.import_document(synthetic_document(goal_count=40), replace=True)
    assert len(tree_titles(client)) == 40


def test_organisation_renamed_in_the_admin_shows_on_the_tree(client, world, django_user_model):
    assert "Bildningsnämnden" in client.get(TREE).content.decode()
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.org", "pw"))
    url = reverse("admin:goals_organisation_change", args=[world.bn.pk])
    data = {
        "code": "BN",
        "name": "Barn- och utbildningsnämnden",
        "kind": world.bn.kind,
        "parent": world.council.pk,
    }
    data["position"] = world.bn.position
    assert client.post(url, data).status_code == 302
    assert "Barn- och utbildningsnämnden" in client.get(TREE).content.decode()


def test_each_filter_and_language_has_its_own_entry(client, world):
    everything = tree_titles(client)
    only_ks = tree_titles(client, "?namnd=KS")
    assert "Fler bostäder" in only_ks and "Ökad måluppfyllelse i skolan" not in only_ks
    assert tree_titles(client) == everything
    with translation.override("en"):
        assert treecache.rendered(("x",), lambda: "english") == "english"
    with translation.override("sv"):
        assert treecache.rendered(("x",), lambda: "svenska") == "svenska"
        assert treecache.rendered(("x",), lambda: "not called") == "svenska"


def test_old_renderings_do_not_pile_up(client, world):
    client.get(TREE)
    for number in range(5):
        Goal.objects.filter(pk=world.bn_goal.pk).update(title=f"Titel {number}")
        treecache.changed()
        assert f"Titel {number}" in tree_titles(client)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM noramal_cache")
        # The version and the one filter combination this test looked at.
        assert cursor.fetchone()[0] == 2


@pytest.mark.django_db(transaction=True)
def test_change_committed_by_another_transaction_is_seen(client, world):
    # Committed for real (not a test's rolled-back transaction): the after-commit version bump runs too.
    tree_titles(client)
    from goals import tree

    tree.update_goal(world.ks_goal, title="Fler hyresrätter")
    assert "Fler hyresrätter" in tree_titles(client)
    caches[treecache.settings.GOAL_TREE_CACHE].clear()


def test_without_a_cache_configured_the_page_is_rendered_each_time(client, world, settings):
    settings.GOAL_TREE_CACHE = None
    assert len(tree_titles(client)) == 5
    Goal.objects.filter(pk=world.bn_goal.pk).update(title="Utan cache")
    assert "Utan cache" in tree_titles(client)
