"""An indicator's owner is the one who enters its values, whoever owns its goal: a board's indicator on a KF
goal is on the board's value sheet, upload template, board report and overview row, and only the board's
editors (and the controllers) write it. An activity's owner reports its status the same way."""

import io
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from followup import services, spreadsheet
from followup.models import ActivityStatus, IndicatorValue
from followup.overview import overview
from followup.services import StatusEntry, ValueEntry
from reports.data import build_report, spec_for
from reports.models import Kind
from tests import factories
from tests.followup.pages import form_fields, text
from tests.matrix import YEAR

NAME = "Läsande elever i årskurs 3"


@pytest.fixture
def kf_goal(world):
    """A KF goal (owned by the council) under which BN has no goals of its own."""
    return factories.goal(world.overarching, "Ett livslångt lärande")


@pytest.fixture
def bn_on_kf(world, kf_goal):
    """BN's indicator, decided on the council's goal."""
    indicator = factories.IndicatorFactory(goal=kf_goal, owner=world.bn, name=NAME, unit="%", decimals=1)
    factories.TargetFactory(indicator=indicator, year=YEAR, value=D("80"), tolerance=D("5"))
    return indicator


@pytest.fixture
def ks_on_bn(world):
    """KS's indicator on BN's goal."""
    return factories.IndicatorFactory(goal=world.bn_goal, owner=world.ks, name="Bostäder nära skolan")


def values_url(world, organisation):
    return reverse("followup:values", args=[world.period.pk, organisation.pk])


def files_url(name, world, organisation):
    return reverse(f"followup:{name}", args=[organisation.pk, world.period.pk])


def stored_total(indicator, world):
    return (
        IndicatorValue.objects.filter(indicator=indicator, period=world.period)
        .values_list("total", flat=True)
        .first()
    )


def csv_upload(indicator, total):
    return SimpleUploadedFile("BN.csv", f"Indicator id;Total\r\n{indicator.pk};{total}\r\n".encode())


def test_the_boards_indicator_on_a_kf_goal_is_on_the_boards_sheet_under_that_goal(client, world, bn_on_kf):
    client.force_login(world.users["editor_bn"])
    page = text(client.get(values_url(world, world.bn)))
    assert page.index("Ett livslångt lärande") < page.index(NAME)
    assert "80,0 ± 5,0" in page  # its target beside it
    client.force_login(world.users["controller"])
    council_sheet = client.get(values_url(world, world.council))
    assert council_sheet.status_code == 200 and NAME not in text(council_sheet)


def test_the_boards_editor_saves_it_through_the_sheet(client, world, bn_on_kf):
    client.force_login(world.users["editor_bn"])
    response = client.get(values_url(world, world.bn))
    fields, _inputs = form_fields(response)
    fields[f"r{bn_on_kf.pk}-total"] = "76,5"
    assert client.post(values_url(world, world.bn), fields).status_code == 302
    assert stored_total(bn_on_kf, world) == D("76.5")


def test_it_is_in_the_boards_upload_template_and_an_upload_saves_it(client, world, bn_on_kf):
    client.force_login(world.users["editor_bn"])
    response = client.get(files_url("values_template", world, world.bn))
    rows = list(
        load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(min_row=2, values_only=True)
    )
    assert [(r[0], r[1], r[2]) for r in rows if r[0] == bn_on_kf.pk] == [
        (bn_on_kf.pk, "Ett livslångt lärande", NAME)
    ]
    response = client.post(
        files_url("values_upload", world, world.bn), {"file": csv_upload(bn_on_kf, "77,5")}
    )
    assert response.status_code == 302
    assert stored_total(bn_on_kf, world) == D("77.5")
    assert (
        IndicatorValue.objects.get(indicator=bn_on_kf, period=world.period).source
        == IndicatorValue.Source.FILE
    )


def test_another_boards_editor_is_refused_everywhere(client, world, bn_on_kf):
    client.force_login(world.users["editor_ks"])
    assert client.get(values_url(world, world.bn)).status_code == 404
    assert client.get(files_url("values_template", world, world.bn)).status_code == 404
    upload = client.post(files_url("values_upload", world, world.bn), {"file": csv_upload(bn_on_kf, "1")})
    assert upload.status_code == 404
    assert NAME not in text(client.get(values_url(world, world.ks)))
    with pytest.raises(PermissionDenied):
        services.save_values(
            world.period, [ValueEntry(bn_on_kf.pk, total=D("1"))], by=world.users["editor_ks"]
        )
    with pytest.raises(ValidationError):  # not one of KS's indicators
        services.save_values(
            world.period,
            [ValueEntry(bn_on_kf.pk, total=D("1"))],
            by=world.users["editor_ks"],
            organisation=world.ks,
        )
    with pytest.raises(spreadsheet.UploadError):
        spreadsheet.import_table(
            ["Indicator id", "Total"], [(2, [str(bn_on_kf.pk), "1"])], world.ks, world.period,
            user=world.users["editor_ks"],
        )  # fmt: skip
    assert stored_total(bn_on_kf, world) is None


def test_the_council_goals_owner_does_not_enter_the_boards_values(world, bn_on_kf):
    with pytest.raises(ValidationError):
        services.save_values(
            world.period, [ValueEntry(bn_on_kf.pk, total=D("1"))], by=world.users["controller"],
            organisation=world.council,
        )  # fmt: skip
    # Controllers write any organisation's follow-up, as BN's.
    services.save_values(
        world.period,
        [ValueEntry(bn_on_kf.pk, total=D("2"))],
        by=world.users["controller"],
        organisation=world.bn,
    )
    assert stored_total(bn_on_kf, world) == D("2")


