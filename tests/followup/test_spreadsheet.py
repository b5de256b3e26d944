import csv
import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from accounts.models import AuditEvent, Membership
from followup import spreadsheet
from followup.models import IndicatorValue, ReportingPeriod
from followup.services import PeriodClosedError, ValueEntry, save_values
from followup.views import exchange
from goals.models import Goal, Target
from tests import factories
from tests.levels import Level


@pytest.fixture
def period(db):
    return ReportingPeriod.objects.create(year=2026, kind=ReportingPeriod.Kind.ANNUAL)


@pytest.fixture
def indicators(small_chain, bn):
    """Three BN indicators on two goals: a split share, a count and a share with one decimal."""
    first, second = Goal.objects.filter(level_kind=Level.BOARD, owner=bn).order_by("lft")[:2]
    share = factories.IndicatorFactory(goal=first, name="Behöriga", unit="%", decimals=1, gender_split=True)
    count = factories.IndicatorFactory(goal=first, name="Antal besök", unit="antal", decimals=0)
    safe = factories.IndicatorFactory(goal=second, name="Trygga elever", unit="%", decimals=1)
    Target.objects.create(indicator=share, from_year=2026, to_year=2026, value=Decimal("88.5"), tolerance=2)
    last_year = ReportingPeriod.objects.create(year=2025, kind="annual", state=ReportingPeriod.State.CLOSED)
    IndicatorValue.objects.create(indicator=share, period=last_year, total=Decimal("86.1"))
    return share, count, safe


def login(client, role=None, organisation=None, name=None):
    user = get_user_model().objects.create_user(name or f"user-{role}", password="x")
    if role:
        Membership.objects.create(user=user, organisation=organisation, role=role)
    client.force_login(user)
    return user


@pytest.fixture
def editor(client, bn):
    return login(client, Membership.Role.EDITOR, bn, "editor_bn")


def url(name, bn, period):
    return reverse(f"followup:{name}", args=[bn.pk, period.pk])


def sheet(content):
    book = load_workbook(io.BytesIO(content))
    return book, book.worksheets[0]


def fill(ws, row, **cells):
    """Write into the template's row, finding each column by its key."""
    keys = [c.key for c in spreadsheet._columns(False)]
    for key, value in cells.items():
        ws.cell(row=row, column=keys.index(key) + 1, value=value)


def as_bytes(book):
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def post_file(client, target, name, data, **extra):
    return client.post(target, {"file": SimpleUploadedFile(name, data), **extra})


def upload_page(client, target, name, data):
    """Upload and follow the redirect to the page that shows the report."""
    return client.post(target, {"file": SimpleUploadedFile(name, data)}, follow=True)


def stored(indicator, period):
    value = IndicatorValue.objects.filter(indicator=indicator, period=period).first()
    return value and (value.total, value.women, value.men, value.comment, value.version, value.source)


def values_snapshot():
    return sorted(
        IndicatorValue.objects.values_list("indicator_id", "period_id", "total", "women", "men", "version")
    )


# --- Template and round trip ---------------------------------------------------------------------


def test_template_lists_the_boards_indicators_with_previous_value_and_target(
    client, editor, bn, period, indicators
):
    share, count, safe = indicators
    response = client.get(url("values_template", bn, period))
    assert response.status_code == 200
    assert response["Content-Type"] == exchange.XLSX
    name = f"{bn.code.lower()}-{period.year}-arsredovisning-mall.xlsx"
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    _book, ws = sheet(response.content)
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == [share.pk, count.pk, safe.pk]
    first = dict(zip([c.key for c in spreadsheet._columns(False)], rows[0], strict=True))
    assert first["name"] == "Behöriga"
    assert first["unit"] == "%"
    assert first["decimals"] == 1
    assert Decimal(str(first["previous"])) == Decimal("86.1")
    assert first["target"] == "≥ 88,5 ± 2,0"  # the target as written
    assert (first["total"], first["women"], first["men"], first["comment"]) == (None, None, None, None)
    assert first["version"] == 0
    assert AuditEvent.objects.filter(action="export", user=editor).count() == 1


def test_template_round_trip_stores_the_values(client, editor, bn, period, indicators):
    share, count, safe = indicators
    book, ws = sheet(client.get(url("values_template", bn, period)).content)
    fill(ws, 2, total=87.4, women="89,2", men=85.7, comment="Bättre än i fjol")
    fill(ws, 3, total=1250)
    # the third row stays empty

    response = upload_page(client, url("values_upload", bn, period), "BN.xlsx", as_bytes(book))

    assert response.redirect_chain == [(url("values_upload", bn, period), 302)]
    report = response.context["report"]
    assert (report["imported"], report["unchanged"], report["skipped_count"]) == (2, 0, 1)
    file = IndicatorValue.Source.FILE
    expected_share = (Decimal("87.4"), Decimal("89.2"), Decimal("85.7"), "Bättre än i fjol", 1, file)
    assert stored(share, period) == expected_share
    assert stored(count, period) == (Decimal("1250"), None, None, "", 1, file)
    assert stored(safe, period) is None
    assert IndicatorValue.objects.get(indicator=share, period=period).updated_by == editor
    assert AuditEvent.objects.filter(action="import", user=editor).count() == 1


