"""End-to-end fixtures: Nora's data in a throw-away database, a live server, Debian's Chromium, visitors.

Run with `make e2e` (it installs Chromium, axe-core and the Python packages); `make test` leaves this folder
out, so the unit suite needs no browser.

The live server is pytest-django's (a thread of this process serving the test database, static files
included). Playwright's sync API runs an event loop in the test's thread, and Django refuses ORM calls
from a thread with a running loop; the fixtures' ORM calls are plain synchronous code, hence
DJANGO_ALLOW_ASYNC_UNSAFE below (tests only).
"""

import os

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import shutil  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from django.core.cache import caches  # noqa: E402
from django.core.management import call_command  # noqa: E402

from tests.e2e.browser import ROOT, Visitor, axe_source, write_audit_summary  # noqa: E402

CHROMIUM = os.environ.get("NORAMAL_CHROMIUM", "/usr/bin/chromium")
# Debian's Chromium, headless, with nothing that reaches outside the machine.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
RESULTS = ROOT / "test-results"
YEAR = 2026
PASSWORDS = {
    "redaktor-bn": "noramal-bn",
    "redaktor-ks": "noramal-ks",
    "controller": "noramal-controller",
    "lasare": "noramal-lasare",
    "admin": "noramal-admin",
}
AUDITED = []

try:
    import playwright  # noqa: F401
except ImportError:
    # A venv without the e2e extra (make test's): these walks need `make e2e`, which installs it.
    collect_ignore_glob = ["test_*.py"]


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    # Kept on the test item, so that the visitors' fixture knows at teardown whether the test failed.
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session", autouse=True)
def results_folder():
    """test-results/e2e/ (git-ignored): failure screenshots and the list of pages axe checked."""
    folder = RESULTS / "e2e"
    shutil.rmtree(folder, ignore_errors=True)
    yield folder
    if AUDITED:
        paths = write_audit_summary(AUDITED, folder / "axe-pages.json")
        print(f"\naxe-core checked {len(AUDITED)} page views ({paths} addresses): {folder}/axe-pages.json")


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium, launched once per session."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make e2e` installs it (apt-get install chromium).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def axe():
    return axe_source()


@pytest.fixture
def nora(transactional_db, settings):
    """Nora's goal chain, the demo logins and the demo follow-up, in an empty database."""
    # Reports are made inside the request (no worker process in the tests).
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    # The flush between tests empties the tables of models only: the cache table keeps its rows.
    caches[settings.GOAL_TREE_CACHE].clear()
    # The flush also empties the reporting calendar a migration installs; the demo makes its periods from it.
    from followup.calendar import install_default_scheme
    from followup.models import DeadlineStep, SchemePeriod

    install_default_scheme(SchemePeriod, DeadlineStep)
    call_command("import_goals", str(ROOT / "fixtures" / "nora.json"), verbosity=0)
    call_command("create_demo_users", "--force", verbosity=0)
    call_command("seed_demo", "--year", str(YEAR), verbosity=0)


@pytest.fixture
def people(request, chromium, axe, live_server, nora, results_folder):
    """`people("controller")` gives a Visitor, logged in when a demo username is given (None: anonymous)."""
    visitors = []

    def person(username=None, *, log_in=True):
        context = chromium.new_context(locale="sv-SE", viewport={"width": 1280, "height": 900})
        visitor = Visitor(context, live_server.url, username or "anonymous", axe, AUDITED)
        visitors.append(visitor)
        if username and log_in:
            visitor.log_in(username, PASSWORDS[username])
        return visitor

    yield person
    reports = (getattr(request.node, f"report_{when}", None) for when in ("setup", "call"))
    failed = any(report is not None and report.failed for report in reports)
    try:
        for visitor in visitors:
            if failed:
                visitor.screenshot(results_folder, request.node.name)
            else:
                visitor.assert_all_checked()
    finally:
        for visitor in visitors:
            visitor.context.close()
