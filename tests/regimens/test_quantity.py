"""Numbers are exact and printed the ISMP way."""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from regimens.quantity import QuantityError, format_number, parse_number


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Fraction(5), "5"),
        (Fraction(1, 2), "0.5"),
        (Decimal("5.0"), "5"),
        (Decimal("0.50"), "0.5"),
        (Fraction(1000), "1,000"),
        (Fraction(12500), "12,500"),
        (Fraction(9, 4), "2.25"),
        (Fraction(1, 8), "0.125"),
        (Fraction(1, 10) + Fraction(2, 10), "0.3"),
    ],
)
def test_format_number(value, text):
    assert format_number(value) == text


@pytest.mark.parametrize(("text", "value"), [("5", 5), ("0.5", Fraction(1, 2)), (".5", Fraction(1, 2)),
                                             ("1,000", 1000), (" 2.50 ", Fraction(5, 2))])
def test_parse_number(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["", "abc", "1/2", "1,5", "nan", "inf", "1e3", "5 mg", "99999999"])
def test_parse_number_refuses(text):
    with pytest.raises(QuantityError):
        parse_number(text)


def test_tenths_add_exactly():
    total = parse_number("0.1") + parse_number("0.2")
    assert total == Fraction(3, 10)
    assert format_number(total) == "0.3"


@given(st.decimals(min_value=Decimal("0.001"), max_value=Decimal("100000"), places=3))
def test_printed_numbers_follow_ismp(value):
    text = format_number(value)
    assert not re.search(r"\.\d*0$", text), "trailing zero"
    assert not text.startswith("."), "missing leading zero"
    assert parse_number(text) == Fraction(value)
