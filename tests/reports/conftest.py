"""Fixtures of the report tests: Nora with follow-up (per test, or rendered once per module as a PDF)."""

from io import BytesIO
from types import SimpleNamespace

import pytest
from django.db import connection, transaction
from pypdf import PdfReader

from accounts.models import Membership
from goals.models import Organisation
from reports.data import Spec, build_report
from reports.models import Kind
from reports.output import report_pdf
from tests.matrix import make_user
from tests.reports import world as nora


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    """Report runs execute inside the test, whatever backend the project's settings name for the worker."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def nora_world(db):
    """Nora's chain with four annual periods, an August interim, values, activity status and judgements."""
    return nora.build()


@pytest.fixture
def people(db):
    """One user per role: reader, BN editor, controller, admin (and a user without any role)."""
    council = Organisation.objects.get_or_create(
        code="KF", defaults={"name": "Kommunfullmäktige", "kind": "council"}
    )[0]
    bn = Organisation.objects.get_or_create(
        code="BN", defaults={"name": "Bildningsnämnden", "kind": "board", "parent": council}
    )[0]
    return SimpleNamespace(
        reader=make_user("reader", Membership.Role.READER, council),
        editor=make_user("editor_bn", Membership.Role.EDITOR, bn),
        controller=make_user("controller", Membership.Role.CONTROLLER, council),
        admin=make_user("admin", Membership.Role.ADMIN, council),
        outsider=make_user("outsider"),
    )


@pytest.fixture(scope="module")
def annual_pdf(django_db_setup, django_db_blocker):
    """Nora's annual report 2026 rendered once for the module: its data, bytes and a pypdf reader.

    The module using it must be marked `django_db`: pytest-django sets up the test database only for
    sessions with such tests, and this fixture must never write to the development database.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        name = str(connection.settings_dict["NAME"])
        assert "test" in name or "memory" in name, f"not a test database: {name}"
        built = nora.build()
        report = build_report(Spec(Kind.ANNUAL, built["annual"]))
        rendered = report_pdf(report)
        transaction.set_rollback(True)
    return SimpleNamespace(report=report, rendered=rendered, reader=PdfReader(BytesIO(rendered.data)))
