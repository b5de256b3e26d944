"""A report's data as an editable Word document (.docx); the only module that imports python-docx.

Built from the same `data.Report` as the HTML and the PDF, in the same order and words as
templates/reports/report.html: the report's title in the Title style, its parts in Heading 1, the boards
under a KF goal in Heading 2, their goals in Heading 3 and the goals under those in Heading 4, so that Word
rebuilds the table of contents from them (the document asks Word to update its fields when opened). Tables are
Word tables with a repeated header row; charts are pictures drawn with Pillow from the same scale as the SVG
charts (reports.charts), each with its values as alternative text. The document's language is sv-SE.
"""

import datetime
from io import BytesIO

from django.template.loader import render_to_string
from docx import Document
from docx.document import _Body
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.image.image import Image as DocxImage
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.shape import CT_Inline
from docx.parts.image import ImagePart
from docx.shared import Mm, Pt, RGBColor
from lxml import html as lxml_html
from PIL import Image, ImageDraw, ImageFont

from goals.markdown import render_markdown
from goals.numbers import format_number
from goals.textinput import strip_control_characters

from . import charts, comparison, docx_provenance
from .data import PUBLISHED
from .docx_economy import write_economy

LANGUAGE = "sv-SE"
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# The charts are drawn at this many pixels per chart unit (a point on the page): 288 dpi, sharp in print.
PIXELS = 4
# How many paragraphs and tables are written before they are moved into the document (see _Writer.add_p).
BATCH = 200
# The SVG charts' font (fonts-dejavu-core, installed for WeasyPrint); Pillow's own font where it is missing.
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def report_docx(report):
    """The report as the bytes of a .docx."""
    document = Document()
    _setup(document, report)
    writer = _Writer(document, report)
    writer.write()
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def _setup(document, report):
    """Language, core properties, A4, fields updated on opening, and "UTKAST" in every page's header."""
    properties = document.core_properties
    properties.title = _clean(report.title)
    properties.author = _clean(report.municipality)
    properties.subject = _clean(report.subtitle)
    properties.keywords = f"måluppfyllelse, {report.year}, {_clean(report.municipality)}"
    properties.language = LANGUAGE
    properties.comments = f"{_clean(report.headline)}. Status: {report.status}."
    properties.created = datetime.datetime.combine(report.made_on, datetime.time(), tzinfo=datetime.UTC)
    properties.last_modified_by = _clean(report.municipality)
    # The language of every run that does not say otherwise: the document defaults and the Normal style.
    defaults = document.styles.element.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_language(run_defaults)
    _set_language(document.styles["Normal"].element.get_or_add_rPr())
    # A4 with the PDF's margins (static/css/report.css @page): python-docx's own template is US Letter.
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.right_margin, section.bottom_margin, section.left_margin = (
        Mm(20), Mm(17), Mm(18), Mm(17),
    )  # fmt: skip
    settings = document.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)
    if report.status != PUBLISHED:
        header = document.sections[0].header.paragraphs[0]
        header.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = header.add_run("UTKAST")
        run.bold = True
        run.font.color.rgb = RGBColor(0xA3, 0x26, 0x1E)


def _set_language(rpr):
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    for attribute in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(attribute), LANGUAGE)


def _clean(text):
    """Text an XML document can hold: without control characters (rows stored before they were refused)."""
    return strip_control_characters(str(text)) if text is not None else ""


def _number(value, decimals):
    return format_number(value, decimals)


