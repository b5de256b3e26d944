"""The layout of every kind of report, read back from the PDF itself (pdfplumber): nothing outside the text
block, a judgement never left alone at the foot of a page, a KF goal on a new page only when less than a
third of the page is left, and "UTKAST" across every page of a draft.

Rendered with real WeasyPrint for Nora and for Örebro (fixtures/municipalities), whose styrmodell differs.
"""

import re
from datetime import date
from io import BytesIO
from pathlib import Path
from types import SimpleNamespace

import pdfplumber
import pytest
from django.db import connection, transaction
from django.test.utils import override_settings

from followup.models import Assessment, ReportingPeriod
from goals import goalfile
from goals.chain import forget
from goals.models import Goal, Organisation
from reports.data import PUBLISHED, Spec, build_report
from reports.models import Kind
from reports.output import report_pdf
from tests.reports import world as nora

pytestmark = pytest.mark.django_db

MM = 72 / 25.4
# The @page margins of static/css/report.css (top, right, bottom, left), in mm.
MARGINS = (20, 17, 18, 17)
CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "report.css"
OREBRO = Path(__file__).resolve().parents[2] / "fixtures" / "municipalities" / "orebro.json"
SLACK = 0.6  # pt: a glyph's box may round a little past the edge of the line it sits on
JUDGED = re.compile(r"^(Bedömning|Prognos): ")


def _orebro():
    """Örebro's goal file with an annual period and an August interim of 2024, each KF-level goal judged."""
    goalfile.import_plan(goalfile.read(OREBRO.read_text(encoding="utf-8")))
    forget()
    annual = ReportingPeriod.objects.create(
        year=2024, kind=ReportingPeriod.Kind.ANNUAL, deadline=date(2025, 2, 15)
    )
    ReportingPeriod.objects.create(year=2023, kind=ReportingPeriod.Kind.ANNUAL, deadline=date(2024, 2, 15))
    interim = ReportingPeriod.objects.create(
        year=2024, kind=ReportingPeriod.Kind.INTERIM_AUGUST, deadline=date(2024, 9, 15)
    )
    judgements = list(Assessment.Judgement)
    for n, goal in enumerate(Goal.objects.order_by("tree_id", "lft")):
        for period in (annual, interim):
            Assessment.objects.create(
                goal=goal, period=period, judgement=judgements[n % 3], state=Assessment.State.APPROVED,
                analysis=f"Analys {n}: " + "utvecklingen följs upp och redovisas i nästa rapport. " * (n % 4),
            )  # fmt: skip
    owners = Goal.objects.exclude(parent=None).values_list("owner_id", flat=True)
    board = Organisation.objects.filter(pk__in=owners, kind__in=Organisation.ANSWERING_KINDS).order_by(
        "code"
    )[0]
    return {"annual": annual, "interim": interim, "board": board}


def _render(spec, **options):
    report = build_report(spec, **options)
    data = report_pdf(report).data
    with pdfplumber.open(BytesIO(data)) as document:
        pages = [
            SimpleNamespace(
                width=page.width,
                height=page.height,
                words=page.extract_words(use_text_flow=True, extra_attrs=["size"]),
                chars=[
                    (c["text"], c["x0"], c["x1"], c["top"], c["bottom"], c["upright"]) for c in page.chars
                ],
                boxes=[
                    (o["x0"], o["x1"], o["top"], o["bottom"])
                    for o in (*page.rects, *page.lines, *page.curves, *page.images)
                ],
                images=len(page.images),
            )
            for page in document.pages
        ]
    return SimpleNamespace(report=report, pages=pages, data=data)


@pytest.fixture(scope="module")
def rendered(django_db_setup, django_db_blocker):
    """Every kind of report for Nora and for Örebro, rendered once for the module."""
    out = {}
    with django_db_blocker.unblock():
        assert "test" in str(connection.settings_dict["NAME"]) or "memory" in str(
            connection.settings_dict["NAME"]
        )
        with transaction.atomic():
            built = nora.build()
            forget()
            bn = Organisation.objects.get(code="BN")
            out["nora-annual"] = _render(Spec(Kind.ANNUAL, built["annual"]))
            out["nora-interim"] = _render(Spec(Kind.INTERIM, built["interim"]))
            out["nora-board"] = _render(Spec(Kind.BOARD, built["annual"], bn))
            out["nora-compilation"] = _render(Spec(Kind.COMPILATION, built["annual"]))
            out["nora-published"] = _render(Spec(Kind.ANNUAL, built["annual"]), status=PUBLISHED, version=1)
            transaction.set_rollback(True)
        with transaction.atomic(), override_settings(MUNICIPALITY_NAME="Örebro kommun"):
            built = _orebro()
            out["orebro-annual"] = _render(Spec(Kind.ANNUAL, built["annual"]))
            out["orebro-interim"] = _render(Spec(Kind.INTERIM, built["interim"]))
            out["orebro-board"] = _render(Spec(Kind.BOARD, built["annual"], built["board"]))
            out["orebro-compilation"] = _render(Spec(Kind.COMPILATION, built["annual"]))
            transaction.set_rollback(True)
        forget()
    return out


