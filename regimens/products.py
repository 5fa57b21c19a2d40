"""Products: a drug in a form and strength that a pharmacy can dispense.

A product carries one or two ingredients (combination products such as
hydrocodone/acetaminophen 10 mg/325 mg count toward each ingredient's own total),
whether it may be split, and for liquids the volume its amounts are stated in.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from regimens.forms import (
    LIQUID_FORMS,
    MASS_UNITS,
    RATE_UNITS,
    UNIT_ALIASES,
    Form,
    ParsedStrength,
    ProductBehaviour,
    Release,
    canonical_unit,
    parse_strength,
    strength_key,
)
from regimens.invariants import product_problem
from regimens.quantity import format_number

Amount = Annotated[Decimal, Field(gt=0, le=1_000_000, allow_inf_nan=False)]


class Ingredient(BaseModel):
    """One active ingredient's amount in one unit of a product (or in ``volume_ml`` of a liquid)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    drug: str
    """Generic name of the single-ingredient drug, lowercase (e.g. "acetaminophen")."""
    amount: Amount
    """Amount per unit, or per ``Product.volume_ml`` for liquids."""
    unit: Literal["mg", "mcg", "g", "mcg/hr", "mg/24 hr"]
    """Mass unit, or a delivery rate for patches."""

    @property
    def is_rate(self) -> bool:
        return self.unit in RATE_UNITS

    def text(self) -> str:
        return f"{format_number(self.amount)} {self.unit}"


class Product(BaseModel, ProductBehaviour):
    """A dispensable product: drug, form, release, strength and how it may be divided."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    """Stable identifier, e.g. "oxycodone-tablet-5mg"."""
    drug: str
    """Formulary name: a generic ("oxycodone") or a combination ("hydrocodone/acetaminophen")."""
    form: Form
    """Dose form."""
    release: Release = Release.IMMEDIATE
    """Immediate, extended or delayed release."""
    ingredients: tuple[Ingredient, ...] = Field(min_length=1, max_length=2)
    """Active ingredients in the order the strength is written."""
    volume_ml: Amount | None = None
    """Liquids only: the volume the ingredient amounts are stated in (5 for "5 mg/5 mL")."""
    split: Literal["none", "half"] = "none"
    """"half" for scored tablets that may be halved; "none" for everything else."""
    interval_hours: int | None = Field(default=None, ge=1, le=24 * 14)
    """Patches: how long one is worn before it is replaced."""
    brand: str | None = None
    """Brand name when the product is a branded presentation."""
    source: str = ""
    """Source id(s) for this row."""

    @model_validator(mode="after")
    def _consistent(self) -> Product:
        problem = product_problem(self.form.value, self.release.value, self.volume_ml is not None,
                                  [i.unit for i in self.ingredients], self.split)
        if problem:
            raise ValueError(problem)
        return self



__all__ = ["LIQUID_FORMS", "MASS_UNITS", "RATE_UNITS", "UNIT_ALIASES", "Amount", "Form", "Ingredient",
           "ParsedStrength", "Product", "Release", "canonical_unit", "parse_strength", "strength_key"]
