"""What a patient takes: medications on a schedule, and exact daily totals per ingredient."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Annotated, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from regimens.forms import COUNT_UNITS, MASS_UNITS, MAX_INTERVAL_HOURS, PERCENT, SLOT_ORDER, SLOT_PHRASES, Slot
from regimens.formulary import get_formulary
from regimens.products import Product
from regimens.quantity import amount_text, format_number

Units = Annotated[Decimal, Field(le=10_000, allow_inf_nan=False, decimal_places=4)]
"""A count of dose units (tablets, capsules, patches, mL); more than 0, checked by :class:`Medication`."""


class IngredientAmount(NamedTuple):
    """An exact amount of one ingredient per day, in mg (or a patch rate unit)."""

    drug: str
    amount: Fraction
    unit: str

    def text(self) -> str:
        return amount_text(self.amount, self.unit)


class Medication(BaseModel):
    """One line of the medication list: a product, how much, and when."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1, max_length=64)
    """Stable id within the case; taper plans refer to it."""
    product: Product
    """The product taken (a full copy, so the case file stands on its own); one the formulary lists."""
    units: Units
    """Units per administration: tablets, capsules, patches, or mL for liquids."""
    slots: tuple[Slot, ...] = ()
    """UMS periods when it is taken; empty when ``interval_hours`` is used."""
    interval_hours: int | None = Field(default=None, ge=1, le=MAX_INTERVAL_HOURS)
    """Every N hours (8, 72 for a patch, 168 for weekly, 2160 for a 90-day ring) instead of slots."""
    prn: bool = False
    """Taken only when needed."""
    max_units_per_day: Units | None = None
    """For PRN medicines: the most units allowed in a day."""
    indication: str | None = Field(default=None, max_length=200)
    """What it is for, in everyday words ("for pain")."""
    start_date: date | None = None
    """When the patient started it, if known (1900 or later)."""
    rxcui: str | None = Field(default=None, max_length=20)
    """RxNorm code of the clinical drug (digits), if the source list had one."""
    notes: str | None = Field(default=None, max_length=500)
    """Free text from the source list or the pharmacist ("crushes tablets", "from Dr Lee"); never on the calendar."""

    @field_validator("product")
    @classmethod
    def _listed(cls, product: Product) -> Product:
        """The product must be one the formulary lists, exactly as it lists it."""
        listed = get_formulary().product(product.drug, product.id)
        if listed is None:
            raise ValueError(f"{product.id!r} ({product.drug}) is not a product in the formulary")
        for name in ("drug", "form", "release", "ingredients", "volume_ml", "split", "interval_hours", "brand"):
            if _listed_fact(product, name) != _listed_fact(listed, name):
                shown = listed.strength if name == "ingredients" else getattr(listed, name)
                raise ValueError(f"{name} does not match the formulary's {product.id!r} "
                                 f"(the formulary has {shown!r}); this product does not exist")
        # The formulary's own copy: facts it has learnt since the file was saved (what a patch delivers)
        # reach every line, so no calculation runs on an older copy.
        return listed

    @field_validator("units")
    @classmethod
    def _units(cls, units: Decimal, info: ValidationInfo) -> Decimal:
        product = info.data.get("product")
        _check_dose(Fraction(units), product)
        return units

    @field_validator("slots")
    @classmethod
    def _slots(cls, slots: tuple[Slot, ...], info: ValidationInfo) -> tuple[Slot, ...]:
        if len(set(slots)) != len(slots):
            raise ValueError("a time slot is listed twice")
        product = info.data.get("product")
        if slots and product is not None and product.form.is_interval_only:
            raise ValueError(f"a {product.form.label} is changed on an interval ('every 72 hours', "
                             "'every 7 days', 'every 90 days'), not at time slots")
        return tuple(s for s in SLOT_ORDER if s in slots)

    @field_validator("interval_hours")
    @classmethod
    def _slots_or_interval(cls, hours: int | None, info: ValidationInfo) -> int | None:
        if "slots" in info.data and bool(info.data["slots"]) == (hours is not None):
            raise ValueError("give either time slots or an interval, not both or neither")
        return hours

    @field_validator("max_units_per_day")
    @classmethod
    def _most_a_day(cls, most: Decimal | None, info: ValidationInfo) -> Decimal | None:
        if most is None:
            return None
        if not info.data.get("prn", False):
            raise ValueError("a maximum per day applies to as-needed medicines only")
        _check_dose(Fraction(most), info.data.get("product"))
        units = info.data.get("units")
        if units is not None and most < units:
            raise ValueError("the maximum per day is less than one dose")
        return most

    @field_validator("start_date")
    @classmethod
    def _since_1900(cls, day: date | None) -> date | None:
        if day is not None and day.year < 1900:
            raise ValueError(f"{day.isoformat()!r} is before 1900")
        return day

    @field_validator("rxcui")
    @classmethod
    def _rxnorm_code(cls, code: str | None) -> str | None:
        if code is not None and not (code.isascii() and code.isdigit()):
            raise ValueError(f"{code!r} is not an RxNorm code (digits only)")
        return code

    @model_validator(mode="after")
    def _schedule(self) -> Medication:
        # Fields that failed are reported by their own validators; this catches a missing schedule.
        if not self.slots and self.interval_hours is None:
            raise ValueError("give either time slots or an interval, not both or neither")
        return self

    @property
    def administrations_per_day(self) -> Fraction:
        if self.slots:
            return Fraction(len(self.slots))
        assert self.interval_hours is not None
        return Fraction(24, self.interval_hours)

    @property
    def is_patch(self) -> bool:
        return self.product.form.value == "patch"

    def units_per_day(self) -> Fraction:
        """Scheduled units a day; for PRN medicines with a limit, the most allowed a day."""
        if self.prn and self.max_units_per_day is not None:
            return Fraction(self.max_units_per_day)
        return Fraction(self.units) * self.administrations_per_day

    def ingredient_names(self) -> list[str]:
        """Every ingredient of the line, whether or not it has a daily amount (a 0.5% eye drop has none):
        what the review screens by ingredient and class."""
        return list(dict.fromkeys(i.drug for i in self.product.ingredients))

    def ingredient_amounts(self) -> list[IngredientAmount]:
        """Daily amount of each ingredient in mg (patches: the rate delivered while worn)."""
        per_day = self.units_per_day()
        out = []
        for ing in self.product.ingredients:
            if ing.is_rate:
                out.append(IngredientAmount(ing.drug, Fraction(self.units) * ing.exact, ing.unit))
            elif ing.unit == PERCENT or not self.product.has_amount_per_unit:
                continue  # a concentration: a 1% cream or a drop of 0.3 mg/mL has no daily amount to add up
            elif ing.unit in COUNT_UNITS:
                out.append(IngredientAmount(ing.drug, per_day * self.product.per_unit(ing), ing.unit))
            else:
                mg = per_day * self.product.per_unit(ing) * MASS_UNITS[ing.unit]
                out.append(IngredientAmount(ing.drug, mg, "mg"))
        return out


