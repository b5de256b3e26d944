"""Two web machines on one database share everything a user sees: sessions, the tree cache, the data."""

import re
import urllib.parse

from tests.deploy.servers import Gunicorn, manage, production_env

RENAME = """
from goals import tree
from goals.models import Goal
goal = Goal.objects.filter(level_kind="council").order_by("lft").first()
tree.update_goal(goal, title="Ett nytt namn på målet, satt på en annan maskin")
"""
CREATE_USER = (
    "from django.contrib.auth.models import User; "
    "User.objects.create_user('kari', password='lång-hemlig-fras-9')"
)


def cookies_of(headers_list):
    jar = {}
    for header in headers_list:
        name, _, rest = header.partition("=")
        jar[name.strip()] = rest.split(";", 1)[0]
    return jar


def cookie_header(jar):
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def log_in(server, username, password):
    status, headers, body = server.get("/konto/logga-in/", raw_headers=True)
    jar = cookies_of(headers.get_all("Set-Cookie") or [])
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    form = urllib.parse.urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token})
    status, headers, _ = server.get(
        "/konto/logga-in/",
        {"Cookie": cookie_header(jar), "Content-Type": "application/x-www-form-urlencoded",
         "Referer": server.url + "/konto/logga-in/"},
        data=form.encode(), follow=False, raw_headers=True,
    )  # fmt: skip
    assert status == 302, "the login was refused"
    jar.update(cookies_of(headers.get_all("Set-Cookie") or []))
    return jar


def test_a_login_and_a_tree_edit_on_one_machine_are_seen_on_the_other(tmp_path, database_url):
    env = production_env(tmp_path, **({"DATABASE_URL": database_url} if database_url else {}))
    manage(env, "migrate", "--noinput")
    manage(env, "import_goals", "fixtures/nora.json")
    manage(env, "collectstatic", "--noinput")
    manage(env, "shell", "-c", CREATE_USER)
    first = Gunicorn(env, tmp_path / "first.log")
    second = Gunicorn(env, tmp_path / "second.log")
    try:
        # The tree is rendered and cached by the second machine before the change.
        assert "Ett nytt namn" not in second.get("/mal/")[2].decode()

        jar = log_in(first, "kari", "lång-hemlig-fras-9")
        _, _, page = second.get("/", {"Cookie": cookie_header(jar)})
        assert "(kari)" in page.decode(), "the second machine does not know the first one's session"

        manage(env, "shell", "-c", RENAME)
        assert "Ett nytt namn på målet, satt på en annan maskin" in second.get("/mal/")[2].decode()
        assert "Ett nytt namn på målet, satt på en annan maskin" in first.get("/mal/")[2].decode()
    finally:
        first.stop()
        second.stop()
