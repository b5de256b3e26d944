"""The tree page's rows (goals/treerows.py): after a change only the changed rows are rendered again, and
the tree of a year (`?ar=`) shows the goals and indicators valid in that year."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from goals import tree, treerows
from goals.models import Goal, Indicator
from tests import factories
from tests.goals.test_views import read

pytestmark = pytest.mark.django_db
TREE = reverse("goals:tree")
THIS_YEAR = timezone.localdate().year


@pytest.fixture(autouse=True)
def no_kept_rows():
    treerows.forget()
    yield
    treerows.forget()


def page(client, query=""):
    return client.get(TREE + query).content.decode()


def titles(client, query=""):
    return [title for _depth, title in read(client.get(TREE + query)).tree_links]


def test_an_edit_renders_only_the_edited_row_again_and_the_others_come_from_the_kept_rows(client, world):
    before = page(client)
    assert treerows.rendered_count() == Goal.objects.count() == 5
    tree.update_goal(world.bn_goal, title="Alla elever når kunskapskraven")
    after = page(client)
    # One row more is kept (the edited one, under its new content); every other row was reused.
    assert treerows.rendered_count() == 6
    assert after == before.replace("Ökad måluppfyllelse i skolan", "Alla elever når kunskapskraven")
    assert "Ökad måluppfyllelse i skolan" not in after


def test_a_new_sub_goal_renders_its_row_and_its_parents_again(client, world):
    page(client)
    factories.goal(world.bn_goal, "Fler behöriga lärare")
    html = page(client)
    assert "Fler behöriga lärare" in html and "1 delmål" in html
    # The new goal, and its parent, which now opens a child list.
    assert treerows.rendered_count() == 5 + 2


def test_each_language_has_its_own_rows(client, world):
    with translation.override("sv"):
        assert "1 indikator" in page(client)
    with translation.override("en"):
        english = page(client)
    assert "1 indicator" in english and "1 indikator" not in english
    assert treerows.rendered_count() == 10
    with translation.override("sv"):
        assert "1 indikator" in page(client, "?namnd=BN")


def test_filtered_views_reuse_the_rows_they_share_with_the_whole_tree(client, world):
    page(client)
    page(
        client, f"?kategori={factories.perspective('Livskvalitet').pk}"
    )  # no goal carries it: no rows, no new row
    assert treerows.rendered_count() == 5
    html = page(client, "?namnd=BN")
    assert "<mark>Ökad måluppfyllelse i skolan</mark>" in html
    # The board's goal is marked and the goals above it are shown as context: their rows differ.
    assert treerows.rendered_count() > 5


def test_the_tree_of_a_year_shows_the_goals_and_indicators_valid_in_it(client, world):
    ended = factories.goal(
        world.kf_goal, "Ett avslutat mål", valid_from=THIS_YEAR - 2, valid_to=THIS_YEAR - 1
    )
    factories.goal(ended, "Delmål till det avslutade")  # valid whenever, but under a goal that ended
    Indicator.objects.filter(pk=world.bn_indicator.pk).update(valid_from=THIS_YEAR + 1)
    shown = titles(client)
    assert "Ett avslutat mål" not in shown and "Delmål till det avslutade" not in shown
    assert "Ökad måluppfyllelse i skolan" in shown
    last_year = titles(client, f"?ar={THIS_YEAR - 1}")
    assert last_year.index("Ett avslutat mål") < last_year.index("Delmål till det avslutade")
    # The indicator starts next year: not counted this year, counted next year.
    bn_row = next(li for li in page(client).split("<li")[1:] if "Ökad måluppfyllelse" in li)
    assert "0 indikatorer" in bn_row
    bn_row = next(li for li in page(client, f"?ar={THIS_YEAR + 1}").split("<li")[1:] if "Ökad" in li)
    assert "1 indikator<" in bn_row


def test_the_year_select_lists_the_years_the_goals_name_and_keeps_the_chosen_one(client, world):
    factories.goal(world.kf_goal, "Ett avslutat mål", valid_from=THIS_YEAR - 3, valid_to=THIS_YEAR - 1)
    html = page(client)
    years = [f'<option value="{year}"' for year in range(THIS_YEAR - 3, THIS_YEAR + 1)]
    assert all(option in html for option in years)
    assert f'<option value="{THIS_YEAR}" selected>' in html
    assert f'<option value="{THIS_YEAR - 3}" selected>' in page(client, f"?ar={THIS_YEAR - 3}")
    # Nonsense falls back to this year; a year outside the installation's is shown (with no goal in it).
    assert f'<option value="{THIS_YEAR}" selected>' in page(client, "?ar=abc")
    assert '<option value="1950" selected>' in page(client, "?ar=1950")
    assert "Ett avslutat mål" not in titles(client, "?ar=1950")


def test_changing_a_goals_validity_shows_on_the_tree_of_the_year(client, world):
    assert "Fler bostäder" in titles(client)
    tree.update_goal(world.ks_goal, valid_to=THIS_YEAR - 1)
    assert "Fler bostäder" not in titles(client)
    assert "Fler bostäder" in titles(client, f"?ar={THIS_YEAR - 1}")


def test_the_tree_of_a_year_is_read_in_as_few_queries(client, world, django_assert_max_num_queries):
    page(client, f"?ar={THIS_YEAR - 1}")
    with django_assert_max_num_queries(3):
        assert "Fler bostäder" in page(client, f"?ar={THIS_YEAR - 1}")
