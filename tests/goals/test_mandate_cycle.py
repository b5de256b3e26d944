"""The cycle end to end on seed_demo's data: a revised goal file through the controllers' page, the next
mandate period started, next year's periods created, and every earlier page, value, judgement and published
report exactly as before."""

import hashlib
import json
import re
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import AuditEvent, Membership, Organisation
from followup.models import ActivityStatus, Assessment, IndicatorValue, ReportingPeriod
from goals import goalfile
from goals.models import Goal, Target
from goals.treecheck import tree_violations
from reports.models import PublishedReport
from tests.matrix import make_user

NORA = Path(__file__).resolve().parents[2] / "fixtures" / "nora.json"
TODAY = date(2026, 9, 20)  # seed_demo --year 2026: 2022–2025 closed, 2026's interim open
FIRST, LAST = 2027, 2030

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    goalfile.import_document(json.loads(NORA.read_text(encoding="utf-8")))
    call_command("seed_demo", today=TODAY)  # with its published annual report for 2025
    return PublishedReport.objects.get()


def rows():
    """Every value, judgement, activity status and earlier year's target, field by field."""
    return {
        "values": list(IndicatorValue.objects.order_by("pk").values()),
        "judgements": list(Assessment.objects.order_by("pk").values()),
        "statuses": list(ActivityStatus.objects.order_by("pk").values()),
        "targets": list(Target.objects.filter(from_year__lt=FIRST).order_by("pk").values()),
        "periods": list(ReportingPeriod.objects.filter(year__lt=FIRST).order_by("pk").values()),
    }


def pages(client, goals):
    """The earlier years' goal pages (`?ar=`), without what names the request (the CSRF token) and without the
    goal's own validity line (its last year may now be later)."""
    found = {}
    for goal in goals:
        for year in (2023, 2025):
            html = client.get(reverse("goals:detail", args=[goal.pk]), {"ar": year}).content.decode()
            html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
            found[(goal.pk, year)] = re.sub(r"<dl class=\"goal-facts\">.*?</dl>", "", html, flags=re.S)
    return found


def upload(document):
    file = StringIO(goalfile.dumps(document))
    file.name = "mal.json"
    return file


def test_revision_new_mandate_period_and_next_years_periods_leave_every_earlier_year_as_it_was(demo, client):
    council = Organisation.objects.get(code="KF")
    controller = make_user("controller", Membership.Role.CONTROLLER, council)
    client.force_login(controller)
    report = demo
    report_bytes = hashlib.sha256(bytes(report.pdf)).hexdigest()
    assert report_bytes == report.sha256
    goals = list(Goal.objects.filter(indicators__isnull=False).distinct().order_by("tree_id", "lft")[:12])
    before_rows, before_pages = rows(), pages(client, goals)
    carried_before = Target.objects.filter(from_year__gte=FIRST).count()

    # 1. A revised goal file: one board goal renamed. The page shows the change before anything is written.
    document = goalfile.export_document()
    board_goal = Goal.objects.filter(level_kind="board", indicators__isnull=False).order_by("lft").first()
    stack = list(document["goals"])
    while stack:
        entry = stack.pop()
        if entry.get("key") == board_goal.key:
            entry["title"] = board_goal.title + " (reviderat)"
        stack += entry.get("children", [])
    data = {"file": upload(document), "from_year": FIRST, "reason": "Mål och budget 2027",
            "decision": "KF § 112 2026-11-23"}  # fmt: skip
    page = client.post(reverse("goals:revise"), data).content.decode()
    assert "Ändrad titel: ”" + board_goal.title + "” → ”" + board_goal.title + " (reviderat)”" in page
    assert Goal.objects.get(pk=board_goal.pk).title == board_goal.title  # nothing yet
    response = client.post(reverse("goals:revise"), {"step": "apply", "confirm": "on"}, follow=True)
    assert response.redirect_chain[-1][1] == 302
    assert Goal.objects.get(pk=board_goal.pk).title == board_goal.title + " (reviderat)"

    # 2. The next mandate period, targets carried forward: previewed in Swedish, then confirmed.
    url = reverse("goals:new_period")
    data = {"first_year": FIRST, "last_year": LAST, "targets": "carry", "reason": "Ny mandatperiod",
            "decision": "KF § 118 2026-11-23"}  # fmt: skip
    page = client.post(url, data).content.decode()
    assert "Perioden 2027–2030 (den gamla slutar 2026)" in page
    assert "Målvärdet förs vidare till 2027–2030 för" in page
    assert Target.objects.filter(from_year__gte=FIRST).count() == carried_before
    response = client.post(url, {"step": "apply", "confirm": "on"}, follow=True)
    assert "Perioden 2027–2030 är startad" in response.content.decode()
    carried = Target.objects.filter(from_year=FIRST, to_year=LAST)
    assert carried.exists()
    assert AuditEvent.objects.filter(action="goal_tree.new_period", user=controller).count() == 1

    # 3. Next year's periods from the calendar, through its page.
    response = client.post(reverse("followup:create_periods"), {"year": FIRST, "confirm": "1"}, follow=True)
    assert response.redirect_chain[-1][1] == 302
    assert ReportingPeriod.objects.filter(year=FIRST).exists()

    # Every earlier year is exactly as it was.
    assert rows() == before_rows
    after_pages = pages(client, goals)
    renamed = {(board_goal.pk, 2023), (board_goal.pk, 2025)}
    for key, html in before_pages.items():
        if key in renamed:
            continue  # the renamed goal's own pages carry its new title
        assert after_pages[key] == html, key
    report.refresh_from_db()
    assert hashlib.sha256(bytes(report.pdf)).hexdigest() == report_bytes == report.sha256
    published = client.get(reverse("reports:published_pdf", args=[report.pk]))
    assert (
        hashlib.sha256(
            b"".join(published.streaming_content) if published.streaming else published.content
        ).hexdigest()
        == report_bytes
    )
    assert tree_violations() == []
    # The new year's goal page shows the carried target.
    indicator = carried.first().indicator
    page = client.get(reverse("goals:detail", args=[indicator.goal_id]), {"ar": FIRST}).content.decode()
    assert "2027–2030" in page
