"""God ekonomisk hushållning: the council's financial goals, the verksamhetsmål's outcome and the
controller's summary judgement, read back from the annual and interim PDFs and Word documents; who may
write the summary; the board report's title; the Excel export's widths, frozen headers and Swedish words."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.db import connection, transaction
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from followup.models import Assessment, AssignmentStatus, IndicatorValue
from goals import tree
from goals.chain import forget
from goals.models import Assignment, Goal, Indicator, Organisation, Target
from reports.data import PUBLISHED, Spec, build_report
from reports.docx import report_docx
from reports.models import Kind, ReportLook
from reports.output import report_pdf
from reports.summary import EconomySummary, write_summary
from reports.workbook import build_workbook
from tests.levels import Level
from tests.matrix import make_user
from tests.reports import world as nora
from tests.reports.test_pdf import normalised

pytestmark = pytest.mark.django_db

J, S = Assessment.Judgement, Assessment.State
RESULT_GOAL = "Resultatet ska uppgå till minst 2 % av skatteintäkter och generella statsbidrag"
SOLIDITY_GOAL = "Soliditeten ska förbättras"
ANNUAL_SUMMARY = "Kommunen har haft en god ekonomisk hushållning 2026: resultatmålet är nått."
INTERIM_SUMMARY = "Prognosen visar att kommunen når en god ekonomisk hushållning 2026."


def add_financial_goals(built):
    """Two financial goals of the council under Nora's overarching goal, with values and judgements."""
    overarching = Goal.objects.get(level_kind=Level.OVERARCHING)
    council = Organisation.objects.get(code="KF")
    periods, interim = built["periods"], built["interim"]
    goals = []
    for title, name, decimals, values, target, judgement in (
        (RESULT_GOAL, "Resultat i procent av skatteintäkter", 1, ("1.4", "1.8", "2.3", "2.6"), "2.0", J.MET),
        (SOLIDITY_GOAL, "Soliditet inklusive pensionsförpliktelser", 1, ("17.2", "18.0", "18.9", "19.4"),
         "20.0", J.PARTLY_MET),
    ):  # fmt: skip
        goal = tree.create_goal(
            parent=overarching, title=title, owner=council, level_kind=Level.COUNCIL, is_financial=True
        )
        indicator = Indicator.objects.create(
            goal=goal, owner=council, name=name, unit="%", decimals=decimals, direction="higher"
        )
        Target.objects.create(indicator=indicator, from_year=2023, to_year=2027, value=Decimal(target))
        for year, value in zip(sorted(periods), values, strict=True):
            IndicatorValue.objects.create(indicator=indicator, period=periods[year], total=Decimal(value))
        IndicatorValue.objects.create(indicator=indicator, period=interim, total=Decimal(values[-1]))
        Assessment.objects.create(
            goal=goal, period=periods[2026], judgement=judgement, state=S.APPROVED,
            analysis=f"Analys av det finansiella målet: {name.lower()} följs månadsvis.",
        )  # fmt: skip
        Assessment.objects.create(
            goal=goal,
            period=interim,
            judgement=J.MET,
            state=S.APPROVED,
            analysis="Prognos: nås vid årets slut.",
        )
        goals.append(goal)
    return goals


def built_world():
    built = nora.build()
    forget()
    add_financial_goals(built)
    controller = make_user("controller_geh")
    controller.is_superuser = True
    controller.save()
    write_summary(built["annual"], "Första utkastet.", controller)
    write_summary(built["annual"], ANNUAL_SUMMARY, controller)
    write_summary(built["interim"], INTERIM_SUMMARY, controller)
    return built


@pytest.fixture(scope="module")
def made(django_db_setup, django_db_blocker):
    """The annual and interim reports with financial goals, as data, PDF text and Word text, made once."""
    out = {}
    with django_db_blocker.unblock(), transaction.atomic():
        name = str(connection.settings_dict["NAME"])
        assert "test" in name or "memory" in name, f"not a test database: {name}"
        built = built_world()
        for kind, period in (("annual", built["annual"]), ("interim", built["interim"])):
            report = build_report(Spec(kind, period))
            reader = PdfReader(BytesIO(report_pdf(report).data))
            pdf = normalised(" ".join(page.extract_text() for page in reader.pages))
            document = Document(BytesIO(report_docx(report)))
            cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
            out[kind] = (report, pdf, [p.text for p in document.paragraphs], cells)
        # A draft without a summary judgement, and a published one.
        EconomySummary.objects.all().delete()
        out["missing"] = build_report(Spec("annual", built["annual"]))
        out["missing-docx"] = [p.text for p in Document(BytesIO(report_docx(out["missing"]))).paragraphs]
        out["published"] = build_report(Spec("annual", built["annual"]), status=PUBLISHED, version=1)
        transaction.set_rollback(True)
    return out


