"""Add a medication: the drug completes from the formulary (brands too) and only its real products are offered.

The form dismisses with a validated Medication (or None when cancelled); the app adds it to the case.
Every problem is shown next to its field and nothing is added until all are fixed.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from fractions import Fraction

from pydantic import ValidationError
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from regimens.csv_import import interval_hours
from regimens.dose_text import plural
from regimens.forms import Slot
from regimens.formulary import Drug, get_formulary, match_note
from regimens.plain_errors import excerpt, plain_message
from regimens.regimen import Medication


def formulary_names() -> list[str]:
    """Every generic, brand and synonym, for completion."""
    names: list[str] = []
    for drug in get_formulary().drugs:
        names += [drug.name, *drug.brands, *drug.synonyms]
    return sorted(set(names), key=str.lower)


UNITS_LABEL = "Units each time (tablets, capsules, patches, or mL)"
#: Dose units the default label already names.
ORAL_NOUNS = frozenset({"tablet", "capsule", "patch", "mL"})

class MedicationForm(ModalScreen[Medication | None]):
    """Drug, product, units, when, and what it is for."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel-form")]
    AUTO_FOCUS = "#drug"

    def __init__(self, new_id: str, medication: Medication | None = None) -> None:
        super().__init__()
        self.new_id = new_id
        self.medication = medication
        """The line being changed (None: a new line); its id, start date and codes are kept."""
        self.drug: Drug | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="medication-form"):
            yield Static("Change a medication" if self.medication else "Add a medication", classes="section")
            yield Label("Drug (generic or brand name; the right arrow accepts the suggestion)")
            yield Input(placeholder="e.g. oxycodone, Cymbalta", id="drug",
                        suggester=SuggestFromList(formulary_names(), case_sensitive=False))
            yield Static("", id="drug-error", classes="field-error")
            note = Static("", id="drug-note", classes="field-note")
            note.display = False
            yield note
            yield Label("Product")
            yield Select[str]([], id="product", prompt="Choose the drug first")
            yield Static("", id="product-error", classes="field-error")
            yield Label(UNITS_LABEL, id="units-label")
            yield Input("1", id="units")
            yield Static("", id="units-error", classes="field-error")
            with Horizontal(classes="options"):
                for slot in Slot:
                    yield Checkbox(slot.value, id=f"slot-{slot.value}")
            yield Label("or every N hours (patches: 72)")
            yield Input("", id="interval", placeholder="leave empty when taken at the times above")
            yield Checkbox("Only when needed (as needed)", id="prn")
            yield Label("Most units in a day (as needed)")
            yield Input("", id="max-units")
            yield Static("", id="when-error", classes="field-error")
            yield Label("What it is for (optional)")
            yield Input("", id="indication", placeholder="e.g. for pain")
            with Horizontal(id="choices"):
                yield Button("Change" if self.medication else "Add", id="add", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        med = self.medication
        if med is None:
            return
        from regimens.quantity import format_number

        self.query_one("#drug", Input).value = med.product.ingredients[0].drug if len(
            med.product.ingredients) == 1 else self._combination_name(med)
        self.query_one("#units", Input).value = format_number(med.units)
        for slot in med.slots:
            self.query_one(f"#slot-{slot.value}", Checkbox).value = True
        self.query_one("#interval", Input).value = str(med.interval_hours or "")
        self.query_one("#prn", Checkbox).value = med.prn
        self.query_one("#max-units", Input).value = format_number(med.max_units_per_day) \
            if med.max_units_per_day is not None else ""
        self.query_one("#indication", Input).value = med.indication or ""
        self.call_after_refresh(self._select_product)

    def _combination_name(self, med: Medication) -> str:
        match = next((d for d in get_formulary().drugs if any(p.id == med.product.id for p in d.products)), None)
        return match.name if match else med.product.ingredients[0].drug

    def _select_product(self) -> None:
        med, drug = self.medication, self.drug
        if med is not None and drug is not None and any(p.id == med.product.id for p in drug.products):
            self.query_one("#product", Select).value = med.product.id

    def on_select_changed(self, event: Select.Changed) -> None:
        """Name the chosen product's dose unit ("puffs", "units", "drops") where it is not an oral one."""
        if event.select.id != "product" or self.drug is None:
            return
        product = next((p for p in self.drug.products if p.id == event.value), None)
        noun = product.unit_noun if product is not None else "tablet"
        self.query_one("#units-label", Label).update(
            UNITS_LABEL if noun in ORAL_NOUNS else f"Units each time ({plural(noun, Fraction(2))})")

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "drug":
            return
        match = get_formulary().lookup(event.value)
        drug = match.drug if match else None
        self._note(match_note(match) if match else "")
        if drug is self.drug:
            return
        self.drug = drug
        select = self.query_one("#product", Select)
        if drug is None:
            select.set_options([])
            return
        products = list(drug.products)
        if match is not None and match.brand:
            products.sort(key=lambda p: getattr(p, "brand", None) != match.brand)
        select.set_options([(p.description(), p.id) for p in products])
        if len(products) == 1 or (match is not None and match.brand):
            select.value = products[0].id
        self.query_one("#drug-error", Static).update("")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "cancel":
            self.dismiss(None)
        else:
            self.submit()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def _note(self, text: str) -> None:
        """Which name matched and its ISMP look-alikes; takes no room while there is none."""
        note = self.query_one("#drug-note", Static)
        note.update(text)
        note.display = bool(text)

    def _error(self, field: str, text: str) -> None:
        self.query_one(f"#{field}-error", Static).update(text)

    def _number(self, field: str, text: str, error_field: str) -> Decimal | None | bool:
        """The field as a Decimal; None when empty; False (and an inline error) when not a number."""
        text = text.strip()
        if not text:
            return None
        try:
            value = Decimal(text)
        except InvalidOperation:
            self._error(error_field, f"{field}: {excerpt(text)} is not a number")
            return False
        if not value.is_finite() or value <= 0:
            self._error(error_field, f"{field}: must be a number above 0")
            return False
        return value

    def _interval(self, text: str) -> Decimal | None | bool:
        """Hours from "72", "72 hours", "90 days", "12 weeks", "3 months"; False (and an error) when not."""
        if not text.strip():
            return None
        try:
            hours = interval_hours(text)
        except ValueError as exc:
            self._error("when", f"Every N hours: {exc}")
            return False
        if hours is None:
            return self._number("Every N hours", text, "when")
        return Decimal(hours)

    def submit(self) -> None:
        for field in ("drug", "product", "units", "when"):
            self._error(field, "")
        ok = True
        if self.drug is None:
            typed = self.query_one("#drug", Input).value
            self._error("drug", get_formulary().unknown_message(typed) if typed.strip() else "Type a drug name.")
            ok = False
        product_id = self.query_one("#product", Select).value
        if self.drug is not None and not isinstance(product_id, str):
            self._error("product", "Choose one of the drug's products.")
            ok = False
        units = self._number("Units", self.query_one("#units", Input).value, "units")
        if units is None:
            self._error("units", "Units: how many each time (e.g. 1, 0.5, 2.5 mL).")
        interval = self._interval(self.query_one("#interval", Input).value)
        most = self._number("Most units in a day", self.query_one("#max-units", Input).value, "when")
        if units in (None, False) or interval is False or most is False or not ok:
            return
        assert self.drug is not None and isinstance(product_id, str) and isinstance(units, Decimal)
        if isinstance(interval, Decimal) and interval != interval.to_integral_value():
            self._error("when", "Every N hours: a whole number of hours.")
            return
        product = next(p for p in self.drug.products if p.id == product_id)
        slots = tuple(s for s in Slot if self.query_one(f"#slot-{s.value}", Checkbox).value)
        indication = self.query_one("#indication", Input).value.strip() or None
        try:
            kept = {"start_date": self.medication.start_date} if self.medication else {}
            medication = Medication(
                id=self.new_id, product=product, units=units, slots=slots,
                interval_hours=int(interval) if isinstance(interval, Decimal) else None,
                prn=self.query_one("#prn", Checkbox).value,
                max_units_per_day=most if isinstance(most, Decimal) else None, indication=indication, **kept)
        except ValidationError as exc:
            for error in exc.errors():
                where = str(error["loc"][0]) if error["loc"] else ""
                field = "units" if where == "units" else "when"
                self._error(field, plain_message(error))
            return
        self.dismiss(medication)
