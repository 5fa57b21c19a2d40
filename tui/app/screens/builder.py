"""The taper builder: strategy and parameters on the left; schedule, chart and warnings update as you type.

The screen holds a draft; ``ctrl+s`` keeps it in the case and saves the file, escape asks before
dropping changes. The app's autosave takes the draft too, so a closed terminal loses nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, DataTable, Footer, Header, Input, Select, Static

from regimens.case import Case, TaperPlan
from regimens.quantity import format_number
from taper import plan_fields
from taper.plan_fields import STRATEGY_FIELDS, STRATEGY_LABELS, PlanItems
from taper.schedule import PlanError, Schedule
from taper.strategies import StrategyError
from tui.app.chart import span_text
from tui.app.screens.fields_dialog import Field, FieldsDialog
from tui.app.widgets.dose_chart import DoseChart
from tui.app.widgets.field_label import FieldLabel
from tui.app.widgets.schedule_text import ScheduleText

PARAMETERS = ("amount", "percent", "steps", "doses")
TEXT_FIELDS = ("amount", "percent", "steps", "doses", "every", "start-dose", "target", "start", "gap")
ERROR_FIELDS = ("drug", "strategy", *TEXT_FIELDS, "follows")
LABELS = {
    "drug": "Drug", "strategy": "Strategy", "amount": "Cut each step (a day)", "percent": "Percent cut each step",
    "steps": "Number of steps", "doses": "Daily dose of each step, e.g. 25, 20, 15, 10, 5, 0",
    "every": "Every (days, or 2w, 1m)", "start-dose": "Current daily dose", "target": "Target daily dose (0 to stop)",
    "follows": "Starts", "start": "First day of step 1 (YYYY-MM-DD)", "gap": "Days after that plan's last change",
    "products": "Products",
}
#: The choice of products for the tail (``TaperPlan.keep_products``).
PRODUCT_CHOICES = [("switch when they cannot make a step", "switch"), ("keep the products taken now", "keep")]


class BuilderScreen(Screen[None]):
    """Build or change one taper plan."""

    BINDINGS = [
        Binding("escape", "back", "Back", id="builder-back"),
        Binding("ctrl+s", "keep", "Keep plan and save", id="keep"),
        Binding("f2", "add('pause')", "Pause", id="add-pause"),
        Binding("f3", "add('support')", "Support", id="add-support"),
        Binding("f4", "add('follow-up')", "Follow-up", id="add-follow-up"),
        Binding("f5", "add('setback')", "Setback", id="add-setback"),
        Binding("f6", "override", "Override", id="override"),
        Binding("delete", "remove_item", "Remove item", id="remove-item", show=False),
    ]

    class PlanKept(Message):
        """The pharmacist kept the draft (ctrl+s): the app puts it in the case, saves, and calls :meth:`kept`."""

        def __init__(self, plan: TaperPlan, replaces: str | None, close: bool) -> None:
            super().__init__()
            self.plan = plan
            self.replaces = replaces
            """The id of the plan it changes (None: a new plan)."""
            self.close = close
            """Close the builder once the plan is in the case."""

    def __init__(self, case: Case, plan: TaperPlan | None = None, today: date | None = None,
                 drug: str | None = None) -> None:
        super().__init__()
        self.case = case
        self.today = today or date.today()
        self.original = plan
        self.drugs = plan_fields.taperable_drugs(case.regimen)
        first = plan.drug if plan else drug if drug in self.drugs else (self.drugs[0] if self.drugs else "")
        self.plan_id = plan.id if plan else plan_fields.new_plan_id(case, first)
        self.fields = plan_fields.fields_of_plan(plan) if plan else plan_fields.default_fields(case, first, self.today)
        self.items = PlanItems.of(plan) if plan else PlanItems()
        self.kept_fields, self.kept_items = dict(self.fields), self.items
        self.draft: TaperPlan | None = None
        self.schedule: Schedule | None = None
        self.warnings_text = ""
        self.others = self._other_schedules()
        self.checkin_days = self._checkin_days()

    def _checkin_days(self) -> tuple[date, ...]:
        """Days of the check-ins about this plan (marked on the chart)."""
        from taper.adapters import case_schedules
        from taper.checkins import concerned_schedule

        if not self.case.checkins or self.original is None:
            return ()
        try:
            schedules = case_schedules(self.case)
        except (PlanError, StrategyError, ValueError):
            return ()
        days = []
        for c in self.case.checkins:
            found = concerned_schedule(self.case, c, schedules)
            if found is not None and found.plan.plan_id == self.plan_id:
                days.append(c.on)
        return tuple(days)

    def _other_schedules(self) -> dict[str, Schedule]:
        """The case's other plans, scheduled once (for "after plan X" and same-week warnings)."""
        from taper.adapters import case_schedules

        others = [p for p in self.case.plans if p.id != self.plan_id and p.follows != self.plan_id]
        try:
            rest = Case.model_validate({**self.case.model_dump(), "plans": [p.model_dump() for p in others],
                                        "checkins": []})
            return {s.plan.plan_id: s for s in case_schedules(rest)}
        except (PlanError, StrategyError, ValueError):
            return {}

    # --- layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        f = self.fields
        yield Header()
        with Horizontal(id="builder"):
            with VerticalScroll(id="builder-form"):
                yield Static(f"Plan {self.plan_id}", id="plan-id", classes="section", markup=False)
                yield FieldLabel(LABELS["drug"], id="label-drug")
                yield Select[str]([(d, d) for d in self.drugs], id="drug", allow_blank=not self.drugs,
                                  value=f["drug"] if f["drug"] in self.drugs else Select.NULL,
                                  disabled=self.original is not None, compact=True)
                yield FieldLabel(LABELS["strategy"], id="label-strategy")
                yield Select[str]([(label, name) for name, label in STRATEGY_LABELS.items()], id="strategy",
                                  allow_blank=False, value=f["strategy"], compact=True)
                for field in ("amount", "percent", "steps", "doses", "every", "start-dose", "target"):
                    yield FieldLabel(LABELS[field], id=f"label-{field}")
                    with Container(id=f"box-{field}", classes="input-box"):
                        yield Input(f[field], id=field, compact=True)
                yield FieldLabel(LABELS["products"], id="label-products")
                yield Select[str](PRODUCT_CHOICES, id="products", allow_blank=False, value=f.get("products", "switch"),
                                  compact=True)
                others = [(f"after plan {p.id}", p.id) for p in self.case.plans if p.id != self.plan_id]
                yield FieldLabel(LABELS["follows"], id="label-follows")
                yield Select[str]([("on a date", ""), *others], id="follows", allow_blank=False,
                                  value=f["follows"] if f["follows"] in {o[1] for o in others} else "",
                                  compact=True)
                for field in ("start", "gap"):
                    yield FieldLabel(LABELS[field], id=f"label-{field}")
                    with Container(id=f"box-{field}", classes="input-box"):
                        yield Input(f[field], id=field, compact=True)
                yield Static("Pauses, setbacks, supports, follow-ups, overrides", classes="section")
                yield DataTable(id="items", cursor_type="row")
                yield Static("Enter changes the selected item; Delete removes it.", id="items-help")
                with Horizontal(id="item-buttons"):
                    for kind, label in (("pause", "Pause F2"), ("support", "Support F3"),
                                        ("follow-up", "Follow-up F4"), ("setback", "Setback F5")):
                        yield Button(label, id=f"button-{kind}", compact=True)
                    yield Button("Override F6", id="button-override", compact=True)
            with Vertical(id="builder-out"):
                yield Static("", id="plan-span", markup=False)
                yield DoseChart(id="chart")
                yield ScheduleText(id="schedule")
                with VerticalScroll(id="plan-warnings-scroll"):
                    yield Static("", id="plan-warnings", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        for field in TEXT_FIELDS:
            self.watch(self.query_one(f"#{field}", Input), "value", self._watcher(field), init=False)
        self.query_one("#items", DataTable).add_columns("Item", "What")
        self._show_items()
        self._show_rows()
        self.recompute()
        self.query_one("#strategy" if self.original else "#drug").focus()

    def _show_rows(self) -> None:
        needed = STRATEGY_FIELDS.get(self.fields["strategy"], ())
        follows = bool(self.fields["follows"])
        shown = {**{f: f in needed for f in PARAMETERS}, "start": not follows, "gap": follows}
        for field, show in shown.items():
            self.query_one(f"#label-{field}").display = show
            self.query_one(f"#box-{field}").display = show

    def _show_items(self) -> None:
        table = self.query_one("#items", DataTable)
        table.clear()
        for kind, index, text in self.items.rows():
            table.add_row(kind, text, key=f"{kind}:{index}")

    # --- editing -----------------------------------------------------------------------------

    def _watcher(self, field: str) -> Callable[[str], None]:
        def edited(value: str) -> None:
            self._edited(field, value)
        return edited

    def _edited(self, field: str, value: str) -> None:
        """A field's text changed: recompute at once, so the change and the new schedule share one redraw."""
        if self.fields.get(field) != value:
            self.fields[field] = value
            self.recompute()

    def on_select_changed(self, event: Select.Changed) -> None:
        field = event.select.id
        if field not in ("drug", "strategy", "follows", "products"):
            return
        value = event.value if isinstance(event.value, str) else ""
        if self.fields.get(field) == value:
            return
        self.fields[field] = value
        if field == "drug" and self.original is None and value:
            self.plan_id = plan_fields.new_plan_id(self.case, value)
            self.query_one("#plan-id", Static).update(f"Plan {self.plan_id}")
            self.fields["start-dose"] = format_number(plan_fields.current_dose(self.case.regimen, value))
            self.query_one("#start-dose", Input).value = self.fields["start-dose"]
        self._show_rows()
        self.recompute()

    def recompute(self) -> None:
        """Read the fields, rebuild the schedule and redraw (called on every change)."""
        from taper.adapters import plan_input
        from taper.schedule import build_schedule

        plan, errors = plan_fields.plan_from_fields(self.case, self.plan_id, self.fields, self.items)
        schedule = None
        if plan is not None:
            try:
                start = None
                if plan.follows is not None:
                    followed = self.others.get(plan.follows)
                    if followed is None:
                        raise PlanError(f"plan {plan.follows} cannot be scheduled, so this plan cannot follow it")
                    from datetime import timedelta

                    start = followed.stop + timedelta(days=plan.follows_gap_days)
                schedule = build_schedule(plan_input(self.case.regimen, plan, start, self.case.clinic_days))
            except (PlanError, StrategyError) as exc:
                field = next((f for f in PARAMETERS if f in str(exc)), "target")
                errors = {field: str(exc).replace("--", "")}
                plan = None
        for field in ERROR_FIELDS:
            self.query_one(f"#label-{field}", FieldLabel).show_error(errors.get(field))
        self.draft = plan
        if schedule is not None:
            self.schedule = schedule
            self._draw(schedule)
        elif self.schedule is not None:
            self.query_one("#plan-span", Static).update(
                "NOT UPDATED: fix the fields marked on the left.\nShowing the last schedule that worked.",
                layout=False)

    def _draw(self, s: Schedule) -> None:
        from taper.adapters import same_week_changes

        self.query_one("#plan-span", Static).update(span_text(s), layout=False)
        self.query_one("#chart", DoseChart).show(s, self.checkin_days)
        self.query_one("#schedule", ScheduleText).show(s)
        lines = [f"[{'OVERRIDDEN' if w.override else 'WARNING'}] step {w.step}, {w.rule}: {w.message}"
                 + (f" Reason: {w.override}" if w.override else "") for w in s.warnings]
        lines += notice_lines(s.notices)
        others = [o for pid, o in self.others.items() if pid != self.plan_id]
        lines += [f"[SEQUENCE] {line}" for line in same_week_changes([*others, s])]
        if not lines:
            lines = ["No guideline warnings for this plan."]
        text = "\n".join(lines)
        warnings = self.query_one("#plan-warnings", Static)
        if text != self.warnings_text:
            self.warnings_text = text
            warnings.update(text)

    # --- items (pauses, supports, follow-ups, setbacks, overrides) ----------------------------

    def _dialog(self, kind: str, index: int | None) -> FieldsDialog | None:
        values = plan_fields.item_fields(kind, self.items.get(kind, index) if index is not None else None)
        verb = "Change" if index is not None else "Add"
        if kind == "pause":
            return FieldsDialog(f"{verb} a pause: hold the dose, and every later step moves later", [
                Field("start", "From (YYYY-MM-DD)", placeholder="a date, or leave empty and give a step"),
                Field("after-step", "or after step", placeholder="0 holds before the first cut"),
                Field("days", "Days to hold", default="14"),
                Field("reason", "Reason (e.g. daughter's wedding)"),
                Field("show-reason", "Print the reason on the patient's calendar", kind="check", default="yes"),
            ], plan_fields.pause_from, values)
        if kind == "setback":
            return FieldsDialog(f"{verb} a setback: back to the last tolerated dose, hold, then smaller steps", [
                Field("on", "Reported on (YYYY-MM-DD)", default=self.today.isoformat()),
                Field("hold", "Days to hold the last tolerated dose", default="14"),
                Field("fraction", "Later steps, as a percent of their size", default="50"),
                Field("reason", "Reason"),
            ], plan_fields.setback_from, values)
        if kind == "support":
            from taper.supports import library

            options = tuple((s["title"], s["id"]) for s in library()["supports"])
            return FieldsDialog(f"{verb} a non-drug support on the calendar", [
                Field("support", "Support", kind="choice", options=options),
                Field("start", "From (YYYY-MM-DD)", placeholder="empty: the plan's first day"),
                Field("weeks", "For how many weeks", placeholder="empty: until the taper ends"),
                Field("baseline", "Starting minutes (walking)", placeholder="empty: the library's default"),
            ], plan_fields.support_from, values)
        if kind == "follow-up":
            options = (("visit", "visit"), ("phone", "phone"), ("video", "video"), ("lab", "lab"))
            return FieldsDialog(f"{verb} a follow-up", [
                Field("on", "On (YYYY-MM-DD)"),
                Field("kind", "Kind", kind="choice", options=options),
                Field("note", "Note"),
            ], plan_fields.follow_up_from, values)
        return None

    def action_add(self, kind: str) -> None:
        self._edit(kind, None)

    def _edit(self, kind: str, index: int | None) -> None:
        if kind == "override":
            self.action_override()
            return
        dialog = self._dialog(kind, index)
        if dialog is None:
            return

        def done(item: Any) -> None:
            if item is not None:
                self._set_items(self.items.replace(kind, index, item))

        self.app.push_screen(dialog, done)

    def _set_items(self, items: PlanItems) -> None:
        self.items = items
        self._show_items()
        self.recompute()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id != "items" or event.row_key.value is None:
            return
        kind, index = event.row_key.value.split(":")
        self._edit(kind, int(index))

    def action_remove_item(self) -> None:
        table = self.query_one("#items", DataTable)
        if self.focused is not table or table.row_count == 0:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        if key is not None:
            kind, index = key.split(":")
            self._set_items(self.items.replace(kind, int(index), None))
            self.notify(f"Removed the {kind}.")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        kind = (event.button.id or "").removeprefix("button-")
        self._edit(kind, None)

    def action_override(self) -> None:
        """Accept the guideline warnings not yet accepted, with a reason recorded on the plan."""
        if self.schedule is None or self.draft is None:
            self.notify("Fix the plan first: there are no warnings to accept.", severity="warning")
            return
        open_warnings = [w for w in self.schedule.warnings if not w.override]
        if not open_warnings:
            self.notify("There are no guideline warnings to override.")
            return
        pairs = sorted({(w.step, w.rule) for w in open_warnings})
        note = "\n".join(f"step {w.step}, {w.rule}: {w.message}" for w in open_warnings)

        def build(values: dict[str, str]) -> tuple[Any, dict[str, str]]:
            return plan_fields.overrides_from(values, pairs, self.today)

        def done(overrides: Any) -> None:
            if overrides:
                items = self.items
                for o in overrides:
                    items = items.replace("override", None, o)
                self._set_items(items)

        self.app.push_screen(FieldsDialog("Override guideline warnings (the reason is printed on the summary)", [
            Field("reason", "Reason (printed on the summary)", placeholder="e.g. patient's choice after discussion"),
            Field("by", "Recorded by (your name or initials)"),
        ], build, note=note, ok="Override"), done)

    # --- keeping -----------------------------------------------------------------------------

    def changed(self) -> bool:
        """A usable draft that differs from the plan as kept."""
        return self.draft is not None and self.draft != self.original

    def unkept(self) -> bool:
        """Work that leaving would lose: a changed draft, or edits that do not make a plan yet (a bad field)."""
        edited = self.fields != self.kept_fields or self.items != self.kept_items
        return self.changed() or (self.draft is None and edited)

    def with_draft(self, case: Case) -> Case:
        """``case`` with this builder's unkept draft in it (unchanged when there is none, or it no longer fits)."""
        if not self.changed() or self.draft is None:
            return case
        try:
            return plan_fields.case_with_plan(case, self.draft, self.replaces)
        except ValueError:
            return case

    @property
    def replaces(self) -> str | None:
        """The id of the saved plan this builder changes (None for a new plan)."""
        return self.original.id if self.original else None

    def kept(self, plan: TaperPlan) -> None:
        """The app has put ``plan`` in the case: it is the saved version now."""
        self.original = plan
        self.kept_fields, self.kept_items = dict(self.fields), self.items

    def action_keep(self, close: bool = False) -> None:
        if self.draft is None:
            self.notify("The plan is not kept: fix the fields marked in red.", severity="error")
            return
        self.post_message(self.PlanKept(self.draft, self.replaces, close))

    def action_back(self) -> None:
        if not self.unkept():
            self.dismiss()
            return
        from tui.app.screens.confirm import ChoiceDialog

        def answer(choice: str | None) -> None:
            if choice == "keep":
                self.action_keep(close=True)
            elif choice == "discard":
                self.draft = None
                self.fields, self.items = dict(self.kept_fields), self.kept_items
                self.dismiss()

        question = "This plan has changes that are not kept." + (
            "" if self.draft is not None else " Some fields need fixing before it can be kept.")
        self.app.push_screen(ChoiceDialog(question,
                                          [("keep", "Keep and save"), ("discard", "Discard changes"),
                                           ("cancel", "Cancel")]), answer)



def notice_lines(notices: tuple[str, ...], shown: int = 3) -> list[str]:
    """The engine's notes, the first few in full and the rest counted (each held step makes one)."""
    lines = [f"[NOTE] {n}" for n in notices[:shown]]
    if len(notices) > shown:
        lines.append(f"[NOTE] {len(notices) - shown} more like these: the Tapers screen and the summary list them all.")
    return lines
