"""The top of the chain's follow-up and the council's assignments, as the PDF prints them."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from pypdf import PdfReader

from followup import services
from followup.models import Assessment, IndicatorValue
from followup.wording import judgement_label
from goals import assignments
from goals.models import Assignment, Goal, Indicator, Organisation, Target
from reports.data import Spec, build_report
from reports.models import Kind
from reports.output import report_pdf
from tests.levels import Level
from tests.reports import world as nora

pytestmark = pytest.mark.django_db


def pdf_text(report):
    reader = PdfReader(BytesIO(report_pdf(report).data))
    return " ".join(" ".join(page.extract_text().replace("\xa0", " ").split()) for page in reader.pages)


@pytest.fixture
def chain(db):
    built = nora.build()
    annual = built["annual"]
    vision = Goal.objects.get(level_kind=Level.VISION)
    indicator = Indicator.objects.create(
        goal=vision, name="Nöjd region-index", unit="index", decimals=0, owner=vision.owner
    )
    Target.objects.create(indicator=indicator, from_year=2026, to_year=2026, value=60, tolerance=2)
    IndicatorValue.objects.create(indicator=indicator, period=annual, total=Decimal("61"))
    Assessment.objects.create(
        goal=vision, period=annual, judgement=Assessment.Judgement.MET, analysis="Visionen håller.",
        state=Assessment.State.APPROVED,
    )  # fmt: skip
    bn = Organisation.objects.get(code="BN")
    ks = Organisation.objects.get(code="KS")
    loose = assignments.save_assignment(
        Assignment(title="Utred skolskjutsarna", owner=bn, decision="KF § 12 2026-02-17")
    )
    kf_goal = Goal.objects.filter(level_kind=Level.COUNCIL).order_by("lft").first()
    on_goal = assignments.save_assignment(
        Assignment(title="Plan för fler lärare", owner=bn, goal=kf_goal, due_date=date(2026, 12, 31))
    )
    assignments.save_assignment(Assignment(title="Översyn av taxorna", owner=ks))
    services.set_assignment_status(built["interim"], loose, "ongoing", "Utredaren är anlitad.")
    services.set_assignment_status(annual, loose, "done", "Rapporten är lämnad.")
    services.set_assignment_status(annual, on_goal, "delayed")
    return {**built, "vision": vision}


def test_annual_report_shows_the_visions_indicator_and_judgement(chain):
    report = build_report(Spec(Kind.ANNUAL, chain["annual"]))
    vision = report.top[0]
    assert [i.name for i in vision.indicators] == ["Nöjd region-index"]
    assert vision.judgement.stated
    text = pdf_text(report)
    assert "Nöjd region-index (index)" in text
    assert "≥ 60 ± 2" in text and "Nått" in text
    assert f"Bedömning: {judgement_label('annual', 'met')}" in text and "Analys: Visionen håller." in text
    assert chain["vision"].level_name in text  # the styrmodell's own name for the level


def test_annual_report_lists_assignments_with_status_per_period(chain):
    report = build_report(Spec(Kind.ANNUAL, chain["annual"]))
    assert {a.title for a in report.assignments} == {"Utred skolskjutsarna", "Översyn av taxorna"}
    text = pdf_text(report)
    assert "Uppdrag från kommunfullmäktige" in text
    assert "Utred skolskjutsarna – Genomförd" in text and "Beslut: KF § 12 2026-02-17" in text
    assert "Utredaren är anlitad." in text and "Rapporten är lämnad." in text
    assert "Plan för fler lärare – Försenad" in text and "Förfallodatum: 2026-12-31" in text
    assert "Översyn av taxorna – Ingen status rapporterad" in text


def test_board_report_shows_only_the_boards_assignments(chain):
    bn = Organisation.objects.get(code="BN")
    report = build_report(Spec(Kind.BOARD, chain["annual"], bn))
    assert [a.title for a in report.assignments] == ["Utred skolskjutsarna"]
    text = pdf_text(report)
    assert "Utred skolskjutsarna" in text and "Plan för fler lärare" in text
    assert "Översyn av taxorna" not in text


def test_interim_report_shows_the_status_so_far(chain):
    report = build_report(Spec(Kind.INTERIM, chain["interim"]))
    row = next(a for a in report.assignments if a.title == "Utred skolskjutsarna")
    assert row.status_label == "Pågående" and len(row.statuses) == 1


def test_start_page_shows_the_top_goals_indicators_with_targets(client, chain):
    page = " ".join(client.get("/").content.decode().split())
    assert "Nöjd region-index" in page and "2026: ≥ 60" in page
