"""Value sheet benchmark on one database, in-process: a board's sheet of BENCH_SHEET_INDICATORS (120)
indicators — half split by gender, three earlier years, a target each — read (GET), saved whole (a POST of
the full form with one value changed, answered by a redirect) and refused (a POST with one bad value,
answered by the sheet again with the message at the field and the typing kept)."""

import os
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from urllib.parse import urlencode

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "noramal.settings")
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
INDICATORS = int(os.environ.get("BENCH_SHEET_INDICATORS", "120"))
GOALS = int(os.environ.get("BENCH_SHEET_GOALS", "12"))


def timed(action, runs=RUNS):
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), min(samples), max(samples)


def build(world):
    """INDICATORS indicators on GOALS of BN's goals, with three earlier annual values, a target and a value
    in the open period each."""
    from followup.models import IndicatorValue, ReportingPeriod
    from tests import factories

    goals = [world.bn_goal] + [
        factories.goal(world.kf_goal, f"BN-mål {n}", owner=world.bn) for n in range(GOALS - 1)
    ]
    year = world.period.year
    earlier = [
        ReportingPeriod.objects.get_or_create(
            year=y, kind=ReportingPeriod.Kind.ANNUAL, defaults={"state": "closed"}
        )[0]
        for y in range(year - 3, year)
    ]
    values = []
    for n in range(INDICATORS):
        indicator = factories.IndicatorFactory(
            goal=goals[n % len(goals)], name=f"Indikator {n}", decimals=1, gender_split=n % 2 == 0
        )
        factories.TargetFactory(indicator=indicator, year=year)
        for period in earlier:
            if not IndicatorValue.objects.filter(indicator=indicator, period=period).exists():
                values.append(IndicatorValue(indicator=indicator, period=period, total=Decimal("50")))
        split = {"women": Decimal("61"), "men": Decimal("59")} if indicator.gender_split else {}
        values.append(
            IndicatorValue(
                indicator=indicator,
                period=world.period,
                total=Decimal("60"),
                comment="Som väntat.",
                updated_by=world.users["admin"],
                **split,
            )  # fmt: skip
        )
    IndicatorValue.objects.bulk_create(values)


def run():
    from django.db import connection
    from django.test import Client
    from django.test.utils import (
        CaptureQueriesContext,
        setup_databases,
        setup_test_environment,
        teardown_databases,
    )
    from django.urls import reverse

    from tests.followup.pages import form_fields
    from tests.followup.world import build_world

    setup_test_environment()
    with tempfile.TemporaryDirectory() as folder:
        if connection.vendor == "sqlite":
            connection.settings_dict["TEST"]["NAME"] = os.path.join(folder, "bench.sqlite3")
        else:
            connection.settings_dict["TEST"]["NAME"] = connection.settings_dict["NAME"] + "_sheet_bench"
        old = setup_databases(verbosity=0, interactive=False, keepdb=False)
        try:
            world = build_world()
            build(world)
            client = Client()
            client.force_login(world.users["editor_bn"])
            url = reverse("followup:values", args=[world.period.pk, world.bn.pk])
            client.get(url)  # warm the template cache
            with CaptureQueriesContext(connection) as queries:
                page = client.get(url)
            fields, _inputs = form_fields(page)
            rows = sum(1 for name in fields if name.endswith("-version"))
            inputs = sum(1 for name in fields if not name.startswith(("initial-", "csrf")))
            rows_ = [(f"GET the sheet ({queries and len(queries)} queries)", timed(lambda: client.get(url)))]
            target = next(n for n in fields if n.endswith("-total") and not n.startswith("initial-"))
            step = [0]

            def save(as_browser=False):
                fresh, _ = form_fields(client.get(url))
                step[0] += 1
                fresh[target] = f"{60 + step[0] % 2},0"
                started = time.perf_counter()
                if as_browser:  # the page's form has no enctype: a browser sends it url-encoded
                    response = client.post(
                        url, urlencode(fresh), content_type="application/x-www-form-urlencoded"
                    )
                else:  # the test client's multipart body, several times slower to parse
                    response = client.post(url, fresh)
                elapsed = (time.perf_counter() - started) * 1000
                assert response.status_code == 302, response.status_code
                return elapsed

            saves = [save() for _ in range(RUNS)]
            rows_.append(
                (
                    "POST the whole form, one value changed (302)",
                    (statistics.median(saves), min(saves), max(saves)),
                )
            )
            saves = [save(as_browser=True) for _ in range(RUNS)]
            rows_.append(
                (
                    "POST the whole form url-encoded, as a browser sends it, one value changed (302)",
                    (statistics.median(saves), min(saves), max(saves)),
                )
            )
            bad = dict(fields)
            bad[target] = "nittio"

            def refused():
                response = client.post(url, bad)
                assert response.status_code == 200 and b'aria-invalid="true"' in response.content

            rows_.append(("POST the whole form, one bad value (200, errors shown)", timed(refused)))
        finally:
            teardown_databases(old, verbosity=0)

    print(
        f"{rows} indicators ({inputs} inputs) on {GOALS} goals, median of {RUNS} runs (min–max), "
        f"{connection.vendor}, {os.cpu_count()} cores, {time.strftime('%Y-%m-%d')}\n"
    )
    print("| operation | median ms | min–max ms |")
    print("| --- | ---: | ---: |")
    for name, (median, low, high) in rows_:
        print(f"| {name} | {median:.1f} | {low:.1f}–{high:.1f} |")
    return 0


if __name__ == "__main__":
    django.setup()
    sys.exit(run())
