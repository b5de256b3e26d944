import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent, Membership
from followup import kolada
from followup.imports import SkipReason
from followup.models import IndicatorValue, ReportingPeriod
from goals.models import Goal
from tests import factories
from tests.levels import Level

SAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "kolada" / "N15428_sample_v2.json"
FOUR = Decimal("0.0001")


def expected_from_sample(municipality):
    """{year: {gender: Decimal}} read from the shared sample, rounded as the database stores it."""
    doc = json.loads(SAMPLE.read_text(), parse_float=Decimal)
    return {
        r["period"]: {v["gender"]: Decimal(v["value"]).quantize(FOUR, ROUND_HALF_UP) for v in r["values"]}
        for r in doc["values"]
        if r["municipality"] == municipality
    }


@pytest.fixture
def board_goal(small_chain, bn):
    return Goal.objects.filter(level_kind=Level.BOARD, owner=bn).first()


@pytest.fixture
def n15428(board_goal):
    return factories.IndicatorFactory(
        goal=board_goal,
        name="Behöriga till yrkesprogram",
        unit="%",
        decimals=1,
        gender_split=True,
        kolada_kpi="N15428",
    )


def snapshot():
    return (
        sorted(
            IndicatorValue.objects.values_list(
                "indicator_id", "period__year", "total", "women", "men", "version"
            )
        ),
        sorted(ReportingPeriod.objects.values_list("year", "kind", "state")),
    )


def test_sample_imports_orebro_values_into_new_closed_annual_periods(settings, n15428):
    settings.MUNICIPALITY_ID = "1880"
    report = kolada.import_file(SAMPLE.read_bytes())

    expected = expected_from_sample("1880")
    assert sorted(expected) == [2014, 2015, 2016, 2017, 2018]
    stored = {
        v.period.year: v for v in IndicatorValue.objects.filter(indicator=n15428).select_related("period")
    }
    assert sorted(stored) == sorted(expected)
    for year, genders in expected.items():
        value = stored[year]
        assert (value.total, value.women, value.men) == (genders["T"], genders["K"], genders["M"])
        assert value.source == IndicatorValue.Source.KOLADA
        assert value.period.kind == ReportingPeriod.Kind.ANNUAL
        assert value.period.state == ReportingPeriod.State.CLOSED
        assert value.version == 1
    assert stored[2018].total == Decimal("80.7292")  # 80.729166 in the file
    assert report.imported == 5
    assert report.unchanged == 0
    assert report.counts_by_reason() == {SkipReason.OTHER_MUNICIPALITY: 40}
    assert sorted(p.year for p in report.created_periods) == [2014, 2015, 2016, 2017, 2018]
    assert AuditEvent.objects.filter(action="import").count() == 1


def test_importing_the_same_file_twice_changes_nothing_the_second_time(settings, n15428):
    settings.MUNICIPALITY_ID = "1880"
    kolada.import_file(SAMPLE.read_bytes())
    before = snapshot()
    history = IndicatorValue.history.count()

    report = kolada.import_file(SAMPLE.read_bytes())

    assert snapshot() == before
    assert IndicatorValue.history.count() == history
    assert (report.imported, report.unchanged, report.created_periods) == (0, 5, [])
    assert report.counts_by_reason() == {SkipReason.OTHER_MUNICIPALITY: 40}


def test_with_noras_id_every_sample_record_is_skipped_and_counted(settings, n15428):
    settings.MUNICIPALITY_ID = "1884"
    report = kolada.import_file(SAMPLE.read_bytes())

    assert report.imported == 0
    assert len(report.skipped) == 45
    assert report.counts_by_reason() == {SkipReason.OTHER_MUNICIPALITY: 45}
    assert not IndicatorValue.objects.exists()
    assert not ReportingPeriod.objects.exists()


def test_leading_zeros_of_the_municipality_id_are_kept(settings, n15428):
    settings.MUNICIPALITY_ID = "0180"
    report = kolada.import_file(SAMPLE.read_bytes())
    assert report.imported == 5
    assert IndicatorValue.objects.get(period__year=2014).total == expected_from_sample("0180")[2014]["T"]


def test_indicator_without_gender_split_takes_only_the_total(settings, board_goal):
    settings.MUNICIPALITY_ID = "1880"
    indicator = factories.IndicatorFactory(goal=board_goal, unit="%", decimals=1, kolada_kpi="N15428")
    report = kolada.import_file(SAMPLE.read_bytes())

    value = IndicatorValue.objects.get(indicator=indicator, period__year=2016)
    assert (value.total, value.women, value.men) == (Decimal("85.7795"), None, None)
    assert report.counts_by_reason()[SkipReason.NO_GENDER_SPLIT] == 10  # K and M of five years


def test_every_indicator_with_the_kpi_gets_the_value(settings, n15428, board_goal):
    settings.MUNICIPALITY_ID = "1880"
    other = factories.IndicatorFactory(
        goal=board_goal, unit="%", decimals=1, gender_split=True, kolada_kpi="N15428"
    )
    report = kolada.import_file(SAMPLE.read_bytes())
    assert report.imported == 10
    assert IndicatorValue.objects.filter(indicator=other).count() == 5


