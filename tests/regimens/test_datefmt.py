"""Typed dates: one strict ISO reader for every place a person writes a date."""

from __future__ import annotations

from datetime import date

import pytest

from regimens.datefmt import parse_iso_date


@pytest.mark.parametrize(("text", "day"), [
    ("2026-12-01", date(2026, 12, 1)),
    (" 2026-12-01\n", date(2026, 12, 1)),
    ("2024-02-29", date(2024, 2, 29)),
    ("1900-01-01", date(1900, 1, 1)),
])
def test_reads_a_yyyy_mm_dd_date(text, day):
    assert parse_iso_date(text) == day


@pytest.mark.parametrize(("text", "words"), [
    ("", "write YYYY-MM-DD"),
    ("27/11/2026", "write YYYY-MM-DD"),
    ("20261201", "write YYYY-MM-DD"),  # date.fromisoformat takes this; people do not mean it
    ("2026-W49-2", "write YYYY-MM-DD"),
    ("2026-1-1", "write YYYY-MM-DD"),
    ("２０２６-12-01", "write YYYY-MM-DD"),
    ("2026-12-01T10:00", "write YYYY-MM-DD"),
    ("2027-02-30", "no such day"),
    ("2026-13-01", "no such day"),
    ("1899-12-31", "before 1900"),
])
def test_refuses_anything_else_with_a_plain_message(text, words):
    with pytest.raises(ValueError, match=words) as info:
        parse_iso_date(text)
    assert "not a date" in str(info.value) or "before 1900" in str(info.value)
