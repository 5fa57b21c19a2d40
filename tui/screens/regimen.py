"""The regimen screen: the medication list with doses, times and daily totals."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from regimens.amounts import amount_text
from regimens.case import Case
from regimens.datefmt import short_date
from regimens.dose_text import dose_text, when_short


class RegimenScreen(Screen[None]):
    """Shows what the patient takes."""

    def __init__(self, case: Case, today: date | None = None) -> None:
        super().__init__()
        self.case = case
        self.today = today or date.today()

    def compose(self) -> ComposeResult:
        p = self.case.patient
        yield Header()
        yield Static(
            f"[b]{p.name}[/b]  born {short_date(p.birth_date, True)} (age {p.age_on(self.today)})",
            id="patient", markup=True,
        )
        yield Static("Medications", classes="section")
        yield DataTable(id="medications", cursor_type="row", zebra_stripes=True)
        yield Static("Daily totals by ingredient", classes="section")
        yield DataTable(id="totals", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        meds = self.query_one("#medications", DataTable)
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
        totals.add_columns("Ingredient", "Scheduled", "As needed (most a day)")
        for t in self.case.regimen.ingredient_totals():
            totals.add_row(
                t.drug,
                amount_text(t.scheduled, t.unit) if t.scheduled else "-",
                f"up to {amount_text(t.prn_max, t.unit)}" if t.prn_max else "-",
            )
        meds.focus()