def test_financial_goals_have_their_own_section_and_leave_the_overview_count(made):
    report, *_texts = made["annual"]
    assert [c.goal.title for c in report.economy.goals] == [RESULT_GOAL, SOLIDITY_GOAL]
    assert [c.goal.number for c in report.economy.goals] == ["F1", "F2"]
    # The verksamhetsmål are counted as before: the eleven KF goals, not the two financial goals.
    assert report.headline == "8 av 11 KF-mål uppfyllda"
    assert RESULT_GOAL not in [c.goal.title for c in report.council_goals]
    assert {g.title for g in report.all_goals()} >= {RESULT_GOAL, SOLIDITY_GOAL}
    assert report.economy.summary.text == ANNUAL_SUMMARY  # the latest version


@pytest.mark.parametrize("kind", ["annual", "interim"])
def test_the_pdf_and_the_word_document_carry_the_section(made, kind):
    report, pdf, paragraphs, cells = made[kind]
    heading = "God ekonomisk hushållning" if kind == "annual" else "Prognos för god ekonomisk hushållning"
    word = " ".join(paragraphs)
    summary = ANNUAL_SUMMARY if kind == "annual" else INTERIM_SUMMARY
    for text in (heading, "Finansiella mål", "Verksamhetsmål", "Samlad bedömning", summary,
                 f"F1. {RESULT_GOAL}", f"F2. {SOLIDITY_GOAL}", report.headline):  # fmt: skip
        assert text in pdf, text
        assert text in word, text
    assert heading in paragraphs and "Samlad bedömning" in paragraphs
    # Values in Swedish format: decimal comma, the target as decided.
    for text in ("2,6", "19,4", "≥ 2,0", "≥ 20,0"):
        assert text in pdf.replace("\xa0", " "), text
        assert any(text in cell.replace("\xa0", " ") for cell in cells), text
    if kind == "annual":
        assert "Bedömning: Delvis uppfyllt" in word and "Analys av det finansiella målet" in pdf
        assert "Utfallet för verksamhetsmålen, räknat som i översikten: 8 av 11 KF-mål uppfyllda." in word
    else:
        assert "Prognosen för verksamhetsmålen" in pdf and "11 av 11 KF-mål bedöms uppfyllas" in word


def test_same_order_in_pdf_and_word(made):
    _report, pdf, paragraphs, _cells = made["annual"]
    marks = ["God ekonomisk hushållning", f"F1. {RESULT_GOAL}", f"F2. {SOLIDITY_GOAL}", "Verksamhetsmål",
             "Samlad bedömning", ANNUAL_SUMMARY]  # fmt: skip
    # The contents list names the section too: start at its heading just before the first financial goal.
    start = pdf.rindex("God ekonomisk hushållning", 0, pdf.index(f"F1. {RESULT_GOAL}"))
    positions = [pdf.index(mark, start) for mark in marks]
    assert positions == sorted(positions)
    word = "\n".join(paragraphs)
    start = word.index("\nGod ekonomisk hushållning\n")
    positions = [word.index(mark, start) for mark in marks]
    assert positions == sorted(positions)


def test_a_draft_without_a_summary_says_it_is_missing_and_a_published_report_does_not(made):
    missing, published = made["missing"], made["published"]
    assert missing.economy.summary is None
    assert any(t.startswith("Den samlade bedömningen är inte skriven") for t in made["missing-docx"])
    html = _html(missing)
    assert "Den samlade bedömningen är inte skriven" in html
    assert "Den samlade bedömningen är inte skriven" not in _html(published)


def _html(report):
    from django.template.loader import render_to_string

    return render_to_string("reports/report.html", {"report": report, "stylesheet": ""})


def test_the_section_is_in_neither_board_report_nor_a_compilation_without_financial_goals(nora_world):
    bn = Organisation.objects.get(code="BN")
    assert build_report(Spec(Kind.BOARD, nora_world["annual"], bn)).economy is None
    assert build_report(Spec(Kind.COMPILATION, nora_world["annual"])).economy is None
    annual = build_report(Spec(Kind.ANNUAL, nora_world["annual"]))
    assert annual.economy.goals == [] and "inte beslutat några finansiella mål" in _html(annual)


# --- The summary judgement's page --------------------------------------------------------------------


def summary_url(period):
    return reverse("reports:economy_summary", args=[period.pk])


def test_a_controller_writes_the_summary_and_its_history_is_kept(client, nora_world, people):
    client.force_login(people.controller)
    period = nora_world["annual"]
    assert client.get(summary_url(period)).status_code == 200
    client.post(summary_url(period), {"text": "Första versionen."})
    response = client.post(summary_url(period), {"text": "  Andra versionen.  "}, follow=True)
    assert response.status_code == 200
    rows = list(EconomySummary.objects.filter(period=period).order_by("written_at", "pk"))
    assert [r.text for r in rows] == ["Första versionen.", "Andra versionen."]
    assert {r.written_by for r in rows} == {people.controller}
    page = response.content.decode()
    assert "Första versionen." in page and "Andra versionen." in page  # the history, newest first
    assert page.index("Andra versionen.") < page.index("Första versionen.")
    report = build_report(Spec(Kind.ANNUAL, period))
    assert report.economy.summary.text == "Andra versionen."
    assert report.economy.summary.written_by == "Controller"
    # An empty text is refused in Swedish, and nothing is saved.
    response = client.post(summary_url(period), {"text": "  "}, HTTP_ACCEPT_LANGUAGE="sv")
    assert "Skriv den samlade bedömningen" in response.content.decode()
    assert EconomySummary.objects.filter(period=period).count() == 2


