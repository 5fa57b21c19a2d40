"""What a patient takes: medications on a schedule, and exact daily totals per ingredient."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from regimens.amounts import (
    IngredientAmount,
    administrations_per_day,
    daily_amounts,
    totals_by_ingredient,
    units_per_day,
)
from regimens.forms import SLOT_ORDER, SLOT_PHRASES, Slot
from regimens.invariants import duplicate_ids, medication_problem
from regimens.products import Product

Units = Annotated[Decimal, Field(gt=0, le=10_000, allow_inf_nan=False, decimal_places=4)]


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

    @field_validator("product", mode="before")
    @classmethod
    def _from_formulary(cls, value: Any) -> Any:
        """Formulary products are light objects; store a full copy in the case."""
        as_dict = getattr(value, "as_dict", None)
        return as_dict() if callable(as_dict) and not isinstance(value, BaseModel) else value

    @model_validator(mode="after")
    def _check(self) -> Medication:
        problem = medication_problem(
            self.product.form.value, self.product.split, Fraction(self.units),
            [s.value for s in self.slots], self.interval_hours, self.prn,
            Fraction(self.max_units_per_day) if self.max_units_per_day is not None else None,
        )
        if problem:
            raise ValueError(problem)
        object.__setattr__(self, "slots", tuple(s for s in SLOT_ORDER if s in self.slots))
        return self

    @property
    def administrations_per_day(self) -> Fraction:
        return administrations_per_day(len(self.slots), self.interval_hours)

    @property
    def is_patch(self) -> bool:
        return self.product.form.value == "patch"

    def units_per_day(self) -> Fraction:
        """Scheduled units a day; for PRN medicines, the most allowed a day."""
        return units_per_day(Fraction(self.units), len(self.slots), self.interval_hours, self.prn,
                             self._max_units)

    @property
    def _max_units(self) -> Fraction | None:
        return Fraction(self.max_units_per_day) if self.max_units_per_day is not None else None

    def ingredient_amounts(self) -> list[IngredientAmount]:
        """Daily amount of each ingredient (patches: the rate delivered while worn)."""
        product = self.product
        return daily_amounts(
            [(i.drug, Fraction(i.amount), i.unit) for i in product.ingredients],
            Fraction(product.volume_ml) if product.volume_ml is not None else None,
            Fraction(self.units), len(self.slots), self.interval_hours, self.prn, self._max_units,
        )


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
        problem = duplicate_ids([m.id for m in self.medications], "medications")
        if problem:
            raise ValueError(problem)
        return self

    def ingredient_totals(self) -> list[IngredientTotal]:
        """Per-ingredient daily totals, scheduled and PRN maximum kept apart."""
        return [IngredientTotal(drug=drug, unit=unit, scheduled=scheduled, prn_max=prn_max)
                for drug, unit, scheduled, prn_max in totals_by_ingredient(
                    (med.prn, med.ingredient_amounts()) for med in self.medications)]

    def by_id(self, med_id: str) -> Medication:
        for med in self.medications:
            if med.id == med_id:
                return med
        raise KeyError(med_id)


__all__ = ["SLOT_ORDER", "SLOT_PHRASES", "IngredientAmount", "IngredientTotal", "Medication", "Regimen", "Slot",
           "administrations_per_day"]
