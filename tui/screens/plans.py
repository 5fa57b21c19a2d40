"""The plans screen: every taper plan's steps, warnings (with overrides) and follow-ups."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from regimens.case import Case
from regimens.datefmt import date_range, short_date
from regimens.quantity import format_number
from taper.adapters import case_schedules, same_week_changes
from taper.outputs import portion_text
from taper.schedule import PlanError, Schedule, rule_set_title


class PlansScreen(Screen[None]):
    """Read-only view of the saved plans, as the prescriber summary will show them."""

    BINDINGS = [Binding("escape,b", "app.pop_screen", "Back", id="back")]

    def __init__(self, case: Case) -> None:
        super().__init__()
        self.case = case
        self.error: str | None = None
        try:
            self.schedules = case_schedules(case) if case.plans else []
        except PlanError as exc:
            self.schedules, self.error = [], str(exc)

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="plans"):
            if self.error:
                yield Static(f"These plans cannot be scheduled: {self.error}", markup=False)
            if not self.case.plans:
                yield Static("No taper plans yet. Build one with: taper plan CASE --drug NAME --strategy ... --save",
                             markup=False, id="no-plans")
            for s in self.schedules:
                yield Static(self._title(s), classes="section", markup=False)
                yield DataTable(id=f"steps-{s.plan.plan_id}", cursor_type="row", zebra_stripes=True)
                warnings = [f"[WARNING] {w.rule}: {w.message}" + (f" Overridden: {w.override}" if w.override else "")
                            for w in s.warnings]
                if warnings:
                    yield Static("\n".join(warnings), classes="warnings", markup=False)
            overlaps = same_week_changes(self.schedules)
            if overlaps:
                yield Static("\n".join(f"[SEQUENCE] {line}" for line in overlaps), markup=False)
        yield Footer()

    def _title(self, s: Schedule) -> str:
        spec = s.plan.strategy
        return (f"{s.plan.plan_id}: {s.plan.drug} {format_number(spec.start)} to {format_number(spec.target)} "
                f"{s.plan.unit}, {spec.name}, every {s.plan.interval_days} days · {rule_set_title(s)}")

    def on_mount(self) -> None:
        for s in self.schedules:
            table = self.query_one(f"#steps-{s.plan.plan_id}", DataTable)
            table.add_columns("Step", "Dates", "Daily", "Doses", "Cut", "Warnings")
            for seg in s.segments:
                when = date_range(seg.start, seg.end) if seg.end else f"from {short_date(seg.start, True)}"
                doses = "; ".join(f"{slot}: {portion_text(s, p)}" for slot, p in
                                  zip(s.plan.slots, seg.split.portions, strict=True) if p.items) or "stop"
                cut = "" if seg.cut_percent is None else f"-{format_number(seg.cut_percent * 100, places=1)}%"
                warned = ", ".join(sorted({w.rule for w in s.warnings if w.step == seg.step})) \
                    if seg.cut_percent is not None else ""
                label = {"pause": "hold", "setback": "setback"}.get(seg.kind, str(seg.step))
                table.add_row(label, when, f"{format_number(seg.dose)} {s.plan.unit}", doses, cut, warned)
