"""Products: a drug in a form and strength that a pharmacy can dispense.

A product carries one or two ingredients (combination products such as
hydrocodone/acetaminophen 10 mg/325 mg count toward each ingredient's own total),
whether it may be split, and for liquids the volume its amounts are stated in.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from regimens.forms import (
    LIQUID_FORMS,
    MASS_UNITS,
    MAX_INGREDIENTS,
    MAX_INTERVAL_HOURS,
    NOUN_PLURALS,
    PERCENT,
    RATE_FORMS,
    RATE_UNITS,
    UNIT_ALIASES,
    UNIT_DOSED_FORMS,
    VOLUME_OPTIONAL_FORMS,
    Form,
    ParsedStrength,
    Release,
    canonical_unit,
    normalised,
    parse_strength,
)
from regimens.quantity import format_number

Amount = Annotated[Decimal, Field(gt=0, le=1_000_000, allow_inf_nan=False)]

#: The most of a product taken at once that is still a plausible dose: tablets, capsules,
#: patches and other counted units, and mL of a liquid.
MAX_COUNT_UNITS = Fraction(20)
MAX_ML = Fraction(200)
#: The most insulin (or other unit-dosed injection) units given at one time.
MAX_UNITS_AT_ONCE = Fraction(300)

StrengthKey = tuple[tuple[tuple[Fraction, str], ...], Fraction | None]


class Ingredient(BaseModel):
    """One active ingredient's amount in one unit of a product (or in ``volume_ml`` of a liquid)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    drug: str
    """Generic name of the single-ingredient drug, lowercase (e.g. "acetaminophen")."""
    amount: Amount
    """Amount per unit, or per ``Product.volume_ml`` for liquids."""
    unit: Literal["mg", "mcg", "g", "mcg/hr", "mg/24 hr", "mcg/24 hr", "units", "mEq", "%"]
    """Mass unit; a delivery rate for patches, vaginal rings and implants; units (insulin, heparin) or
    mEq (potassium) counted as they are; or % for a concentration with no amount per dose (creams, eye
    drops)."""
    delivers: Amount | None = None
    """The amount actually delivered, when the labelled name rounds it: a fentanyl "12 mcg/hr" patch
    delivers 12.5 mcg/hr (the label says 12 so that 12.5 is never misread as 125)."""

    @property
    def is_rate(self) -> bool:
        return self.unit in RATE_UNITS

    @property
    def exact(self) -> Fraction:
        """The amount every calculation uses (doses, totals, cuts, MME): what is delivered."""
        return Fraction(self.delivers if self.delivers is not None else self.amount)

    def text(self) -> str:
        """The labelled amount, as printed on the product ("12 mcg/hr", "0.5%")."""
        if self.unit == "%":
            return f"{format_number(self.amount)}%"
        return f"{format_number(self.amount)} {self.unit}"


