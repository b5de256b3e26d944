"""Every kind of report as a Word document, read back with python-docx: Word's heading styles in the report's
order, the same goal titles, judgements and analyses as the report's data, tables with header rows, charts
with alternative text, the document's language; the download and the command.

Made for Nora and for Örebro (fixtures/municipalities), whose styrmodell differs.
"""

from io import BytesIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import override_settings
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn

from accounts.models import AuditEvent
from followup.models import Assessment
from goals.chain import forget
from goals.models import Goal, Organisation
from reports.data import PUBLISHED, Spec, build_report
from reports.docx import CONTENT_TYPE, report_docx
from reports.models import Kind, ReportLook
from tests.levels import Level
from tests.reports import world as nora
from tests.reports.test_layout import _orebro
from tests.reports.test_look import png

pytestmark = pytest.mark.django_db

KINDS = [
    f"{town}-{kind}" for town in ("nora", "orebro") for kind in ("annual", "interim", "board", "compilation")
]


@pytest.fixture(scope="module")
def made(django_db_setup, django_db_blocker):
    """Every kind of report for Nora and Örebro: (the report's data, the .docx read back), made once."""
    out = {}

    def make(name, spec, **options):
        report = build_report(spec, **options)
        out[name] = (report, Document(BytesIO(report_docx(report))))

    with django_db_blocker.unblock():
        assert "test" in str(connection.settings_dict["NAME"]) or "memory" in str(
            connection.settings_dict["NAME"]
        )
        with transaction.atomic():
            built = nora.build()
            forget()
            bn = Organisation.objects.get(code="BN")
            make("nora-annual", Spec(Kind.ANNUAL, built["annual"]))
            make("nora-interim", Spec(Kind.INTERIM, built["interim"]))
            make("nora-board", Spec(Kind.BOARD, built["annual"], bn))
            make("nora-compilation", Spec(Kind.COMPILATION, built["annual"]))
            make("nora-published", Spec(Kind.ANNUAL, built["annual"]), status=PUBLISHED, version=1)
            transaction.set_rollback(True)
        with transaction.atomic(), override_settings(MUNICIPALITY_NAME="Örebro kommun"):
            built = _orebro()
            make("orebro-annual", Spec(Kind.ANNUAL, built["annual"]))
            make("orebro-interim", Spec(Kind.INTERIM, built["interim"]))
            make("orebro-board", Spec(Kind.BOARD, built["annual"], built["board"]))
            make("orebro-compilation", Spec(Kind.COMPILATION, built["annual"]))
            transaction.set_rollback(True)
        forget()
    return out


def expected_headings(report):
    """(level, text) of the report's headings in the PDF template's order, from the report's data."""
    headings = []
    if report.top:
        headings.append((1, report.top_heading))
        for n, goal in enumerate(report.top):
            headings.append((2, goal.level_name))
            if n == len(report.top) - 1:
                headings.extend((2, name) for name, _rows in report.category_sets)
    headings.append((1, "Översikt"))
    for council in report.council_goals:
        headings.append((1, f"{council.goal.number}. {council.goal.title}"))
        for group in council.boards:
            headings.append((2, group.name))
            for goal in group.goals:
                headings.append((3, f"{goal.number} {goal.title}"))
                headings.extend((4, f"{child.number} {child.title}") for child in goal.children)
    if report.economy is not None:  # god ekonomisk hushållning (tests/reports/test_economy.py)
        headings += [(1, report.economy.heading), (2, "Finansiella mål")]
        headings += [(3, f"{council.goal.number}. {council.goal.title}") for council in report.economy.goals]
        if report.economy.follow_up:
            headings += [(2, "Verksamhetsmål"), (2, "Samlad bedömning")]
    if report.assignments:
        headings.append((1, "Uppdrag från kommunfullmäktige"))
    if report.provenance:
        headings.append((1, "Källor och härkomst"))
        appendix = report.provenance
        headings += [(2, "Importerade filer")] if appendix.files else []
        headings += [(2, "Hämtat från Kolada")] if appendix.kolada_days else []
        headings.append((2, "Ändrade målvärden"))
    if report.follow_up:
        headings.append((1, "Så bedöms målen"))
    return headings


def headings(document):
    return [
        (int(p.style.name.removeprefix("Heading ")), p.text)
        for p in document.paragraphs
        if p.style.name.startswith("Heading ")
    ]


