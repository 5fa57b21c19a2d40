"""The regimen screen: the medication list with doses, times and daily totals."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from regimens.datefmt import age_on, short_date
from tui.app.regimen_rows import medication_rows, total_rows

if TYPE_CHECKING:
    from regimens.case import Case


class RegimenScreen(Screen[None]):
    """Shows what the patient takes, from the open case."""

    BINDINGS = [
        Binding("a", "app.add_medication", "Add medication", id="add"),
        Binding("d", "remove", "Remove medication", id="remove"),
        Binding("enter", "edit", "Change medication", id="edit"),
    ]

    class RemoveRequested(Message):
        """The pharmacist asked to remove a medication line (the app confirms and applies it)."""

        def __init__(self, medication_id: str) -> None:
            super().__init__()
            self.medication_id = medication_id

    class EditRequested(Message):
        """The pharmacist asked to change a medication line (the app opens the form and applies it)."""

        def __init__(self, medication_id: str) -> None:
            super().__init__()
            self.medication_id = medication_id

    def __init__(self, case: Case, today: date | None = None) -> None:
        super().__init__()
        self.case = case
        self.today = today or date.today()

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="patient")
        yield Static("Medications", classes="section")
        yield DataTable(id="medications", cursor_type="row", zebra_stripes=True)
        yield Static("Daily totals by ingredient", classes="section")
        yield DataTable(id="totals", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        self._fill()

    def selected_drug(self) -> str | None:
        """The first ingredient of the selected medication (the builder starts on it)."""
        key = self._selected()
        med = next((m for m in self.case.regimen.medications if m.id == key), None)
        return med.ingredient_names()[0] if med is not None else None

    def _selected(self) -> str | None:
        table = self.query_one("#medications", DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return str(key) if key is not None else None

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "medications":
            event.stop()
            self.action_edit()

    def action_edit(self) -> None:
        key = self._selected()
        if key is not None:
            self.post_message(self.EditRequested(key))

    def action_remove(self) -> None:
        key = self._selected()
        if key is not None:
            self.post_message(self.RemoveRequested(key))

    def show(self, case: Case) -> None:
        """Fill the tables from ``case`` (called after every change)."""
        self.case = case
        self._fill()

    def _fill(self) -> None:
        name, born = self.case.patient.name, self.case.patient.birth_date
        self.query_one("#patient", Static).update(
            Text.assemble((name, "bold"), f"  born {short_date(born, True)} (age {age_on(born, self.today)})"))
        meds = self.query_one("#medications", DataTable)
        cursor = meds.cursor_row
        meds.clear(columns=True)
        meds.add_columns("Medication", "Dose", "When", "Per day", "For")
        for key, cells in medication_rows(self.case.regimen.medications):
            meds.add_row(*cells, key=key)
        if meds.row_count:
            meds.move_cursor(row=min(cursor, meds.row_count - 1))
        totals = self.query_one("#totals", DataTable)
        totals.clear(columns=True)
        totals.add_columns("Ingredient", "Scheduled", "As needed (most a day)")
        for row in total_rows(self.case.regimen):
            totals.add_row(*row)
        meds.focus()
