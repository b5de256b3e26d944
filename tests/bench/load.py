"""Load benchmark on one database: gunicorn as in production on 127.0.0.1, loaded by locust (headless).

`python -m tests.bench.load` (SQLite; PostgreSQL when DATABASE_URL is set, in a `<name>_load` database that
is created and dropped here) — `make bench` runs it after the goal tree figures.

1. Seed, in a child process: migrate, collect the static files (hashed, as in production), then
   `seed_demo --boards 30 --goals-per-board 166 --years 10` — a synthetic municipality of about 5,000
   goals, 3,700 indicators and ten years of follow-up — plus one editor login per board and a
   controller login.
2. Start gunicorn with production's gunicorn.conf.py (2 gthread workers × 4 threads; WEB_CONCURRENCY and
   WEB_THREADS change them for a comparison) on a free loopback port (settings: tests/bench/settings.py,
   DEBUG off).
3. Fetch the tree page once (it then comes from the tree cache) and keep its bytes as a static file.
4. Per page, 2 locust users without think time for BENCH_LOAD_SECONDS (15): the start page, the tree
   page, a goal page, the tree page's bytes as a static file (the baseline), a board's value sheet (GET and
   a POST of the whole form), the controller's overview.
5. The reporting-deadline mix: BENCH_MIXED_USERS editors (50, 100 and 200, one run each), 2–8 s think time,
   70 % reads, 25 % value saves, 5 % goal edits, for BENCH_MIXED_SECONDS (60) each.
6. Lost writes: every value save that was answered with success (by any run) is looked up in the values'
   history in the database, in a child process: its version with the value typed must be there.
Every loop is bounded by a count and a deadline; gunicorn and locust are stopped whatever happens.
"""

import argparse
import json
import os
import runpy
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.bench import profile

ROOT = Path(__file__).resolve().parents[2]
LOCUSTFILE = Path(__file__).with_name("locustfile.py")
SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "15"))
MIXED_SECONDS = int(os.environ.get("BENCH_MIXED_SECONDS", "60"))
MIXED_USERS = [int(n) for n in os.environ.get("BENCH_MIXED_USERS", "50,100,200").split(",") if n.strip()]
BOARDS = int(os.environ.get("BENCH_LOAD_BOARDS", "30"))
GOALS_PER_BOARD = int(os.environ.get("BENCH_LOAD_GOALS_PER_BOARD", "166"))
YEARS = int(os.environ.get("BENCH_LOAD_YEARS", "10"))
YEAR = 2026
PASSWORD = "bench-load-password"
GUNICORN_CONF = ROOT / "gunicorn.conf.py"
# (what is measured, locust user class, users): 2 users keep both workers busy without a queue.
PAGES = [
    ("start page", "StartPage", 2),
    ("tree page, 5,000 goals (from the tree cache)", "TreePage", 2),
    ("the same tree page bytes as a static file (baseline)", "StaticTree", 2),
    ("goal page", "GoalPage", 2),
    ("a board's value sheet, GET", "ValuesPage", 2),
    ("a board's value sheet, POST of the whole form", "ValuesSave", 2),
    ("controller's overview", "Overview", 2),
]
# The request names (locustfile.py) that each page's figures are taken from.
MEASURED = {
    "StartPage": "start page",
    "TreePage": "tree page (all goals)",
    "StaticTree": "tree page bytes as a static file",
    "GoalPage": "goal page",
    "ValuesPage": "values page (GET)",
    "ValuesSave": "values page (POST, full form)",
    "Overview": "controller overview",
}
# BENCH_LOAD_PAGES=0 leaves out step 4 (each page alone), for a run of the mix only.
PAGES_ALONE = os.environ.get("BENCH_LOAD_PAGES", "1") != "0"
# The mix levels whose server is sampled by py-spy (tests/bench/profile.py): BENCH_PROFILE_USERS=200, say.
PROFILE_USERS = {int(n) for n in os.environ.get("BENCH_PROFILE_USERS", "").split(",") if n.strip()}
TARGETS = {"tree_p50_ms": 150, "mixed_p95_ms": 500, "sheet_get_p50_ms": 60}