class _Writer:
    """Writes the report's parts in the order of the PDF template."""

    def __init__(self, document, report):
        self.document = document
        self.report = report
        self.annual = report.period_kind == "annual"
        self.pictures = 0
        self.body = _Body(OxmlElement("w:body"), document)
        self.pending = 0
        self.style_ids = {}

    # --- Building blocks ----------------------------------------------------------------------------

    def add_p(self, style=None):
        """A new paragraph at the end of the document, in the paragraph style named `style`.

        Paragraphs and tables are written into a detached body and moved into the document's in batches,
        and styles are set by their id: python-docx looks a style up by name and scans the whole body for
        its end at every paragraph, which grows with the square of a large report's length."""
        paragraph = self.body.add_paragraph()
        if style:
            if style not in self.style_ids:
                self.style_ids[style] = self.document.styles[style].style_id
            paragraph._p.style = self.style_ids[style]
        self._added()
        return paragraph

    def _added(self):
        self.pending += 1
        if self.pending >= BATCH:
            self.flush()

    def flush(self):
        """Move what is written so far into the document, before its section properties."""
        end = self.document.element.body.sectPr
        for element in list(self.body._element):
            end.addprevious(element)
        self.pending = 0

    def heading(self, text, level):
        paragraph = self.add_p(f"Heading {level}")
        paragraph.add_run(_clean(text))
        return paragraph

    def paragraph(self, text="", style=None, *, bold=False, italic=False):
        paragraph = self.add_p(style)
        if text:
            run = paragraph.add_run(_clean(text))
            run.bold, run.italic = bold or None, italic or None
        return paragraph

    def table(self, header, rows, *, first_column_header=True):
        """A Word table with `header` as its repeated header row; a row is a list of cells, each a text or
        a callable that fills the cell."""
        table = self.body.add_table(rows=1, cols=len(header), width=self.document._block_width)
        if "Table Grid" not in self.style_ids:
            self.style_ids["Table Grid"] = self.document.styles["Table Grid"].style_id
        table._tbl.tblStyle_val = self.style_ids["Table Grid"]
        self._added()
        head = table.rows[0]
        _repeat_header(head)
        for cell, text in zip(head.cells, header, strict=True):
            cell.paragraphs[0].add_run(_clean(text)).bold = True
        for row in rows:
            cells = table.add_row().cells
            for n, (cell, value) in enumerate(zip(cells, row, strict=True)):
                if callable(value):
                    value(cell)
                else:
                    run = cell.paragraphs[0].add_run(_clean(value))
                    run.bold = (n == 0 and first_column_header) or None
        self.add_p()
        return table

    def picture(self, png, description, *, width, paragraph=None):
        """`png` at `width` points, with `description` as its alternative text.

        Each picture is a part of its own, named and numbered here: python-docx's own `add_picture` looks
        for the next free name and id across the whole document for every picture, which makes a report
        with a thousand charts take a minute."""
        paragraph = paragraph or self.add_p()
        self.pictures += 1
        image = DocxImage.from_blob(png)
        part = ImagePart.from_image(image, PackURI(f"/word/media/image{self.pictures}.png"))
        rid = self.document.part.rels.add_relationship(RT.IMAGE, part, f"rIdImage{self.pictures}").rId
        cx, cy = image.scaled_dimensions(Pt(width), None)
        inline = CT_Inline.new_pic_inline(self.pictures, rid, image.filename, cx, cy)
        inline.docPr.set("descr", _clean(description))
        inline.docPr.set("title", _clean(description))
        paragraph.add_run()._r.add_drawing(inline)
        return inline

    def prose(self, markup):
        """Sanitised HTML (a goal's Markdown, the rule's fixed text) as paragraphs, lists and tables."""
        if not markup.strip():
            return
        root = lxml_html.fragment_fromstring(str(markup), create_parent="div")
        if root.text and root.text.strip():
            self.paragraph(root.text.strip())
        for element in root:
            self._block(element)

    def _block(self, element, list_style="List Bullet"):
        tag = element.tag
        if tag in ("ul", "ol"):
            style = "List Number" if tag == "ol" else "List Bullet"
            for item in element:
                self._block(item, style)
        elif tag == "li":
            self._inline(self.add_p(list_style), element)
        elif tag == "blockquote":
            for child in element:
                if child.tag == "p":
                    self._inline(self.add_p("Quote"), child)
                else:
                    self._block(child, list_style)
        elif tag == "table":
            rows = [[cell.text_content().strip() for cell in row] for row in element.iter("tr")]
            if rows:
                width = max(len(row) for row in rows)
                rows = [row + [""] * (width - len(row)) for row in rows]
                self.table(rows[0], rows[1:], first_column_header=False)
        elif tag in ("h3", "h4", "h5", "h6"):
            # The writer's own headings stay bold text: the document's headings are the report's structure.
            self._inline(self.add_p(), element, bold=True)
        else:
            self._inline(self.add_p(), element)
        if element.tail and element.tail.strip():
            self.paragraph(element.tail.strip())

    def _inline(self, paragraph, element, *, bold=False, italic=False):
        if element.text:
            self._run(paragraph, element.text, bold, italic)
        for child in element:
            if child.tag == "br":
                paragraph.add_run().add_break()
            elif child.tag in ("ul", "ol"):
                for item in child:
                    self._inline(self.add_p("List Bullet 2"), item)
            else:
                self._inline(
                    paragraph, child, bold=bold or child.tag == "strong", italic=italic or child.tag == "em"
                )
            if child.tail:
                self._run(paragraph, child.tail, bold, italic)

    @staticmethod
    def _run(paragraph, text, bold, italic):
        text = _clean(" ".join(text.split("\n")))
        if text:
            run = paragraph.add_run(text)
            run.bold, run.italic = bold or None, italic or None

    # --- The report ---------------------------------------------------------------------------------

    def write(self):
        report = self.report
        self.cover()
        self.contents()
        if report.top:
            self.top()
        self.heading("Översikt", 1)
        self.overview()
        for council in report.council_goals:
            self.council(council)
        if report.economy is not None:
            write_economy(self, report)
        if report.assignments:
            self.heading("Uppdrag från kommunfullmäktige", 1)
            for assignment in report.assignments:
                self.assignment(assignment)
        if report.provenance:
            docx_provenance.write(self, report)
        if report.follow_up:
            self.heading("Så bedöms målen", 1)
            self.prose(render_to_string("reports/includes/legend.html", {"report": report}))
        self.flush()

    def cover(self):
        report = self.report
        if report.emblem and report.emblem_type == "image/png":
            self.picture(report.emblem, f"{report.municipality}s vapen eller logotyp", width=90)
        self.paragraph(report.municipality, bold=True)
        self.add_p("Title").add_run(_clean(report.title))
        self.add_p("Subtitle").add_run(_clean(report.subtitle))
        if report.status == PUBLISHED:
            status = "Fastställd" + (f", version {report.version}" if report.version else "")
        else:
            status = "Utkast"
        facts = [("Datum", report.made_on.isoformat()), ("Status", status)]
        if report.decision:
            facts.append(("Beslut", report.decision))
        if report.board_name:
            facts.append(("Nämnd", f"{report.board_name} ({report.board_code})"))
        for label, value in facts:
            paragraph = self.add_p()
            paragraph.add_run(f"{label}: ").bold = True
            paragraph.add_run(_clean(value))

    def contents(self):
        """ "Innehåll" and a table-of-contents field over Heading 1–3, which Word fills in on opening."""
        self.add_p("TOC Heading").add_run("Innehåll")
        paragraph = self.add_p()
        run = paragraph.add_run()
        begin = OxmlElement("w:fldChar")
        begin.set(qn("w:fldCharType"), "begin")
        begin.set(qn("w:dirty"), "true")
        code = OxmlElement("w:instrText")
        code.set(qn("xml:space"), "preserve")
        code.text = ' TOC \\o "1-3" \\h \\z \\u '
        separate = OxmlElement("w:fldChar")
        separate.set(qn("w:fldCharType"), "separate")
        run._r.extend([begin, code, separate])
        paragraph.add_run("Innehållet fylls i när dokumentet öppnas i Word (eller med Uppdatera fält).")
        end = OxmlElement("w:fldChar")
        end.set(qn("w:fldCharType"), "end")
        paragraph.add_run()._r.append(end)
        self.add_p().add_run().add_break(WD_BREAK.PAGE)

    def top(self):
        report = self.report
        self.heading(report.top_heading, 1)
        for n, goal in enumerate(report.top):
            self.heading(goal.level_name, 2)
            if n == 0:
                self.prose(render_markdown(goal.description))
            else:
                self.paragraph(goal.title, bold=True)
                self.facts(goal)
                self.prose(render_markdown(goal.description))
            if n == len(report.top) - 1:
                for set_name, rows in report.category_sets:
                    self.heading(set_name, 2)
                    for name, description in rows:
                        paragraph = self.add_p()
                        paragraph.add_run(_clean(name)).bold = True
                        if description:
                            paragraph.add_run(": " + _clean(description))
            self.follow_up(goal)

    def overview(self):
        report = self.report
        self.paragraph(f"{report.headline}.", bold=True)
        if not report.follow_up:
            header = ["Nr", report.headline_name]
            if report.overview_category_heading:
                header.append(report.overview_category_heading)
            header.append(report.below_name)
            rows = []
            for council in report.council_goals:
                row = [council.goal.number, council.goal.title]
                if report.overview_category_heading:
                    row.append(council.goal.category_short)
                row.append(str(council.board_goal_count))
                rows.append(row)
            self.table(header, rows, first_column_header=False)
            return
        if report.previous_headline:
            self.paragraph(f"Året före: {report.previous_headline}.")
        parts = report.judgement_parts
        if sum(part[2] for part in parts):
            self.picture(_bar_png(parts), charts.bar_description(parts), width=charts.BAR_WIDTH * 0.9)
        for _code, label, number, before in parts:
            text = f"{label}: {number}" + (f" ({before} året före)" if before is not None else "")
            self.paragraph(text, "List Bullet")
        if report.board_code:
            lead = f"Tabellen visar för varje {report.headline_name} hur {report.board_name}s mål bedöms."
        else:
            lead = (
                "Tabellen visar fullmäktiges bedömning av varje mål och hur "
                f"{report.below_name.lower()} under det bedöms."
            )
        lead += (
            " Bedömningarna avser utfallet för året."
            if self.annual
            else " Bedömningarna är en prognos för helåret."
        )
        self.paragraph(lead)
        labels = [label for _code, label in report.judgement_labels]
        header = ["Nr", report.headline_name, "Bedömning", *labels]
        rows = [
            [
                council.goal.number,
                council.goal.title,
                council.goal.judgement.label,
                *(str(count) for count in council.counts.values()),
            ]
            for council in report.council_goals
        ]
        self.table(header, rows, first_column_header=False)
        whose = f"{report.board_name}s " if report.board_code else ""
        self.paragraph(
            f"Kolumnerna till höger räknar {whose}{report.below_name.lower()} under varje "
            f"{report.headline_name} efter deras bedömning. En bedömning som inte är inlämnad räknas som ej "
            "bedömd."
        )

    def council(self, council):
        goal = council.goal
        self.heading(f"{goal.number}. {goal.title}", 1)
        self.goal_body(goal)
        for group in council.boards:
            self.heading(group.name, 2)
            for board_goal in group.goals:
                self.heading(f"{board_goal.number} {board_goal.title}", 3)
                self.goal_body(board_goal)
                for child in board_goal.children:
                    self.heading(f"{child.number} {child.title}", 4)
                    self.goal_body(child)
        if not council.boards and self.report.follow_up:
            self.paragraph(f"Inga {self.report.below_name.lower()} under detta mål.", italic=True)

    def goal_body(self, goal):
        self.facts(goal)
        if goal.description:
            self.prose(render_markdown(goal.description))
        self.follow_up(goal)

    def facts(self, goal):
        parts = []
        if goal.show_owner:
            parts.append(f"Ansvarig: {goal.owner_name} ({goal.owner_code})")
        if goal.decision:
            parts.append(f"Beslut: {goal.decision}")
        text = " · ".join(parts)
        if goal.valid_from or goal.valid_to:
            text += f" · Giltigt: {goal.valid_from or ''}–{goal.valid_to or ''}"
        for set_name, names in goal.categories:
            text += f" · {set_name}: {', '.join(names)}"
        if text:
            self.paragraph(text.removeprefix(" · "), italic=True)

    def follow_up(self, goal):
        """A goal's judgement, history, indicators, activities and assignments (goal_follow_up.html)."""
        report = self.report
        judgement = goal.judgement
        if judgement:
            paragraph = self.add_p()
            word = "Bedömning" if self.annual else "Prognos"
            text = f"{word}: {judgement.label}"
            if judgement.stated and not judgement.approved:
                text += " (inlämnad, inte godkänd)"
            elif not judgement.stated and judgement.state:
                text += " (bedömningen är inte inlämnad)"
            paragraph.add_run(_clean(text + ".")).bold = True
            paragraph.add_run(f" Beräknat förslag: {judgement.suggestion_word}.")
            if judgement.analysis:
                analysis = self.add_p()
                for n, line in enumerate(_clean(f"Analys: {judgement.analysis}").splitlines()):
                    if n:
                        analysis.add_run().add_break()
                    analysis.add_run(line)
            if goal.history:
                earlier = "år" if self.annual else "delår"
                words = " · ".join(f"{label} {word.lower()}" for label, _code, word in goal.history)
                self.paragraph(f"Tidigare {earlier}: {words}.")
        if goal.indicators:
            if report.follow_up:
                self.indicator_table(goal)
            else:
                self.target_table(goal)
        if goal.activities:
            self.paragraph("Aktiviteter", bold=True)
            for activity in goal.activities:
                if report.follow_up:
                    when = activity.status_label
                elif activity.start_date or activity.end_date:
                    start = activity.start_date.isoformat() if activity.start_date else ""
                    end = activity.end_date.isoformat() if activity.end_date else ""
                    when = f"{start}–{end}"
                else:
                    when = "tid ej angiven"
                text = f"{activity.title} – {when} · Ansvarig: {activity.responsible or activity.owner_code}"
                if activity.comment:
                    text += f". {activity.comment}"
                self.paragraph(text, "List Bullet")
        if goal.assignments:
            self.paragraph("Uppdrag från kommunfullmäktige", bold=True)
            for assignment in goal.assignments:
                self.assignment(assignment)

    def indicator_table(self, goal):
        report = self.report
        header = [
            "Indikator",
            *(column.label for column in report.columns),
            f"Mål {report.year}",
            "Mot mål, diagram",
        ]
        rows = []
        for indicator in goal.indicators:
            notes = []
            if indicator.from_kolada:
                notes.append("Källa: Kolada" + (f" ({indicator.kolada_kpi})" if indicator.kolada_kpi else ""))
            name = _name_cell(f"{indicator.name} ({indicator.unit})", notes)
            target = indicator.target_text or "–"
            if indicator.target_year and indicator.target_year != report.year:
                target += f" ({indicator.target_year})"
            values = [
                _number(v.total if v else None, indicator.decimals) + ("*" if v and v.marked else "")
                for v in indicator.values
            ]
            rows.append([name, *values, target, self._signal_cell(indicator)])
            if indicator.gender_split:
                for label, attribute in (("varav kvinnor", "women"), ("varav män", "men")):
                    split = [
                        _number(getattr(v, attribute) if v else None, indicator.decimals)
                        for v in indicator.values
                    ]
                    rows.append([label, *split, "", ""])
        self.table(header, rows)
        for indicator in goal.indicators:
            if indicator.target_note:
                self.paragraph(f"{indicator.name}: {indicator.target_note}", italic=True)
        for comparison_header, comparison_rows in comparison.tables(goal, report):  # Kolada's comparison
            self.table(comparison_header, comparison_rows)
        for note in comparison.footnotes(goal):
            self.paragraph(note, italic=True)

    def _signal_cell(self, indicator):
        series = charts.indicator_series(indicator, self.report.columns)

        def fill(cell):
            paragraph = cell.paragraphs[0]
            paragraph.add_run(indicator.signal_word)
            if any(value is not None for value in series["values"]):
                paragraph.add_run().add_break()
                self.picture(
                    _chart_png(series), charts.describe(**series), width=charts.WIDTH, paragraph=paragraph
                )

        return fill

    def target_table(self, goal):
        rows = []
        for indicator in goal.indicators:
            notes = [f"Kolada {indicator.kolada_kpi}"] if indicator.kolada_kpi else []
            if indicator.gender_split:
                notes.append("Redovisas för kvinnor och män")
            name = _name_cell(indicator.name, notes)
            direction = "Lägre är bättre" if indicator.direction == "lower" else "Högre är bättre"
            rows.append([name, indicator.unit, direction, " · ".join(indicator.targets) or "–"])
        self.table(["Indikator", "Enhet", "Riktning", "Målvärden"], rows)

    def assignment(self, assignment):
        text = assignment.title
        if self.report.follow_up:
            text += f" – {assignment.status_label}"
        text += f" · Ansvarig: {assignment.owner_name} ({assignment.owner_code})"
        if assignment.decision:
            text += f" · Beslut: {assignment.decision}"
        if assignment.due_date:
            text += f" · Förfallodatum: {assignment.due_date.isoformat()}"
        if assignment.goal_title:
            text += f" · Mål: {assignment.goal_title}"
        self.paragraph(text, "List Bullet")
        if self.report.follow_up:
            for period, label, comment in assignment.statuses:
                self.paragraph(f"{period}: {label}" + (f". {comment}" if comment else ""), "List Bullet 2")


