"""Writing the chain on the web: goals, indicators with targets, activities; scope, validation, deletion."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from followup.models import IndicatorValue, ReportingPeriod
from goals import categories, deletion, tree
from goals.models import Activity, Goal, Indicator, Target
from goals.treecheck import tree_violations
from tests import factories
from tests.levels import Level

pytestmark = pytest.mark.django_db


# What a browser posts for a row's selects when nothing is chosen in them.
SELECTS = {"comparison": "at_least", "tolerance_unit": "absolute"}


def targets_data(*rows, initial=0):
    data = {"targets-TOTAL_FORMS": len(rows), "targets-INITIAL_FORMS": initial}
    for i, row in enumerate(rows):
        row = SELECTS | {("from_year" if key == "year" else key): value for key, value in row.items()}
        data |= {f"targets-{i}-{key}": value for key, value in row.items()}
    return data


def indicator_data(owner, *targets, **fields):
    return {"name": "Läsförståelse", "unit": "%", "direction": "higher", "decimals": 1, "owner": owner.pk,
            **fields, **targets_data(*targets)}  # fmt: skip


def option_values(html, name):
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)
    return {int(v) for v in re.findall(r'<option value="(\d+)"', select)}


def test_bn_editor_adds_a_board_goal_under_a_council_goal(login, world):
    client = login("editor_bn")
    response = client.post(
        reverse("goals:goal_create", args=[world.kf_goal.pk]),
        {"title": "Alla elever läser varje dag", "owner": world.bn.pk, "valid_from": 2026, "valid_to": 2027},
    )
    goal = Goal.objects.get(title="Alla elever läser varje dag")
    assert response.status_code == 302 and response.url == goal.get_absolute_url()
    assert (goal.parent_id, goal.level_kind_id, goal.owner_id) == (world.kf_goal.pk, Level.BOARD, world.bn.pk)
    assert (
        list(Goal.objects.filter(parent=world.kf_goal).order_by("lft").values_list("pk", flat=True))[-1]
        == goal.pk
    )
    assert tree_violations() == []


def test_editor_is_offered_only_own_board_as_owner(login, world):
    html = login("editor_bn").get(reverse("goals:goal_create", args=[world.kf_goal.pk])).content.decode()
    assert option_values(html, "owner") == {world.bn.pk}
    html = login("controller").get(reverse("goals:goal_create", args=[world.kf_goal.pk])).content.decode()
    assert option_values(html, "owner") == {world.bn.pk, world.ks.pk}


def test_editor_of_another_board_cannot_give_bn_a_goal(login, world):
    response = login("editor_ks").post(
        reverse("goals:goal_create", args=[world.kf_goal.pk]), {"title": "Smuggelmål", "owner": world.bn.pk}
    )
    assert response.status_code == 200
    assert "owner" in response.context["form"].errors
    assert not Goal.objects.filter(title="Smuggelmål").exists()


@pytest.mark.parametrize(
    "name", ["goals:goal_edit", "goals:goal_move", "goals:goal_delete", "goals:indicator_create"]
)
def test_editor_of_another_board_gets_404_and_nothing_changes(login, world, name):
    client = login("editor_ks")
    url = reverse(name, args=[world.bn_goal.pk])
    assert client.get(url).status_code == 404
    assert (
        client.post(url, {"title": "Kapat", "owner": world.ks.pk, "parent": world.kf_goal.pk}).status_code
        == 404
    )
    goal = Goal.objects.get(pk=world.bn_goal.pk)
    assert (goal.title, goal.owner_id) == ("Ökad måluppfyllelse i skolan", world.bn.pk)
    assert Indicator.objects.filter(goal=goal).count() == 1


def test_board_editor_gets_404_for_council_goals(login, world):
    client = login("editor_bn")
    for name in ("goals:goal_edit", "goals:goal_delete", "goals:goal_move"):
        assert client.get(reverse(name, args=[world.kf_goal.pk])).status_code == 404
    assert client.get(reverse("goals:goal_create", args=[world.overarching.pk])).status_code == 404


def test_editor_of_a_board_writes_the_goals_of_its_units(login, world):
    unit = factories.OrganisationFactory(code="BN-SKOLA", kind="unit", parent=world.bn)
    unit_goal = factories.goal(world.bn_goal, "Läsande klassrum", owner=unit)
    client = login("editor_bn")
    response = client.post(
        reverse("goals:goal_edit", args=[unit_goal.pk]), {"title": "Läsande skolor", "owner": unit.pk}
    )
    assert response.status_code == 302
    assert Goal.objects.get(pk=unit_goal.pk).title == "Läsande skolor"
    assert login("editor_ks").get(reverse("goals:goal_edit", args=[unit_goal.pk])).status_code == 404


def test_a_validation_error_keeps_what_the_user_typed(login, world):
    response = login("editor_bn").post(
        reverse("goals:goal_edit", args=[world.bn_goal.pk]),
        {"title": "Min nya rubrik", "description": "Lång *text*", "owner": world.bn.pk, "valid_from": 2030,
         "valid_to": 2026},
    )  # fmt: skip
    assert response.status_code == 200
    assert "valid_to" in response.context["form"].errors
    html = response.content.decode()
    assert re.search(r'name="title"[^>]*>\s*Min nya rubrik</textarea>', html)
    assert re.search(r'name="description"[^>]*>\s*Lång \*text\*</textarea>', html)
    assert 'name="valid_from" value="2030"' in html
    assert Goal.objects.get(pk=world.bn_goal.pk).title == "Ökad måluppfyllelse i skolan"


def test_controller_sets_a_council_goals_categories_of_two_sets(login, world):
    livskvalitet, hallbarhet = factories.perspective("Livskvalitet"), factories.perspective("Hållbarhet")
    agenda = factories.CategoryFactory(set=factories.CategorySetFactory(key="agenda", name="Agenda 2030"))
    response = login("controller").post(
        reverse("goals:goal_edit", args=[world.kf_goal.pk]),
        {
            "title": world.kf_goal.title,
            "owner": world.council.pk,
            f"categories_{livskvalitet.set_id}": [livskvalitet.pk, hallbarhet.pk],
            f"categories_{agenda.set_id}": [agenda.pk],
        },
    )
    assert response.status_code == 302
    assert categories.categories_by_set(world.kf_goal) == {
        "perspektiv": ["Hållbarhet", "Livskvalitet"],
        "agenda": [agenda.name],
    }


def test_goal_form_groups_the_categories_by_set_and_keeps_the_goals_order(login, world):
    first, second = factories.perspective("Ett", position=2), factories.perspective("Två", position=1)
    tree.update_goal(world.bn_goal, categories=[first, second])
    client = login("editor_bn")
    form = client.get(reverse("goals:goal_edit", args=[world.bn_goal.pk])).context["form"]
    field = form.fields[f"categories_{first.set_id}"]
    assert field.label == "Perspektiv"
    assert [label for _value, label in field.choices] == ["Två", "Ett"]
    third = factories.perspective("Tre", position=3)
    client.post(
        reverse("goals:goal_edit", args=[world.bn_goal.pk]),
        {
            "title": world.bn_goal.title,
            "owner": world.bn.pk,
            f"categories_{first.set_id}": [third.pk, second.pk, first.pk],
        },
    )
    assert categories.categories_by_set(world.bn_goal) == {"perspektiv": ["Ett", "Två", "Tre"]}


def test_indicator_form_sets_categories(login, world):
    agenda = factories.CategoryFactory(set=factories.CategorySetFactory(key="agenda", name="Agenda 2030"))
    data = indicator_data(world.bn, name="Läsande elever")
    data[f"categories_{agenda.set_id}"] = [agenda.pk]
    response = login("editor_bn").post(reverse("goals:indicator_create", args=[world.bn_goal.pk]), data)
    assert response.status_code == 302
    indicator = world.bn_goal.indicators.get(name=data["name"])
    assert categories.categories_by_set(indicator) == {"agenda": [agenda.name]}
    page = login("editor_bn").get(world.bn_goal.get_absolute_url()).content.decode()
    assert f"Agenda 2030: {agenda.name}" in page


def test_move_to_another_council_goal_and_reorder(login, world):
    other_kf = factories.goal(world.overarching, "Trygg kommun")
    factories.goal(other_kf, "Trygga skolvägar", owner=world.ks)
    client = login("editor_bn")
    url = reverse("goals:goal_move", args=[world.bn_goal.pk])
    assert client.post(url, {"parent": other_kf.pk, "place": 1}).status_code == 302
    assert [g.title for g in Goal.objects.get(pk=other_kf.pk).get_children()] == [
        "Ökad måluppfyllelse i skolan",
        "Trygga skolvägar",
    ]
    assert client.post(url, {"parent": other_kf.pk}).status_code == 302
    assert [g.title for g in Goal.objects.get(pk=other_kf.pk).get_children()][
        -1
    ] == "Ökad måluppfyllelse i skolan"
    assert Indicator.objects.get(pk=world.bn_indicator.pk).goal_id == world.bn_goal.pk
    assert tree_violations() == []


def test_move_offers_only_parents_of_the_right_level(login, world):
    html = login("editor_bn").get(reverse("goals:goal_move", args=[world.bn_goal.pk])).content.decode()
    assert option_values(html, "parent") == {world.kf_goal.pk}


def test_delete_says_what_goes_with_it_including_follow_up_rows(login, world):
    sub = factories.goal(world.bn_goal, "Läsande klassrum", owner=world.bn)
    period = ReportingPeriod.objects.create(year=2026, kind=ReportingPeriod.Kind.ANNUAL)
    IndicatorValue.objects.create(indicator=world.bn_indicator, period=period, total=Decimal("88"))
    client = login("editor_bn")
    url = reverse("goals:goal_delete", args=[world.bn_goal.pk])
    html = client.get(url).content.decode()
    counts = dict(re.findall(r'data-model="([\w.]+)" data-count="(\d+)"', html))
    assert counts == {
        "goals.goal": "1",
        "goals.indicator": "1",
        "goals.target": "1",
        "goals.activity": "1",
        "followup.indicatorvalue": "1",
    }
    assert Goal.objects.filter(pk=sub.pk).exists()
    response = client.post(url)
    assert response.status_code == 302 and response.url == world.kf_goal.get_absolute_url()
    assert not Goal.objects.filter(pk__in=[world.bn_goal.pk, sub.pk]).exists()
    assert not IndicatorValue.objects.exists()
    assert tree_violations() == []


def test_a_registered_guard_refuses_a_deletion(login, world, monkeypatch):
    def keep_indicators(collected):
        return ["Kept by the test."] if Indicator in collected else []

    monkeypatch.setattr(deletion, "DELETION_GUARDS", [keep_indicators])
    response = login("editor_bn").post(reverse("goals:goal_delete", args=[world.bn_goal.pk]))
    assert response.status_code == 409
    assert "Kept by the test." in response.content.decode()
    assert Goal.objects.filter(pk=world.bn_goal.pk).exists()


def test_the_vision_is_not_deleted_on_the_web(login, world):
    response = login("controller").post(reverse("goals:goal_delete", args=[world.vision.pk]))
    assert response.status_code == 409
    assert Goal.objects.count() == 5


def test_indicator_with_yearly_targets_is_added(login, world):
    response = login("editor_bn").post(
        reverse("goals:indicator_create", args=[world.bn_goal.pk]),
        indicator_data(
            world.bn,
            {"year": 2026, "value": "85,5", "tolerance": "2,5"},
            {"year": 2027, "value": "88", "tolerance": "2"},
            {"tolerance": "0"},  # an untouched extra row
            kolada_kpi="N15428",
        ),
    )
    indicator = Indicator.objects.get(name="Läsförståelse")
    assert response.status_code == 302 and response.url == indicator.get_absolute_url()
    assert (indicator.goal_id, indicator.owner_id, indicator.kolada_kpi, indicator.position) == (
        world.bn_goal.pk, world.bn.pk, "N15428", 1,
    )  # fmt: skip
    assert list(indicator.targets.values_list("from_year", "to_year", "value", "tolerance")) == [
        (2026, 2026, Decimal("85.5"), Decimal("2.5")),
        (2027, 2027, Decimal("88"), Decimal("2")),
    ]


def test_two_targets_for_one_year_are_refused_and_the_typing_is_kept(login, world):
    response = login("editor_bn").post(
        reverse("goals:indicator_create", args=[world.bn_goal.pk]),
        indicator_data(
            world.bn,
            {"year": 2026, "value": "85", "tolerance": "1"},
            {"year": 2026, "value": "86", "tolerance": "1"},
        ),
    )
    assert response.status_code == 200
    assert response.context["targets"].non_form_errors()
    assert 'value="86"' in response.content.decode()
    assert not Indicator.objects.filter(name="Läsförståelse").exists()


def test_indicator_edit_changes_and_removes_targets(login, world):
    target = world.bn_indicator.targets.get()
    data = indicator_data(
        world.bn,
        {
            "id": target.pk,
            "year": target.from_year,
            "value": target.value,
            "tolerance": target.tolerance,
            "change_reason": "Ersätts av ett mål för 2028.",
            "change_decision": "BN § 12 2026-03-02",
            "DELETE": "on",
        },
        {"year": 2028, "value": "93", "tolerance": "1"},
        name="Behöriga till yrkesprogram",
    )
    data["targets-INITIAL_FORMS"] = 1
    response = login("editor_bn").post(reverse("goals:indicator_edit", args=[world.bn_indicator.pk]), data)
    assert response.status_code == 302
    assert Indicator.objects.get(pk=world.bn_indicator.pk).name == "Behöriga till yrkesprogram"
    assert list(Target.objects.filter(indicator=world.bn_indicator).values_list("from_year", flat=True)) == [
        2028
    ]


def test_activity_is_added_and_edited(login, world):
    client = login("editor_bn")
    response = client.post(
        reverse("goals:activity_create", args=[world.bn_goal.pk]),
        {"title": "Läxhjälp", "owner": world.bn.pk, "start_date": "2026-09-01", "end_date": "2026-06-01"},
    )
    assert response.status_code == 200 and "end_date" in response.context["form"].errors
    response = client.post(
        reverse("goals:activity_create", args=[world.bn_goal.pk]),
        {"title": "Läxhjälp", "owner": world.bn.pk, "start_date": "2026-09-01", "responsible": "Rektor"},
    )
    activity = Activity.objects.get(title="Läxhjälp")
    assert response.status_code == 302 and (activity.goal_id, activity.position) == (world.bn_goal.pk, 1)
    client.post(
        reverse("goals:activity_edit", args=[activity.pk]),
        {"title": "Läxhjälp i biblioteket", "owner": world.bn.pk},
    )
    assert Activity.objects.get(pk=activity.pk).title == "Läxhjälp i biblioteket"


def test_deleting_an_indicator_names_its_targets(login, world):
    client = login("editor_bn")
    url = reverse("goals:indicator_delete", args=[world.bn_indicator.pk])
    assert 'data-model="goals.target" data-count="1"' in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert not Indicator.objects.filter(pk=world.bn_indicator.pk).exists()


def test_goal_page_shows_edit_links_only_to_those_who_may_edit(client, login, world):
    url = world.bn_goal.get_absolute_url()
    edit = f'href="{reverse("goals:goal_edit", args=[world.bn_goal.pk])}"'
    history = f'href="{reverse("goals:goal_history", args=[world.bn_goal.pk])}"'
    indicator_edit = f'href="{reverse("goals:indicator_edit", args=[world.bn_indicator.pk])}"'
    html = client.get(url).content.decode()
    assert edit not in html and history not in html and "goal-actions" not in html
    html = login("editor_bn").get(url).content.decode()
    assert edit in html and history in html and indicator_edit in html
    html = login("editor_ks").get(url).content.decode()
    assert edit not in html and indicator_edit not in html and history in html


def test_reader_sees_history_but_no_edit_links(login, world):
    html = login("reader").get(world.bn_goal.get_absolute_url()).content.decode()
    assert reverse("goals:goal_history", args=[world.bn_goal.pk]) in html
    assert reverse("goals:goal_edit", args=[world.bn_goal.pk]) not in html


def test_goal_page_for_an_editor_runs_few_queries(login, world, django_assert_max_num_queries):
    client = login("editor_bn")
    client.get(world.bn_goal.get_absolute_url())
    # The styrmodell's levels; the indicators' categories (constant); the assignments; the status, the story
    # (periods, judgements, values) and the indicators' latest values.
    with django_assert_max_num_queries(21):
        assert client.get(world.bn_goal.get_absolute_url()).status_code == 200


def test_workspace_lists_what_the_editor_may_do(login, world):
    html = login("editor_bn").get(reverse("accounts:workspace")).content.decode()
    assert reverse("goals:goal_create", args=[world.kf_goal.pk]) in html
    assert reverse("goals:goal_edit", args=[world.bn_goal.pk]) in html
    assert reverse("goals:goal_edit", args=[world.ks_goal.pk]) not in html
    assert 'data-role="editor"' in html
    assert reverse("accounts:members") not in html


def test_logged_in_user_without_a_role_may_write_nothing(login, world):
    client = login("outsider")
    assert client.get(reverse("goals:goal_edit", args=[world.bn_goal.pk])).status_code == 403
    assert client.get(reverse("goals:goal_history", args=[world.bn_goal.pk])).status_code == 403
    assert client.get(reverse("accounts:workspace")).status_code == 200


def test_the_bn_editor_story_from_login_to_history(client, world):
    """The issue's "done when": log in, add a BN goal with an indicator and an activity, read its history."""
    response = client.post(reverse("login"), {"username": "editor_bn", "password": "pw"})
    assert response.url == reverse("accounts:workspace")
    assert reverse("goals:goal_create", args=[world.kf_goal.pk]) in client.get(response.url).content.decode()
    client.post(
        reverse("goals:goal_create", args=[world.kf_goal.pk]), {"title": "Läslust", "owner": world.bn.pk}
    )
    goal = Goal.objects.get(title="Läslust")
    client.post(
        reverse("goals:indicator_create", args=[goal.pk]),
        indicator_data(world.bn, {"year": 2026, "value": "70", "tolerance": "5"}),
    )
    client.post(
        reverse("goals:activity_create", args=[goal.pk]), {"title": "Bokcirklar", "owner": world.bn.pk}
    )
    html = client.get(reverse("goals:goal_history", args=[goal.pk])).content.decode()
    assert html.count('data-kind="created"') == 3  # the goal, its indicator and its activity
    assert "<ins>Läslust</ins>" in html and "<ins>Bokcirklar</ins>" in html
    ks_pages = [
        reverse("goals:goal_edit", args=[world.ks_goal.pk]),
        reverse("goals:indicator_edit", args=[world.ks_indicator.pk]),
        reverse("goals:activity_edit", args=[world.ks_activity.pk]),
    ]
    assert [client.get(url).status_code for url in ks_pages] == [404, 404, 404]