def child_env(database_url, folder):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(
        DJANGO_SETTINGS_MODULE="tests.bench.settings",
        PYTHONHASHSEED="0",
        NORAMAL_BENCH_STATIC=str(folder),
        # Production's hashed static files, collected by the seeding step into the throw-away folder.
        DJANGO_STATIC_ROOT=str(folder / "static"),
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    else:
        env["SQLITE_PATH"] = str(folder / "load.sqlite3")
    return env


# --- 1. Seeding (child process) --------------------------------------------------------------------------


def seed(config_path):
    """Child process: migrate, write the large demo and the logins, and describe them in `config_path`."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from accounts import services
    from accounts.models import Membership
    from followup.models import IndicatorValue, ReportingPeriod
    from goals.models import Goal, Indicator, Organisation
    from tests.levels import Level

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    args = ["--boards", BOARDS, "--goals-per-board", GOALS_PER_BOARD, "--years", YEARS, "--year", YEAR]
    call_command("seed_demo", *map(str, args), verbosity=0)
    users = get_user_model()
    boards = []
    for board in Organisation.objects.filter(kind=Organisation.Kind.BOARD).order_by("code"):
        goals = list(
            Goal.objects.filter(owner=board, level_kind=Level.BOARD)
            .order_by("tree_id", "lft")
            .values_list("pk", flat=True)
        )
        if not goals:
            continue
        user = users.objects.create_user(f"bench-{board.code.lower()}", password=PASSWORD)
        services.grant_role(user, board, Membership.Role.EDITOR, by=None)
        boards.append({"code": board.code, "org": board.pk, "username": user.username, "goals": goals[:50]})
    council = Organisation.objects.filter(kind=Organisation.Kind.COUNCIL).first()
    controller = users.objects.create_user("bench-controller", password=PASSWORD)
    services.grant_role(controller, council, Membership.Role.CONTROLLER, by=None)
    period = ReportingPeriod.objects.filter(state=ReportingPeriod.State.OPEN).order_by("-year").first()
    read_goals = list(
        Goal.objects.filter(level_kind=Level.BOARD).order_by("?").values_list("pk", flat=True)[:200]
    )
    config = {
        "period": period.pk,
        "boards": boards,
        "controller": controller.username,
        "password": PASSWORD,
        "read_goals": read_goals,
        "counts": {
            "goals": Goal.objects.count(),
            "indicators": Indicator.objects.count(),
            "values": IndicatorValue.objects.count(),
            "boards": len(boards),
        },
        "seed_seconds": round(time.perf_counter() - started, 1),
    }
    Path(config_path).write_text(json.dumps(config))


# --- 2.–5. The server and the load ------------------------------------------------------------------------


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url, deadline_seconds=60):
    deadline = time.monotonic() + deadline_seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read()
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer within {deadline_seconds} s")


def server_description(env):
    """Production's gunicorn settings as `env` makes them, e.g. "gthread, 2 workers × 4 threads"."""
    saved = {k: os.environ.get(k) for k in ("WEB_CONCURRENCY", "WEB_THREADS")}
    try:
        for key in saved:
            if key in env:
                os.environ[key] = env[key]
        conf = runpy.run_path(str(GUNICORN_CONF))
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return f"{conf['worker_class']}, {conf['workers']} workers × {conf['threads']} threads"


def start_gunicorn(env, port, folder):
    """gunicorn with production's settings (gunicorn.conf.py); the address and the log are the bench's."""
    command = [
        sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONF), "noramal.wsgi:application",
        "--bind", f"127.0.0.1:{port}", "--graceful-timeout", "5",
        "--error-logfile", str(folder / "gunicorn.log"), "--log-level", "warning",
    ]  # fmt: skip
    return subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)


def stop(process, grace=10):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=grace)