def test_uploading_the_same_file_again_changes_nothing(client, editor, bn, period, indicators):
    share, _count, _safe = indicators
    book, ws = sheet(client.get(url("values_template", bn, period)).content)
    fill(ws, 2, total=87.4)
    post_file(client, url("values_upload", bn, period), "BN.xlsx", as_bytes(book))
    before = values_snapshot()

    response = upload_page(client, url("values_upload", bn, period), "BN.xlsx", as_bytes(book))

    assert values_snapshot() == before
    assert (response.context["report"]["imported"], response.context["report"]["unchanged"]) == (0, 1)


def test_a_second_upload_raises_the_version_by_one(client, editor, bn, period, indicators):
    share, _count, _safe = indicators
    book, ws = sheet(client.get(url("values_template", bn, period)).content)
    fill(ws, 2, total=80)
    post_file(client, url("values_upload", bn, period), "BN.xlsx", as_bytes(book))
    book, ws = sheet(client.get(url("values_template", bn, period)).content)  # a fresh download: version 1
    fill(ws, 2, total=81)
    post_file(client, url("values_upload", bn, period), "BN.xlsx", as_bytes(book))
    assert stored(share, period)[0::4] == (Decimal("81"), 2)


def test_value_saved_by_someone_else_since_the_download_is_not_overwritten(
    client, editor, bn, period, indicators
):
    share, count, _safe = indicators
    book, ws = sheet(client.get(url("values_template", bn, period)).content)
    fill(ws, 2, total=87.4)
    fill(ws, 3, total=10)
    save_values(period, [ValueEntry(share.pk, total=Decimal("70"), fields=("total",))])

    response = post_file(client, url("values_upload", bn, period), "BN.xlsx", as_bytes(book))

    assert response.context["report"] is None
    assert response.context["form"].errors["file"]
    assert stored(share, period)[0] == Decimal("70")
    assert stored(count, period) is None  # all or nothing


# --- Validation ----------------------------------------------------------------------------------


def upload_rows(bn, period, rows, user=None):
    """Import a table given as lists (the template's columns), returning the report or the error."""
    header = [str(c.label) for c in spreadsheet._columns(False)]
    table = [(number, row) for number, row in enumerate(rows, start=2)]
    return spreadsheet.import_table(header, table, bn, period, user=user)


def row(indicator, total=None, women=None, men=None, comment=None, version=None):
    return [indicator.pk, "", "", "", "", "", None, None, total, women, men, comment, version]


@pytest.mark.parametrize(
    "cells, column",
    [
        ({"total": "mycket"}, "total"),  # text in a number field
        ({"total": "100,1"}, "total"),  # a share above 100 %
        ({"total": 101}, "total"),
        ({"total": "-3"}, "total"),  # negative
        ({"total": "87,45"}, "total"),  # more decimals than the indicator's one
        ({"total": 87.45}, "total"),
        ({"women": "1,2.3"}, "women"),
        ({"total": True}, "total"),
    ],
)
def test_bad_cell_is_named_by_row_and_column_and_nothing_is_saved(bn, period, indicators, cells, column):
    share, count, _safe = indicators
    with pytest.raises(spreadsheet.UploadError) as error:
        upload_rows(bn, period, [row(count, total=5), row(share, **cells)])
    assert error.value.cells == [(3, column)]
    assert len(error.value.messages) == 1
    assert not IndicatorValue.objects.filter(period=period).exists()


def test_every_bad_cell_is_reported_at_once(bn, period, indicators):
    share, count, safe = indicators
    with pytest.raises(spreadsheet.UploadError) as error:
        upload_rows(
            bn,
            period,
            [
                row(share, total="abc", women="-1"),
                row(count, total="1,5", women=3),  # a count has no decimals and no split
                row(safe, total=50, comment="ok", version="x"),
                ["999999", "", "", "", "", "", None, None, 1, None, None, None, None],
                row(share, total=1),
                ["", "", "", "", "", "", None, None, 1, None, None, None, None],
            ],
        )
    assert error.value.cells == [
        (2, "total"),
        (2, "women"),
        (3, "total"),
        (3, "women"),
        (4, "version"),
        (5, "indicator"),  # not BN's
        (6, "indicator"),  # a second row for the same indicator
        (7, "indicator"),  # no id
    ]