@pytest.mark.parametrize("persona", ["reader", "editor", "outsider"])
def test_only_controllers_write_the_summary(client, nora_world, people, persona):
    client.force_login(getattr(people, persona))
    period = nora_world["annual"]
    assert client.get(summary_url(period)).status_code == 403
    assert client.post(summary_url(period), {"text": "Inte min att skriva."}).status_code == 403
    assert not EconomySummary.objects.exists()


def test_the_period_page_links_to_the_summary(client, nora_world, people):
    client.force_login(people.controller)
    page = client.get(reverse("reports:period", args=[nora_world["annual"].pk])).content.decode()
    assert summary_url(nora_world["annual"]) in page


# --- Item 7: the board report's title, and the Excel export ------------------------------------------


def test_the_board_report_is_titled_as_the_municipality_chooses(client, nora_world, people):
    bn = Organisation.objects.get(code="BN")
    spec = Spec(Kind.BOARD, nora_world["annual"], bn)
    assert build_report(spec).title == "Nämndrapport 2026 – Bildningsnämnden"  # the default as before
    client.force_login(people.admin)
    response = client.post(
        reverse("reports:look"), {"colour": "#0b3d5c", "board_title": "Verksamhetsberättelse"}
    )
    assert response.status_code == 302
    assert ReportLook.current().board_title == "Verksamhetsberättelse"
    assert build_report(spec).title == "Verksamhetsberättelse 2026 – Bildningsnämnden"
    ReportLook.objects.update(board_title="Nämndens måluppföljning")
    assert build_report(spec).title == "Nämndens måluppföljning 2026 – Bildningsnämnden"
    # Other kinds keep their titles.
    assert (
        build_report(Spec(Kind.ANNUAL, nora_world["annual"])).title == "Årsredovisning 2026 – måluppfyllelse"
    )


@pytest.mark.parametrize("kind", [Kind.ANNUAL, Kind.INTERIM, Kind.BOARD, Kind.COMPILATION])
def test_every_kind_carries_the_councils_assignments_with_status(nora_world, kind):
    council_goal = Goal.objects.filter(level_kind=Level.COUNCIL).order_by("lft").first()
    bn = Organisation.objects.get(code="BN")
    assignment = Assignment.objects.create(
        title="Utreda en ny förskola i Gyttorp", owner=bn, goal=council_goal, due_date=date(2026, 12, 31)
    )
    AssignmentStatus.objects.create(assignment=assignment, period=nora_world["annual"], status="ongoing")
    AssignmentStatus.objects.create(assignment=assignment, period=nora_world["interim"], status="ongoing")
    period = nora_world["interim"] if kind == Kind.INTERIM else nora_world["annual"]
    report = build_report(Spec(kind, period, bn if kind == Kind.BOARD else None))
    html = _html(report)
    assert "Utreda en ny förskola i Gyttorp" in html
    if kind != Kind.COMPILATION:
        assert "Pågående" in html
    book = load_workbook(BytesIO(build_workbook(report)))
    rows = list(book["Uppdrag"].iter_rows(values_only=True))
    assert rows[0][:3] == ("Mål nr", "Mål", "Uppdrag")
    [row] = rows[1:]
    assert row[2] == "Utreda en ny förskola i Gyttorp"
    assert (row[6] or "") == ("" if kind == Kind.COMPILATION else "Pågående")


def test_the_excel_export_has_widths_frozen_headers_and_swedish_words(nora_world):
    Assessment.objects.filter(period=nora_world["annual"]).update(state=S.SUBMITTED)
    report = build_report(Spec(Kind.ANNUAL, nora_world["annual"]))
    book = load_workbook(BytesIO(build_workbook(report)))
    for name in ("Mål", "Indikatorer", "Aktiviteter", "Uppdrag"):
        sheet = book[name]
        assert sheet.freeze_panes == "A2", name
        widths = [sheet.column_dimensions[letter].width for letter in "ABC"]
        assert all(width and width >= 8 for width in widths), (name, widths)
    assert book["Mål"].column_dimensions["C"].width == 50  # the goal's title
    goals = list(book["Mål"].iter_rows(values_only=True))
    states = {row[7] for row in goals[1:]} - {None, ""}
    assert states == {"Inskickad"}  # Swedish, not "submitted", even in an English session
    judgements = {row[6] for row in goals[1:]} - {None, ""}
    assert judgements <= {"Uppfyllt", "Delvis uppfyllt", "Ej uppfyllt", "Ej bedömt"}
    assert book["Rapport"]["B5"].value == "Utkast"


def test_excel_words_stay_swedish_in_an_english_session(nora_world):
    from django.utils import translation

    report = build_report(Spec(Kind.ANNUAL, nora_world["annual"]))
    with translation.override("en"):
        book = load_workbook(BytesIO(build_workbook(report)))
    states = {row[7] for row in list(book["Mål"].iter_rows(values_only=True))[1:]} - {None, ""}
    assert states and states <= {"Utkast", "Inskickad", "Godkänd"}
