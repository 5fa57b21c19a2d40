"""Non-drug supports on the calendar: which apply on a day, and the weekly targets of graded ones."""

from __future__ import annotations

import json
import math
from datetime import date, timedelta
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from taper.catalogue import ENGLISH, Catalogue
from taper.schedule import Schedule


class SupportDay(NamedTuple):
    """One support on one day: the calendar column and the words to print."""

    support: str
    slot: str
    text: str


class PlacedSupport(NamedTuple):
    """A support placed on a date range (end None: until the taper ends)."""

    support: str
    start: date
    end: date | None
    slot: str
    baseline: Fraction | None


@cache
def library() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((Path(__file__).parent / "data" / "supports.json").read_text("utf-8"))
    return data


def support(support_id: str) -> dict[str, Any]:
    for item in library()["supports"]:
        if item["id"] == support_id:
            return item
    known = ", ".join(s["id"] for s in library()["supports"])
    raise KeyError(f"unknown support {support_id!r} (known: {known})")


def place(use: Any, schedule: Schedule | None, today: date | None = None) -> PlacedSupport:
    """Resolve a saved :class:`regimens.case.SupportUse` to dates (``after_step`` needs the schedule).

    A use with no start of its own begins with the schedule, or on ``today`` when there is none.
    """
    item = support(use.support)
    if use.start is not None:
        start = use.start
    elif use.after_step is not None and schedule is not None:
        seg = next((s for s in schedule.segments if s.step == use.after_step and s.kind == "step"), None)
        start = seg.start if seg else schedule.first_day
    elif schedule is not None:
        start = schedule.first_day
    elif today is not None:
        start = today
    else:
        raise ValueError(f"support {use.support!r} has no start date, no schedule and no today to begin on")
    end = use.end
    if end is None and use.weeks:
        end = start + timedelta(days=7 * use.weeks - 1)
    baseline = Fraction(use.baseline) if use.baseline is not None else None
    slot = use.slot.value if use.slot is not None else item["slot"]
    return PlacedSupport(use.support, start, end, slot, baseline)


def weekly_value(placed: PlacedSupport, day: date) -> int | None:
    """The graded amount (minutes) for ``day``: baseline grown by the weekly percent, capped."""
    graded = support(placed.support).get("graded")
    if not graded:
        return None
    base = placed.baseline if placed.baseline is not None else Fraction(graded["default_baseline"])
    week = (day - placed.start).days // 7
    value = base * (1 + Fraction(graded["weekly_growth_percent"], 100)) ** week
    return min(int(math.floor(value + Fraction(1, 2))), int(graded["maximum"]))


def supports_on(placed: list[PlacedSupport], day: date, tr: Catalogue = ENGLISH) -> list[SupportDay]:
    """The supports on ``day``, their calendar words in ``tr``'s language (the library's text is the message)."""
    out = []
    for p in placed:
        if day < p.start or (p.end is not None and day > p.end):
            continue
        item = support(p.support)
        value = weekly_value(p, day)
        text = tr.gettext(item["calendar_text"], minutes=value if value is not None else "")
        out.append(SupportDay(p.support, p.slot, " ".join(text.split())))
    return out


def weekly_targets(p: PlacedSupport, until: date) -> list[tuple[date, int]]:
    """(week start, target) for a graded support up to ``until``."""
    out = []
    day = p.start
    last = p.end or until
    while day <= last:
        value = weekly_value(p, day)
        if value is None:
            return []
        out.append((day, value))
        day += timedelta(days=7)
    return out