def v3_document(this_year):
    """A v3-shaped answer: the same wrapper, value records with extra keys, one page of several."""
    return {
        "count": 6,
        "next_page": "https://api.kolada.se/v3/data/kpi/N15428?page=2",
        "previous_page": None,
        "values": [
            # our KPI, our municipality: lands in the existing open annual period 2020
            {"kpi": "N15428", "municipality": "1884", "period": 2020, "isdeleted": False,
             "values": [{"gender": "T", "value": 91.2, "count": 1, "status": "", "isdeleted": False},
                        {"gender": "K", "value": 93.0, "count": 1, "status": ""},
                        {"gender": "M", "value": None, "count": 0, "status": "Saknas"}]},
            # a KPI no indicator has
            {"kpi": "N00945", "municipality": "1884", "period": 2020,
             "values": [{"gender": "T", "value": 12.5}]},
            # another municipality
            {"kpi": "N15428", "municipality": "1880", "period": 2020,
             "values": [{"gender": "T", "value": 84.0}]},
            # a closed period that holds another value: not changed
            {"kpi": "N15428", "municipality": "1884", "period": 2019,
             "values": [{"gender": "T", "value": 70.0}]},
            # a past year without a period: created closed and filled
            {"kpi": "N15428", "municipality": "1884", "period": "2018",
             "values": [{"gender": "T", "value": 88}]},
            # this year, without an annual period: not created
            {"kpi": "N15428", "municipality": "1884", "period": this_year,
             "values": [{"gender": "T", "value": 90.0}]},
        ],
    }  # fmt: skip


def test_v3_file_reports_unknown_kpi_other_municipality_and_closed_period(settings, n15428, tmp_path):
    settings.MUNICIPALITY_ID = "1884"
    this_year = timezone.localdate().year
    open_2020 = ReportingPeriod.objects.create(year=2020, kind=ReportingPeriod.Kind.ANNUAL)
    closed_2019 = ReportingPeriod.objects.create(
        year=2019, kind=ReportingPeriod.Kind.ANNUAL, state=ReportingPeriod.State.CLOSED
    )
    # Kolada's own earlier figure, with a comment someone added (a typed value it would keep: test_value_path)
    IndicatorValue.objects.create(
        indicator=n15428,
        period=open_2020,
        total=Decimal("50"),
        comment="Egen kommentar",
        source=IndicatorValue.Source.KOLADA,
    )
    IndicatorValue.objects.create(indicator=n15428, period=closed_2019, total=Decimal("75"))
    path = tmp_path / "kolada_v3.json"
    path.write_text(json.dumps(v3_document(this_year)), encoding="utf-8")

    report = kolada.import_file(path.read_bytes())

    assert report.counts_by_reason() == {
        SkipReason.UNKNOWN_KPI: 1,
        SkipReason.OTHER_MUNICIPALITY: 1,
        SkipReason.NULL_VALUE: 1,
        SkipReason.PERIOD_CLOSED: 1,
        SkipReason.NO_PERIOD: 1,
    }
    skipped = {(s.what, s.reason) for s in report.skipped}
    assert ("N00945 1884 2020", "unknown_kpi") in skipped
    assert ("N15428 1880 2020", "other_municipality") in skipped
    assert ("N15428 1884 2020 M", "null_value") in skipped
    assert report.imported == 2
    assert [p.year for p in report.created_periods] == [2018]
    assert any("page=2" in note for note in report.notes)

    value_2020 = IndicatorValue.objects.get(indicator=n15428, period=open_2020)
    assert (value_2020.total, value_2020.women, value_2020.men) == (Decimal("91.2"), Decimal("93"), None)
    assert value_2020.comment == "Egen kommentar"  # Kolada does not touch what it does not bring
    assert value_2020.version == 2
    assert value_2020.source == IndicatorValue.Source.KOLADA
    assert IndicatorValue.objects.get(indicator=n15428, period=closed_2019).total == Decimal("75")
    created = ReportingPeriod.objects.get(year=2018, kind=ReportingPeriod.Kind.ANNUAL)
    assert created.state == ReportingPeriod.State.CLOSED
    assert IndicatorValue.objects.get(indicator=n15428, period=created).total == Decimal("88")
    assert not ReportingPeriod.objects.filter(year=this_year).exists()


def test_closed_period_with_the_same_value_counts_as_unchanged(settings, n15428):
    settings.MUNICIPALITY_ID = "1884"
    closed = ReportingPeriod.objects.create(year=2019, kind="annual", state=ReportingPeriod.State.CLOSED)
    IndicatorValue.objects.create(indicator=n15428, period=closed, total=Decimal("70"))
    doc = {
        "values": [
            {
                "kpi": "N15428",
                "municipality": "1884",
                "period": 2019,
                "values": [{"gender": "T", "value": 70}],
            }
        ]
    }
    report = kolada.import_file(json.dumps(doc))
    assert (report.imported, report.unchanged, report.skipped) == (0, 1, [])


