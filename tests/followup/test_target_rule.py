"""Rule 1 of docs/assessment-rule.md, one comparison × bound included or not × tolerance kind at a time.

Every table has the values on the bound, just inside and outside it, on the band's edge and just beyond.
"""

from decimal import Decimal as D

import pytest

from followup.rollup import Signal, indicator_signal
from goals.models import Target

G, Y, R, N = Signal.GREEN, Signal.YELLOW, Signal.RED, Signal.NONE
C = Target.Comparison
ABS, PCT = Target.ToleranceUnit.ABSOLUTE, Target.ToleranceUnit.PERCENT
YEAR = 2026


def target(comparison, value=None, high=None, *, exclusive=False, tolerance=0, unit=ABS, years=(YEAR, YEAR)):
    return Target(
        from_year=years[0],
        to_year=years[1],
        comparison=comparison,
        value=None if value is None else D(value),
        high=None if high is None else D(high),
        exclusive=exclusive,
        tolerance=D(tolerance),
        tolerance_unit=unit,
    )


def check(rows, made):
    for value, expected in rows:
        assert indicator_signal(D(value), made, year=YEAR) == expected, (value, expected)


AT_LEAST = [
    # (comparison args, exclusive, tolerance, unit, [(value, signal)])
    ((C.AT_LEAST, "90"), False, 0, ABS, [("90", G), ("90.01", G), ("89.99", R)]),
    ((C.AT_LEAST, "90"), True, 0, ABS, [("90", R), ("90.01", G), ("89.99", R)]),
    ((C.AT_LEAST, "90"), False, 5, ABS, [("90", G), ("89.99", Y), ("85", Y), ("84.99", R)]),
    ((C.AT_LEAST, "90"), True, 5, ABS, [("90.01", G), ("90", Y), ("85", Y), ("84.99", R)]),
    # 10 % of 90 is 9: the band reaches 81.
    ((C.AT_LEAST, "90"), False, 10, PCT, [("90", G), ("81", Y), ("80.99", R)]),
    ((C.AT_LEAST, "90"), True, 10, PCT, [("90", Y), ("90.0001", G), ("81", Y), ("80.99", R)]),
]
AT_MOST = [
    ((C.AT_MOST, "10"), False, 0, ABS, [("10", G), ("9.99", G), ("10.01", R)]),
    ((C.AT_MOST, "10"), True, 0, ABS, [("10", R), ("9.99", G), ("10.01", R)]),  # "< 10"
    ((C.AT_MOST, "10"), False, 2, ABS, [("10", G), ("12", Y), ("12.01", R)]),
    ((C.AT_MOST, "10"), True, 2, ABS, [("10", Y), ("9.99", G), ("12", Y), ("12.01", R)]),
    ((C.AT_MOST, "10"), False, 20, PCT, [("10", G), ("12", Y), ("12.01", R)]),
    ((C.AT_MOST, "10"), True, 20, PCT, [("10", Y), ("12", Y), ("12.01", R)]),
]
EXACTLY = [
    ((C.EXACTLY, "100"), False, 0, ABS, [("100", G), ("100.01", R), ("99.99", R)]),
    ((C.EXACTLY, "100"), False, 1, ABS, [("100", G), ("101", Y), ("99", Y), ("101.01", R), ("98.99", R)]),
    ((C.EXACTLY, "100"), False, 1, PCT, [("100", G), ("101", Y), ("99", Y), ("101.01", R)]),
]
WITHIN = [
    ((C.WITHIN, "80", "90"), False, 0, ABS, [("80", G), ("85", G), ("90", G), ("79.99", R), ("90.01", R)]),
    ((C.WITHIN, "80", "90"), True, 0, ABS, [("80", R), ("80.01", G), ("90", R), ("89.99", G)]),
    ((C.WITHIN, "80", "90"), False, 2, ABS, [("78", Y), ("77.99", R), ("92", Y), ("92.01", R)]),
    ((C.WITHIN, "80", "90"), True, 2, ABS, [("80", Y), ("90", Y), ("78", Y), ("92.01", R)]),
    # Percent of the bound that is missed: 10 % of 80 below, 10 % of 90 above.
    ((C.WITHIN, "80", "90"), False, 10, PCT, [("72", Y), ("71.99", R), ("99", Y), ("99.01", R)]),
    ((C.WITHIN, "80", "90"), True, 10, PCT, [("80", Y), ("72", Y), ("99.01", R)]),
]
NEGATIVE = [
    # A budget result of at least −2 (million kronor), a falling population of at most −50 a year.
    ((C.AT_LEAST, "-2"), False, 1, ABS, [("-2", G), ("0", G), ("-3", Y), ("-3.01", R)]),
    ((C.AT_LEAST, "-2"), False, 50, PCT, [("-3", Y), ("-3.01", R)]),  # the band is 50 % of |−2|
    ((C.AT_MOST, "-50"), True, 0, ABS, [("-50", R), ("-51", G), ("-49", R)]),
]