class Product(BaseModel):
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
    ingredients: tuple[Ingredient, ...] = Field(min_length=1, max_length=MAX_INGREDIENTS)
    """Active ingredients in the order the strength is written."""
    volume_ml: Amount | None = None
    """Liquids only: the volume the ingredient amounts are stated in (5 for "5 mg/5 mL")."""
    split: Literal["none", "half"] = "none"
    """"half" for scored tablets that may be halved; "none" for everything else."""
    interval_hours: int | None = Field(default=None, ge=1, le=MAX_INTERVAL_HOURS)
    """Patches, rings and implants: how long one is worn before it is replaced."""
    brand: str | None = None
    """Brand name when the product is a branded presentation."""
    source: str = ""
    """Source id(s) for this row: where its strengths, form and scoring come from (a label, RxNorm)."""
    evidence: Literal["C", "S", "U"] = "U"
    """How well the row is checked: C confirmed in the source, S from a secondary source, U unverified."""
    rxcui: str | None = Field(default=None, pattern=r"^[0-9]{1,10}$")
    """RxNorm code of this clinical drug (SCD, or SBD for a branded product), where known."""
    listed: bool = True
    """False for a product described by the source list that the formulary does not list (a strength
    or form it lacks, or a medicine it does not know): kept and screened, never tapered."""

    @model_validator(mode="after")
    def _consistent(self) -> Product:
        if self.form in LIQUID_FORMS and self.volume_ml is None:
            raise ValueError("a liquid needs volume_ml")
        if self.volume_ml is not None and self.form not in LIQUID_FORMS | VOLUME_OPTIONAL_FORMS:
            raise ValueError(f"a {self.form.label} has no volume_ml (only liquids, injections, drops, "
                             "sprays and rinses have one)")
        rates = [i.is_rate for i in self.ingredients]
        if any(rates) and self.form not in RATE_FORMS:
            raise ValueError("only patches, vaginal rings and implants have a delivery-rate strength")
        if any(rates) and not all(rates):
            raise ValueError("a delivery-rate strength may not mix rates with other amounts")
        units = {i.unit for i in self.ingredients}
        if self.form is Form.PATCH and not all(rates) and units != {PERCENT}:
            raise ValueError("a patch strength is a rate (mcg/hr or mg/24 hr) or a concentration (lidocaine 5%)")
        if self.split == "half" and (self.form is not Form.TABLET or self.release is not Release.IMMEDIATE):
            raise ValueError("only immediate-release tablets may be split")
        return self

    @property
    def strength(self) -> str:
        """The strength as printed: "5 mg", "10 mg/325 mg", "5 mg/5 mL", "25 mcg/hr"."""
        parts = "/".join(i.text() for i in self.ingredients)
        if self.volume_ml is not None:
            vol = "mL" if self.volume_ml == 1 else f"{format_number(self.volume_ml)} mL"
            return f"{parts}/{vol}"
        return parts

    @cached_property
    def strength_key(self) -> StrengthKey:
        """Comparable key of the strength (same shape as :meth:`ParsedStrength.key`)."""
        return (tuple(normalised(Fraction(i.amount), i.unit) for i in self.ingredients),
                Fraction(self.volume_ml) if self.volume_ml is not None else None)

    @property
    def is_combination(self) -> bool:
        return len(self.ingredients) > 1

    @property
    def dosed_in_units(self) -> bool:
        """Insulin and the like: an injection or pen whose strength is "N units/mL" is dosed in units."""
        return (self.form in UNIT_DOSED_FORMS and self.volume_ml is not None
                and all(i.unit == "units" for i in self.ingredients))

    @property
    def dosed_in_ml(self) -> bool:
        """Measured in mL: liquids, rinses, and injections whose strength is an amount per mL."""
        if self.dosed_in_units:
            return False
        return self.form.unit_noun == "mL" or (self.form in UNIT_DOSED_FORMS and self.volume_ml is not None)

    @property
    def unit_noun(self) -> str:
        """The word for one dose unit ("tablet", "mL", "patch", "puff", "unit")."""
        if self.dosed_in_units:
            return "unit"
        return "mL" if self.dosed_in_ml else self.form.unit_noun

    @property
    def smallest_step(self) -> Fraction:
        """The smallest amount of this product a patient can take (in its dose units)."""
        if self.dosed_in_units:
            return Fraction(1, 2)
        if self.dosed_in_ml:
            return Fraction(1, 100) if self.form in UNIT_DOSED_FORMS else Fraction(1, 10)
        return Fraction(1, 2) if self.split == "half" else Fraction(1)

    @property
    def most_at_once(self) -> Fraction:
        """The most dose units that is still a plausible single dose (20 tablets, 200 mL, 300 units)."""
        if self.dosed_in_units:
            return MAX_UNITS_AT_ONCE
        return MAX_ML if self.dosed_in_ml else MAX_COUNT_UNITS

    def units_text(self, units: Fraction) -> str:
        """ "3 tablets", "2.5 mL", "10 units", "1 drop": a count of this product's dose units, in figures."""
        noun = self.unit_noun
        return f"{format_number(units)} {noun if units == 1 else NOUN_PLURALS.get(noun, noun + 's')}"

    def units_problem(self, units: Fraction) -> str | None:
        """Why ``units`` of this product cannot be given (half a capsule, 2.55 mL), or None."""
        if (units / self.smallest_step).denominator == 1:
            return None
        noun = self.unit_noun
        if self.dosed_in_units:
            return f"{format_number(units)} units cannot be dialled; use steps of 0.5 units"
        if self.dosed_in_ml:
            step = format_number(self.smallest_step)
            return f"{format_number(units)} mL cannot be measured; use steps of {step} mL"
        if self.split == "half":
            return f"{format_number(units)} {noun}s: scored tablets split into halves only"
        nouns = NOUN_PLURALS.get(noun, noun + "s")
        return f"{format_number(units)} {nouns}: this {self.form.label} may not be split (whole {nouns} only)"

    def description(self) -> str:
        """e.g. "oxycodone 10 mg extended-release tablet (OxyContin)"."""
        release = {
            Release.IMMEDIATE: "",
            Release.EXTENDED: "extended-release ",
            Release.DELAYED: "delayed-release ",
        }[self.release]
        text = f"{self.drug} {self.strength} {release}{self.form.label}"
        if self.brand and self.listed:
            text += f" ({self.brand})"
        return text

    @property
    def has_amount_per_unit(self) -> bool:
        """Whether one dose unit holds a known amount: not for a drop, spray or application of a
        concentration ("0.5%", "0.3 mg/mL" eye drops), whose volume is not measured."""
        if any(i.unit == "%" for i in self.ingredients):
            return False
        return self.volume_ml is None or self.dosed_in_ml or self.dosed_in_units

    def per_unit(self, ingredient: Ingredient) -> Fraction:
        """Amount of ``ingredient`` in one dose unit (a tablet, a patch, a puff, 1 mL, or 1 insulin unit:
        a 70/30 insulin unit holds 0.7 units of one ingredient and 0.3 of the other)."""
        amount = ingredient.exact
        if self.dosed_in_units:
            return amount / sum((i.exact for i in self.ingredients), Fraction(0))
        if self.volume_ml is not None:
            amount /= Fraction(self.volume_ml)
        return amount


__all__ = ["LIQUID_FORMS", "MASS_UNITS", "RATE_UNITS", "UNIT_ALIASES", "Amount", "Form", "Ingredient",
           "ParsedStrength", "Product", "Release", "canonical_unit", "parse_strength"]
