"""Dates as printed: weekday, day and month name, never 03/04 (``patient-output.md`` D4)."""

from __future__ import annotations

from datetime import date

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


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
