"""The header's search: goals, indicators and activities, Swedish-aware, grouped by level."""

import pytest

from goals.models import Assignment
from goals.search import MAX_QUERY_LENGTH, fold
from tests import factories
from tests.levels import Level


def test_folding_takes_case_and_swedish_letters_off():
    assert fold("FÖRSKOLA Åre Ängen") == "forskola are angen"


@pytest.fixture
def preschool(world):
    goal = factories.goal(
        world.kf_goal, "Trygg förskola för alla", owner=world.bn, description="Små grupper."
    )
    factories.IndicatorFactory(goal=goal, name="Barn per årsarbetare i förskolan", description="Antal barn.")
    factories.ActivityFactory(goal=world.bn_goal, title="Läslyftet", description="Förskolans läsmiljöer.")
    return goal


def test_plain_letters_find_the_swedish_words_grouped_by_level(client, preschool):
    response = client.get("/sok/", {"q": "forskola"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "3 träffar för ”forskola”" in html
    # The group headings are the styrmodell's plural names, the levels first, then indicators, activities.
    headings = [h.split(" <span")[0] for h in html.split('<h2 id="search-group-')[1:]]
    assert [h.split(">", 1)[1] for h in headings] == ["Nämndmål", "Indikatorer", "Aktiviteter"]
    assert f'href="/mal/{preschool.pk}/"' in html
    assert "Barn per årsarbetare i förskolan" in html and "Läslyftet" in html


def test_every_word_must_match_case_insensitively(client, preschool, world):
    html = client.get("/sok/", {"q": "TRYGG Alla"}).content.decode()
    assert "1 träff för" in html and "Trygg förskola för alla" in html
    assert "0 träffar" in client.get("/sok/", {"q": "trygg bostäder"}).content.decode()


def test_a_one_letter_query_asks_for_more_and_a_long_one_is_cut(client, world):
    assert "Skriv minst 2 tecken." in client.get("/sok/", {"q": "a"}).content.decode()
    html = client.get("/sok/", {"q": "ö" * 5000}).content.decode()
    assert f'value="{"ö" * MAX_QUERY_LENGTH}"' in html and "ö" * (MAX_QUERY_LENGTH + 1) not in html


def test_the_search_reads_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    for n in range(30):
        factories.goal(world.kf_goal, f"Nämndmål om skolan {n}", owner=world.bn, level_kind=Level.BOARD)
    with django_assert_max_num_queries(8):
        html = client.get("/sok/", {"q": "skolan"}).content.decode()
    assert "31 träffar" in html


def test_the_header_has_the_search_on_every_page(client, world):
    html = client.get("/").content.decode()
    assert 'role="search"' in html and 'action="/sok/"' in html


def test_assignments_are_found_by_title_and_description_in_their_own_group(client, world):
    on_goal = Assignment.objects.create(
        title="Utred förskolans lokaler", owner=world.bn, goal=world.bn_goal, description="Inför 2027."
    )
    alone = Assignment.objects.create(
        title="Skolskjutsarna", owner=world.ks, description="Se över förskoleskjutsar på landsbygden."
    )
    factories.goal(world.kf_goal, "Trygg förskola", owner=world.bn)
    html = client.get("/sok/", {"q": "FORSKOL"}).content.decode()
    headings = [h.split(" <span")[0].split(">", 1)[1] for h in html.split('<h2 id="search-group-')[1:]]
    assert headings == ["Nämndmål", "Uppdrag"]  # the levels first, the assignments last
    assignments = html.split("Uppdrag <span")[1]
    assert "(2)" in assignments
    assert f'href="/uppdrag/#assignment-{on_goal.pk}">Utred förskolans lokaler</a>' in assignments
    assert f"– {world.bn_goal.title}" in assignments  # its goal beside it
    assert f'href="/uppdrag/#assignment-{alone.pk}">Skolskjutsarna</a>' in assignments
    assert f"– {world.ks.name}" in assignments  # without a goal: its owner
    assert "Se över förskoleskjutsar på landsbygden." in assignments  # found by its description