def _name_cell(name, notes):
    """A row's first cell: the indicator's name in bold, each note on a line of its own in small type."""

    def fill(cell):
        paragraph = cell.paragraphs[0]
        paragraph.add_run(_clean(name)).bold = True
        for note in notes:
            paragraph.add_run().add_break()
            paragraph.add_run(_clean(note)).font.size = Pt(8)

    return fill


def _repeat_header(row):
    """Mark a table's first row as its header, repeated at the top of each page."""
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


# --- Charts as pictures: the SVG charts' shapes (reports.charts), drawn with Pillow -------------------


def _font(size):
    try:
        return ImageFont.truetype(FONT, size)
    except OSError:
        return ImageFont.load_default(size)


def _png(image):
    out = BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _rgb(colour):
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))


def _chart_png(series):
    """An indicator's line chart: its values, the dashed target line and the first and latest values."""
    values, target = series["values"], series["target"]
    x, y = charts.scale(values, target)
    height = charts.HEIGHT + charts.LABELS
    image = Image.new("RGB", (charts.WIDTH * PIXELS, height * PIXELS), "white")
    draw = ImageDraw.Draw(image)

    def at(index, value):
        return float(x(index)) * PIXELS, float(y(value)) * PIXELS

    if target is not None:
        level = float(y(target)) * PIXELS
        for start in range(0, charts.WIDTH * PIXELS, 5 * PIXELS):
            dash = [(start, level), (start + 3 * PIXELS, level)]
            draw.line(dash, fill=_rgb(charts.TARGET_COLOUR), width=PIXELS)
    points = [(i, v) for i, v in enumerate(values) if v is not None]
    for (i, a), (j, b) in zip(points, points[1:], strict=False):
        if j == i + 1:
            draw.line([at(i, a), at(j, b)], fill=_rgb(charts.LINE_COLOUR), width=int(1.2 * PIXELS))
    for index, value in points:
        colour = charts.CURRENT_COLOUR if index == len(values) - 1 else charts.LINE_COLOUR
        cx, cy = at(index, value)
        half = charts.DOT * PIXELS
        draw.rectangle([cx - half, cy - half, cx + half, cy + half], fill=_rgb(colour))
    font = _font(7 * PIXELS)
    decimals = series["decimals"]
    baseline = (height - 1) * PIXELS
    (first_index, first), (last_index, last) = points[0], points[-1]
    colour = _rgb(charts.LABEL_COLOUR)
    if first_index != last_index:
        draw.text((0, baseline), format_number(first, decimals), font=font, fill=colour, anchor="ls")
    right = charts.WIDTH * PIXELS
    draw.text((right, baseline), format_number(last, decimals), font=font, fill=colour, anchor="rs")
    return _png(image)


def _bar_png(parts):
    """The overview's stacked bar by judgement, each part wide enough carrying its number."""
    scale = 2
    total = sum(part[2] for part in parts)
    image = Image.new("RGB", (charts.BAR_WIDTH * scale, charts.BAR_HEIGHT * scale), "white")
    draw = ImageDraw.Draw(image)
    font = _font(11 * scale)
    left = 0.0
    for code, _label, number, *_rest in parts:
        if not number:
            continue
        width = charts.BAR_WIDTH * number / total
        colour = _rgb(charts.JUDGEMENT_COLOURS.get(code, "#8f989f"))
        draw.rectangle([left * scale, 0, (left + width) * scale, charts.BAR_HEIGHT * scale], fill=colour)
        if width >= 14:
            centre = ((left + width / 2) * scale, charts.BAR_HEIGHT * scale / 2)
            draw.text(centre, str(number), font=font, fill=(255, 255, 255), anchor="mm")
        left += width
    return _png(image)
