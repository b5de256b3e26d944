"""The annual report as a PDF: text, table of contents, tagging, language, metadata, fonts and page size."""

import re

import pytest
from pypdf.generic import DictionaryObject, NameObject

from tests.reports.world import analysis_for

# Marked so that pytest-django sets up the test database for the module-scoped PDF (see conftest.py).
pytestmark = pytest.mark.django_db


def normalised(text):
    """Text with every run of whitespace (no-break spaces too) as one space."""
    return " ".join(text.replace("\xa0", " ").replace("\u202f", " ").split())


def page_texts(reader):
    return [normalised(page.extract_text()) for page in reader.pages]


def test_pdf_text_has_every_council_goal_judgement_and_analysis(annual_pdf):
    text = normalised(" ".join(page_texts(annual_pdf.reader)))
    for council in annual_pdf.report.council_goals:
        assert normalised(f"{council.goal.number}. {council.goal.title}") in text
        assert f"Bedömning: {council.goal.judgement.label}" in text
    for n in range(1, 12):
        assert analysis_for(n) in text
    assert "Bedömning: Delvis uppfyllt" in text
    assert "Tryggheten har ökat men behörigheten ligger under målet." in text
    assert "8 av 11 KF-mål uppfyllda." in text


def test_pdf_shows_values_in_swedish_format_with_sources_and_activity_status(annual_pdf):
    text = normalised(" ".join(page_texts(annual_pdf.reader)))
    # Population (Kolada, thousands grouped by a space), a share with a decimal comma, women and men.
    for expected in ("10 400", "10 511", "≥ 13 000 (2030)", "81,5", "84,5", "85,0", "90,3", "92,5", "88,0"):
        assert expected in text, expected
    # A stored 90.25 of a one-decimal indicator is printed at its decimals.
    assert "90,25" not in text
    assert "Källa: Kolada (N01951)" in text and "Källa: Kolada (N15428)" in text
    assert "varav kvinnor" in text and "varav män" in text
    assert "Genomförd" in text and "Försenad" in text
    assert "10400" not in text and "81.5" not in text


def test_every_page_but_the_cover_has_the_running_header(annual_pdf):
    texts = page_texts(annual_pdf.reader)
    count = len(texts)
    assert "Sida" not in texts[0]
    for number, text in enumerate(texts[1:], start=2):
        assert f"Sida {number} av {count}" in text
        assert "Årsredovisning 2026 – måluppfyllelse" in text
        assert "Utkast" in text


def test_table_of_contents_page_numbers_match_where_sections_start(annual_pdf):
    texts = page_texts(annual_pdf.reader)
    toc = texts[1]
    assert toc.startswith("Innehåll") or "Innehåll" in toc
    entries = [("Vision och övergripande mål", "Vision och övergripande mål"), ("Översikt", "Översikt")]
    entries += [(f"{c.goal.number}. {c.goal.title}",) * 2 for c in annual_pdf.report.council_goals]
    entries.append(("Så bedöms målen", "Så bedöms målen"))
    for entry, heading in entries:
        match = re.search(re.escape(normalised(entry)) + r"[ .]*?(\d+)(?!\d)", toc)
        assert match, f"{entry!r} is not in the table of contents"
        listed = int(match.group(1))
        # The first page after the contents on which the section's heading stands.
        found = next(n for n, text in enumerate(texts[2:], start=3) if normalised(heading) in text)
        assert listed == found, f"{entry!r}: contents say page {listed}, the section starts on page {found}"


def test_pdf_is_tagged_in_swedish_with_a_title(annual_pdf):
    reader = annual_pdf.reader
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"] in (True, "true")
    assert root["/Lang"] == "sv"
    assert reader.metadata.title == "Årsredovisning 2026 – måluppfyllelse – Nora kommun"
    assert reader.metadata.author == "Nora kommun"
    # Headings, tables and figures (the charts, with their alternative text) are in the structure tree.
    kinds, alts = set(), []
    stack = [root["/StructTreeRoot"]]
    while stack:
        node = stack.pop().get_object()
        if not isinstance(node, DictionaryObject):
            continue  # a marked-content id
        if "/S" in node:
            kinds.add(node["/S"])
        if "/Alt" in node:
            alts.append(str(node["/Alt"]))
        kids = node.get("/K")
        if kids is not None:
            stack.extend(kids if isinstance(kids, list) else [kids])
    assert {"/H1", "/H2", "/H4", "/Table", "/TH", "/TD", "/Figure"} <= kinds
    assert any(alt.startswith("Diagram. Utfall 2023: 81,5") for alt in alts)


def test_pdf_is_a4_with_embedded_fonts(annual_pdf):
    reader = annual_pdf.reader
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width - 595.28) < 1 and abs(height - 841.89) < 1
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            described = descendants[0].get_object() if descendants else font
            descriptor = described["/FontDescriptor"].get_object()
            fonts[str(font["/BaseFont"])] = any(
                NameObject(key) in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
            )
    assert fonts and all(fonts.values()), fonts
    assert all("DejaVu" in name for name in fonts)
