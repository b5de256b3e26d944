"""Change history: one row per web edit with the right user, readable differences, imports recorded too."""

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import AuditEvent, Membership
from goals import goalfile, tree
from goals.history import category_history_model, goal_history
from goals.models import Activity, Category, Goal, GoalCategory, Indicator, Organisation, Target
from goals.synthetic import synthetic_document
from goals.treecheck import tree_violations
from tests import factories

pytestmark = pytest.mark.django_db


def new_rows(model, since):
    return list(model.history.filter(history_id__gt=since).order_by("history_id"))


def last_id(model):
    return model.history.order_by("-history_id").values_list("history_id", flat=True).first() or 0


def test_goal_edit_writes_one_history_row_with_the_editor(login, world):
    since = last_id(Goal)
    login("editor_bn").post(
        reverse("goals:goal_edit", args=[world.bn_goal.pk]),
        {"title": "Fler behöriga elever", "owner": world.bn.pk},
    )
    (row,) = new_rows(Goal, since)
    assert (row.id, row.history_type, row.history_user, row.title) == (
        world.bn_goal.pk, "~", world.users["editor_bn"], "Fler behöriga elever",
    )  # fmt: skip


def test_goal_created_with_categories_is_one_row_that_keeps_them(login, world):
    livskvalitet = factories.perspective("Livskvalitet")
    since = last_id(Goal)
    login("controller").post(
        reverse("goals:goal_create", args=[world.overarching.pk]),
        {
            "title": "Trygg kommun",
            "owner": world.council.pk,
            f"categories_{livskvalitet.set_id}": [livskvalitet.pk],
        },
    )
    (row,) = new_rows(Goal, since)
    assert (row.history_type, row.history_user, row.title) == ("+", world.users["controller"], "Trygg kommun")
    kept = category_history_model().objects.filter(history=row).values_list("category_id", flat=True)
    assert list(kept) == [livskvalitet.pk]


def test_changing_only_categories_is_one_row(login, world):
    livskvalitet = factories.perspective("Livskvalitet")
    since = last_id(Goal)
    login("admin").post(
        reverse("goals:goal_edit", args=[world.kf_goal.pk]),
        {
            "title": world.kf_goal.title,
            "owner": world.council.pk,
            f"categories_{livskvalitet.set_id}": [livskvalitet.pk],
        },
    )
    assert len(new_rows(Goal, since)) == 1


def test_an_ended_category_stays_in_the_goals_history(login, world):
    old = factories.perspective("Attraktivitet", valid_to=2024)
    tree.update_goal(world.kf_goal, categories=[old])
    tree.update_goal(world.kf_goal, title="Nytt namn")
    changes = [c for entry in goal_history(world.kf_goal) for c in entry.changes if c.field == "kategorier"]
    assert [(c.old, c.new) for c in changes] == [("—", "Perspektiv: Attraktivitet")]
    kept = category_history_model().objects.filter(history__id=world.kf_goal.pk)
    assert set(kept.values_list("category_id", flat=True)) == {old.pk}
    # The goal keeps the category; only pages and reports of later years leave it out.
    assert list(GoalCategory.objects.filter(goal=world.kf_goal).values_list("category_id", flat=True)) == [
        old.pk
    ]


def test_move_is_recorded_and_the_tree_stays_sound(login, world):
    other_kf = factories.goal(world.overarching, "Trygg kommun")
    since = last_id(Goal)
    response = login("editor_bn").post(
        reverse("goals:goal_move", args=[world.bn_goal.pk]), {"parent": other_kf.pk}
    )
    assert response.status_code == 302
    (row,) = new_rows(Goal, since)
    assert (row.parent_id, row.history_user) == (other_kf.pk, world.users["editor_bn"])
    assert tree_violations() == []
    call_command("check_goal_tree", stdout=StringIO())  # raises CommandError on a broken tree
    html = login("editor_bn").get(reverse("goals:goal_history", args=[world.bn_goal.pk])).content.decode()
    assert f"<del>{world.kf_goal.title}</del>" in html and f"<ins>{other_kf.title}</ins>" in html


def test_indicator_edit_writes_one_row_and_none_for_unchanged_targets(login, world):
    target = world.bn_indicator.targets.get()
    since_indicator, since_target = last_id(Indicator), last_id(Target)
    login("editor_bn").post(
        reverse("goals:indicator_edit", args=[world.bn_indicator.pk]),
        {
            "name": "Behöriga till yrkesprogram", "unit": "%", "direction": "higher", "decimals": 1,
            "gender_split": "on", "owner": world.bn.pk, "targets-TOTAL_FORMS": 1, "targets-INITIAL_FORMS": 1,
            "targets-0-id": target.pk, "targets-0-from_year": target.from_year,
            "targets-0-to_year": target.to_year,
            "targets-0-comparison": "at_least", "targets-0-tolerance_unit": "absolute",
            "targets-0-value": "90",
            "targets-0-tolerance": "5",
        },
    )  # fmt: skip
    (row,) = new_rows(Indicator, since_indicator)
    assert (row.name, row.history_user) == ("Behöriga till yrkesprogram", world.users["editor_bn"])
    assert new_rows(Target, since_target) == []