DRAFTS = [
    name
    for name in ("nora", "orebro")
    for name in (f"{name}-annual", f"{name}-interim", f"{name}-board", f"{name}-compilation")
]


def _area(page):
    top, right, bottom, left = (m * MM for m in MARGINS)
    return left, page.width - right, top, page.height - bottom


def _body_words(page):
    """The words of the text block, without the running header and footer in the page margins."""
    left, right, top, bottom = _area(page)
    return [w for w in page.words if w["top"] >= top - SLACK and w["bottom"] <= bottom + SLACK]


def _lines(words):
    """The text block's lines, top to bottom, as text."""
    rows = {}
    for word in words:
        rows.setdefault(round(word["top"]), []).append(word)
    return [" ".join(w["text"] for w in sorted(rows[key], key=lambda w: w["x0"])) for key in sorted(rows)]


def test_the_margins_are_those_of_the_stylesheet():
    top, right, bottom, left = MARGINS
    assert f"margin: {top}mm {right}mm {bottom}mm {left}mm;" in CSS.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", [*DRAFTS, "nora-published"])
def test_nothing_lies_outside_the_text_block(rendered, name):
    pdf = rendered[name]
    for number, page in enumerate(pdf.pages, start=1):
        left, right, top, bottom = _area(page)
        for text, x0, x1, y0, y1, _turned in page.chars:
            line = " ".join(w["text"] for w in page.words if abs(w["top"] - y0) < 3)
            assert x0 >= left - SLACK and x1 <= right + SLACK, (
                f"{name} page {number}: {text!r} at x {x0:.1f}–{x1:.1f} in {line!r}"
            )
            # The running header and footer stand in the top and bottom margins, inside the page.
            assert y0 >= 5 * MM and y1 <= page.height - 5 * MM, (
                f"{name} page {number}: {text!r} at y {y0:.1f}"
            )
        for x0, x1, y0, y1 in page.boxes:
            assert x0 >= left - SLACK and x1 <= right + SLACK, (
                f"{name} page {number}: a figure at x {x0:.1f}–{x1:.1f}"
            )
            assert y0 >= top - SLACK and y1 <= bottom + SLACK, (
                f"{name} page {number}: a figure at y {y0:.1f}–{y1:.1f}"
            )
        for word in page.words:
            inside_band = word["top"] >= top - SLACK and word["bottom"] <= bottom + SLACK
            in_margin = word["bottom"] <= top or word["top"] >= bottom
            assert inside_band or in_margin, f"{name} page {number}: {word['text']!r} straddles the margin"


@pytest.mark.parametrize("name", DRAFTS)
def test_a_draft_says_utkast_across_every_page(rendered, name):
    for number, page in enumerate(rendered[name].pages, start=1):
        diagonal = "".join(text for text, *_box, turned in page.chars if turned)
        assert "UTKAST" in diagonal, f"{name} page {number} has no watermark"


def test_a_published_report_has_no_watermark(rendered):
    for page in rendered["nora-published"].pages:
        assert "UTKAST" not in "".join(text for text, *_rest in page.chars)


@pytest.mark.parametrize("name", DRAFTS)
def test_a_judgement_is_never_the_last_line_of_a_page(rendered, name):
    pages = rendered[name].pages
    for number, page in enumerate(pages[:-1], start=1):
        lines = _lines(_body_words(page))
        if lines:
            assert not JUDGED.match(lines[-1]), f"{name} page {number} ends with {lines[-1]!r}"
            headings = [f"{c.goal.number}. {c.goal.title}" for c in rendered[name].report.council_goals]
            assert not any(lines[-1] and h.startswith(lines[-1]) for h in headings), f"{name} page {number}"


@pytest.mark.parametrize("name", ["nora-annual", "nora-interim", "orebro-annual", "orebro-board"])
def test_a_council_goal_starts_a_page_only_when_less_than_a_third_is_left(rendered, name):
    pdf = rendered[name]
    numbers = {c.goal.number for c in pdf.report.council_goals}
    shared = 0
    for index, page in enumerate(pdf.pages):
        left, right, top, bottom = _area(page)
        third = (bottom - top) / 3
        words = _body_words(page)
        starts = [
            w
            for w in words
            if w["size"] > 14 and w["x0"] < left + 2 and w["text"].endswith(".") and w["text"][:-1] in numbers
        ]
        for word in starts:
            if word["top"] <= min(w["top"] for w in words) + SLACK:
                # At the top of its page: the page before had less than a third left.
                before = _body_words(pdf.pages[index - 1])
                if before and index > 2:
                    lowest = max(w["bottom"] for w in before)
                    assert bottom - lowest < third + 12 * MM, (
                        f"{name}: goal {word['text']} on page {index + 1}"
                    )
            else:
                shared += 1
                assert bottom - word["top"] >= third - 12 * MM, f"{name}: goal {word['text']} starts too low"
    assert shared, f"{name}: every council goal starts a page of its own"
