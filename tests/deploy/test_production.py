"""The production start: gunicorn with debug off serves a complete site by itself."""

import json
import re

import pytest

from tests.deploy.servers import Gunicorn, manage, production_env


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("production")
    env = production_env(tmp_path)
    manage(env, "migrate", "--noinput")
    manage(env, "import_goals", "fixtures/nora.json")
    manage(env, "collectstatic", "--noinput")
    server = Gunicorn(env, tmp_path / "gunicorn.log")
    yield server, tmp_path / "gunicorn.log"
    server.stop()


def test_start_page_links_hashed_stylesheets_served_compressed_and_cached_for_a_year(site):
    server, _ = site
    status, _, body = server.get("/")
    assert status == 200
    page = body.decode()
    assert "Nora kommun" in page
    stylesheets = re.findall(r'href="(/static/[^"]+\.css)"', page)
    assert stylesheets, "the page links no stylesheet"
    for href in stylesheets:
        assert re.search(r"\.[0-9a-f]{12}\.css$", href), f"{href} is not a hashed name"
        status, headers, css = server.get(href, {"Accept-Encoding": "gzip"})
        assert status == 200
        assert headers.get("Content-Encoding") == "gzip"
        assert "max-age=315360000" in headers["Cache-Control"]
        assert len(css) > 0


def test_healthz_answers_ok_and_nothing_more(site):
    server, _ = site
    status, headers, body = server.get("/healthz", {"Host": "10.1.2.3"})  # a load balancer's own address
    assert (status, body) == (200, b"ok\n")
    assert headers["Cache-Control"] == "no-store"


def test_each_request_is_one_json_line_with_its_id_and_user(site):
    server, log_path = site
    status, headers, _ = server.get("/mal/", {"X-Request-ID": "probe-4711"})
    assert status == 200
    assert headers["X-Request-ID"] == "probe-4711"
    # The line is written before the response leaves the worker.
    records = [json.loads(line) for line in log_path.read_text().splitlines() if line.startswith("{")]
    mine = [r for r in records if r.get("request_id") == "probe-4711"]
    assert len(mine) == 1
    assert mine[0]["path"] == "/mal/"
    assert mine[0]["status"] == 200
    assert mine[0]["user_id"] is None
    assert mine[0]["logger"] == "noramal.request"


def test_healthz_answers_503_when_the_database_does_not(tmp_path):
    env = production_env(tmp_path, SQLITE_PATH=str(tmp_path / "missing" / "db.sqlite3"))
    server = Gunicorn(env, tmp_path / "gunicorn.log")
    try:
        status, _, body = server.get("/healthz")
    finally:
        server.stop()
    assert (status, body) == (503, b"unavailable\n")
