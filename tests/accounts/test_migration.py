"""Memberships, their history and the audit log moved from the goals app to accounts with their rows."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts.models import AuditEvent, Membership
from tests.migrations import whole_schema_afterwards  # noqa: F401

BEFORE = [("goals", "0005_text_caps_authors_protected"), ("accounts", None)]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    # The state at `targets`, with Django's own apps as they are now (they are not migrated back).
    django_apps = [node for node in executor.loader.graph.leaf_nodes() if node[0] in ("auth", "contenttypes")]
    return executor.loader.project_state([t for t in targets if t[1] is not None] + django_apps).apps


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_rows_written_under_the_goals_app_are_read_through_the_accounts_models():
    old = _migrate(BEFORE)
    try:
        users = old.get_model("auth", "User")
        organisations = old.get_model("goals", "Organisation")
        organisation = organisations.objects.create(code="BN", name="BN", kind="board")
        kari = users.objects.create(username="kari")
        membership = old.get_model("goals", "Membership").objects.create(
            user=kari, organisation=organisation, role="editor"
        )
        old.get_model("goals", "HistoricalMembership").objects.create(
            id=membership.pk,
            user_id=kari.pk,
            organisation_id=organisation.pk,
            role="editor",
            history_date="2026-01-01T12:00:00Z",
            history_type="+",
            history_user_id=kari.pk,
        )
        old.get_model("goals", "AuditEvent").objects.create(
            user=kari, action="membership.grant", object_type="goals.membership", summary="Roll given"
        )
        content_types = old.get_model("contenttypes", "ContentType")
        content_types.objects.filter(app_label="accounts").delete()
        content_types.objects.get_or_create(app_label="goals", model="membership")
    finally:
        _migrate(_latest())

    moved = Membership.objects.get()
    assert (moved.pk, moved.user.username, moved.organisation.code, moved.role) == (
        membership.pk,
        "kari",
        "BN",
        "editor",
    )
    [history] = moved.history.all()
    assert (history.history_user.username, history.role) == ("kari", "editor")
    event = AuditEvent.objects.get()
    assert (event.user.username, event.action, event.summary) == ("kari", "membership.grant", "Roll given")
    tables = connection.introspection.table_names()
    assert {"accounts_membership", "accounts_historicalmembership", "accounts_auditevent"} <= set(tables)
    assert not {"goals_membership", "goals_historicalmembership", "goals_auditevent"} & set(tables)
    from django.contrib.contenttypes.models import ContentType

    assert ContentType.objects.get_for_model(Membership).app_label == "accounts"
    assert not ContentType.objects.filter(app_label="goals", model="membership").exists()
