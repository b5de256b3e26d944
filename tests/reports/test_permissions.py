"""Only controllers and admins preview, export, generate and publish; everyone reads what is published.

The same rows as the project's permission matrix (tests/reports/matrix.py), run here on their own world.
"""

import pytest
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import override_settings
from django.urls import reverse

from reports.models import PublishedReport, ReportRun
from tests.matrix import LOGIN, PERSONAS, Redirect, base_world
from tests.reports import matrix

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            world = base_world()
            matrix.extend(world)
            yield world
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    "row", matrix.ROWS, ids=[f"{r.method} {r.url_name} {n}" for n, r in enumerate(matrix.ROWS)]
)
def test_reports_matrix(client, db, world, row, persona):
    user = world.users[persona]
    if user is not None:
        client.force_login(user)
    url = reverse(row.url_name, args=row.args(world))
    data = row.data(world) if row.data else {}
    before = row.unchanged(world) if row.unchanged else None
    response = client.post(url, data) if row.method == "POST" else client.get(url, data)
    expected = row.expect[persona]
    status = 302 if isinstance(expected, Redirect) else expected
    assert response.status_code == status, f"{persona}: {row.method} {url} answered {response.status_code}"
    if persona == "anonymous" and status == 302:
        assert response.url.split("?")[0] == resolve_url(LOGIN.to)
    if row.unchanged is not None:
        assert (row.unchanged(world) != before) is (status == 302 and persona != "anonymous")


def test_every_reports_url_has_a_get_and_a_post_row():
    from tests.matrix import url_names

    names = {name for name in url_names() if name.startswith("reports:")}
    methods = {name: {row.method for row in matrix.ROWS if row.url_name == name} for name in names}
    assert {name: m for name, m in methods.items() if m != {"GET", "POST"}} == {}


def test_a_refused_publication_writes_nothing(client, db, world):
    client.force_login(world.users["editor_bn"])
    before = (ReportRun.objects.count(), PublishedReport.objects.count())
    response = client.post(reverse("reports:publish", args=[world.report_period.pk, "annual"]))
    assert response.status_code == 403
    assert (ReportRun.objects.count(), PublishedReport.objects.count()) == before
