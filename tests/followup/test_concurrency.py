"""Writers saving a board's values while a controller closes the period (PostgreSQL only).

Saves and the close take the same row lock on the period, so every save either lands before the close or is
refused; none lands after it, and none is lost.
"""

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections, transaction

from followup import services
from followup.models import IndicatorValue, ReportingPeriod
from followup.services import PeriodClosedError, ValueEntry
from tests import factories

WRITERS = 6
INDICATORS = 8
MAX_SAVES = 400  # a writer stops at its first refusal; this only bounds a broken run

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL; SQLite has a single writer"
)


def versions(period):
    return dict(IndicatorValue.objects.filter(period=period).values_list("indicator_id", "version"))


def setup_board():
    """A BN goal with INDICATORS indicators, each with a first value (version 1) in an open period."""
    board = factories.board("BN", "Bildningsnämnden")
    chain = factories.chain(council_goals=1, board_goals_each=1, boards=("BN",))
    goal = chain.get_descendants().get(level_kind="board")
    indicators = [factories.IndicatorFactory(goal=goal, owner=board, unit="antal") for _ in range(INDICATORS)]
    period = ReportingPeriod.objects.create(year=2026, kind=ReportingPeriod.Kind.ANNUAL)
    services.save_values(period, [ValueEntry(i.pk, total=Decimal(0)) for i in indicators])
    return period, indicators


def run(period, indicators):
    """WRITERS threads save every indicator over and over; a controller closes the period midway."""
    start = threading.Barrier(WRITERS + 1)
    enough_saved = threading.Event()
    lock = threading.Lock()
    outcome = {"saved": 0, "refused": 0, "errors": [], "at_close": {}}

    def write(number):
        try:
            start.wait()
            for step in range(MAX_SAVES):
                entries = [ValueEntry(i.pk, total=Decimal(number * 1000 + step + 1)) for i in indicators]
                try:
                    services.save_values(period, entries)
                except PeriodClosedError:
                    with lock:
                        outcome["refused"] += 1
                    return
                with lock:
                    outcome["saved"] += 1
                    if outcome["saved"] >= WRITERS * 3:
                        enough_saved.set()
        except Exception as error:  # noqa: BLE001 - collected and judged by the test
            outcome["errors"].append(f"{type(error).__name__}: {error}")
        finally:
            connections.close_all()

    def close():
        try:
            start.wait()
            enough_saved.wait(timeout=30)
            with transaction.atomic():
                services.close_period(period)
                # Still inside the close's transaction, holding the period lock: what has landed so far.
                outcome["at_close"] = versions(period)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    threads.append(threading.Thread(target=close))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcome


@pytest.mark.django_db(transaction=True)
def test_every_save_lands_before_the_close_or_is_refused():
    period, indicators = setup_board()
    outcome = run(period, indicators)
    assert outcome["errors"] == []
    assert ReportingPeriod.objects.get(pk=period.pk).state == ReportingPeriod.State.CLOSED
    assert outcome["refused"] == WRITERS  # every writer was stopped by the close
    assert outcome["saved"] >= WRITERS * 3
    final = versions(period)
    assert final == outcome["at_close"]  # nothing landed after the close
    # Every successful save raised every indicator's version by one: none was lost or half-written.
    assert set(final.values()) == {1 + outcome["saved"]}


def _unlocked(period):
    period = ReportingPeriod.objects.get(pk=period.pk)
    if not period.is_open:
        raise PeriodClosedError("closed")
    return period


@pytest.mark.django_db(transaction=True)
def test_without_the_period_lock_the_same_load_goes_wrong(monkeypatch):
    """Proof that the test above can see a failure: read the period without locking it and saves go astray."""
    monkeypatch.setattr(services, "open_period_for_write", _unlocked)
    problems = []
    for _round in range(3):
        IndicatorValue.objects.all().delete()
        ReportingPeriod.objects.all().delete()
        period, indicators = setup_board()
        outcome = run(period, indicators)
        final = versions(period)
        if final != outcome["at_close"] or set(final.values()) != {1 + outcome["saved"]}:
            problems.append(outcome)
    assert problems, "the unlocked writers behaved; the test above would not notice a missing lock"
