"""The restore drill of docs/operations.md: seed, back up, restore into a new database, compare."""

import json
import sqlite3
import subprocess

import dj_database_url

from tests.deploy.servers import manage, production_env

PUBLISH = """
from pathlib import Path
from django.utils import timezone
from followup.models import ReportingPeriod
from reports.archive import checksum
from reports.models import PublishedReport
data = Path({path!r}).read_bytes()
period = ReportingPeriod.objects.filter(kind="annual", year=2025).get()
PublishedReport.objects.create(
    series="annual/2025/annual", version=1, kind="annual", year=2025, period=period,
    title="Årsredovisning 2025", pdf=data, sha256=checksum(data), size=len(data), pages=1,
    published_at=timezone.now(), published_by_name="Drill")
"""


def seeded(env, tmp_path):
    manage(env, "migrate", "--noinput")
    manage(env, "import_goals", "fixtures/nora.json")
    manage(env, "seed_demo", "--no-report")  # the drill publishes its own report below
    pdf = tmp_path / "annual.pdf"
    manage(env, "render_report", "--kind", "annual", "--year", "2025", "--out", str(pdf))
    manage(env, "shell", "-c", PUBLISH.format(path=str(pdf)))
    return pdf.read_bytes()


def postgres_args(url):
    config = dj_database_url.parse(url)
    return [
        "-h",
        config["HOST"],
        "-p",
        str(config["PORT"] or 5432),
        "-U",
        config["USER"],
        "-d",
        config["NAME"],
    ]


def test_a_restored_backup_holds_every_row_and_every_published_byte(tmp_path, fresh_databases):
    source_url, target_url = fresh_databases(), fresh_databases()
    if source_url is None:  # SQLite: the online backup API, as docs/operations.md says
        source = production_env(tmp_path, SQLITE_PATH=str(tmp_path / "db.sqlite3"))
        target = production_env(tmp_path, SQLITE_PATH=str(tmp_path / "restored.sqlite3"))
        pdf = seeded(source, tmp_path)
        with sqlite3.connect(source["SQLITE_PATH"]) as live, sqlite3.connect(target["SQLITE_PATH"]) as copy:
            live.backup(copy)
    else:  # PostgreSQL: pg_dump in the custom format, pg_restore into an empty database
        source = production_env(tmp_path, DATABASE_URL=source_url)
        target = production_env(tmp_path, DATABASE_URL=target_url)
        pdf = seeded(source, tmp_path)
        dump = tmp_path / "noramal.dump"
        subprocess.run(["pg_dump", "-Fc", "-f", str(dump), *postgres_args(source_url)], check=True)
        subprocess.run(["pg_restore", "--no-owner", *postgres_args(target_url), str(dump)], check=True)

    before = json.loads(manage(source, "count_rows"))
    after = json.loads(manage(target, "count_rows"))
    assert before["missing"] == after["missing"] == []
    assert after["tables"] == before["tables"]
    assert before["tables"]["followup_indicatorvalue"] > 100
    assert before["tables"]["reports_publishedreport"] == 1

    manage(target, "check_goal_tree")  # exits non-zero on a broken tree
    assert "Alla 1 fastställda rapporter stämmer med sin SHA-256." in manage(target, "verify_archive")
    restored = tmp_path / "restored.pdf"
    manage(
        target,
        "shell",
        "-c",
        f"from pathlib import Path; from reports.models import PublishedReport; "
        f"Path({str(restored)!r}).write_bytes(bytes(PublishedReport.objects.get().pdf))",
    )
    assert restored.read_bytes() == pdf
