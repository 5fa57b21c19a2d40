"""Dates as printed: weekday, day and month name, never 03/04 (``patient-output.md`` D4); dates as typed:
strict ISO ``YYYY-MM-DD``."""

from __future__ import annotations

import re
from datetime import date

from regimens.plain_errors import excerpt

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
EARLIEST_YEAR = 1900


def parse_iso_date(text: str) -> date:
    """A date typed as ``YYYY-MM-DD`` (surrounding spaces ignored), from 1900 on.

    Stricter than :meth:`date.fromisoformat`, which also takes ``20261201`` and ``2026-W49-2``: every
    reader of a typed date (command line, forms, CSV) accepts exactly the same text. Raises
    :class:`ValueError` with a message that quotes the text and says how to write it.
    """
    raw = text.strip()
    if not _ISO_DATE.fullmatch(raw):
        raise ValueError(f"{excerpt(raw)} is not a date; write YYYY-MM-DD")
    try:
        value = date.fromisoformat(raw)
    except ValueError:
        raise ValueError(f"{excerpt(raw)} is not a date: there is no such day") from None
    if value.year < EARLIEST_YEAR:
        raise ValueError(f"{excerpt(raw)} is before {EARLIEST_YEAR}")
    return value


def short_date(day: date, with_year: bool = False) -> str:
    """"Mon 3 Mar", or "Mon 3 Mar 2025" with the year."""
    text = f"{_DAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]}"
    return f"{text} {day.year}" if with_year else text


def date_range(first: date, last: date) -> str:
    """"Mon 3 Mar – Sun 16 Mar 2025"; both years shown when the range crosses a year."""
    if first.year != last.year:
        return f"{short_date(first, True)} – {short_date(last, True)}"
    return f"{short_date(first)} – {short_date(last, True)}"


def age_on(birth: date, day: date) -> int:
    """Whole years from ``birth`` to ``day``."""
    years = day.year - birth.year
    return years - 1 if (day.month, day.day) < (birth.month, birth.day) else years
