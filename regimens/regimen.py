"""What a patient takes: medications on a schedule, and exact daily totals per ingredient."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Annotated, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from regimens.forms import COUNT_UNITS, MASS_UNITS, MAX_INTERVAL_HOURS, PERCENT, SLOT_ORDER, SLOT_PHRASES, Slot
from regimens.formulary import CLASS_TAGS, get_formulary
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


class LineKind(StrEnum):
    """What the formulary knows about a line: every line is kept, whichever it is."""

    LISTED = "listed"
    """A product the formulary lists: screened, printed and taperable."""
    UNCONFIRMED = "unconfirmed"
    """A drug the formulary knows in a product it does not list: screened by its ingredients and
    classes, marked for the pharmacist to confirm, not taperable until it is given a listed product."""
    UNLISTED = "unlisted"
    """A medicine the formulary does not know: kept as written and shown everywhere; screened only by
    the classes the pharmacist gives it, otherwise reported as not screened."""


#: The mark printed with a line that is not a listed product, on every screen and page.
KIND_MARKS = {
    LineKind.LISTED: "",
    LineKind.UNCONFIRMED: "product not in the formulary: confirm",
    LineKind.UNLISTED: "unlisted",
}


class AsWritten(BaseModel):
    """A line as its source list wrote it, kept whenever the formulary has no product for it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    """The medicine's name as written ("Ashwagandha", "oxycodone")."""
    strength: str = Field(default="", max_length=200)
    form: str = Field(default="", max_length=200)
    dose: str = Field(default="", max_length=500)
    """The dose, or the sig, as written."""

    def text(self) -> str:
        """"Ashwagandha 500 mg capsule": the written parts that are there, in order."""
        return " ".join(part.strip() for part in (self.name, self.strength, self.form) if part.strip())


