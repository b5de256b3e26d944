"""Every URL pattern × persona × GET and POST answers as the matrix says; refused writes change nothing.

The rows come from the apps' matrix modules (tests/matrix.py lists them). The world is built once per
module and every test runs in its own savepoint, so a write in one test is gone before the next.
"""

from collections import defaultdict
from html.parser import HTMLParser

import pytest
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import override_settings
from django.urls import reverse

from tests.matrix import LOGIN, PERSONAS, Redirect, all_rows, build_world, url_names

ROWS = all_rows()
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """One world for the whole module, rolled back at its end (each test rolls back its own changes)."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def prepare(client, world, row, persona):
    """Log in and work out the URL and data (a row may create the object it deletes here, in the test)."""
    user = world.users[persona]
    if user is not None:
        client.force_login(user)
    url = reverse(row.url_name, args=row.args(world))
    return url, row.data(world) if row.data else {}


def send(client, row, url, data):
    return client.post(url, data) if row.method == "POST" else client.get(url, data)


def expected_redirect(row, persona):
    """The URL a redirect must go to, or None when any target will do."""
    expected = row.expect[persona]
    if isinstance(expected, Redirect):
        return resolve_url(expected.to)
    if persona == "anonymous" and expected == 302:  # the follow-up rows' way of saying LOGIN
        return resolve_url(LOGIN.to)
    return None


def row_id(row):
    return f"{row.method} {row.url_name}"


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("row", ROWS, ids=row_id)
def test_matrix(client, db, world, row, persona):
    url, data = prepare(client, world, row, persona)
    before = row.unchanged(world) if row.unchanged else None
    response = send(client, row, url, data)
    expected = row.expect[persona]
    status = 302 if isinstance(expected, Redirect) else expected
    assert response.status_code == status, f"{persona}: {row_id(row)} answered {response.status_code}"
    target = expected_redirect(row, persona)
    if target is not None:
        assert response.url.split("?")[0] == target
    if row.unchanged is not None:
        wrote = status == 302 and target is None
        # A refused (or re-shown) write changes nothing; an allowed one really writes, so the row tests
        # what it claims to.
        assert (row.unchanged(world) != before) is wrote


def test_every_url_pattern_is_in_the_matrix():
    missing = sorted(url_names() - {row.url_name for row in ROWS})
    assert missing == [], "URL patterns missing from the permission matrix: " + ", ".join(missing)


def test_every_url_pattern_has_a_get_and_a_post_row():
    methods = defaultdict(set)
    for row in ROWS:
        methods[row.url_name].add(row.method)
    missing = sorted(
        f"{name} ({'/'.join(m for m in ('GET', 'POST') if m not in methods[name])})"
        for name in url_names()
        if methods[name] != {"GET", "POST"}
    )
    assert missing == [], "URL patterns without a GET or a POST row: " + ", ".join(missing)


def test_every_row_names_a_url_and_every_persona():
    names = url_names()
    assert sorted({row.url_name for row in ROWS} - names) == []
    incomplete = [row_id(row) for row in ROWS if set(row.expect) != set(PERSONAS)]
    assert incomplete == []


class ActiveContent(HTMLParser):
    """Inline script and style: what the Content-Security-Policy would block."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and "src" not in attrs and attrs.get("type") != "application/json":
            self.found.append("<script> without src")
        if tag == "style":
            self.found.append("<style>")
        for name in attrs:
            if name == "style" or name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")


GET_PAGES = [row for row in ROWS if row.method == "GET"]


@pytest.mark.parametrize("row", GET_PAGES, ids=row_id)
def test_pages_have_no_inline_script_or_style_and_send_the_policy(client, db, world, row):
    persona = next(
        (p for p in ("admin", "controller", "editor_bn", "anonymous") if row.expect[p] == 200), None
    )
    if persona is None:
        pytest.skip("no persona sees this page")
    response = send(client, row, *prepare(client, world, row, persona))
    assert "script-src 'self'" in response["Content-Security-Policy"]
    if response["Content-Type"].startswith("text/html"):
        parser = ActiveContent()
        parser.feed(response.content.decode())
        assert parser.found == []