def run_locust(env, host, user_class, users, seconds, folder, spawn_rate=None, watch=None):
    """One headless locust run of `user_class`; returns its samples (name, ms, failed, bytes), its window,
    the saves it recorded and the CPU seconds locust itself used in the window.

    `watch(seconds)`, when given, is called once every user is in (the measured window begins) and returns
    a function called when locust has ended: load.py measures the server's CPU and profiles it there."""
    samples_path = folder / f"{user_class}-samples.json"
    ready_path = folder / f"{user_class}-{users}-ready"
    spawn_rate = spawn_rate or users
    # Measurement starts once every user is in and logged in, and lasts `seconds` (locustfile.py stops
    # locust then); --run-time only caps a run whose logins never finish (a password hash each).
    measure = seconds
    seconds += int(users / spawn_rate) + 5 + users + 60
    command = [
        sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless",
        "--users", str(users), "--spawn-rate", str(spawn_rate), "--run-time", f"{seconds}s",
        "--host", host, "--stop-timeout", "10", "--only-summary", "--loglevel", "ERROR",
        "--exit-code-on-error", "0", user_class,
    ]  # fmt: skip
    locust_env = {
        **env,
        "NORAMAL_BENCH_CONFIG": str(folder / "config.json"),
        "NORAMAL_BENCH_SAMPLES": str(samples_path),
        "NORAMAL_BENCH_MEASURE_SECONDS": str(measure),
        "NORAMAL_BENCH_READY": str(ready_path),
    }
    process = subprocess.Popen(
        command, cwd=ROOT, env=locust_env, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=open(folder / f"{user_class}-locust.log", "w"),  # noqa: SIM115
    )  # fmt: skip
    ended = None
    try:
        deadline = time.monotonic() + seconds + 120
        while watch and process.poll() is None and time.monotonic() < deadline:
            if ready_path.exists():
                ended = watch(measure)
                break
            time.sleep(0.2)
        process.wait(timeout=max(deadline - time.monotonic(), 1))
    finally:
        stop(process)
        if ended:
            ended()
    data = json.loads(samples_path.read_text())
    return data["samples"], data["seconds"], data.get("writes", {}), data.get("locust_cpu", 0.0)


def percentile(values, share):
    """The nearest-rank percentile of sorted `values`."""
    if not values:
        return float("nan")
    index = max(0, min(len(values) - 1, round(share * len(values) + 0.5) - 1))
    return values[index]


def summarise(samples, seconds, names=None):
    chosen = [s for s in samples if names is None or s[0] in names]
    times = sorted(s[1] for s in chosen)
    return {
        "requests": len(chosen),
        "errors": sum(1 for s in chosen if s[2]),
        "p50": percentile(times, 0.50),
        "p95": percentile(times, 0.95),
        "p99": percentile(times, 0.99),
        "rps": len(chosen) / seconds if seconds else float("nan"),
        "kib": statistics.mean(s[3] for s in chosen) / 1024 if chosen else 0,
    }


def run(database_url):
    """Seed, serve, load; returns the results (also printed as Markdown)."""
    vendor = "PostgreSQL" if database_url else "SQLite"
    # BENCH_KEEP=1 keeps the folder (database, locust and gunicorn logs) for a look afterwards.
    with tempfile.TemporaryDirectory(prefix="noramal-load-", delete=not os.environ.get("BENCH_KEEP")) as name:
        folder = Path(name)
        print(f"  working folder: {folder}", flush=True)
        env = child_env(database_url, folder)
        subprocess.run(
            [sys.executable, "-m", "tests.bench.load", "--seed", str(folder / "config.json")],
            cwd=ROOT, env=env, check=True, timeout=1800,
        )  # fmt: skip
        config = json.loads((folder / "config.json").read_text())
        port = free_port()
        host = f"http://127.0.0.1:{port}"
        server = start_gunicorn(env, port, folder)
        results = {
            "vendor": vendor, "config": config, "pages": [], "mixed": [], "server": server_description(env),
        }  # fmt: skip
        writes = {"acknowledged": [], "unacknowledged": []}
        try:
            wait_until_up(host + "/")
            started = time.perf_counter()
            tree = wait_until_up(host + "/mal/", deadline_seconds=120)
            results["tree_first_ms"] = round((time.perf_counter() - started) * 1000)
            (folder / "tree.html").write_bytes(tree)
            results["tree_bytes"] = len(tree)
            for label, user_class, users in PAGES if PAGES_ALONE else []:
                samples, seconds, done, _cpu = run_locust(env, host, user_class, users, SECONDS, folder)
                _add_writes(writes, done)
                figures = summarise(samples, seconds, {MEASURED[user_class]})
                results["pages"].append({"label": label, "users": users, **figures})
                print(f"  {label}: {figures['requests']} requests, p50 {figures['p50']:.0f} ms", flush=True)
            results["mixed"] = []
            for users in MIXED_USERS:
                server_cpu = {}
                watch = _watcher(server, server_cpu, folder / f"profile-{users}.txt", users in PROFILE_USERS)
                samples, seconds, done, locust_cpu = run_locust(
                    env, host, "DeadlineUser", users, MIXED_SECONDS, folder, spawn_rate=10, watch=watch
                )
                level_writes = _add_writes(writes, done)
                names = sorted({s[0] for s in samples})
                level = {
                    "users": users,
                    "all": summarise(samples, seconds),
                    "by_name": {n: summarise(samples, seconds, {n}) for n in names},
                    "seconds": round(seconds),
                    "writes": level_writes,
                    "cpu": {"server": server_cpu.get("seconds", 0.0), "locust": locust_cpu},
                    "profile": server_cpu.get("profile"),
                }
                results["mixed"].append(level)
                print(
                    f"  mix, {users} editors: {level['all']['requests']} requests, "
                    f"p95 {level['all']['p95']:.0f} ms, {level['all']['errors']} errors",
                    flush=True,
                )
        finally:
            stop(server)
            log = (folder / "gunicorn.log").read_text() if (folder / "gunicorn.log").exists() else ""
            results["server_errors_logged"] = log.count("Traceback")
        # Every acknowledged save, counted back from the database (the server is stopped: nothing is left
        # in flight).
        (folder / "writes.json").write_text(json.dumps({**writes, "period": config["period"]}))
        subprocess.run(
            [sys.executable, "-m", "tests.bench.load", "--check-writes", str(folder / "writes.json")],
            cwd=ROOT, env=env, check=True, timeout=600,
        )  # fmt: skip
        results["writes"] = json.loads((folder / "writes.json").read_text())["checked"]
        if database_url:
            drop_database(database_url)
    return results


