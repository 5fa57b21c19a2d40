"""The regimen screen: the medication list with doses, times and daily totals."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from regimens.amounts import amount_text
from regimens.case import Case
from regimens.datefmt import short_date
from regimens.dose_text import dose_text, when_short


class RegimenScreen(Screen[None]):
    """Shows what the patient takes."""

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

    def __init__(self, case: Case, today: date | None = None) -> None:
        super().__init__()
        self.case = case
        self.today = today or date.today()

    def compose(self) -> ComposeResult:
        p = self.case.patient
        yield Header()
        yield Static(
            Text.assemble((p.name, "bold"), f"  born {short_date(p.birth_date, True)} (age {p.age_on(self.today)})"),
            id="patient",
        )
        yield Static("Medications", classes="section")
        yield DataTable(id="medications", cursor_type="row", zebra_stripes=True)
        yield Static("Daily totals by ingredient", classes="section")
        yield DataTable(id="totals", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        self.show(self.case)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "medications":
            event.stop()
            self.action_edit()

    def action_edit(self) -> None:
        from tui.app import TaperApp

        table = self.query_one("#medications", DataTable)
        if table.row_count == 0 or not isinstance(self.app, TaperApp):
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        if key is not None:
            self.app.edit_medication(key)

    def action_remove(self) -> None:
        table = self.query_one("#medications", DataTable)
        if table.row_count == 0:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        if key is not None:
            self.post_message(self.RemoveRequested(key))

    def selected_drug(self) -> str | None:
        """The first ingredient of the selected medication (the builder starts on it)."""
        table = self.query_one("#medications", DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        med = next((m for m in self.case.regimen.medications if m.id == key), None)
        return med.product.ingredients[0].drug if med is not None else None

    def show(self, case: Case) -> None:
        """Fill the tables from ``case`` (called again after every change)."""
        self.case = case
        meds = self.query_one("#medications", DataTable)
        meds.clear(columns=True)
        meds.add_columns("Medication", "Dose", "When", "Per day", "For")
        for med in self.case.regimen.medications:
            meds.add_row(
                med.product.description(),
                dose_text(med.product, Fraction(med.units)),
                when_short(med),
                ("up to " if med.prn else "") + " + ".join(a.text() for a in med.ingredient_amounts()),
                med.indication or "",
                key=med.id,
            )
        totals = self.query_one("#totals", DataTable)
        totals.clear(columns=True)
        totals.add_columns("Ingredient", "Scheduled", "As needed (most a day)")
        for t in self.case.regimen.ingredient_totals():
            totals.add_row(
                t.drug,
                amount_text(t.scheduled, t.unit) if t.scheduled else "-",
                f"up to {amount_text(t.prn_max, t.unit)}" if t.prn_max else "-",
            )
        meds.focus()