@pytest.mark.parametrize("name", KINDS)
def test_headings_are_words_heading_styles_in_the_reports_order(made, name):
    report, document = made[name]
    found = headings(document)
    assert found == expected_headings(report)
    assert len(report.council_goals) > 0 and sum(level == 1 for level, _text in found) > 2
    title = [p.text for p in document.paragraphs if p.style.name == "Title"]
    assert title == [report.title]


@pytest.mark.parametrize("name", KINDS)
def test_every_goal_title_judgement_and_analysis_is_there_in_order(made, name):
    report, document = made[name]
    texts = [p.text for p in document.paragraphs]
    body = "\n".join(texts)
    # The vision is shown by its text alone, as in the PDF; every other goal by its title.
    for goal in report.all_goals():
        if goal is not report.vision:
            assert goal.title in body
    if not report.follow_up:
        assert not any(t.startswith(("Bedömning: ", "Prognos: ")) for t in texts)
        return
    word = "Bedömning" if report.period_kind == "annual" else "Prognos"
    judged = [t for t in texts if t.startswith(f"{word}: ")]
    goals = [goal for goal in report.all_goals() if goal.judgement]
    assert len(judged) == len(goals)
    for text, goal in zip(judged, goals, strict=True):
        assert text.startswith(f"{word}: {goal.judgement.label}")
        assert f"Beräknat förslag: {goal.judgement.suggestion_word}." in text
    analyses = [t for t in texts if t.startswith("Analys: ")]
    written = [goal.judgement.analysis for goal in goals if goal.judgement.analysis]
    assert written and [t.removeprefix("Analys: ") for t in analyses] == written
    assert f"{report.headline}." in texts


def _rows(table):
    return [[cell.text for cell in row.cells] for row in table.rows]


@pytest.mark.parametrize("name", KINDS)
def test_tables_are_word_tables_with_a_header_row(made, name):
    report, document = made[name]
    tables = document.tables
    assert tables
    for table in tables:
        header = table.rows[0]._tr.trPr
        assert header is not None and header.find(qn("w:tblHeader")) is not None
        assert all(run.bold for cell in table.rows[0].cells for run in cell.paragraphs[0].runs)
    overview = next(_rows(table) for table in tables if table.rows[0].cells[0].text == "Nr")
    assert overview[0][:2] == ["Nr", report.headline_name]
    assert [row[1] for row in overview[1:]] == [c.goal.title for c in report.council_goals]
    if report.follow_up:
        assert overview[0][2:] == ["Bedömning", *(label for _code, label in report.judgement_labels)]
        assert [row[2] for row in overview[1:]] == [c.goal.judgement.label for c in report.council_goals]
    with_indicators = [goal for goal in report.all_goals() if goal.indicators]
    indicator_tables = [_rows(table) for table in tables if table.rows[0].cells[0].text == "Indikator"]
    assert len(tables) == 1 + len(indicator_tables) and len(indicator_tables) == len(with_indicators)
    if report.follow_up:
        header = ["Indikator", *(c.label for c in report.columns), f"Mål {report.year}", "Mot mål, diagram"]
    else:
        header = ["Indikator", "Enhet", "Riktning", "Målvärden"]
    for rows, goal in zip(indicator_tables, with_indicators, strict=True):
        assert rows[0] == header
        names = [row[0].split("\n")[0] for row in rows[1:] if not row[0].startswith("varav ")]
        if report.follow_up:
            assert names == [f"{i.name} ({i.unit})" for i in goal.indicators]
        else:
            assert names == [i.name for i in goal.indicators]


@pytest.mark.parametrize("name", KINDS)
def test_language_and_core_properties(made, name):
    report, document = made[name]
    properties = document.core_properties
    assert properties.language == "sv-SE"
    assert properties.title == report.title
    assert properties.author == report.municipality
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert defaults.find(qn("w:lang")).get(qn("w:val")) == "sv-SE"
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    # Word fills in the table of contents from the headings when the document is opened.
    assert document.settings.element.find(qn("w:updateFields")) is not None
    assert 'TOC \\o "1-3"' in document.element.body.xml


def test_nora_values_are_in_swedish_format(made):
    report, document = made["nora-annual"]
    cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    assert "10 511" in {text.replace("\xa0", " ") for text in cells}
    assert any(text.startswith("Nått") or text.startswith("Ej nått") for text in cells)


