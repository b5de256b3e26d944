"""`make bench`: the project's speed record, on SQLite and, when DATABASE_URL is set, on PostgreSQL.

Per database, each part in its own process on a throw-away database:
1. the goal tree in-process (tests/bench/tree.py): import, render, cache, add and move goals;
2. a board's value sheet of 120 indicators in-process (tests/bench/sheet.py): GET, full-form POST, a refusal;
3. the app under load (tests/bench/load.py): gunicorn as in production (gunicorn.conf.py) on 127.0.0.1 and
   locust: each page alone, the reporting-deadline mix at 50, 100 and 200 editors, lost writes.
The figures are printed and written to docs/performance.md as a new section at the top of the runs
(`--no-write` leaves the file alone; `--only tree|sheet|load` runs one part).
"""

import argparse
import contextlib
import datetime
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RECORD = ROOT / "docs" / "performance.md"
MARKER = "<!-- make bench writes each run below this line, newest first -->"


def _versions():
    names = ("Django", "gunicorn", "locust")
    found = []
    for name in names:
        with contextlib.suppress(metadata.PackageNotFoundError):
            found.append(f"{name} {metadata.version(name)}")
    return ", ".join([f"Python {platform.python_version()}", *found])


def _run(module, env, extra=()):
    """Run `python -m module`, echoing its output; return (exit status, stdout)."""
    process = subprocess.Popen(
        [sys.executable, "-m", module, *extra], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
    )
    lines = []
    for line in process.stdout:
        print(line, end="", flush=True)
        lines.append(line)
    return process.wait(), "".join(lines)


def _database_name(env):
    url = env.get("DATABASE_URL")
    if not url:
        return "SQLite"
    version = ""
    try:
        import dj_database_url
        import psycopg2

        settings = dj_database_url.parse(url)
        with psycopg2.connect(
            dbname=settings["NAME"] or "postgres", user=settings["USER"], host=settings["HOST"] or None,
            port=settings["PORT"] or None, password=settings["PASSWORD"] or None,
        ) as connection, connection.cursor() as cursor:  # fmt: skip
            cursor.execute("SHOW server_version")
            version = " " + cursor.fetchone()[0].split()[0]
    except Exception:  # noqa: BLE001 - the version is only a label
        pass
    return f"PostgreSQL{version}"


def main():
    parser = argparse.ArgumentParser(description="Noramål's speed record")
    parser.add_argument("--only", choices=("tree", "sheet", "load"), help="run one part only")
    parser.add_argument(
        "--no-write", action="store_true", help="print the figures, leave docs/performance.md"
    )
    args = parser.parse_args()

    targets = [{k: v for k, v in os.environ.items() if k != "DATABASE_URL"}]
    if os.environ.get("DATABASE_URL"):
        targets.append(dict(os.environ))
    status, sections = 0, []
    for env in targets:
        name = _database_name(env)
        print(f"\n## {name}\n", flush=True)
        parts = [f"### {name}"]
        if args.only in (None, "tree"):
            code, output = _run("tests.bench.tree", env)
            status |= code
            # Its figures start at the summary line ("5000 goals, …"); Django's setup messages come before.
            lines = output.splitlines()
            first = next((i for i, line in enumerate(lines) if re.match(r"\d+ goals, ", line)), 0)
            figures = "\n".join(lines[first:]).strip()
            parts += ["", "Goal tree, in-process (median of 5 runs, min–max):", "", figures]
        if args.only in (None, "sheet"):
            code, output = _run("tests.bench.sheet", env)
            status |= code
            lines = output.splitlines()
            first = next((i for i, line in enumerate(lines) if re.match(r"\d+ indicators ", line)), 0)
            figures = "\n".join(lines[first:]).strip()
            parts += ["", "A board's value sheet, in-process (median of 5 runs, min–max):", "", figures]
        if args.only in (None, "load"):
            with tempfile.TemporaryDirectory() as folder:
                results_path = Path(folder) / "load.json"
                code, output = _run("tests.bench.load", env, ["--json", str(results_path)])
                status |= code
                if results_path.exists():
                    from tests.bench.load import markdown

                    results = json.loads(results_path.read_text())
                    parts += ["", f"Under load: gunicorn ({results['server']}, gunicorn.conf.py), 127.0.0.1, "
                              "locust headless on the same machine.", "", markdown(results)]  # fmt: skip
        sections.append("\n".join(parts))

    heading = (
        f"## make bench — {datetime.date.today().isoformat()}, {os.cpu_count()} cores\n\n"
        f"{_versions()}; {platform.platform(terse=True)}."
    )
    run = "\n\n".join([heading, *sections]) + "\n"
    if not args.no_write and status == 0:
        _record(run)
        print(f"\nWritten to {RECORD.relative_to(ROOT)}.")
    return status


def _record(run):
    """Put `run` right below the marker of docs/performance.md (added at the end when missing)."""
    text = RECORD.read_text()
    if MARKER not in text:
        text = text.rstrip("\n") + "\n\n" + MARKER + "\n"
    before, _marker, after = text.partition(MARKER)
    rest = "\n" + after.lstrip("\n") if after.strip() else ""
    RECORD.write_text(before + MARKER + "\n\n" + run + rest)


if __name__ == "__main__":
    sys.exit(main())