def test_the_message_names_the_row_and_the_column_as_headed_in_the_file(bn, period, indicators):
    share, _count, _safe = indicators
    header = ["Indikator-id", "Totalt"]
    with pytest.raises(spreadsheet.UploadError) as error:
        spreadsheet.import_table(header, [(5, [share.pk, "x"])], bn, period)
    assert error.value.cells == [(5, "total")]
    assert "5" in error.value.messages[0] and "Totalt" in error.value.messages[0]


def test_indicator_of_another_board_is_refused(bn, ks, period, small_chain):
    ks_goal = Goal.objects.filter(owner=ks).first()
    other = factories.IndicatorFactory(goal=ks_goal, unit="antal")
    with pytest.raises(spreadsheet.UploadError) as error:
        upload_rows(bn, period, [row(other, total=3)])
    assert error.value.cells == [(2, "indicator")]


def test_file_without_the_id_column_or_value_columns_is_refused(bn, period, indicators):
    with pytest.raises(spreadsheet.UploadError):
        spreadsheet.import_table(["Namn", "Totalt"], [(2, ["x", 1])], bn, period)
    with pytest.raises(spreadsheet.UploadError):
        spreadsheet.import_table(["Indicator id", "Goal"], [(2, [1, "x"])], bn, period)


def test_a_stored_kolada_value_with_more_decimals_passes_unchanged(bn, period, indicators):
    share, _count, _safe = indicators
    IndicatorValue.objects.create(indicator=share, period=period, total=Decimal("84.4428"), source="kolada")
    report = upload_rows(bn, period, [row(share, total=84.4428, version=1)])
    assert (report.imported, report.unchanged) == (0, 1)


def test_closed_period_refuses_the_import(bn, period, indicators):
    share, _count, _safe = indicators
    ReportingPeriod.objects.filter(pk=period.pk).update(state=ReportingPeriod.State.CLOSED)
    with pytest.raises(PeriodClosedError):
        upload_rows(bn, period, [row(share, total=80)])
    assert not IndicatorValue.objects.filter(period=period).exists()


# --- CSV -----------------------------------------------------------------------------------------


def test_csv_with_semicolons_decimal_comma_and_windows_encoding(bn, period, indicators):
    share, count, _safe = indicators
    text = (
        "Indicator id;Indicator;Total;Women;Men;Comment\r\n"
        f"{share.pk};Behöriga;87,4;89,2;85,7;Förbättring åk 9\r\n"
        f"{count.pk};Antal besök;1 250;;;\r\n"
    )
    report = spreadsheet.import_upload("varden.csv", text.encode("cp1252"), bn, period)
    assert report.imported == 2
    assert stored(share, period)[:4] == (
        Decimal("87.4"),
        Decimal("89.2"),
        Decimal("85.7"),
        "Förbättring åk 9",
    )
    assert stored(count, period)[0] == Decimal("1250")


def test_export_csv_can_be_uploaded_again_unchanged(client, editor, bn, period, indicators):
    share, count, _safe = indicators
    upload_rows(
        bn, period, [row(share, total="87,4", women=89, men="85,7", comment="=SUM(A1)"), row(count, total=7)]
    )
    response = client.get(url("export_csv", bn, period))
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert len(lines) == 4
    assert "87,4" in lines[1]
    assert "'=SUM(A1)" in lines[1]  # never a formula
    before = values_snapshot()
    report = spreadsheet.import_upload("export.csv", response.content, bn, period)
    assert report.imported == 0
    assert values_snapshot() == before
    assert AuditEvent.objects.filter(action="export", user=editor).exists()


def test_export_xlsx_holds_the_values_and_writes_text_as_text(client, editor, bn, period, indicators):
    share, _count, _safe = indicators
    upload_rows(bn, period, [row(share, total="87,4", comment='=HYPERLINK("x")')], user=editor)
    response = client.get(url("export_xlsx", bn, period))
    assert response.status_code == 200
    _book, ws = sheet(response.content)
    keys = [c.key for c in spreadsheet._columns(True)]
    first = dict(zip(keys, ws[2], strict=True))
    assert Decimal(str(first["total"].value)) == Decimal("87.4")
    assert first["comment"].data_type == "s"
    assert first["updated_by"].value == "editor_bn"
    assert first["version"].value == 1


def test_upload_of_a_file_that_is_not_a_spreadsheet_is_refused(bn, period, indicators):
    with pytest.raises(spreadsheet.UploadError):
        spreadsheet.import_upload("values.xlsx", b"PK\x03\x04not really a zip", bn, period)
    with pytest.raises(spreadsheet.UploadError):
        spreadsheet.import_upload("values.csv", b"", bn, period)
    with pytest.raises(spreadsheet.UploadError):
        spreadsheet.import_upload("values.xls", b"\xd0\xcf\x11\xe0", bn, period)