def _listed_fact(product: Product, name: str) -> object:
    """A fact that identifies a product; an ingredient by drug, labelled amount and unit."""
    if name == "ingredients":
        return tuple((i.drug, i.amount, i.unit) for i in product.ingredients)
    return getattr(product, name)


def _check_dose(units: Fraction, product: Product | None) -> None:
    """A count of dose units must be more than 0, measurable and plausible at once."""
    if units <= 0:
        raise ValueError(f"{format_number(units)} is not a dose; it must be more than 0")
    if product is None:
        return
    problem = product.units_problem(units)
    if problem:
        raise ValueError(problem)
    if units > product.most_at_once:
        raise ValueError(f"{product.units_text(units)} at once is not a plausible dose")


@dataclass(frozen=True)
class IngredientTotal:
    """One ingredient's total across the regimen: scheduled, and the most taken as needed."""

    drug: str
    unit: str
    scheduled: Fraction
    prn_max: Fraction

    @property
    def total(self) -> Fraction:
        return self.scheduled + self.prn_max


class Regimen(BaseModel):
    """The patient's medication list."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    medications: tuple[Medication, ...] = ()
    """Every medicine the patient takes, scheduled and as needed."""

    @model_validator(mode="after")
    def _unique_ids(self) -> Regimen:
        ids = [m.id for m in self.medications]
        if len(set(ids)) != len(ids):
            raise ValueError("two medications share an id")
        return self

    def ingredient_totals(self) -> list[IngredientTotal]:
        """Per-ingredient daily totals in first-seen order, scheduled and PRN maximum kept apart."""
        totals: dict[tuple[str, str], list[Fraction]] = {}
        for med in self.medications:
            for item in med.ingredient_amounts():
                pair = totals.setdefault((item.drug, item.unit), [Fraction(0), Fraction(0)])
                pair[1 if med.prn else 0] += item.amount
        return [IngredientTotal(drug=drug, unit=unit, scheduled=scheduled, prn_max=prn_max)
                for (drug, unit), (scheduled, prn_max) in totals.items()]

    def by_id(self, med_id: str) -> Medication:
        for med in self.medications:
            if med.id == med_id:
                return med
        raise KeyError(med_id)


__all__ = ["SLOT_ORDER", "SLOT_PHRASES", "IngredientAmount", "IngredientTotal", "Medication", "Regimen", "Slot"]