@pytest.mark.parametrize("name", [n for n in KINDS if not n.endswith("compilation")])
def test_charts_are_pictures_with_their_values_as_alternative_text(made, name):
    report, document = made[name]
    shapes = list(document.inline_shapes)
    described = [shape._inline.docPr.get("descr") for shape in shapes]
    charted = [
        i for goal in report.all_goals() for i in goal.indicators if any(v is not None for v in i.values)
    ]
    bar = 1 if report.counted else 0
    assert len(shapes) == len(charted) + bar
    assert all(text.startswith("Diagram. ") for text in described)
    if bar:
        parts = "; ".join(f"{label}: {number}" for _code, label, number, _before in report.judgement_parts)
        assert f"Diagram. {parts}." in described


def test_a_draft_says_utkast_on_every_page_and_a_published_report_does_not(made):
    _report, draft = made["nora-annual"]
    _report, published = made["nora-published"]
    assert draft.sections[0].header.paragraphs[0].text == "UTKAST"
    assert "UTKAST" not in published.sections[0].header.paragraphs[0].text
    assert "Status: Fastställd, version 1" in [p.text for p in published.paragraphs]


def test_controller_downloads_word_with_a_swedish_file_name(client, nora_world, people):
    client.force_login(people.controller)
    response = client.get(reverse("reports:docx", args=[nora_world["annual"].pk, "board"]) + "?board=BN")
    assert response.status_code == 200
    assert response["Content-Type"] == CONTENT_TYPE
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert 'filename="namndrapport-arsredovisning-2026-bn-utkast.docx"' in disposition
    document = Document(BytesIO(response.content))
    assert document.core_properties.title == "Nämndrapport 2026 – Bildningsnämnden"
    assert AuditEvent.objects.filter(action="report.export").count() == 1


def test_the_period_page_and_the_preview_offer_word(client, nora_world, people):
    client.force_login(people.controller)
    period = nora_world["annual"].pk
    word = reverse("reports:docx", args=[period, "annual"])
    assert word in client.get(reverse("reports:period", args=[period])).content.decode()
    assert word in client.get(reverse("reports:preview", args=[period, "annual"])).content.decode()


@pytest.mark.parametrize("persona", ["reader", "editor", "outsider"])
def test_only_controllers_download_word(client, nora_world, people, persona):
    client.force_login(getattr(people, persona))
    assert client.get(reverse("reports:docx", args=[nora_world["annual"].pk, "annual"])).status_code == 403


def test_render_report_command_writes_a_readable_word_file(nora_world, tmp_path):
    out = tmp_path / "rapport.bin"
    call_command("render_report", "--kind", "annual", "--year", "2026", "--format", "docx", "--out", str(out))
    document = Document(str(out))
    assert document.core_properties.title == "Årsredovisning 2026 – måluppfyllelse"
    assert ("Heading 1", "Översikt") in [(p.style.name, p.text) for p in document.paragraphs]
    call_command("render_report", "--kind", "interim", "--year", "2026", "--out", str(tmp_path / "d.docx"))
    assert Document(str(tmp_path / "d.docx")).core_properties.language == "sv-SE"


def test_markdown_emblem_and_stray_control_characters(nora_world):
    """A goal's Markdown as Word paragraphs, lists and bold; a PNG emblem with alternative text on the cover;
    a control character stored before the rule refused them does not break the document."""
    goal = Goal.objects.of_level(Level.COUNCIL).in_tree_order()[0]
    goal.description = "Första stycket med **fetstil**.\n\n- ett\n- två"
    goal.save()
    Assessment.objects.filter(goal=goal, period=nora_world["annual"]).update(analysis="Rad ett\x0b\nrad två")
    look = ReportLook.current()
    look.emblem, look.emblem_type = png(), "image/png"
    look.save()
    document = Document(BytesIO(report_docx(build_report(Spec(Kind.ANNUAL, nora_world["annual"])))))
    paragraphs = document.paragraphs
    first = next(p for p in paragraphs if p.text == "Första stycket med fetstil.")
    assert [run.text for run in first.runs if run.bold] == ["fetstil"]
    assert {"ett", "två"} <= {p.text for p in paragraphs if p.style.name == "List Bullet"}
    assert "Analys: Rad ett\nrad två" in [p.text for p in paragraphs]
    cover = list(document.inline_shapes)[0]
    assert cover._inline.docPr.get("descr") == "Nora kommuns vapen eller logotyp"
