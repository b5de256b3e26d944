"""Hostile uploads: spreadsheet bombs, deep JSON, values that do not fit the column, control characters.

Each is refused with a message, within bounded work, and nothing is written. The files are built here,
small on disk; what the old code did with them (minutes of CPU, gigabytes of memory) is in docs/imports.md.
"""

import io
import json
import zipfile
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Membership
from followup import kolada, spreadsheet
from followup.imports import SkipReason
from followup.models import IndicatorValue, ReportingPeriod
from goals.models import Goal
from tests import factories
from tests.levels import Level

CONTENT_TYPES = b"""<?xml version="1.0" encoding="UTF-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml"
 ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml"
 ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
</Types>"""
ROOT_RELS = b"""<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Target="xl/workbook.xml"
 Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>
</Relationships>"""
WORKBOOK = b"""<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"
 xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="BN" sheetId="1" r:id="rId1"/></sheets></workbook>"""
WORKBOOK_RELS = b"""<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Target="worksheets/sheet1.xml"
 Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>
</Relationships>"""
SHEET_START = b'<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
HEADER_ROW = (
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>Indicator id</t></is></c>'
    b'<c r="B1" t="inlineStr"><is><t>Total</t></is></c></row>'
)


def workbook(*sheet_chunks, extra_parts=0):
    """The bytes of an .xlsx whose one sheet's XML is the chunks (written one by one: it may be large)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            for chunk in sheet_chunks:
                sheet.write(chunk)
        for number in range(extra_parts):
            archive.writestr(f"xl/media/part{number}.xml", b"<x/>")
    return out.getvalue()


def data_rows(first, count):
    return b"".join(
        b'<row r="%d"><c r="A%d"><v>1</v></c><c r="B%d"><v>2</v></c></row>' % (n, n, n)
        for n in range(first, first + count)
    )


def refusal(data, name="hostile.xlsx"):
    with pytest.raises(spreadsheet.UploadError) as error:
        spreadsheet.read_table(name, data)
    return " ".join(error.value.messages)


def test_the_crafted_workbook_reads_when_it_is_harmless():
    data = workbook(SHEET_START, b"<sheetData>", HEADER_ROW, data_rows(2, 3), b"</sheetData></worksheet>")
    header, rows = spreadsheet.read_table("ok.xlsx", data)
    assert list(header[:2]) == ["Indicator id", "Total"]
    assert [number for number, _cells in rows] == [2, 3, 4]


def test_a_sheet_that_claims_a_million_rows_by_16000_columns_is_refused_before_reading():
    data = workbook(
        SHEET_START,
        b'<dimension ref="A1:XFD1048576"/><sheetData>',
        HEADER_ROW,
        b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>',
        b"</sheetData></worksheet>",
    )
    assert len(data) < 2500
    message = refusal(data)
    assert "1048576" in message and "16384" in message


def test_a_small_file_that_unpacks_to_millions_of_rows_is_refused_by_its_unpacked_size():
    row = b"<row><c><v>1</v></c></row>"
    chunk = row * 40_000
    data = workbook(SHEET_START, b"<sheetData>", HEADER_ROW, *[chunk] * 60, b"</sheetData></worksheet>")
    assert len(data) < 1024 * 1024  # under 1 MB on disk, 60 MB unpacked
    assert "50 MB" in refusal(data)


def test_a_workbook_of_thousands_of_parts_is_refused():
    data = workbook(SHEET_START, b"<sheetData>", HEADER_ROW, b"</sheetData></worksheet>", extra_parts=600)
    assert "500" in refusal(data)


def test_a_row_far_down_a_sheet_without_dimension_stops_the_reading():
    # No <dimension>: the reader would make up ten million empty rows to get there.
    data = workbook(
        SHEET_START,
        b"<sheetData>",
        HEADER_ROW,
        b'<row r="10000000"><c r="A10000000"><v>1</v></c></row>',
        b"</sheetData></worksheet>",
    )
    assert str(spreadsheet.MAX_SHEET_ROWS) in refusal(data)


def test_reading_stops_at_the_row_limit_before_the_rest_of_the_sheet():
    # What lies after the limit is never read: broken XML some way past it (the XML parser reads ahead).
    rows = spreadsheet.MAX_ROWS + 3000
    dimension = b'<dimension ref="A1:B%d"/>' % (rows + 1)
    data = workbook(SHEET_START, dimension, b"<sheetData>", HEADER_ROW, data_rows(2, rows), b"<row><c><v>")
    assert str(spreadsheet.MAX_ROWS) in refusal(data)


def test_a_csv_file_is_read_row_by_row_and_stops_at_the_row_limit():
    # The row after the limit holds a field the csv module refuses; reading never gets there.
    lines = ["Indikator-id;Totalt"] + ["1;2"] * (spreadsheet.MAX_ROWS + 1) + ["1;" + "x" * 200_000]
    message = refusal("\r\n".join(lines).encode(), name="values.csv")
    assert "5000" in message and "field" not in message


# --- Values that do not fit the column, control characters ----------------------------------------


@pytest.fixture
def kpi_indicator(small_chain, bn):
    goal = Goal.objects.filter(level_kind=Level.BOARD, owner=bn).first()
    return factories.IndicatorFactory(goal=goal, name="Invånare", unit="antal", kolada_kpi="N01951")


def kolada_file(number="1", kpi="N01951", municipality="1884"):
    """A Kolada v2 answer with one record; `number` is written into the JSON as it is."""
    record = {"kpi": kpi, "municipality": municipality, "period": 2024,
              "values": [{"gender": "T", "value": "NUMBER"}]}  # fmt: skip
    return json.dumps({"values": [record]}).replace('"NUMBER"', number)


def test_a_kolada_value_that_rounds_to_a_trillion_is_skipped_and_open_data_still_works(
    settings, client, kpi_indicator
):
    settings.MUNICIPALITY_ID = "1884"
    report = kolada.import_file(kolada_file("999999999999.99995"))
    assert [s.reason for s in report.skipped] == [SkipReason.OUT_OF_RANGE]
    assert not IndicatorValue.objects.exists()
    assert kolada.import_file(kolada_file("9999999999999999e-4")).skipped[0].reason == SkipReason.OUT_OF_RANGE
    kolada.import_file(kolada_file("99999999999.99994"))  # 15 digits: what every database reads back
    assert IndicatorValue.objects.get().total == Decimal("99999999999.9999")
    assert ReportingPeriod.objects.get(year=2024).state == ReportingPeriod.State.CLOSED
    assert client.get(reverse("followup:opendata_json")).status_code == 200
    assert client.get(reverse("followup:opendata_csv")).status_code == 200
    assert client.get(reverse("goals:detail", args=[kpi_indicator.goal_id])).status_code == 200


@pytest.mark.parametrize("field", ["kpi", "municipality"])
def test_a_control_character_in_a_kolada_file_is_refused_with_its_place(settings, kpi_indicator, field):
    settings.MUNICIPALITY_ID = "1884"
    text = kolada_file(**{field: {"kpi": "N01951", "municipality": "1884"}[field] + "\x00"})
    with pytest.raises(kolada.KoladaError) as error:
        kolada.import_file(text)
    assert error.value.where == f"values[0].{field}"
    assert not IndicatorValue.objects.exists()


def deep(levels):
    return '{"values": ' + "[" * levels + "]" * levels + "}"


def test_deeply_nested_kolada_json_is_refused_with_a_message(kpi_indicator):
    with pytest.raises(kolada.KoladaError) as error:
        kolada.parse(deep(100_000))
    assert "64" in str(error.value)


def test_deeply_nested_kolada_upload_shows_the_message_at_the_file_field(client, kpi_indicator, council):
    controller = get_user_model().objects.create_user("controller", password="x")
    Membership.objects.create(user=controller, organisation=council, role=Membership.Role.CONTROLLER)
    client.force_login(controller)
    upload = SimpleUploadedFile("deep.json", deep(100_000).encode())
    response = client.post(reverse("followup:kolada_import"), {"file": upload})
    assert response.status_code == 200
    assert "64" in " ".join(response.context["form"].errors["file"])


def test_a_control_character_in_an_uploaded_comment_is_refused_and_nothing_is_written(small_chain, bn):
    goal = Goal.objects.filter(level_kind=Level.BOARD, owner=bn).first()
    indicator = factories.IndicatorFactory(goal=goal, name="Besök", unit="antal")
    period = ReportingPeriod.objects.create(year=2026, kind=ReportingPeriod.Kind.ANNUAL)
    lines = ["Indikator-id;Totalt;Kommentar", f"{indicator.pk};12;Bra\x01år"]
    with pytest.raises(spreadsheet.UploadError) as error:
        spreadsheet.import_upload("values.csv", "\r\n".join(lines).encode(), bn, period)
    assert error.value.cells == [(2, "comment")]
    assert "Row 2" in error.value.messages[0] or "Rad 2" in error.value.messages[0]
    assert not IndicatorValue.objects.exists()
