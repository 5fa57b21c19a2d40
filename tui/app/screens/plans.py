"""The plans screen: every taper plan's steps, warnings (with overrides) and follow-ups.

Enter on a plan's steps opens it in the builder; ``n`` builds a new plan; ``d`` deletes one.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from regimens.case import Case
from regimens.datefmt import date_range, short_date
from regimens.quantity import format_number
from taper.adapters import case_schedules, same_week_changes
from taper.outputs import portion_text
from taper.schedule import PlanError, Schedule, rule_set_title
from taper.strategies import StrategyError


class PlansScreen(Screen[None]):
    """The saved plans, as the prescriber summary will show them."""

    BINDINGS = [
        Binding("escape,b", "app.pop_screen", "Back", id="back"),
        Binding("enter", "edit", "Change plan", id="edit-plan", show=True),
        Binding("d", "delete", "Delete plan", id="delete-plan"),
    ]

    class EditRequested(Message):
        """The pharmacist asked to change a plan (the app opens it in the builder)."""

        def __init__(self, plan_id: str) -> None:
            super().__init__()
            self.plan_id = plan_id

    class DeleteRequested(Message):
        """The pharmacist asked to delete a plan (the app confirms and applies it)."""

        def __init__(self, plan_id: str) -> None:
            super().__init__()
            self.plan_id = plan_id

    def __init__(self, case: Case) -> None:
        super().__init__()
        self._load(case)

    def _load(self, case: Case) -> None:
        self.case = case
        self.error: str | None = None
        try:
            self.schedules = case_schedules(case) if case.plans else []
        except (PlanError, StrategyError) as exc:
            self.schedules, self.error = [], str(exc)

    def show(self, case: Case) -> None:
        """Redraw after the case changed (a plan kept, changed or deleted)."""
        self._load(case)
        self.refresh(recompose=True)

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="plans"):
            if self.error:
                yield Static(f"These plans cannot be scheduled: {self.error}", markup=False)
            if not self.case.plans:
                yield Static("No taper plans yet. Press n to build one.", markup=False, id="no-plans")
            for i, s in enumerate(self.schedules):
                yield Static(self._title(s), classes="section", markup=False)
                yield DataTable(id=f"steps-{i}", cursor_type="row", zebra_stripes=True)
                warnings = [f"[{'OVERRIDDEN' if w.override else 'WARNING'}] {w.rule}: {w.message}"
                            + (f" Reason: {w.override}" if w.override else "") for w in s.warnings]
                if warnings:
                    yield Static("\n".join(warnings), classes="warnings", markup=False)
            overlaps = same_week_changes(self.schedules)
            if overlaps:
                yield Static("\n".join(f"[SEQUENCE] {line}" for line in overlaps), markup=False)
        yield Footer()

    def _title(self, s: Schedule) -> str:
        spec = s.plan.strategy
        plan = next(p for p in self.case.plans if p.id == s.plan.plan_id)
        after = f" · starts {plan.follows_gap_days} days after {plan.follows} ends" if plan.follows else ""
        return (f"{s.plan.plan_id}: {s.plan.drug} {format_number(spec.start)} to {format_number(spec.target)} "
                f"{s.plan.unit}, {spec.name}, every {s.plan.interval_days} days · {rule_set_title(s)}{after}")

    def on_mount(self) -> None:
        for i, s in enumerate(self.schedules):
            table = self.query_one(f"#steps-{i}", DataTable)
            table.add_columns("Step", "Dates", "Daily", "Doses", "Cut", "Warnings")
            for seg in s.segments:
                when = date_range(seg.start, seg.end) if seg.end else f"from {short_date(seg.start, True)}"
                doses = "; ".join(f"{slot}: {portion_text(s, p)}" for slot, p in
                                  zip(s.plan.slots, seg.split.portions, strict=True) if p.items) or "stop"
                cut = "" if seg.cut_percent is None else f"-{format_number(seg.cut_percent * 100, places=1)}%"
                warned = ", ".join(sorted({w.rule for w in s.warnings if w.step == seg.step})) \
                    if seg.cut_percent is not None else ""
                label = seg.label
                table.add_row(label, when, f"{format_number(seg.dose)} {s.plan.unit}", doses, cut, warned)

    def _selected_plan(self) -> str | None:
        focused = self.focused
        if isinstance(focused, DataTable) and focused.id and focused.id.startswith("steps-"):
            return self.schedules[int(focused.id.removeprefix("steps-"))].plan.plan_id
        if len(self.case.plans) == 1:
            return self.case.plans[0].id
        return None

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit()

    def action_edit(self) -> None:
        plan_id = self._selected_plan()
        if plan_id is not None:
            self.post_message(self.EditRequested(plan_id))

    def action_delete(self) -> None:
        plan_id = self._selected_plan()
        if plan_id is not None:
            self.post_message(self.DeleteRequested(plan_id))
