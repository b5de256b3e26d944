"""Production-like processes for the deployment tests: manage.py and gunicorn with debug off."""

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import dj_database_url
import psycopg2
import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(tmp_path, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "NORAMAL_"))}
    env.update(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        # TLS ends at the proxy in front; here the test talks plain HTTP to gunicorn.
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_STATIC_ROOT=str(tmp_path / "static"),
        SQLITE_PATH=str(tmp_path / "db.sqlite3"),
        DJANGO_SETTINGS_MODULE="noramal.settings",
    )
    env.update(extra)
    return env


def manage(env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Gunicorn:
    def __init__(self, env, log_path):
        self.port = free_port()
        self.log = open(log_path, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "noramal.wsgi:application", "--workers", "1",
             "--bind", f"127.0.0.1:{self.port}", "--timeout", "30"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(Path(log_path).read_text()) from None
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def get(self, path, headers=None, data=None, *, follow=True, raw_headers=False):
        """(status, headers, body) of one request; redirects are followed unless `follow` is false."""
        request = urllib.request.Request(self.url + path, headers=headers or {}, data=data)
        opener = urllib.request.build_opener() if follow else urllib.request.build_opener(_NoRedirect)
        try:
            with opener.open(request, timeout=20) as response:
                status, found, body = response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            status, found, body = error.code, error.headers, error.read()
        return status, (found if raw_headers else dict(found)), body

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=15)
        self.log.close()


def postgres_url_for(name):
    """The suite's PostgreSQL URL with another database name, or None when the suite runs on SQLite."""
    outer = os.environ.get("DATABASE_URL", "")
    if not outer.startswith("postgres"):
        return None
    return urllib.parse.urlunsplit(urllib.parse.urlsplit(outer)._replace(path=f"/{name}"))


def postgres_admin():
    config = dj_database_url.parse(os.environ["DATABASE_URL"])
    connection = psycopg2.connect(
        dbname="postgres", user=config["USER"], host=config["HOST"], port=config["PORT"] or 5432,
        password=config["PASSWORD"] or None,
    )  # fmt: skip
    connection.autocommit = True
    return connection


@pytest.fixture
def fresh_databases():
    """Makes empty PostgreSQL databases on demand (dropped afterwards); None each time on SQLite."""
    made = []

    def make():
        name = f"noramal_deploy_{uuid.uuid4().hex[:8]}"
        url = postgres_url_for(name)
        if url is not None:
            admin = postgres_admin()
            admin.cursor().execute(f'CREATE DATABASE "{name}"')
            admin.close()
            made.append(name)
        return url

    yield make
    if made:
        admin = postgres_admin()
        for name in made:
            admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture
def database_url(fresh_databases):
    """A fresh database on PostgreSQL when the suite runs there, otherwise None (one SQLite file)."""
    return fresh_databases()