class Medication(BaseModel):
    """One line of the medication list: a product (or the line as written), how much, and when."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1, max_length=64)
    """Stable id within the case; taper plans refer to it."""
    product: Product | None = None
    """The product taken (a full copy, so the case file stands on its own): one the formulary lists,
    or one the source list describes that it does not (``listed`` false). None when the line's
    strength or form could not be read as a product: then ``written`` holds it."""
    written: AsWritten | None = None
    """The line as the source list wrote it; always kept for a line that is not a listed product."""
    drug: str | None = Field(default=None, max_length=200)
    """A line without a product: the formulary drug it is, or for an unlisted medicine the ingredient
    the pharmacist named. Lines with a product take their drug from it."""
    classes: tuple[str, ...] = ()
    """An unlisted medicine's class tags, given by the pharmacist so the class rules screen it."""
    units: Units | None = None
    """Units per administration: tablets, capsules, patches, or mL for liquids. None when the source did
    not state the dose or its sig could not be read: the line keeps the text (``written.dose``), is shown
    and screened, and counts toward no total until the dose is given."""
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
    def _listed(cls, product: Product | None) -> Product | None:
        """A listed product must be one the formulary lists, exactly as it lists it."""
        if product is None:
            return None
        if not product.listed:
            if not product.id.startswith(UNLISTED_PREFIX):
                raise ValueError(f"{product.id!r}: a product the formulary does not list has an id "
                                 f"starting {UNLISTED_PREFIX!r}")
            return product
        listed = get_formulary().product(product.drug, product.id)
        if listed is None:
            raise ValueError(f"{product.id!r} ({product.drug}) is not a product in the formulary")
        if product is listed:  # the formulary's own copy (every importer passes it): nothing to compare
            return listed
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
    def _units(cls, units: Decimal | None, info: ValidationInfo) -> Decimal | None:
        if units is not None:
            _check_dose(Fraction(units), info.data.get("product"))
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
        if "slots" in info.data and info.data["slots"] and hours is not None:
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

    @field_validator("classes")
    @classmethod
    def _known_classes(cls, classes: tuple[str, ...]) -> tuple[str, ...]:
        unknown = sorted(set(classes) - CLASS_TAGS)
        if unknown:
            raise ValueError(f"{unknown[0]!r} is not a class taper knows")
        return tuple(dict.fromkeys(classes))

    @model_validator(mode="after")
    def _schedule(self) -> Medication:
        # Fields that failed are reported by their own validators; this catches a missing schedule.
        if self.units is not None and not self.slots and self.interval_hours is None:
            raise ValueError("give either time slots or an interval, not both or neither")
        if self.units is None and (self.written is None or not self.written.dose.strip()):
            raise ValueError("a line whose dose is not known keeps the dose or sig as written")
        if self.product is None and self.written is None:
            raise ValueError("a line with no product keeps what the list wrote (name, strength, form, dose)")
        if self.product is not None and self.drug is not None:
            raise ValueError("a line with a product takes its drug from the product")
        if self.classes and self.kind is not LineKind.UNLISTED:
            raise ValueError("only an unlisted medicine is given classes; the formulary has the others'")
        return self

    @property
    def kind(self) -> LineKind:
        """Listed, a known drug in a product not listed, or a medicine the formulary does not know."""
        if self.product is not None and self.product.listed:
            return LineKind.LISTED
        name = self.product.drug if self.product is not None else self.drug
        return LineKind.UNCONFIRMED if name and name in get_formulary().by_name else LineKind.UNLISTED

    @property
    def mark(self) -> str:
        """"" for a listed product; "product not in the formulary: confirm"; "unlisted"."""
        return KIND_MARKS[self.kind]

    @property
    def screened(self) -> bool:
        """False for an unlisted medicine no one has given classes: no rule can see it."""
        return self.kind is not LineKind.UNLISTED or bool(self.classes)

    @property
    def name(self) -> str:
        """The drug this line is: the product's, the formulary drug's, the pharmacist's, or as written."""
        if self.product is not None:
            return self.product.drug
        if self.drug:
            return self.drug
        assert self.written is not None
        return self.written.name

    def ingredient_names(self) -> tuple[str, ...]:
        """The ingredients the review screens this line by (an unlisted medicine: its own name)."""
        if self.product is not None:
            return tuple(dict.fromkeys(i.drug for i in self.product.ingredients))
        known = get_formulary().by_name.get(self.drug or "")
        return known.ingredients if known is not None else (self.name,)

    def classes_of(self, ingredient: str) -> frozenset[str]:
        """Class tags that screen ``ingredient`` on this line: the formulary's, and for an unlisted
        medicine those the pharmacist gave it."""
        return get_formulary().classes_of(ingredient) | frozenset(self.classes)

    def description(self) -> str:
        """The product as printed; an unlisted medicine or a line without a product as written."""
        if self.written is not None and (self.product is None or self.kind is LineKind.UNLISTED):
            return self.written.text()
        assert self.product is not None
        return self.product.description()

    def titled(self) -> str:
        """The description with its marks when it is not a listed product or its dose is not known:
        "Ashwagandha 500 mg capsule (unlisted)" — how every screen and page names a line."""
        marks = [m for m in (self.mark, "" if self.dose_known else DOSE_NOT_KNOWN) if m]
        return f"{self.description()} ({'; '.join(marks)})" if marks else self.description()

    @property
    def unit_noun(self) -> str:
        """The word for one dose unit: the product's; for a line without one, the word its dose or form
        was written with ("softgel"), else "dose"."""
        if self.product is not None:
            return self.product.unit_noun
        assert self.written is not None
        word = re.fullmatch(r"\s*[0-9.,]+\s*([A-Za-z]{2,20})\s*", self.written.dose)
        if word:
            noun = word.group(1).lower()
            return noun[:-1] if noun.endswith("s") and not noun.endswith("ss") else noun
        form = self.written.form.strip().lower()
        return form if re.fullmatch(r"[a-z]{2,20}", form) else "dose"

    @property
    def sig_as_written(self) -> str:
        """The sig the source list gave, as written ("1-2 tabs q4-6h prn pain"), for the pharmacist's screens
        beside what it was read as; "" when the list gave a plain dose ("1", "2.5 mL") or nothing. Never for
        the patient's calendar, which prints only the normalised wording."""
        if self.written is None:
            return ""
        text = self.written.dose.strip()
        if not text or re.fullmatch(r"[0-9.,]+\s*[A-Za-z]{0,20}", text):
            return ""
        return text

    @property
    def dose_known(self) -> bool:
        """False when the dose was not stated or the sig could not be read (kept as written)."""
        return self.units is not None

    @property
    def administrations_per_day(self) -> Fraction:
        if self.slots:
            return Fraction(len(self.slots))
        if self.interval_hours is None:
            return Fraction(0)
        return Fraction(24, self.interval_hours)

    @property
    def is_patch(self) -> bool:
        return self.product is not None and self.product.form.value == "patch"

    def units_per_day(self) -> Fraction:
        """Scheduled units a day; for PRN medicines with a limit, the most allowed a day."""
        if self.prn and self.max_units_per_day is not None:
            return Fraction(self.max_units_per_day)
        if self.units is None:
            return Fraction(0)
        return Fraction(self.units) * self.administrations_per_day

    def ingredient_amounts(self) -> list[IngredientAmount]:
        """Daily amount of each ingredient in mg (patches: the rate delivered while worn)."""
        if self.product is None or (self.units is None and not (self.prn and self.max_units_per_day)):
            return []
        per_day = self.units_per_day()
        out = []
        for ing in self.product.ingredients:
            if ing.is_rate:
                out.append(IngredientAmount(ing.drug, Fraction(self.units or 0) * ing.exact, ing.unit))
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


#: The mark of a line whose dose was not stated or could not be read.
DOSE_NOT_KNOWN = "dose not stated: confirm"

#: Id prefix of a product the formulary does not list.
UNLISTED_PREFIX = "unlisted-"


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

    def classes_by_drug(self) -> dict[str, frozenset[str]]:
        """Every ingredient the review screens, in first-seen order, with the class tags that screen it."""
        out: dict[str, frozenset[str]] = {}
        for med in self.medications:
            for name in med.ingredient_names():
                out[name] = out.get(name, frozenset()) | med.classes_of(name)
        return out

    def by_id(self, med_id: str) -> Medication:
        for med in self.medications:
            if med.id == med_id:
                return med
        raise KeyError(med_id)


__all__ = ["SLOT_ORDER", "SLOT_PHRASES", "AsWritten", "IngredientAmount", "IngredientTotal", "LineKind", "Medication",
           "Regimen", "Slot"]
