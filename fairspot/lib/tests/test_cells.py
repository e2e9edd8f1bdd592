import datetime
from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from fairspot.lib.cells import (
    FORMULA_PREFIXES,
    cell_text,
    check_imported,
    formula_error,
    neutralize,
    unneutralize,
)

DANGEROUS = [
    "=1+2",
    '=HYPERLINK("http://x","y")',
    "+A1",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(A1:A9)",
    "\t=1",
    "\r=1",
    "=",
    "-x",
    "-1+A1",
]
HARMLESS = [
    "-5",
    "+",
    "+3.5",
    "-1,234.50",
    "-",
    "--",
    "+86 10 1234 5678",
    "-(1)",
    "abc",
    "",
    "华为",
    "1=1",
    "a-b",
]


@pytest.mark.parametrize("value", DANGEROUS)
def test_dangerous_values_are_neutralized_and_flagged(value):
    assert neutralize(value) == "'" + value
    assert formula_error(value) is not None
    assert formula_error(neutralize(value)) is None
    assert unneutralize(neutralize(value)) == value
    assert check_imported(neutralize(value)) == (value, None)
    kept, problem = check_imported(value)
    assert kept == value and problem is not None


@pytest.mark.parametrize("value", HARMLESS)
def test_harmless_values_are_left_alone(value):
    assert neutralize(value) == value
    assert formula_error(value) is None
    assert unneutralize(value) == value


def test_values_already_quoted_get_one_more_apostrophe():
    assert neutralize("'=x") == "''=x"
    assert unneutralize("''=x") == "'=x"
    assert neutralize("'-5") == "''-5"
    assert unneutralize("'-5") == "-5"  # another program's over-cautious quoting is undone
    assert unneutralize("'abc") == "'abc"
    assert unneutralize("'") == "'"


def test_formula_error_message():
    with translation.override("en"):
        message = str(formula_error("=1+2"))
        assert "“=”" in message and "formula" in message and "apostrophe (')" in message
        assert "a tab" in str(formula_error("\t=1"))


def test_prefixes_are_the_owasp_ones():
    assert FORMULA_PREFIXES == ("=", "+", "-", "@", "\t", "\r")


@given(st.text())
def test_neutralize_round_trips_and_is_safe(value):
    safe = neutralize(value)
    assert unneutralize(safe) == value
    assert formula_error(safe) is None


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        ("x", "x"),
        (True, "TRUE"),
        (12, "12"),
        (12.0, "12"),
        (-0.5, "-0.5"),
        (1e-07, "0.0000001"),
        (1.5e20, "150000000000000000000"),
        (0.1 + 0.2, "0.30000000000000004"),
        (Decimal("1E+3"), "1000"),
        (datetime.date(2026, 11, 28), "2026-11-28"),
        (datetime.datetime(2026, 11, 28), "2026-11-28"),
        (datetime.datetime(2026, 11, 28, 9, 30), "2026-11-28T09:30:00"),
        (datetime.time(9, 30), "09:30:00"),
    ],
)
def test_cell_text(value, text):
    assert cell_text(value) == text