def _watcher(server, figures, profile_path, profiled):
    """For run_locust: at the window's start, the server's CPU so far (and py-spy started when `profiled`);
    at the end, the CPU seconds the workers used in between, into `figures` (and the profile's summary)."""

    def watch(seconds):
        before, spy = profile.cpu_seconds(server.pid), None
        if profiled and profile.py_spy():
            spy = profile.start(server.pid, profile_path, seconds)

        def ended():
            figures["seconds"] = profile.cpu_seconds(server.pid) - before
            if spy is not None:
                try:
                    spy.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    spy.send_signal(signal.SIGINT)
                    spy.wait(timeout=30)
                if profile_path.exists():
                    figures["profile"] = profile.summary(profile_path)

        return ended

    return watch


def _add_writes(writes, done):
    """Add one locust run's recorded saves to `writes`; return that run's counts."""
    for key in ("acknowledged", "unacknowledged"):
        writes[key] += done.get(key, [])
    return {key: len(done.get(key, [])) for key in ("acknowledged", "unacknowledged")}


def check_writes(path):
    """Child process: look up every acknowledged save in the values' history of the open period.

    A save of indicator i sent with version v and answered with success stored version v + 1 with the
    typed value; the history keeps every version, so a later save does not hide an earlier one.
    """
    import django

    django.setup()
    from followup.models import IndicatorValue
    from goals.numbers import parse_number

    data = json.loads(Path(path).read_text())
    acknowledged = data["acknowledged"]
    ids = {indicator for indicator, _version, _value in acknowledged}
    stored = set()
    history = IndicatorValue.history.filter(period_id=data["period"], indicator_id__in=ids)
    for indicator, version, total in history.values_list("indicator_id", "version", "total"):
        stored.add((indicator, version, total.normalize() if total is not None else None))
    lost = [
        write
        for write in acknowledged
        if (write[0], write[1] + 1, parse_number(write[2]).normalize()) not in stored
    ]
    data["checked"] = {
        "acknowledged": len(acknowledged),
        "unacknowledged": len(data["unacknowledged"]),
        "lost": len(lost),
        "lost_examples": lost[:5],
    }
    Path(path).write_text(json.dumps(data))


# --- PostgreSQL: a database of our own -------------------------------------------------------------------


def _admin_connection(database_url):
    import dj_database_url
    import psycopg2

    settings = dj_database_url.parse(database_url)
    connection = psycopg2.connect(
        dbname="postgres", user=settings["USER"], password=settings["PASSWORD"] or None,
        host=settings["HOST"] or None, port=settings["PORT"] or None,
    )  # fmt: skip
    connection.autocommit = True
    return connection, settings["NAME"]


def create_database(database_url):
    _admin(database_url, 'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', 'CREATE DATABASE "{name}"')


def drop_database(database_url):
    _admin(database_url, 'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _admin(database_url, *statements):
    # Outside any transaction (autocommit, no `with connection:`): CREATE/DROP DATABASE refuse one.
    connection, name = _admin_connection(database_url)
    try:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement.format(name=name))
    finally:
        connection.close()