def test_the_kf_goals_page_still_shows_the_boards_indicator(client, world, bn_on_kf, kf_goal):
    assert NAME in text(client.get(kf_goal.get_absolute_url()))


def test_it_is_in_the_boards_report_and_its_kf_goal_with_it(world, bn_on_kf):
    services.save_values(world.period, [ValueEntry(bn_on_kf.pk, total=D("78"))])
    report = build_report(spec_for(Kind.BOARD, YEAR, board_code="BN"))
    [section] = [c for c in report.council_goals if c.goal.title == "Ett livslångt lärande"]
    [row] = [i for i in section.goal.indicators if i.pk == bn_on_kf.pk]
    assert (row.name, row.owner_code, row.values[-1].total) == (NAME, "BN", D("78"))
    ks_report = build_report(spec_for(Kind.BOARD, YEAR, board_code="KS"))
    assert "Ett livslångt lärande" not in [c.goal.title for c in ks_report.council_goals]


def test_the_overview_counts_it_with_the_board_not_the_council(world, bn_on_kf):
    services.save_values(world.period, [ValueEntry(bn_on_kf.pk, total=D("78"))])
    rows = {row.organisation.code: row for row in overview(world.period)}
    assert (rows["BN"].indicators, rows["BN"].values) == (2, 2)  # the world's BN indicator and this one
    assert (rows["KF"].indicators, rows["KF"].values) == (0, 0)


def test_another_boards_indicator_on_the_boards_goal_is_on_its_own_sheet(client, world, ks_on_bn):
    client.force_login(world.users["editor_ks"])
    page = text(client.get(values_url(world, world.ks)))
    assert page.index("Ökad måluppfyllelse i skolan") < page.index("Bostäder nära skolan")
    assert "Bostäder nära skolan" in [r[2] for r in _template_rows(client, world, world.ks)]
    services.save_values(world.period, [ValueEntry(ks_on_bn.pk, total=D("3"))], by=world.users["editor_ks"])
    assert stored_total(ks_on_bn, world) == D("3")
    client.force_login(world.users["editor_bn"])
    assert "Bostäder nära skolan" not in text(client.get(values_url(world, world.bn)))
    assert "Bostäder nära skolan" not in [r[2] for r in _template_rows(client, world, world.bn)]
    with pytest.raises(PermissionDenied):
        services.save_values(
            world.period, [ValueEntry(ks_on_bn.pk, total=D("4"))], by=world.users["editor_bn"]
        )
    assert stored_total(ks_on_bn, world) == D("3")


def _template_rows(client, world, organisation):
    response = client.get(files_url("values_template", world, organisation))
    return list(
        load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(min_row=2, values_only=True)
    )


def test_the_activitys_owner_reports_its_status_not_the_goals_owner(client, world):
    activity = factories.ActivityFactory(goal=world.bn_goal, owner=world.ks, title="Skolvägar i Norra")
    client.force_login(world.users["editor_ks"])
    url = reverse("followup:activities", args=[world.period.pk, world.ks.pk])
    assert "Skolvägar i Norra" in text(client.get(url))
    client.force_login(world.users["editor_bn"])
    assert "Skolvägar i Norra" not in text(
        client.get(reverse("followup:activities", args=[world.period.pk, world.bn.pk]))
    )
    with pytest.raises(PermissionDenied):
        services.save_activity_statuses(
            world.period, [StatusEntry(activity.pk, "done")], by=world.users["editor_bn"]
        )
    services.save_activity_statuses(
        world.period, [StatusEntry(activity.pk, "done")], by=world.users["editor_ks"]
    )
    assert ActivityStatus.objects.get(activity=activity, period=world.period).status == "done"


def test_the_admin_asks_the_indicators_owner_not_the_goals(client, world, ks_on_bn):
    from tests.followup.test_admin import staff_client

    value = IndicatorValue.objects.create(indicator=ks_on_bn, period=world.period, total=D("1"), version=1)
    data = {"indicator": ks_on_bn.pk, "period": world.period.pk, "total": "5", "women": "", "men": "",
            "comment": "", "source": value.source, "loaded_version": 1}  # fmt: skip
    url = reverse("admin:followup_indicatorvalue_change", args=[value.pk])
    bn_editor = staff_client(client, world.users["editor_bn"], IndicatorValue)
    response = bn_editor.post(url, data)
    assert "Du får inte skriva uppföljningen för Kommunstyrelsen (KS)." in response.content.decode()
    ks_editor = staff_client(client, world.users["editor_ks"], IndicatorValue)
    assert ks_editor.post(url, data).status_code == 302
    assert stored_total(ks_on_bn, world) == D("5")


def test_another_boards_goal_is_in_the_boards_report_for_its_indicator_but_not_counted(world, ks_on_bn):
    report = build_report(spec_for(Kind.BOARD, YEAR, board_code="KS"))
    [section] = [c for c in report.council_goals if c.goal.title == "Alla barns kunskapsutveckling"]
    groups = {group.code: [goal.title for goal in group.goals] for group in section.boards}
    assert groups == {"KS": ["Fler bostäder"], "BN": ["Ökad måluppfyllelse i skolan"]}
    [bn_goal] = [g for group in section.boards if group.code == "BN" for g in group.goals]
    assert "Bostäder nära skolan" in [i.name for i in bn_goal.indicators]
    assert sum(report.totals.values()) == sum(section.counts.values()) == 1  # KS's own goal only
    assert "av 1 " in report.headline
    bn_report = build_report(spec_for(Kind.BOARD, YEAR, board_code="BN"))
    [bn_section] = [c for c in bn_report.council_goals if c.goal.title == "Alla barns kunskapsutveckling"]
    assert [group.code for group in bn_section.boards] == ["BN"]