def one_record(**changes):
    record = {
        "kpi": "N15428",
        "municipality": "1884",
        "period": 2019,
        "values": [{"gender": "T", "value": 1}],
    }
    return json.dumps({"values": [{**record, **changes}]})


@pytest.mark.parametrize(
    "text, place",
    [
        ("{not json", "1:2"),
        ('{"count": 1}', "values"),
        ('"just text"', "values"),
        (one_record(period="last year"), "values[0].period"),
        (one_record(municipality=None), "values[0].municipality"),
        (one_record(values=[{"gender": "T", "value": "12"}]), "values[0].values[0].value"),
        (one_record(values=[{"gender": "T", "value": float("nan")}]), "values[0].values[0].value"),
        (one_record(values=[{"value": 12}]), "values[0].values[0].gender"),
    ],
)
def test_bad_file_gives_one_error_naming_the_place_and_writes_nothing(settings, n15428, text, place):
    settings.MUNICIPALITY_ID = "1884"
    with pytest.raises(kolada.KoladaError) as error:
        kolada.import_file(text.encode())
    assert error.value.where == place
    assert not IndicatorValue.objects.exists()
    assert not ReportingPeriod.objects.exists()


def test_a_bad_record_late_in_the_file_writes_nothing_of_the_good_ones(settings, n15428):
    settings.MUNICIPALITY_ID = "1880"
    doc = json.loads(SAMPLE.read_text())
    doc["values"].append({"kpi": "N15428", "municipality": "1880", "period": 2019, "values": "oops"})
    with pytest.raises(kolada.KoladaError):
        kolada.import_file(json.dumps(doc))
    assert snapshot() == ([], [])


def test_dry_run_reports_but_writes_nothing(settings, n15428):
    settings.MUNICIPALITY_ID = "1880"
    report = kolada.import_file(SAMPLE.read_bytes(), dry_run=True)
    assert report.imported == 5
    assert snapshot() == ([], [])
    assert not AuditEvent.objects.exists()


def test_command_prints_the_report(settings, n15428, capsys):
    settings.MUNICIPALITY_ID = "1880"
    call_command("import_kolada", str(SAMPLE))
    out = capsys.readouterr().out
    assert "5" in out and "40" in out
    assert IndicatorValue.objects.count() == 5


def test_command_fails_on_a_bad_file(n15428, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2")
    with pytest.raises(CommandError):
        call_command("import_kolada", str(bad))
    with pytest.raises(CommandError):
        call_command("import_kolada", str(tmp_path / "missing.json"))


# --- The upload page ---------------------------------------------------------------------------------


def login(client, role=None, organisation=None):
    user = get_user_model().objects.create_user(f"user-{role}", password="x")
    if role:
        Membership.objects.create(user=user, organisation=organisation, role=role)
    client.force_login(user)
    return user


def upload(client, data=None, follow=False, **fields):
    data = SAMPLE.read_bytes() if data is None else data
    file = SimpleUploadedFile("kolada.json", data)
    return client.post(reverse("followup:kolada_import"), {"file": file, **fields}, follow=follow)


def test_controller_uploads_the_sample_and_sees_the_report(settings, client, n15428, council):
    settings.MUNICIPALITY_ID = "1880"
    user = login(client, Membership.Role.CONTROLLER, council)
    assert client.get(reverse("followup:kolada_import")).status_code == 200
    response = upload(client, follow=True)
    assert response.redirect_chain == [(reverse("followup:kolada_import"), 302)]
    report = response.context["report"]
    assert (report["imported"], report["skipped_count"]) == (5, 40)
    assert [count for _label, count, _examples in report["reasons"]] == [40]
    assert IndicatorValue.objects.filter(indicator=n15428).count() == 5
    assert AuditEvent.objects.get(action="import").user == user
    assert client.get(reverse("followup:kolada_import")).context["report"] is None  # shown once


def test_a_dry_run_on_the_page_shows_the_report_and_saves_nothing(settings, client, n15428, council):
    settings.MUNICIPALITY_ID = "1880"
    login(client, Membership.Role.CONTROLLER, council)
    response = upload(client, dry_run="on")
    assert response.status_code == 200
    assert response.context["report"]["imported"] == 5
    assert response.context["report"]["dry_run"] is True
    assert not IndicatorValue.objects.exists()


def test_bad_upload_shows_the_error_at_the_file_field(client, n15428, council):
    login(client, Membership.Role.CONTROLLER, council)
    response = upload(client, b"{oops")
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert response.context["report"] is None
    assert not ReportingPeriod.objects.exists()


@pytest.mark.parametrize("role", [None, Membership.Role.READER, Membership.Role.EDITOR])
def test_only_controllers_may_import_from_kolada(settings, client, n15428, bn, role):
    settings.MUNICIPALITY_ID = "1880"
    login(client, role, bn)
    assert client.get(reverse("followup:kolada_import")).status_code == 403
    assert upload(client).status_code == 403
    assert not IndicatorValue.objects.exists()


def test_anonymous_is_sent_to_log_in(client, n15428):
    response = upload(client)
    assert response.status_code == 302
    assert not IndicatorValue.objects.exists()
