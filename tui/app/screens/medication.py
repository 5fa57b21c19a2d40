"""Add a medication: the drug completes from the formulary (brands too) and only its real products are offered.

A medicine the formulary does not know, or a product it does not list, is kept as written (issue 14): the
same classification the CSV import uses (:func:`regimens.csv_import.match_line`). A name that matches no
drug is added as an unlisted medicine only when Add is pressed a second time, after the suggestions are
shown; a suggestion is never applied by itself. The form dismisses with a validated Medication (or None
when cancelled); the app adds it to the case. Every problem is shown next to its field and nothing is
added until all are fixed.
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

from regimens.csv_import import LineMatch, RowProblem, interval_hours, match_line
from regimens.dose_text import plural
from regimens.forms import Slot
from regimens.formulary import CLASS_TAGS, Drug, get_formulary, match_note
from regimens.plain_errors import excerpt, plain_message
from regimens.regimen import AsWritten, LineKind, Medication

#: The product choice that keeps the strength and form as written (a product the formulary does not list).
AS_WRITTEN = "as-written"


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
        self._unlisted_confirmed: str | None = (
            medication.written.name.strip() if medication is not None and medication.written is not None
            and medication.kind is LineKind.UNLISTED else None)
        """The unknown name Add was pressed for once (or the line already kept as unlisted): Add keeps it."""

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
            yield Label("Not in the formulary? Strength as written (e.g. 500 mg)")
            yield Input("", id="written-strength", placeholder="strength as the list writes it")
            yield Label("Form as written (e.g. capsule)")
            yield Input("", id="written-form", placeholder="form as the list writes it")
            yield Label("Classes of an unlisted medicine (optional, e.g. antiplatelet)")
            yield Input("", id="classes", suggester=SuggestFromList(sorted(CLASS_TAGS), case_sensitive=False))
            yield Static("", id="classes-error", classes="field-error")
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

        if med.kind is LineKind.UNLISTED and med.written is not None:
            self.query_one("#drug", Input).value = med.written.name
        elif med.product is None or len(med.product.ingredients) > 1:
            self.query_one("#drug", Input).value = self._combination_name(med)
        else:
            self.query_one("#drug", Input).value = med.product.ingredients[0].drug
        if med.written is not None and med.kind is not LineKind.LISTED:
            self.query_one("#written-strength", Input).value = med.written.strength
            self.query_one("#written-form", Input).value = med.written.form
        self.query_one("#classes", Input).value = ", ".join(med.classes)
        self.query_one("#units", Input).value = format_number(med.units) if med.units is not None else ""
        for slot in med.slots:
            self.query_one(f"#slot-{slot.value}", Checkbox).value = True
        self.query_one("#interval", Input).value = str(med.interval_hours or "")
        self.query_one("#prn", Checkbox).value = med.prn
        self.query_one("#max-units", Input).value = format_number(med.max_units_per_day) \
            if med.max_units_per_day is not None else ""
        self.query_one("#indication", Input).value = med.indication or ""
        self.call_after_refresh(self._select_product)

    def _combination_name(self, med: Medication) -> str:
        """The formulary drug a line is (a combination by its own name)."""
        return med.product.drug if med.product is not None else med.name

    def _select_product(self) -> None:
        med, drug = self.medication, self.drug
        if med is None or drug is None:
            return
        if med.product is not None and med.product.listed and any(p.id == med.product.id for p in drug.products):
            self.query_one("#product", Select).value = med.product.id
        elif med.kind is LineKind.UNCONFIRMED:
            self.query_one("#product", Select).value = AS_WRITTEN

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
        select.set_options([(p.description(), p.id) for p in products]
                           + [("Not listed: keep the strength and form as written (below)", AS_WRITTEN)])
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
        for field in ("drug", "product", "units", "when", "classes"):
            self._error(field, "")
        ok = True
        typed = self.query_one("#drug", Input).value
        product_id = self.query_one("#product", Select).value
        line: LineMatch | None = None
        if self.drug is None:
            if not typed.strip():
                self._error("drug", "Type a drug name.")
                ok = False
            elif self._unlisted_confirmed != typed.strip():
                # A name that matches nothing: show the suggestions; a second Add keeps it as written.
                self._unlisted_confirmed = typed.strip()
                self._error("drug", get_formulary().unknown_message(typed) + ". Press Add again to keep it as an "
                            "unlisted medicine (shown everywhere, reported as not screened).")
                ok = False
            else:
                line = self._written_line(typed)
                ok = ok and line is not None
        elif product_id == AS_WRITTEN:
            line = self._written_line(typed)
            ok = ok and line is not None
        elif not isinstance(product_id, str):
            self._error("product", "Choose one of the drug's products, or keep it as written.")
            ok = False
        classes = tuple(c.strip() for c in self.query_one("#classes", Input).value.split(",") if c.strip())
        units = self._number("Units", self.query_one("#units", Input).value, "units")
        if units is None:
            self._error("units", "Units: how many each time (e.g. 1, 0.5, 2.5 mL).")
        interval = self._interval(self.query_one("#interval", Input).value)
        most = self._number("Most units in a day", self.query_one("#max-units", Input).value, "when")
        if units in (None, False) or interval is False or most is False or not ok:
            return
        assert isinstance(units, Decimal)
        if isinstance(interval, Decimal) and interval != interval.to_integral_value():
            self._error("when", "Every N hours: a whole number of hours.")
            return
        if line is None:
            assert self.drug is not None and isinstance(product_id, str)
            line = LineMatch(next(p for p in self.drug.products if p.id == product_id))
        slots = tuple(s for s in Slot if self.query_one(f"#slot-{s.value}", Checkbox).value)
        indication = self.query_one("#indication", Input).value.strip() or None
        listed = line.product is not None and line.product.listed
        written = (self.medication.written if self.medication is not None and listed else
                   None if listed else AsWritten(name=typed.strip(),
                                                 strength=self.query_one("#written-strength", Input).value.strip(),
                                                 form=self.query_one("#written-form", Input).value.strip(),
                                                 dose=self.query_one("#units", Input).value.strip()))
        try:
            kept = ({"start_date": self.medication.start_date, "rxcui": self.medication.rxcui,
                     "notes": self.medication.notes} if self.medication else {})
            medication = Medication(
                id=self.new_id, product=line.product, written=written,
                drug=line.drug if line.product is None else None, classes=classes,
                units=units, slots=slots,
                interval_hours=int(interval) if isinstance(interval, Decimal) else None,
                prn=self.query_one("#prn", Checkbox).value,
                max_units_per_day=most if isinstance(most, Decimal) else None, indication=indication, **kept)
        except ValidationError as exc:
            for error in exc.errors():
                where = str(error["loc"][0]) if error["loc"] else ""
                field = {"units": "units", "classes": "classes"}.get(where, "when")
                if not where and "classes" in error["msg"]:
                    field = "classes"
                self._error(field, plain_message(error))
            return
        self.dismiss(medication)

    def _written_line(self, typed: str) -> LineMatch | None:
        """The line as written (strength and form fields), classified like a CSV row; None with the error
        shown next to the field when it cannot be read."""
        strength = self.query_one("#written-strength", Input).value
        form = self.query_one("#written-form", Input).value
        try:
            return match_line(get_formulary(), typed, strength, form)
        except RowProblem as exc:
            self._error("product", f"As written, {exc.column}: {exc.message}")
            return None
