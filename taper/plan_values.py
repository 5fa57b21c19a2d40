"""Typed plan values, read from text the same way by the command line and the taper builder.

Doses, percents, intervals ("2w", "1m"), dates, and the compact pause, setback and support notations
of ``taper plan``. Each parser raises ``ValueError`` with a plain message. No pydantic here: the
command line builds its argument parser from these without loading the models.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from regimens.datefmt import parse_iso_date
from regimens.plain_errors import excerpt

#: A pause longer than this needs a reason (a hold of more than a year is rarely what was meant).
LONG_PAUSE_DAYS = 365

STRATEGIES = ("fixed", "percent-current", "percent-original", "cdc-short", "hyperbolic", "custom")


def _decimal(text: str, what: str) -> Decimal:
    cleaned = re.sub(r"\s*(mg|mcg/hr|mcg)$", "", text.strip(), flags=re.I)
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"{what} {excerpt(text)} is not a number") from None
    if not value.is_finite() or value < 0 or value > 1_000_000:
        raise ValueError(f"{what} {excerpt(text)} is out of range")
    return value


def parse_dose(text: str) -> Decimal:
    """A daily dose or an amount ("7.5", "7.5 mg", "25 mcg/hr")."""
    return _decimal(text, "dose")


def parse_percent(text: str) -> Decimal:
    """A percent between 0 and 100 ("10", "10%")."""
    value = _decimal(text.rstrip("%"), "percent")
    if not 0 < value < 100:
        raise ValueError(f"percent {excerpt(text)} must be between 0 and 100")
    return value


def parse_every(text: str) -> int:
    """Days between steps: "14d", "2w", "1m" (a month is 28 days, one fill period) or a plain number."""
    m = re.fullmatch(r"\s*(\d+)\s*([dwm]?)\s*", text.lower())
    if not m or int(m.group(1)) < 1:
        raise ValueError(f"--every {excerpt(text)}: write 14d, 2w or 1m")
    days = int(m.group(1)) * {"": 1, "d": 1, "w": 7, "m": 28}[m.group(2)]
    if days > 3650:
        raise ValueError(f"--every {excerpt(text)} is too long")
    return days


def parse_date(text: str) -> date:
    """A date written YYYY-MM-DD."""
    return parse_iso_date(text)


def parse_pause(text: str) -> tuple[date, int, str]:
    """DATE:DAYS[:REASON]."""
    parts = text.split(":", 2)
    if len(parts) < 2:
        raise ValueError(f"--pause {excerpt(text)}: write YYYY-MM-DD:DAYS[:REASON]")
    day = parse_date(parts[0])
    if not parts[1].isdigit() or not 1 <= int(parts[1]) <= 3650:
        raise ValueError(f"--pause {excerpt(text)}: DAYS must be a whole number from 1 to 3650")
    days, reason = int(parts[1]), parts[2].strip() if len(parts) == 3 else ""
    if days > LONG_PAUSE_DAYS and not reason:
        raise ValueError(f"--pause {excerpt(text)}: a pause longer than a year ({days} days) needs a reason: "
                         "write DATE:DAYS:REASON")
    return day, days, reason


def parse_setback(text: str) -> tuple[date, int, Decimal]:
    """DATE[:HOLD_DAYS[:FRACTION]]: back to the last tolerated dose, hold, then smaller steps."""
    parts = text.split(":")
    day = parse_date(parts[0])
    hold = parts[1] if len(parts) > 1 and parts[1] else "14"
    if not hold.isdigit() or not 1 <= int(hold) <= 3650:
        raise ValueError(f"--setback {excerpt(text)}: HOLD_DAYS must be a whole number from 1 to 3650")
    fraction = _decimal(parts[2], "fraction") if len(parts) > 2 and parts[2] else Decimal("0.5")
    if not 0 < fraction <= 1:
        raise ValueError(f"--setback {excerpt(text)}: FRACTION must be more than 0 and at most 1")
    return day, int(hold), fraction


def parse_support(text: str) -> tuple[str, int | None, Decimal | None]:
    """ID[:WEEKS[:BASELINE]], e.g. graded-walking:12:10."""
    parts = text.split(":")
    weeks = parts[1] if len(parts) > 1 and parts[1] else None
    if weeks is not None and (not weeks.isdigit() or not 1 <= int(weeks) <= 520):
        raise ValueError(f"--support {excerpt(text)}: WEEKS must be a whole number from 1 to 520")
    baseline = _decimal(parts[2], "baseline") if len(parts) > 2 and parts[2] else None
    return parts[0], int(weeks) if weeks else None, baseline
