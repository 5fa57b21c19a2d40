"""The calendar preview: the month view the patient will get on paper."""

from __future__ import annotations

import textwrap
from datetime import date

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from regimens.case import Case
from taper.adapters import case_schedules
from taper.calendar_view import CalendarView, build_calendar, cell_text
from taper.schedule import PlanError
from taper.supports import place

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


class CalendarScreen(Screen[None]):
    """One month at a time; n and p move between months."""

    BINDINGS = [
        Binding("escape,b", "app.pop_screen", "Back", id="back"),
        Binding("n", "move(1)", "Next month", id="next-month"),
        Binding("p", "move(-1)", "Previous month", id="previous-month"),
    ]

    def __init__(self, case: Case, today: date | None = None) -> None:
        super().__init__()
        self.case = case
        self.view: CalendarView | None = None
        self.message = ""
        self.index = 0
        try:
            schedules = case_schedules(case) if case.plans else []
            if schedules:
                by_plan = {s.plan.plan_id: s for s in schedules}
                placed = [place(u, by_plan[p.id]) for p in case.plans for u in p.supports]
                self.view = build_calendar(case, schedules, placed, printed=today or date.today())
            else:
                self.message = "No taper plans yet: nothing to put on a calendar."
        except PlanError as exc:
            self.message = f"These plans cannot be scheduled: {exc}"

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self.message, id="month-title", markup=False)
        yield DataTable(id="month", cursor_type="cell", show_cursor=True)
        yield Footer()

    def on_mount(self) -> None:
        self._show()

    def action_move(self, step: int) -> None:
        if self.view is None:
            return
        self.index = max(0, min(len(self.view.pages) - 1, self.index + step))
        self._show()

    def _show(self) -> None:
        table = self.query_one("#month", DataTable)
        table.clear(columns=True)
        if self.view is None:
            return
        page = self.view.pages[self.index]
        self.query_one("#month-title", Static).update(f"{page.title}  ({self.index + 1} of {len(self.view.pages)})")
        width = max(12, (self.size.width or 120) // 7 - 3)
        names = self.view.weekdays or DAYS
        for c in page.weeks[0]:
            table.add_column(names[c.day.weekday()], width=width)
        for week in page.weeks:
            cells = []
            for cell in week:
                if not cell.in_range:
                    cells.append(str(cell.day.day))
                    continue
                lines = [cell.label or f"{DAYS[cell.day.weekday()]} {cell.day.day}",
                         *cell_text(cell, self.view.labels.get("english", ""))]
                cells.append("\n".join(textwrap.fill(line, width) for line in lines))
            table.add_row(*cells, height=None)
