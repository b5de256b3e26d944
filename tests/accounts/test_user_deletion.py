"""A user who has entered, approved or changed anything cannot be deleted, only deactivated: the records keep
who did it. The admin says so in Swedish, on the delete page and in the bulk action; every path refuses."""

import pytest
from django.contrib.auth import get_user_model
from django.db.models import ProtectedError
from django.urls import reverse

from accounts.deletion import user_deletion_blockers
from accounts.models import Membership
from followup.comments import add_comment
from followup.models import Assessment, IndicatorValue, SentMail
from followup.notices import notify_comment
from goals.models import Goal
from tests.followup.world import build_world
from tests.matrix import make_user
from tests.smtp import smtp_inbox  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db
User = get_user_model()
REFUSAL = "Inaktivera kontot i stället"


@pytest.fixture
def world():
    w = build_world()
    editor, controller = w.users["editor_bn"], w.users["controller"]
    # Last year's closed annual report: the editor entered the value, the controller approved the judgement.
    IndicatorValue.objects.filter(period=w.closed_period).update(updated_by=editor)
    Assessment.objects.create(
        goal=w.bn_goal,
        period=w.closed_period,
        judgement=Assessment.Judgement.MET,
        state=Assessment.State.APPROVED,
        submitted_by=editor,
        approved_by=controller,
    )
    w.root = User.objects.create_superuser("root", password="pw")
    return w


@pytest.fixture
def admin_client(client, world):
    client.force_login(world.root)
    return client


def closed_period_authors(w):
    value = IndicatorValue.objects.get(period=w.closed_period)
    assessment = Assessment.objects.get(period=w.closed_period)
    return value.updated_by_id, assessment.submitted_by_id, assessment.approved_by_id


def test_the_admin_refuses_to_delete_a_user_who_entered_values(admin_client, world):
    editor = world.users["editor_bn"]
    before = closed_period_authors(world)
    page = reverse("admin:auth_user_delete", args=[editor.pk])
    response = admin_client.post(page, {"post": "yes"}, follow=True)
    assert User.objects.filter(pk=editor.pk).exists()
    assert closed_period_authors(world) == before == (editor.pk, editor.pk, world.users["controller"].pk)
    assert REFUSAL in response.content.decode()


def test_the_admin_delete_page_says_why_before_anything_is_confirmed(admin_client, world):
    controller = world.users["controller"]
    response = admin_client.get(reverse("admin:auth_user_delete", args=[controller.pk]), follow=True)
    page = response.content.decode()
    assert REFUSAL in page
    assert 'name="post"' not in page


def test_the_admin_bulk_delete_refuses_and_deletes_none_of_the_selected(admin_client, world):
    idle = make_user("idle")
    selected = [world.users["controller"].pk, idle.pk]
    changelist = reverse("admin:auth_user_changelist")
    response = admin_client.post(
        changelist, {"action": "delete_selected", "_selected_action": selected, "post": "yes"}, follow=True
    )
    assert User.objects.filter(pk__in=selected).count() == 2
    assert REFUSAL in response.content.decode()
    assert Assessment.objects.get(period=world.closed_period).approved_by == world.users["controller"]


def test_a_user_who_has_done_nothing_can_still_be_deleted_in_the_admin(admin_client, world):
    idle = make_user("idle", Membership.Role.READER, world.council)
    assert user_deletion_blockers(idle) == []
    admin_client.post(reverse("admin:auth_user_delete", args=[idle.pk]), {"post": "yes"})
    assert not User.objects.filter(pk=idle.pk).exists()
    assert not Membership.objects.filter(user_id=idle.pk).exists()
    changelist = reverse("admin:auth_user_changelist")
    other = make_user("other")
    bulk = {"action": "delete_selected", "_selected_action": [other.pk], "post": "yes"}
    admin_client.post(changelist, bulk)
    assert not User.objects.filter(pk=other.pk).exists()


def test_a_deleted_user_leaves_no_address_in_the_mail_log(admin_client, world, smtp_inbox):  # noqa: F811
    idle = make_user("idle", Membership.Role.EDITOR, world.bn)
    idle.email = "idle@nora.example"
    idle.save()
    comment = add_comment(world.bn_assessment, world.users["controller"], "Till nämnden.")
    assert notify_comment(comment) == 1
    assert [m.recipients for m in smtp_inbox.messages] == [["idle@nora.example"]]
    assert user_deletion_blockers(idle) == []  # a mail sent to someone is not something they did
    admin_client.post(reverse("admin:auth_user_delete", args=[idle.pk]), {"post": "yes"})
    assert not User.objects.filter(pk=idle.pk).exists()
    # The log keeps that the notice went out, not to whom.
    assert list(SentMail.objects.values_list("user", "to", "kind")) == [(None, "", "comment")]
    other = make_user("other", Membership.Role.EDITOR, world.bn)
    other.email = "other@nora.example"
    other.save()
    notify_comment(add_comment(world.bn_assessment, world.users["controller"], "Igen."))
    User.objects.filter(pk=other.pk).delete()  # any path: a queryset's delete too
    assert not SentMail.objects.filter(to="other@nora.example").exists()


def test_a_user_the_history_names_cannot_be_deleted_and_the_history_keeps_the_name(world):
    historian = make_user("historian")
    Goal.history.filter(id=world.bn_goal.pk).update(history_user=historian)
    assert user_deletion_blockers(historian)
    with pytest.raises(ProtectedError):
        historian.delete()
    with pytest.raises(ProtectedError):
        User.objects.filter(pk=historian.pk).delete()
    assert Goal.history.filter(id=world.bn_goal.pk, history_user=historian).exists()


def test_every_path_refuses_to_delete_an_author(world):
    editor = world.users["editor_bn"]
    with pytest.raises(ProtectedError):
        editor.delete()
    with pytest.raises(ProtectedError):
        User.objects.filter(username__in=["editor_bn", "outsider"]).delete()
    assert User.objects.filter(username__in=["editor_bn", "outsider"]).count() == 2
    assert closed_period_authors(world)[0] == editor.pk