def test_activity_edit_writes_one_row(login, world):
    since = last_id(Activity)
    login("editor_bn").post(
        reverse("goals:activity_edit", args=[world.bn_activity.pk]),
        {"title": "Läsfrämjande", "owner": world.bn.pk},
    )
    (row,) = new_rows(Activity, since)
    assert (row.history_type, row.history_user) == ("~", world.users["editor_bn"])


def test_deleting_a_goal_records_what_went_and_who_deleted_it(login, world):
    login("editor_bn").post(reverse("goals:goal_delete", args=[world.bn_goal.pk]))
    goal_row = Goal.history.get(id=world.bn_goal.pk, history_type="-")
    indicator_row = Indicator.history.get(id=world.bn_indicator.pk, history_type="-")
    assert goal_row.history_user == indicator_row.history_user == world.users["editor_bn"]
    assert login("reader").get(reverse("goals:goal_history", args=[world.kf_goal.pk])).status_code == 200


def test_history_page_shows_field_by_field_differences(login, world):
    client = login("editor_bn")
    client.post(
        reverse("goals:goal_edit", args=[world.bn_goal.pk]),
        {"title": "Fler behöriga elever", "owner": world.bn.pk, "decision": "BN § 12 2026-02-01"},
    )
    html = login("reader").get(reverse("goals:goal_history", args=[world.bn_goal.pk])).content.decode()
    newest = html[html.index('<article class="history-entry') :]
    newest = newest[: newest.index("</article>")]
    assert 'data-kind="changed"' in newest
    assert "Editor Bn" in newest  # the editor's name
    assert "<del>Ökad måluppfyllelse i skolan</del>" in newest and "<ins>Fler behöriga elever</ins>" in newest
    assert "<ins>BN § 12 2026-02-01</ins>" in newest
    assert len(re.findall(r"<tr>\s*<th scope=\"row\">", newest)) == 2  # title and decision; nothing else


def test_indicator_history_shows_target_changes(login, world):
    target = world.bn_indicator.targets.get()
    target.value = 92
    target.save()
    html = (
        login("reader").get(reverse("goals:indicator_history", args=[world.bn_indicator.pk])).content.decode()
    )
    assert "<del>90</del>" in html and "<ins>92</ins>" in html


def test_history_page_costs_the_same_queries_however_long_the_history(login, world):
    client = login("editor_bn")
    url = reverse("goals:goal_history", args=[world.bn_goal.pk])

    def edit(times):
        for n in range(times):
            client.post(
                reverse("goals:goal_edit", args=[world.bn_goal.pk]),
                {"title": f"Mål {n}", "owner": world.bn.pk},
            )
            client.post(
                reverse("goals:activity_edit", args=[world.bn_activity.pk]),
                {"title": f"A {n}", "owner": world.bn.pk},
            )

    edit(2)
    with CaptureQueriesContext(connection) as short:
        client.get(url)
    edit(20)
    with CaptureQueriesContext(connection) as long:
        assert "Mål 19" in client.get(url).content.decode()
    assert len(long) == len(short) <= 14


def test_import_writes_one_history_row_per_created_object(db):
    goalfile.import_document(synthetic_document(120, boards=4))
    for model in (Organisation, Category, Goal, Indicator, Target, Activity):
        assert model.history.filter(history_type="+").count() == model.objects.count() > 0, model
    links = category_history_model().objects.count()
    assert links == GoalCategory.objects.count() > 0
    goal = Goal.objects.exclude(categories=None).first()
    row = Goal.history.get(id=goal.pk)
    kept = list(
        category_history_model()
        .objects.filter(history=row)
        .order_by("position")
        .values_list("category_id", flat=True)
    )
    assert kept == list(
        GoalCategory.objects.filter(goal=goal).order_by("position").values_list("category_id", flat=True)
    )


def test_role_changes_are_audit_events_and_history(login, world):
    client = login("admin")
    member = world.users["outsider"]
    client.post(
        reverse("accounts:user_roles", args=[member.pk]), {"organisation": world.ks.pk, "role": "editor"}
    )
    membership = Membership.objects.get(user=member)
    client.post(reverse("accounts:role_revoke", args=[membership.pk]))
    actions = list(AuditEvent.objects.order_by("pk").values_list("action", "user_id", "object_id"))
    assert actions[-2:] == [
        ("membership.grant", world.users["admin"].pk, str(membership.pk)),
        ("membership.revoke", world.users["admin"].pk, str(membership.pk)),
    ]
    assert [r.history_type for r in Membership.history.filter(id=membership.pk).order_by("history_id")] == [
        "+",
        "-",
    ]
    assert not Membership.objects.filter(user=member).exists()


def test_roles_given_in_the_django_admin_are_audit_events(client, world):
    root = get_user_model().objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(root)
    response = client.post(
        "/admin/accounts/membership/add/",
        {"user": world.users["outsider"].pk, "organisation": world.bn.pk, "role": "editor"},
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="membership.grant")
    assert (event.user, event.object_id) == (
        root,
        str(Membership.objects.get(user=world.users["outsider"]).pk),
    )
