"""A dose-over-time chart drawn in text: block bars, a dose axis, dates under it, holds marked.

Pure (no Textual), so the builder redraws it cheaply on every keystroke and tests read it.
"""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction
from typing import Any

from regimens.datefmt import short_date
from regimens.quantity import format_number
from taper.schedule import Schedule

BLOCKS = " ▁▂▃▄▅▆▇█"


def chart_lines(schedule: Schedule, width: int, height: int, checkins: tuple[date, ...] = ()) -> list[str]:
    """``height`` rows of bars plus a marker row and a date row, ``width`` characters wide.

    Each column is an equal slice of the plan from its first day to the day the last dose
    starts; its bar is the dose on that slice's first day. Columns where the dose is held for a
    pause or a setback are marked "h" under the bar, so the holds read without colour; columns
    with a check-in (``checkins``) are marked "◆".
    """
    unit = schedule.plan.unit
    top = max([seg.dose for seg in schedule.segments] + [Fraction(0)])
    labels = [f"{format_number(top)} {unit}", f"{format_number(top / 2)} {unit}", "0"]
    pad = max(len(s) for s in labels) + 1
    columns = max(width - pad - 1, 10)
    height = max(height, 2)
    first = schedule.first_day
    last = schedule.segments[-1].start if schedule.segments else first
    span = max((last - first).days + 1, 1)
    doses: list[float] = []
    held: list[bool] = []
    segments = schedule.segments
    index = 0
    for col in range(columns):  # columns run forward in time: walk the segments once
        day = first + timedelta(days=span * col // columns)
        while index + 1 < len(segments) and segments[index + 1].start <= day:
            index += 1
        seg = segments[index] if segments and segments[index].start <= day else None
        doses.append(float(seg.dose) if seg is not None else 0.0)
        held.append(seg is not None and seg.kind in ("pause", "hold", "setback"))
    scale = height * 8 / float(top) if top else 0.0
    eighths = [round(d * scale) for d in doses]
    rows = []
    for r in range(height):
        floor = (height - 1 - r) * 8
        bar = "".join(BLOCKS[min(max(e - floor, 0), 8)] for e in eighths)
        label = labels[0] if r == 0 else labels[1] if r == height // 2 and height > 2 else ""
        rows.append(f"{label:>{pad - 1}} │{bar}")
    marked = {min(max((day - first).days * columns // span, 0), columns - 1) for day in checkins
              if first <= day <= last}
    rows.append(f"{labels[2]:>{pad - 1}} └" + "".join("◆" if i in marked else "h" if h else "─"
                                                       for i, h in enumerate(held)))
    left, right = short_date(first, True), short_date(last, True)
    gap = columns - len(left) - len(right)
    rows.append(" " * (pad + 1) + (left + " " * gap + right if gap > 0 else left))
    return rows


def span_text(schedule: Schedule) -> str:
    """E.g. "80 to 0 mg a day in 14 steps, Fri 27 Nov 2026 to Wed 5 Jan 2028 (404 days)"."""
    steps = max((s.step for s in schedule.segments if s.kind == "step"), default=0)
    first, last = schedule.first_day, schedule.segments[-1].start
    start, target = schedule.plan.strategy.start, schedule.plan.strategy.target
    return (f"{format_number(start)} to {format_number(target)} {schedule.plan.unit} a day in {steps} steps, "
            f"{short_date(first, True)} to {short_date(last, True)} ({(last - first).days} days)")


#: Check-in scores shown in the trend, with which way is better (PEG and withdrawal: lower).
TREND_SERIES = (("PEG (pain)", "peg"), ("Sleep", "sleep"), ("Goal", "goal"), ("Withdrawal", "withdrawal"))


def trend_chart(rows: list[Any]) -> list[str]:
    """One line per score: a bar (▁ to █, 0 to 10) for each check-in in date order, then the values.

    ``rows`` are :class:`taper.checkins.TrendRow`; a check-in without that score shows "·".
    """
    if not rows:
        return ["No check-ins yet."]
    pad = max(len(label) for label, _ in TREND_SERIES) + 1
    out = [" " * pad + " ".join(short_date(r.on)[4:].rjust(6)[:6] for r in rows)]
    for label, key in TREND_SERIES:
        cells, values = [], []
        for r in rows:
            value = getattr(r, key)
            if key == "withdrawal" and value is not None and r.withdrawal_scale != "self-0-10":
                value = None
            if value is None:
                cells.append("·".rjust(6))
                values.append("-")
                continue
            level = min(max(round(float(value) * 8 / 10), 0), 8)
            cells.append((BLOCKS[level] if level else "_").rjust(6))
            values.append(format_number(Fraction(str(value)), places=1))
        out.append(f"{label:<{pad}}" + " ".join(cells) + "   " + " → ".join(values))
    return out

