"""What a patient takes: medications on a schedule, and exact daily totals per ingredient."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from regimens.products import MASS_UNITS, Product
from regimens.quantity import format_number, is_terminating

Units = Annotated[Decimal, Field(gt=0, le=10_000, allow_inf_nan=False, decimal_places=4)]


class Slot(StrEnum):
    """The four Universal Medication Schedule periods, in order."""

    MORNING = "morning"
    NOON = "noon"
    EVENING = "evening"
    BEDTIME = "bedtime"


SLOT_ORDER = (Slot.MORNING, Slot.NOON, Slot.EVENING, Slot.BEDTIME)
SLOT_PHRASES = {
    Slot.MORNING: "in the morning",
    Slot.NOON: "at noon",
    Slot.EVENING: "in the evening",
    Slot.BEDTIME: "at bedtime",
}


class Medication(BaseModel):
    """One line of the medication list: a product, how much, and when."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1, max_length=64)
    """Stable id within the case; taper plans refer to it."""
    product: Product
    """The product taken (a full copy, so the case file stands on its own)."""
    units: Units
    """Units per administration: tablets, capsules, patches, or mL for liquids."""
    slots: tuple[Slot, ...] = ()
    """UMS periods when it is taken; empty when ``interval_hours`` is used."""
    interval_hours: int | None = Field(default=None, ge=1, le=24 * 28)
    """Every N hours (8, 72 for a patch, 168 for weekly) instead of slots."""
    prn: bool = False
    """Taken only when needed."""
    max_units_per_day: Units | None = None
    """For PRN medicines: the most units allowed in a day."""
    indication: str | None = Field(default=None, max_length=200)
    """What it is for, in everyday words ("for pain")."""
    start_date: date | None = None
    """When the patient started it, if known."""
    rxcui: str | None = Field(default=None, max_length=20)
    """RxNorm code of the clinical drug, if the source list had one."""

    @model_validator(mode="after")
    def _check(self) -> Medication:
        if bool(self.slots) == (self.interval_hours is not None):
            raise ValueError("give either time slots or an interval, not both or neither")
        if len(set(self.slots)) != len(self.slots):
            raise ValueError("a time slot is listed twice")
        if self.slots:
            object.__setattr__(
                self, "slots", tuple(s for s in SLOT_ORDER if s in self.slots)
            )
        units = Fraction(self.units)
        step = self.product.smallest_step
        if (units / step).denominator != 1:
            raise ValueError(self.unit_problem(units))
        if self.max_units_per_day is not None and not self.prn:
            raise ValueError("a maximum per day applies to as-needed medicines only")
        if self.max_units_per_day is not None and Fraction(self.max_units_per_day) < units:
            raise ValueError("the maximum per day is less than one dose")
        return self

    def unit_problem(self, units: Fraction) -> str:
        product = self.product
        if product.form.is_liquid:
            return f"{format_number(units)} mL cannot be measured; use steps of 0.1 mL"
        if product.split == "half":
            return f"{format_number(units)} {product.unit_noun}s: scored tablets split into halves only"
        noun = product.unit_noun
        return (
            f"{format_number(units)} {noun}s: this {product.form.label} may not be split "
            f"(whole {noun}s only)"
        )

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
        """Scheduled units a day; for PRN medicines, the most allowed a day."""
        if self.prn and self.max_units_per_day is not None:
            return Fraction(self.max_units_per_day)
        return Fraction(self.units) * self.administrations_per_day

    def ingredient_amounts(self) -> list[IngredientAmount]:
        """Daily amount of each ingredient (patches: the rate delivered while worn)."""
        out = []
        for ing in self.product.ingredients:
            if ing.is_rate:
                amount = Fraction(self.units) * Fraction(ing.amount)
                out.append(IngredientAmount(ing.drug, amount, ing.unit))
            else:
                mg = self.units_per_day() * self.product.per_unit(ing) * MASS_UNITS[ing.unit]
                out.append(IngredientAmount(ing.drug, mg, "mg"))
        return out


@dataclass(frozen=True)
class IngredientAmount:
    """An exact amount of one ingredient per day, in mg (or a patch rate unit)."""

    drug: str
    amount: Fraction
    unit: str

    def text(self) -> str:
        return amount_text(self.amount, self.unit)


def amount_text(amount: Fraction, unit: str) -> str:
    """"20 mg", "0.5 mg", "1,950 mg", "25 mcg/hr"; "about 2.143 mg" when it does not terminate."""
    prefix = "" if is_terminating(amount, 3) else "about "
    return f"{prefix}{format_number(amount)} {unit}"


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
        """Per-ingredient daily totals, scheduled and PRN maximum kept apart."""
        sched: dict[tuple[str, str], Fraction] = {}
        prn: dict[tuple[str, str], Fraction] = {}
        order: list[tuple[str, str]] = []
        for med in self.medications:
            for item in med.ingredient_amounts():
                key = (item.drug, item.unit)
                if key not in order:
                    order.append(key)
                target = prn if med.prn else sched
                target[key] = target.get(key, Fraction(0)) + item.amount
        return [
            IngredientTotal(
                drug=drug,
                unit=unit,
                scheduled=sched.get((drug, unit), Fraction(0)),
                prn_max=prn.get((drug, unit), Fraction(0)),
            )
            for drug, unit in order
        ]

    def by_id(self, med_id: str) -> Medication:
        for med in self.medications:
            if med.id == med_id:
                return med
        raise KeyError(med_id)
