"""Charts, rendering progress and the render_report command."""

import logging
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook
from pypdf import PdfReader

from reports import charts, pdf
from reports.models import ReportRun
from reports.tasks import _Progress

SMALL = """<!doctype html><html lang="sv"><head><title>Liten</title></head><body><p>Sida ett</p>
<p style="break-before: page">Sida två</p><p style="break-before: page">Sida tre</p></body></html>"""


def test_chart_has_a_line_a_dot_per_value_a_target_and_its_numbers_in_words():
    svg = charts.indicator_chart(
        ["2024", "2025", "2026"], [Decimal("81.5"), None, Decimal("1234.5")], Decimal(90), decimals=1,
        target_label="Mål 2026",
    )  # fmt: skip
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"') and svg.endswith("</svg>")
    assert "<title>Diagram. Utfall 2024: 81,5; 2026: 1\xa0234,5. Mål 2026: 90,0.</title>" in svg
    assert svg.count("<path") == 3  # target line and one dot each; no line across the missing year
    assert 'stroke-dasharray="3 2"' in svg


def test_chart_escapes_labels_and_draws_nothing_without_values():
    assert charts.indicator_chart(["a"], [None]) == ""
    svg = charts.indicator_chart(["<b>"], [Decimal(1)], Decimal(2), target_label="<i>")
    assert "<b>" not in svg and "&lt;b&gt;" in svg and "&lt;i&gt;" in svg


def test_render_reports_layout_progress_per_page_then_the_pdf_step():
    calls = []
    rendered = pdf.render_pdf(SMALL, on_progress=lambda step, pages: calls.append((step, pages)))
    assert rendered.pages == 3
    assert [c for c in calls if c[0] == "layout"] == [("layout", 1), ("layout", 2), ("layout", 3)]
    assert calls[-1] == ("pdf", 3)
    # WeasyPrint's progress logger is as it was: nothing stays attached, records go to the log again.
    logger = logging.getLogger("weasyprint.progress")
    assert logger.handlers == [] and logger.propagate and logger.level == logging.NOTSET


def test_progress_of_a_run_is_written_to_its_row(db, nora_world):
    run = ReportRun.objects.create(kind="annual", period=nora_world["annual"], state="running")
    progress = _Progress(run, expected_pages=10)
    progress("layout", 5)
    run.refresh_from_db()
    assert (run.step, run.pages, run.percent) == ("layout", 5, 46)
    progress("pdf", 10)
    run.refresh_from_db()
    assert (run.step, run.pages, run.percent) == ("pdf", 10, 85)


def test_render_report_command_writes_a_pdf(db, nora_world, tmp_path):
    out = tmp_path / "bn.pdf"
    call_command("render_report", "--kind", "board", "--year", "2026", "--board", "BN", "--out", str(out))
    reader = PdfReader(BytesIO(out.read_bytes()))
    assert reader.metadata.title == "Nämndrapport 2026 – Bildningsnämnden – Nora kommun"


def test_render_report_command_writes_html_and_excel(db, nora_world, tmp_path):
    call_command("render_report", "--kind", "interim", "--year", "2026", "--out", str(tmp_path / "d.html"))
    assert "11 av 11 KF-mål bedöms uppfyllas" in (tmp_path / "d.html").read_text()
    call_command(
        "render_report", "--kind", "compilation", "--year", "2026", "--out", str(tmp_path / "s.xlsx")
    )
    book = load_workbook(tmp_path / "s.xlsx")
    assert book["Rapport"]["B2"].value == "Sammanställning av mål 2026"


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["--kind", "annual", "--year", "2019", "--out", "x.pdf"], "no reporting period"),
        (["--kind", "board", "--year", "2026", "--out", "x.pdf"], "behöver --board"),
        (["--kind", "board", "--year", "2026", "--board", "XX", "--out", "x.pdf"], "no board"),
        (["--kind", "annual", "--year", "2026", "--out", "x.doc"], "måste sluta på"),
    ],
)
def test_render_report_command_explains_what_is_wrong(db, nora_world, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("render_report", *arguments)
