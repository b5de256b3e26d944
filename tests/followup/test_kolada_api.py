"""fetch_kolada against a Kolada v3 stand-in on 127.0.0.1: paging, batching, retries, the rate limit."""

import copy
import time
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from followup import kolada_api
from followup.imports import SkipReason
from followup.models import IndicatorValue, ReportingPeriod
from tests import factories
from tests.followup.conftest import OREBRO
from tests.followup.test_kolada import expected_from_sample, snapshot
from tests.kolada_standin import recorded_records


def stored(indicator):
    return {
        v.period.year: {"T": v.total, "K": v.women, "M": v.men}
        for v in IndicatorValue.objects.filter(indicator=indicator).select_related("period")
    }


def fetch(*args):
    call_command("fetch_kolada", *args)


def test_fetch_fills_the_indicator_for_every_year_with_each_values_own_gender(standin, n15428, capsys):
    fetch()
    assert stored(n15428) == expected_from_sample(OREBRO)
    periods = ReportingPeriod.objects.filter(kind="annual").values_list("year", "state")
    assert sorted(periods) == [(year, "closed") for year in range(2014, 2019)]
    assert set(IndicatorValue.objects.values_list("source", flat=True)) == {IndicatorValue.Source.KOLADA}
    assert "Importerade: 5" in capsys.readouterr().out


def test_fetch_asks_only_the_years_it_is_given(standin, n15428):
    fetch("--years", "2016-2017")
    assert sorted(stored(n15428)) == [2016, 2017]
    assert standin.arrivals[0].path.endswith("/year/2016,2017")


def test_fetch_follows_every_page_under_either_name_of_the_link(standin, n15428, settings):
    settings.MUNICIPALITY_ID = OREBRO
    standin.records = [
        dict(r, municipality=OREBRO, period=1970 + i) for i, r in enumerate(recorded_records())
    ]
    standin.page_size, standin.link = 4, "both"
    fetch()
    assert len(stored(n15428)) == 45
    assert len(standin.arrivals) == 12  # 45 records, 4 a page
    assert {a.path for a in standin.arrivals} == {standin.arrivals[0].path}


def test_fetch_asks_at_most_25_ids_at_a_time_and_halves_a_batch_kolada_refuses(standin, board_goal):
    kpis = [f"N{10000 + i}" for i in range(30)]
    for kpi in kpis:
        factories.IndicatorFactory(goal=board_goal, name=kpi, unit="antal", kolada_kpi=kpi)
    standin.records = [
        {"kpi": kpi, "municipality": OREBRO, "period": 2018, "values": [{"gender": "T", "value": i}]}
        for i, kpi in enumerate(kpis)
    ]
    standin.max_ids = 10  # stricter than we thought: 422 for our batches of 25, then halved
    fetch()
    asked = [len(a.path.split("/")[4].split(",")) for a in standin.arrivals]
    assert max(asked) <= 25 and asked[:2] == [25, 12]
    assert sorted(IndicatorValue.objects.values_list("total", flat=True)) == [Decimal(i) for i in range(30)]


def test_fetch_tries_again_after_429_and_5xx(standin, n15428):
    standin.failures = [429, 503]
    fetch()
    assert stored(n15428) == expected_from_sample(OREBRO)
    assert len(standin.arrivals) == 3  # two refusals, then the answer (Örebro's 5 records on one page)
    assert standin.arrivals[1].at - standin.arrivals[0].at >= kolada_api.BACKOFF


def test_a_kolada_that_keeps_failing_is_a_clear_error_and_changes_nothing(standin, n15428):
    standin.failures = [500] * (kolada_api.RETRIES + 1)
    before = snapshot()
    client = kolada_api.Client(backoff=0.01)
    with pytest.raises(kolada_api.KoladaUnavailable, match="Kolada svarade HTTP 500 efter 5 försök."):
        kolada_api.fetch(client=client)
    assert snapshot() == before
    assert len(standin.arrivals) == kolada_api.RETRIES + 1


def test_the_command_says_what_went_wrong(standin, n15428):
    standin.failures = [404]
    with pytest.raises(CommandError, match="Kolada svarade HTTP 404 för http://127.0.0.1"):
        fetch()


def test_a_request_that_times_out_is_tried_again_then_reported(standin):
    standin.failures, standin.slow_seconds = ["slow", "slow"], 1.0
    client = kolada_api.Client(f"{standin.url}/v3", timeout=0.2, retries=1, backoff=0.01)
    with pytest.raises(kolada_api.KoladaUnavailable, match="Kolada svarade inte"):
        client.values(["N15428"], [OREBRO])
    assert len(standin.arrivals) == 2


def test_requests_keep_to_five_a_second(standin, n15428):
    standin.records, standin.page_size = recorded_records(), 1  # five pages for Örebro's five years
    started = time.monotonic()
    fetch()
    assert len(standin.arrivals) == 5
    # Four pauses of at least a fifth of a second between five requests, however fast the answers come.
    assert time.monotonic() - started >= 4 * 0.2


def test_a_second_fetch_changes_nothing(standin, n15428, capsys):
    fetch()
    before = snapshot()
    capsys.readouterr()
    fetch()
    assert snapshot() == before
    out = capsys.readouterr().out
    assert "Importerade: 0" in out and "Oförändrade: 5" in out


def test_withdrawn_values_are_skipped_and_named(standin, n15428):
    records = [copy.deepcopy(r) for r in recorded_records() if r["municipality"] == OREBRO]
    records[0]["values"][0]["isdeleted"] = True  # 2014, one gender
    records[1]["isdeleted"] = True  # 2015, the whole record
    standin.records = records
    report = kolada_api.fetch()
    assert report.counts_by_reason()[SkipReason.DELETED] == 4
    values = stored(n15428)
    assert 2015 not in values and None in values[2014].values()


def test_a_typed_value_is_never_overwritten(standin, n15428):
    period = ReportingPeriod.objects.create(year=2018, kind="annual")
    IndicatorValue.objects.create(
        indicator=n15428, period=period, total=Decimal("50"), source=IndicatorValue.Source.MANUAL
    )
    report = kolada_api.fetch()
    assert IndicatorValue.objects.get(indicator=n15428, period=period).total == Decimal("50")
    [difference] = report.differences
    assert difference.stored == "kvinnor –; män –; 50,0"
    assert "80,7" in difference.incoming  # Örebro's 2018 total in the sample: 80.729...


def test_kpis_that_returned_nothing_are_named(standin, n15428, board_goal):
    factories.IndicatorFactory(goal=board_goal, name="Okänt", unit="antal", kolada_kpi="N99999")
    report = kolada_api.fetch(dry_run=True)
    assert "Kolada gav ingenting för: N99999." in report.notes
    assert not IndicatorValue.objects.exists()


def test_a_next_page_on_another_host_is_refused(standin, n15428):
    standin.page_size, standin.next_host = 2, "http://example.org"
    with pytest.raises(CommandError, match="Koladas nästa sida pekar på en annan värd"):
        fetch()
    assert not IndicatorValue.objects.exists()


def test_years_must_be_a_year_or_a_span(standin):
    with pytest.raises(CommandError, match='--years tar ett år eller ett spann som "2019-2025"'):
        fetch("--years", "förra året")
