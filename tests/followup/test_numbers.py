from decimal import Decimal

import pytest

from goals.numbers import format_input, format_number, parse_number

NBSP = "\xa0"


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        (Decimal("1234.5"), 1, f"1{NBSP}234,5"),
        (Decimal("92.5000"), 1, "92,5"),
        (Decimal("92"), 1, "92,0"),
        (Decimal("13000"), 0, f"13{NBSP}000"),
        (Decimal("0.25"), 0, "0"),  # shown at the indicator's decimals, rounded half up
        (Decimal("0.5"), 0, "1"),
        (Decimal("87.878787"), 1, "87,9"),
        (Decimal("1234567.891"), 2, f"1{NBSP}234{NBSP}567,89"),
        (Decimal("-3.5"), 1, "-3,5"),
        (None, 1, ""),
        (7, 0, "7"),
    ],
)
def test_format_number(value, decimals, text):
    assert format_number(value, decimals) == text


def test_format_input_has_no_grouping():
    assert format_input(Decimal("1234.5000"), 1) == "1234,5"


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("92,5", Decimal("92.5")),
        ("92.5", Decimal("92.5")),
        ("1 234,5", Decimal("1234.5")),
        (f"1{NBSP}234,5", Decimal("1234.5")),
        ("1\u202f234", Decimal("1234")),
        ("  7 ", Decimal("7")),
        ("\u22125", Decimal("-5")),
        ("0", Decimal("0")),
    ],
)
def test_parse_number_reads_swedish_and_plain_numbers(text, number):
    assert parse_number(text) == number


@pytest.mark.parametrize(
    "text", ["", "abc", "12a", "1,234.5", "1.2.3", "1e5", "NaN", "Infinity", "--5", "5-", ","]
)
def test_parse_number_refuses_what_is_not_a_number(text):
    with pytest.raises(ValueError):
        parse_number(text)


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("4 200", Decimal("4200")),
        ("1 655,04", Decimal("1655.04")),
        (f"1{NBSP}655,04", Decimal("1655.04")),
        ("1\u202f655,04", Decimal("1655.04")),
        ("1 234 567", Decimal("1234567")),
        ("-4 200", Decimal("-4200")),
        ("\u22125", Decimal("-5")),
        ("\u20135", Decimal("-5")),
        ("\u2212 4 200,5", Decimal("-4200.5")),
        ("0,5", Decimal("0.5")),
        (",5", Decimal("0.5")),
        ("1234,5678", Decimal("1234.5678")),
    ],
)
def test_thousands_are_grouped_by_three_and_minus_may_be_typographic(text, number):
    assert parse_number(text) == number


@pytest.mark.parametrize(
    "text",
    ["4 2", "42 00", "4 2000", "1 23 456", "12 34,5", "1 234,567 8", "4  200", "1 234.5 6", "- -5", "5 -"],
)
def test_a_space_that_is_not_a_thousands_separator_is_refused(text):
    with pytest.raises(ValueError):
        parse_number(text)