def load_database_url():
    """DATABASE_URL with `_load` added to its database name, or None on SQLite."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        return None
    base, _, name = url.rpartition("/")
    name, _, query = name.partition("?")
    return f"{base}/{name}_load" + (f"?{query}" if query else "")


# --- Output --------------------------------------------------------------------------------------------


def _page(results, label_start):
    return next((r for r in results["pages"] if r["label"].startswith(label_start)), None)


def markdown(results):
    """The run's figures as Markdown tables."""
    c = results["config"]["counts"]
    lines = [
        f"{results['vendor']}: {c['goals']:,} goals, {c['indicators']:,} indicators, {c['values']:,} values, "
        f"{c['boards']} boards (seeded in {results['config']['seed_seconds']} s); tree page "
        f"{results['tree_bytes'] / 1024 / 1024:.1f} MiB, first render {results['tree_first_ms']} ms.",
        "",
        f"Each page alone, 2 users without think time, {SECONDS} s:",
        "",
        "| page | requests | errors | p50 ms | p95 ms | p99 ms | req/s |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in results["pages"]:
        lines.append(
            f"| {row['label']} | {row['requests']} | {row['errors']} | {row['p50']:.0f} | {row['p95']:.0f} "
            f"| {row['p99']:.0f} | {row['rps']:.1f} |"
        )
    for mixed in results["mixed"]:
        w = mixed["writes"]
        lines += [
            "",
            f"Reporting-deadline mix, {mixed['users']} editors, 2–8 s think time, {mixed['seconds']} s "
            "(70 % reads, 25 % value saves, 5 % goal edits; a save is a GET of the sheet and a POST); "
            f"{w['acknowledged']} saves acknowledged, {w['unacknowledged']} refused or failed:",
            "",
            "| request | requests | errors | p50 ms | p95 ms | p99 ms | req/s |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for name, row in [*mixed["by_name"].items(), ("all requests", mixed["all"])]:
            label = f"**{name}**" if name == "all requests" else name
            lines.append(
                f"| {label} | {row['requests']} | {row['errors']} | {row['p50']:.0f} | {row['p95']:.0f} "
                f"| {row['p99']:.0f} | {row['rps']:.1f} |"
            )
        cpu = mixed.get("cpu")
        if cpu:
            available = mixed["seconds"] * (os.cpu_count() or 1)
            server, generator = cpu["server"], cpu["locust"]
            per_request = server * 1000 / max(mixed["all"]["requests"], 1)
            lines += [
                "",
                f"CPU in the window: the server's workers {server:.0f} s, locust {generator:.0f} s, of "
                f"{available:.0f} s on {os.cpu_count()} cores ({(server + generator) / available:.0%} busy); "
                f"{per_request:.0f} ms of server CPU a request.",
            ]
        if mixed.get("profile"):
            lines += ["", f"Profile of the server at {mixed['users']} editors:", "", mixed["profile"]]
    writes = results["writes"]
    mixes = "; ".join(
        f"{m['users']} editors p95 {m['all']['p95']:.0f} ms, {m['all']['errors']} errors"
        for m in results["mixed"]
    )
    lines += [
        "",
        f"Acknowledged value saves counted back from the database: {writes['acknowledged']}, of which lost "
        f"{writes['lost']} (target 0)"
        + (f", e.g. {writes['lost_examples']}" if writes["lost"] else "")
        + ".",
        "",
        "Targets: "
        + "".join(
            f"{name} p50 {row['p50']:.0f} ms (target < {TARGETS[target]}); "
            for name, target, row in (
                ("tree page", "tree_p50_ms", _page(results, "tree page")),
                ("sheet GET", "sheet_get_p50_ms", _page(results, "a board's value sheet, GET")),
            )
            if row
        )
        + f"mix p95 target < {TARGETS['mixed_p95_ms']} ms with 0 errors: {mixes}; server tracebacks: "
        f"{results['server_errors_logged']}.",
    ]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", metavar="CONFIG", help="(child process) seed the database, write CONFIG")
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON to PATH")
    parser.add_argument("--check-writes", metavar="WRITES", help="(child process) count saves back")
    args = parser.parse_args()
    if args.seed:
        seed(args.seed)
        return 0
    if args.check_writes:
        check_writes(args.check_writes)
        return 0
    database_url = load_database_url()
    if database_url:
        create_database(database_url)
    results = run(database_url)
    print(markdown(results), flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
