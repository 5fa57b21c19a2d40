"""The builder's schedule table, drawn as aligned text (redrawn on every keystroke, so kept light)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from regimens.datefmt import date_range, short_date
from regimens.quantity import format_number
from taper.outputs import portion_text
from taper.schedule import Schedule

HEADERS = ("Step", "Dates", "Daily", "Cut", "Warnings", "Doses")


def schedule_rows(s: Schedule) -> list[tuple[str, ...]]:
    """One row per segment: step (or hold / setback), dates, daily dose, cut, warnings, doses by time."""
    rows: list[tuple[str, ...]] = []
    for seg in s.segments:
        when = date_range(seg.start, seg.end) if seg.end else f"from {short_date(seg.start, True)}"
        doses = "; ".join(f"{slot}: {portion_text(s, p)}" for slot, p in
                          zip(s.plan.slots, seg.split.portions, strict=True) if p.items) or "stop"
        cut = "" if seg.cut_percent is None else f"-{format_number(seg.cut_percent * 100, places=1)}%"
        warned = warned_text(s, seg.step) if seg.cut_percent is not None else ""
        if seg.switch:
            doses = f"PRODUCT SWITCH from {seg.switch[0]}; {doses}"
        label = seg.label
        rows.append((label, when, f"{format_number(seg.dose)} {s.plan.unit}", cut, warned, doses))
    return rows


def warned_text(s: Schedule, step: int) -> str:
    """"2 warnings", "1 overridden": the rules themselves are listed under the table."""
    on_step = [w for w in s.warnings if w.step == step]
    open_ = sum(1 for w in on_step if not w.override)
    parts = [f"{open_} warning{'s' if open_ > 1 else ''}"] if open_ else []
    if len(on_step) > open_:
        parts.append(f"{len(on_step) - open_} overridden")
    return ", ".join(parts)


def aligned(rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return ["  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip() for r in rows]


class ScheduleText(VerticalScroll):
    """A header line and the rows, scrolling together sideways and down."""

    DEFAULT_CSS = """
    ScheduleText { overflow-x: auto; }
    """

    drawn_size = (0, 0)

    def compose(self) -> ComposeResult:
        yield Static("", markup=False)

    def show(self, s: Schedule) -> None:
        """Redraw; the text's box is resized (a layout) only when its line count or width changes."""
        lines = aligned([HEADERS, *schedule_rows(s)])
        lines.insert(1, "-" * len(lines[0]))
        text = self.query_one(Static)
        width = max(len(line) for line in lines)
        size = (max(width, self.drawn_size[0]), len(lines))  # grows, never shrinks: fewer layouts
        resized = size != self.drawn_size
        if resized:
            self.drawn_size = size
            text.styles.width, text.styles.height = size
        text.update("\n".join(lines), layout=resized)
