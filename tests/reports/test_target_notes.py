"""A target changed after its decision is footnoted in the report, with its reason and decision."""

from io import BytesIO

from django.utils import timezone
from pypdf import PdfReader

from goals.models import Indicator, Target
from reports.data import Spec, build_report
from reports.models import Kind
from reports.output import report_pdf
from tests.reports import world as nora


def sections(report):
    """Every goal section of the report, at any depth."""
    found = list(report.top)
    for council in report.council_goals:
        found.append(council.goal)
        found.extend(goal for group in council.boards for goal in group.goals)
    stack = list(found)
    while stack:
        section = stack.pop()
        found.extend(section.children)
        stack.extend(section.children)
    return found


def test_the_annual_pdf_footnotes_a_changed_target(db, people):
    built = nora.build()
    target = Target.objects.get(indicator__kolada_kpi="N15643", from_year=2026)
    target.value, target.changed_at, target.changed_by = 84, timezone.now(), people.controller
    target.change_reason, target.change_decision = "Sänkt efter ny mätmetod.", "KS § 112 2026-05-12"
    target.save()
    report = build_report(Spec(Kind.ANNUAL, built["annual"]))
    indicators = [i for section in sections(report) for i in section.indicators]
    rows = [i for i in indicators if i.pk == target.indicator_id]
    assert rows and rows[0].target_note.endswith("(KS § 112 2026-05-12): Sänkt efter ny mätmetod.")
    others = [i for i in indicators if i.pk != target.indicator_id]
    assert all(i.target_note == "" for i in others)
    pages = PdfReader(BytesIO(report_pdf(report).data)).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert "Målvärdet för 2026 ändrades" in text and "KS § 112" in text
    assert Indicator.objects.get(pk=target.indicator_id).name in text
