"""Every way a value gets in (sheet, upload, Kolada, admin) goes through one service with one set of rules."""

import json
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from followup import kolada, services, spreadsheet
from followup.imports import SkipReason
from followup.models import IndicatorValue, ReportingPeriod
from followup.services import ValueEntry
from tests.followup.pages import text

HEADER = ["Indicator id", "Total", "Comment"]


def upload(world, user, total="91,5"):
    rows = [(2, [str(world.bn_indicator.pk), total, "Från fil"])]
    return spreadsheet.import_table(HEADER, rows, world.bn, world.period, user=user)


def bn_value(world):
    return IndicatorValue.objects.filter(indicator=world.bn_indicator, period=world.period).values_list(
        "total", "source", "version"
    )


def test_an_upload_by_another_boards_editor_is_refused_by_the_service(world):
    before = list(bn_value(world))
    with pytest.raises(PermissionDenied):
        upload(world, world.users["editor_ks"])
    assert list(bn_value(world)) == before


def test_an_upload_by_a_reader_is_refused_by_the_service(world):
    with pytest.raises(PermissionDenied):
        upload(world, world.users["reader"])
    assert list(bn_value(world)) == [(D("88"), IndicatorValue.Source.MANUAL, 1)]


def test_an_upload_by_the_boards_editor_is_written_as_a_file_value(world):
    report = upload(world, world.users["editor_bn"])
    assert report.imported == 1
    assert list(bn_value(world)) == [(D("91.5"), IndicatorValue.Source.FILE, 2)]


def kolada_record(world, settings, year, values):
    world.bn_indicator.kolada_kpi = "N15428"
    world.bn_indicator.save()
    return kolada.Record("N15428", str(settings.MUNICIPALITY_ID).strip(), year, tuple(values))


def test_a_kolada_import_by_an_editor_is_refused_by_the_service(world, settings):
    annual = ReportingPeriod.objects.create(year=world.period.year - 2, kind=ReportingPeriod.Kind.ANNUAL)
    record = kolada_record(world, settings, annual.year, [("T", D("80"))])
    with pytest.raises(PermissionDenied):
        kolada.import_records([record], user=world.users["editor_ks"])
    assert not IndicatorValue.objects.filter(period=annual).exists()


@pytest.fixture
def typed(world, settings):
    """An open annual period where the board typed 16,6 (women 15,0, men 18,2) before Kolada published."""
    annual = ReportingPeriod.objects.create(year=world.period.year - 2, kind=ReportingPeriod.Kind.ANNUAL)
    entry = ValueEntry(world.bn_indicator.pk, total=D("16.6"), women=D("15.0"), men=D("18.2"), version=0)
    services.save_values(annual, [entry], by=world.users["editor_bn"])
    return annual


def stored(world, period):
    return IndicatorValue.objects.filter(indicator=world.bn_indicator, period=period).values_list(
        "total", "women", "men", "source", "version"
    )


def test_kolada_keeps_a_typed_value_that_differs_and_reports_both_figures(world, settings, typed):
    record = kolada_record(world, settings, typed.year, [("T", D("1655.04"))])

    report = kolada.import_records([record], user=world.users["controller"])

    assert list(stored(world, typed)) == [(D("16.6"), D("15.0"), D("18.2"), IndicatorValue.Source.MANUAL, 1)]
    assert report.imported == 0
    assert report.counts_by_reason() == {SkipReason.TYPED_VALUE: 1}
    [difference] = report.differences
    assert (difference.stored, difference.incoming) == ("16,6", "1\xa0655,04")
    page = report.for_page()
    assert page["differences"] == [[difference.what, "16,6", "1\xa0655,04"]]


def test_kolada_bringing_only_the_total_does_not_publish_the_boards_gender_split(
    client, world, settings, typed
):
    record = kolada_record(world, settings, typed.year, [("T", D("17.0"))])
    kolada.import_records([record], user=world.users["controller"])

    assert not IndicatorValue.objects.public().filter(period=typed).exists()
    page = text(client.get(reverse("followup:indicator", args=[world.bn_indicator.pk])))
    assert "15,0" not in page and "18,2" not in page


def test_kolada_equal_to_the_typed_value_leaves_it_as_typed(world, settings, typed):
    record = kolada_record(world, settings, typed.year, [("T", D("16.6"))])
    report = kolada.import_records([record], user=world.users["controller"])
    assert (report.imported, report.unchanged, report.skipped) == (0, 1, [])
    assert list(stored(world, typed))[0][3:] == (IndicatorValue.Source.MANUAL, 1)


def test_kolada_still_updates_its_own_earlier_figure(world, settings):
    annual = ReportingPeriod.objects.create(year=world.period.year - 2, kind=ReportingPeriod.Kind.ANNUAL)
    kolada.import_records([kolada_record(world, settings, annual.year, [("T", D("80"))])])
    report = kolada.import_records([kolada_record(world, settings, annual.year, [("T", D("81.25"))])])
    assert report.imported == 1
    assert list(stored(world, annual)) == [(D("81.25"), None, None, IndicatorValue.Source.KOLADA, 2)]


def test_the_kolada_page_lists_a_kept_typed_value_with_both_figures(client, world, settings, typed):
    world.bn_indicator.kolada_kpi = "N15428"
    world.bn_indicator.save()
    doc = {
        "values": [
            {
                "kpi": "N15428",
                "municipality": settings.MUNICIPALITY_ID,
                "period": typed.year,
                "values": [{"gender": "T", "value": 1655.04}],
            }
        ]
    }
    client.force_login(world.users["controller"])
    upload = SimpleUploadedFile("kolada.json", json.dumps(doc).encode())
    response = client.post(reverse("followup:kolada_import"), {"file": upload}, follow=True)
    page = text(response)
    assert "Inskrivna värden som behölls" in page
    assert "16,6" in page and "1\xa0655,04" in page
    assert list(stored(world, typed))[0][0] == D("16.6")