def test_first_sheet_of_a_workbook_made_elsewhere_is_read(bn, period, indicators):
    share, _count, _safe = indicators
    book = Workbook()
    ws = book.active
    ws.append(["Indikator-id", "Totalt", "Kommentar"])
    ws.append([share.pk, 90.5, "Från annat program"])
    report = spreadsheet.import_upload("egen.xlsx", as_bytes(book), bn, period)
    assert report.imported == 1
    assert stored(share, period)[0] == Decimal("90.5")


# --- The command -----------------------------------------------------------------------------------


def test_import_values_command(tmp_path, bn, period, indicators, capsys):
    share, _count, _safe = indicators
    path = tmp_path / "bn.csv"
    path.write_text(f"Indicator id;Total\n{share.pk};77,7\n", encoding="utf-8")
    call_command("import_values", str(path), board="BN", year=2026, kind="annual")
    assert stored(share, period)[0] == Decimal("77.7")
    path.write_text(f"Indicator id;Total\n{share.pk};777\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_values", str(path), board="BN", year=2026, kind="annual")
    with pytest.raises(CommandError):
        call_command("import_values", str(path), board="XX", year=2026, kind="annual")
    with pytest.raises(CommandError):
        call_command("import_values", str(path), board="BN", year=2030, kind="annual")
    ReportingPeriod.objects.filter(pk=period.pk).update(state=ReportingPeriod.State.CLOSED)
    path.write_text(f"Indicator id;Total\n{share.pk};78\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_values", str(path), board="BN", year=2026, kind="annual")
    assert stored(share, period)[0] == Decimal("77.7")


# --- Who may do what -------------------------------------------------------------------------------


@pytest.fixture
def persona(client, bn, ks, council):
    def as_(name):
        client.logout()
        roles = {
            "reader": (Membership.Role.READER, council),
            "editor_bn": (Membership.Role.EDITOR, bn),
            "editor_ks": (Membership.Role.EDITOR, ks),
            "controller": (Membership.Role.CONTROLLER, council),
            "admin": (Membership.Role.ADMIN, council),
        }
        if name != "anonymous":
            login(client, *roles[name], name)
        return client

    return as_


EXPECT = {
    # view: anonymous, reader, editor_bn, editor_ks, controller, admin
    "values_template": (302, 403, 200, 404, 200, 200),
    "index": (302, 200, 200, 200, 200, 200),
    "values_upload": (302, 403, 200, 404, 200, 200),
    "export_xlsx": (302, 200, 200, 200, 200, 200),
    "export_csv": (302, 200, 200, 200, 200, 200),
}
PERSONAS = ("anonymous", "reader", "editor_bn", "editor_ks", "controller", "admin")


@pytest.mark.parametrize("view", sorted(EXPECT))
def test_who_may_use_the_board_pages(persona, bn, period, indicators, view):
    target = reverse("followup:files") if view == "index" else url(view, bn, period)
    for name, status in zip(PERSONAS, EXPECT[view], strict=True):
        assert persona(name).get(target).status_code == status, name


POST_UPLOAD = (302, 403, 302, 404, 302, 302)


@pytest.mark.parametrize("name, status", list(zip(PERSONAS, POST_UPLOAD, strict=True)))
def test_who_may_post_an_upload(persona, bn, period, indicators, name, status):
    share, _count, _safe = indicators
    data = f"Indicator id;Total\n{share.pk};50\n".encode()
    response = post_file(persona(name), url("values_upload", bn, period), "v.csv", data)
    assert response.status_code == status
    wrote = status == 302 and name != "anonymous"
    assert IndicatorValue.objects.filter(period=period).exists() == wrote


def test_upload_page_of_a_closed_period_is_not_found(persona, bn, period, indicators):
    share, _count, _safe = indicators
    ReportingPeriod.objects.filter(pk=period.pk).update(state=ReportingPeriod.State.CLOSED)
    client = persona("controller")
    data = f"Indicator id;Total\n{share.pk};50\n".encode()
    assert client.get(url("values_upload", bn, period)).status_code == 404
    assert post_file(client, url("values_upload", bn, period), "v.csv", data).status_code == 404
    assert not IndicatorValue.objects.filter(period=period).exists()


def test_index_lists_the_actions_for_the_chosen_board_and_period(persona, bn, period, indicators):
    page = persona("editor_bn").get(reverse("followup:files"), {"organisation": bn.pk, "period": period.pk})
    assert page.status_code == 200
    assert page.context["can_upload"] is True
    assert page.context["can_import_kolada"] is False
    assert url("values_upload", bn, period) in page.content.decode()
    page = persona("reader").get(reverse("followup:files"), {"organisation": bn.pk, "period": period.pk})
    assert page.context["can_upload"] is False
    assert url("export_csv", bn, period) in page.content.decode()
    assert persona("anonymous").get(reverse("followup:files")).status_code == 302
