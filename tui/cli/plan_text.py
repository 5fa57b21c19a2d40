"""A taper schedule as text for the terminal (80 columns; words, not colours)."""

from __future__ import annotations

import re
import textwrap

from regimens.datefmt import date_range, short_date
from regimens.quantity import format_number
from taper.outputs import dispense_json, portion_text
from taper.schedule import Schedule, rule_set_title
from tui.cli.textout import table

WIDTH = 80


def _wrap(text: str, first: str = "  ", rest: str = "    ") -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=first, subsequent_indent=rest, break_on_hyphens=False)


def grouped_notices(notices: tuple[str, ...]) -> list[str]:
    """Fold runs of "rounds to the same dose" notices into one line per held dose."""
    out: list[str] = []
    held: dict[str, list[str]] = {}
    pattern = re.compile(r"Step (\d+) \(planned [^)]*\) rounds to ([^,]+), no lower")
    for note in notices:
        m = pattern.match(note)
        if m:
            held.setdefault(m.group(2), []).append(m.group(1))
        else:
            out.append(note)
    for dose, steps in held.items():
        label = f"step {steps[0]}" if len(steps) == 1 else f"steps {', '.join(steps)}"
        out.append(f"Planned {label} round to {dose}, no lower than the dose before with these products; "
                   f"that dose is held longer instead.")
    return out


def render_schedule(schedule: Schedule) -> str:
    plan = schedule.plan
    unit = plan.unit
    per_day = "" if unit == "mcg/hr" else " a day"
    lines = [f"Taper plan {plan.plan_id}: {plan.drug} from {format_number(plan.strategy.start)} {unit}{per_day} "
             f"to {format_number(plan.strategy.target)} {unit}",
             f"Strategy {plan.strategy.name}, a step every {plan.interval_days} days; "
             f"guideline: {rule_set_title(schedule)}"]
    if schedule.rule_set:
        lines.extend(_wrap(f"Pace: {schedule.rule_set['pace']}", "", "  "))
    lines.append("")
    rows = []
    for seg in schedule.segments:
        when = (f"from {short_date(seg.start, True)}" if seg.end is None else date_range(seg.start, seg.end))
        label = seg.label
        doses = "; ".join(f"{slot}: {portion_text(schedule, p)}" for slot, p in
                          zip(plan.slots, seg.split.portions, strict=True) if p.items) or "stop"
        cut = "" if seg.cut_percent is None else f"-{format_number(seg.cut_percent * 100, places=1)}%"
        rows.append([label, when, f"{format_number(seg.dose)} {unit}", doses, cut])
    lines.append(table(["Step", "Dates", "Daily", "Doses", "Cut"], rows, [14, 22, 8, 24, 6], gap=1))
    for seg in schedule.segments:
        if seg.switch:
            lines.extend(_wrap(f"PRODUCT SWITCH at step {seg.label}, {short_date(seg.start, True)}: "
                               f"{seg.switch[1]} instead of {seg.switch[0]}."))
    last = schedule.segments[-1]
    if last.dose == 0:
        lines.append(f"Last dose on {short_date(last.start.fromordinal(last.start.toordinal() - 1), True)}.")
    else:
        lines.append(f"Keep taking {format_number(last.dose)} {unit}{per_day} from {short_date(last.start, True)}.")
    if schedule.warnings:
        lines.append("")
        lines.append(f"GUIDELINE WARNINGS ({len(schedule.warnings)})")
        for w in schedule.warnings:
            tag = f" [{w.evidence}]" if w.evidence != "C" else ""
            lines.extend(_wrap(f"[WARNING] {w.rule}{tag}: {w.message}"))
            if w.override:
                lines.extend(_wrap(f"Overridden by the pharmacist: {w.override}", "    ", "      "))
            lines.extend(_wrap(f"Source: {w.source}", "    ", "      "))
    notes = grouped_notices(schedule.notices)
    if notes:
        lines.append("")
        lines.append("NOTES")
        for note in notes:
            lines.extend(_wrap(f"- {note}"))
    if schedule.follow_ups:
        lines.append("")
        lines.append("FOLLOW-UPS")
        for f in schedule.follow_ups:
            lines.extend(_wrap(f"{short_date(f.on, True)} ({f.kind}): {f.reason}"))
    dispense = dispense_json(schedule)
    lines.append("")
    lines.append(f"TO DISPENSE (whole plan; fills of {dispense['fill_days']} days)")
    for item in dispense["total"]:
        lines.extend(_wrap(f"{item['product']}: {format_number(item['quantity'])} {item['unit']}"))
    return "\n".join(line.rstrip() for line in lines) + "\n"
