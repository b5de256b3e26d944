"""Report benchmark: `python -m tests.bench.reports` (not part of the tests).

Two municipalities, each in a throw-away SQLite file:
- Nora: Nora's goal chain with `seed_demo`'s demo follow-up; the latest annual report (target < 5 s);
- large: `seed_demo --boards 30 --goals-per-board 40 --years 10`; its latest annual report, about 400 pages
  (target < 60 s and < 1 GiB peak memory).
Each database is seeded in one process and each report rendered in a fresh one, so that a render's peak
memory (`ru_maxrss`) is its own. Per report: the data (queries), the HTML, WeasyPrint's layout and the
PDF writing, the same without charts (what the charts cost), pages and file size; and, apart from the
total, the same report as a Word document (reports/docx.py).

Options: `--only nora|large`, `--runs N` (Nora's report is rendered N times, median; default 3).
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
YEAR = 2026
TARGETS = {"nora": (5.0, None), "large": (60.0, 1024)}
SCENARIOS = {
    "nora": ["--years", "5"],
    "large": ["--boards", "30", "--goals-per-board", "40", "--years", "10"],
}


def _child_env(path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(SQLITE_PATH=path, DJANGO_SETTINGS_MODULE="noramal.settings", PYTHONHASHSEED="0")
    return env


def _django():
    import django

    django.setup()


def seed(name):
    """Child process: migrate the file named by SQLITE_PATH and write the scenario's data into it."""
    _django()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    if name == "nora":
        call_command("import_goals", str(ROOT / "fixtures" / "nora.json"), verbosity=0)
    call_command("seed_demo", *SCENARIOS[name], "--year", str(YEAR), verbosity=0)
    return {"seconds": time.perf_counter() - started}


def render(name, charts):
    """Child process: make the latest annual report once, step by step; returns timings and peak memory."""
    _django()
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from followup.models import ReportingPeriod
    from reports import output, pdf
    from reports.data import Spec, build_report
    from reports.docx import report_docx

    if not charts:
        from reports.templatetags import report_tags

        report_tags.charts.indicator_chart = lambda *args, **kwargs: ""
    period = ReportingPeriod.objects.annual().order_by("-year").first()
    spec = Spec("annual", period)

    def once():
        times = {}
        started = time.perf_counter()
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            report = build_report(spec)
        times["data"] = time.perf_counter() - started
        mark = time.perf_counter()
        html = output.report_html(report)
        times["html"] = time.perf_counter() - mark
        mark = time.perf_counter()
        layout = {}

        def progress(step, pages):
            if step == "pdf":
                layout["at"] = time.perf_counter()

        rendered = pdf.render_pdf(html, on_progress=progress)
        times["layout"] = layout["at"] - mark
        times["write"] = time.perf_counter() - layout["at"]
        times["total"] = time.perf_counter() - started
        mark = time.perf_counter()
        report_docx(report)
        times["word"] = time.perf_counter() - mark
        return times, report, html, rendered, len(queries)

    # The first report of a process also loads fonts and WeasyPrint's own stylesheets; a worker that has
    # made one report before is warm.
    cold, *_rest = once()
    times, report, html, rendered, queries = once() if name == "nora" else (cold, *_rest)
    times["cold total"] = cold["total"]
    goals = sum(1 for _goal in report.all_goals())
    indicators = sum(len(goal.indicators) for goal in report.all_goals())
    return {
        "times": times,
        "queries": queries,
        "pages": rendered.pages,
        "bytes": len(rendered.data),
        "goals": goals,
        "indicators": indicators,
        "html_bytes": len(html),
        "maxrss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "period": str(period),
    }


def _run_child(args, env):
    out = subprocess.run(
        [sys.executable, "-m", "tests.bench.reports", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        sys.stderr.write(out.stderr)
        raise SystemExit(f"benchmark child {args} failed")
    return json.loads(out.stdout.strip().splitlines()[-1])


def scenario(name, runs):
    with tempfile.TemporaryDirectory() as folder:
        env = _child_env(os.path.join(folder, f"{name}.sqlite3"))
        seeded = _run_child(["--child", "seed", name], env)
        print(f"\n### {name}: seeded in {seeded['seconds']:.1f} s", flush=True)
        results = [_run_child(["--child", "render", name], env) for _ in range(runs)]
        bare = _run_child(["--child", "render-without-charts", name], env)
    first = results[0]
    median = {key: statistics.median(r["times"][key] for r in results) for key in first["times"]}
    peak = max(r["maxrss_mib"] for r in results)
    print(
        f"{first['period']}: {first['goals']} goals, {first['indicators']} indicators (charts), "
        f"{first['pages']} pages, {first['bytes'] / 1024:.0f} KiB PDF, {first['queries']} queries; "
        f"median of {runs} run(s)"
    )
    print("| step | seconds |\n| --- | ---: |")
    for key in ("data", "html", "layout", "write", "total", "cold total"):
        print(f"| {key} | {median[key]:.2f} |")
    print(f"| total without charts | {bare['times']['total']:.2f} |")
    print(f"| Word document from the same data (not in the total) | {median['word']:.2f} |")
    print(f"| pages per second (total) | {first['pages'] / median['total']:.1f} |")
    print(f"| peak memory of the render process (MiB) | {peak:.0f} |")
    seconds, mebibytes = TARGETS[name]
    verdicts = [f"time {median['total']:.1f} s {'<' if median['total'] < seconds else '>='} {seconds:.0f} s"]
    if mebibytes:
        verdicts.append(f"memory {peak:.0f} MiB {'<' if peak < mebibytes else '>='} {mebibytes} MiB")
    ok = median["total"] < seconds and (not mebibytes or peak < mebibytes)
    print(f"target {'met' if ok else 'MISSED'}: {', '.join(verdicts)}", flush=True)
    return ok


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=sorted(SCENARIOS))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", choices=["seed", "render", "render-without-charts"])
    parser.add_argument("name", nargs="?")
    options = parser.parse_args()
    if options.child == "seed":
        print(json.dumps(seed(options.name)))
        return 0
    if options.child:
        print(json.dumps(render(options.name, charts=options.child == "render")))
        return 0
    print(f"## Reports ({os.cpu_count()} cores, SQLite)", flush=True)
    ok = True
    for name in [options.only] if options.only else list(SCENARIOS):
        ok &= scenario(name, options.runs if name == "nora" else 1)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