@pytest.mark.parametrize(
    ("args", "exclusive", "tolerance", "unit", "rows"), AT_LEAST + AT_MOST + EXACTLY + WITHIN + NEGATIVE
)
def test_comparisons_with_a_bound(args, exclusive, tolerance, unit, rows):
    check(rows, target(*args, exclusive=exclusive, tolerance=tolerance, unit=unit))


@pytest.mark.parametrize(
    ("comparison", "tolerance", "unit", "previous", "rows"),
    [
        # "ska öka": higher than last year's value; the same is no increase.
        (C.HIGHER_THAN_LAST_YEAR, 0, ABS, "50", [("50.01", G), ("50", R), ("49", R)]),
        (C.HIGHER_THAN_LAST_YEAR, 1, ABS, "50", [("50.01", G), ("50", Y), ("49", Y), ("48.99", R)]),
        (C.HIGHER_THAN_LAST_YEAR, 10, PCT, "50", [("45", Y), ("44.99", R)]),
        # "ska minska", here from a negative value (a falling population falling faster is "decrease").
        (C.LOWER_THAN_LAST_YEAR, 0, ABS, "-20", [("-21", G), ("-20", R), ("-19", R)]),
        (C.LOWER_THAN_LAST_YEAR, 2, ABS, "-20", [("-20", Y), ("-18", Y), ("-17.99", R)]),
        (C.LOWER_THAN_LAST_YEAR, 10, PCT, "-20", [("-18", Y), ("-17.99", R)]),
    ],
)
def test_comparisons_with_last_year(comparison, tolerance, unit, previous, rows):
    made = target(comparison, tolerance=tolerance, unit=unit)
    for value, expected in rows:
        assert indicator_signal(D(value), made, year=YEAR, previous=D(previous)) == expected, value


def test_without_last_years_value_a_last_year_comparison_gives_no_signal():
    assert indicator_signal(D("5"), target(C.HIGHER_THAN_LAST_YEAR), year=YEAR) == N


def test_no_value_or_no_target_gives_no_signal():
    assert indicator_signal(None, target(C.AT_LEAST, "90"), year=YEAR) == N
    assert indicator_signal(D("90"), None, year=YEAR) == N


def test_only_the_target_in_force_for_the_year_judges():
    span = target(C.AT_LEAST, "90", years=(2024, 2027))
    assert [indicator_signal(D("95"), span, year=y) for y in (2023, 2024, 2026, 2027, 2028)] == [
        N,
        G,
        G,
        G,
        N,
    ]


def test_a_share_of_exactly_100_percent():
    assert indicator_signal(D("100"), target(C.AT_LEAST, "100"), year=YEAR) == G
    assert indicator_signal(D("100"), target(C.AT_MOST, "100", exclusive=True), year=YEAR) == R
    assert indicator_signal(D("104.5"), target(C.AT_MOST, "100", tolerance=5, unit=PCT), year=YEAR) == Y
