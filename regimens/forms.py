"""Forms, release profiles, strength notation and product behaviour, without pydantic.

The saved :class:`regimens.products.Product` model and the formulary's light
:class:`LiteProduct` share this behaviour, so commands that only read the formulary (and the
fast taper path) never build pydantic models.
"""

from __future__ import annotations

import re
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Any, NamedTuple

from regimens.invariants import FORM_LABELS, UNIT_NOUNS, smallest_step
from regimens.quantity import QuantityError, format_number, parse_number


class Form(StrEnum):
    """How a product is taken or applied."""

    TABLET = "tablet"
    CAPSULE = "capsule"
    ODT = "odt"
    FILM = "film"
    SOLUTION = "solution"
    SUSPENSION = "suspension"
    CONCENTRATE = "concentrate"
    PATCH = "patch"
    GRANULES = "granules"
    NASAL_SPRAY = "nasal-spray"

    @property
    def is_liquid(self) -> bool:
        return self in LIQUID_FORMS

    @property
    def unit_noun(self) -> str:
        """The word for one unit of this form on a label ("tablet", "mL", "patch")."""
        return UNIT_NOUNS[self.value]

    @property
    def label(self) -> str:
        return FORM_LABELS[self.value]


LIQUID_FORMS = frozenset({Form.SOLUTION, Form.SUSPENSION, Form.CONCENTRATE})


class Release(StrEnum):
    """Release profile; modified-release products are never split."""

    IMMEDIATE = "immediate"
    EXTENDED = "extended"
    DELAYED = "delayed"


MASS_UNITS = {"g": Fraction(1000), "mg": Fraction(1), "mcg": Fraction(1, 1000)}
RATE_UNITS = {"mcg/hr": Fraction(24, 1000), "mg/24 hr": Fraction(1)}
UNIT_ALIASES = {
    "mg": "mg",
    "milligram": "mg",
    "milligrams": "mg",
    "mcg": "mcg",
    "µg": "mcg",
    "μg": "mcg",
    "ug": "mcg",
    "microgram": "mcg",
    "micrograms": "mcg",
    "g": "g",
    "gram": "g",
    "grams": "g",
    "gm": "g",
    "mcg/hr": "mcg/hr",
    "mcg/h": "mcg/hr",
    "mcg/hour": "mcg/hr",
    "µg/h": "mcg/hr",
    "µg/hr": "mcg/hr",
    "ug/hr": "mcg/hr",
    "ug/h": "mcg/hr",
    "mg/24hr": "mg/24 hr",
    "mg/24 hr": "mg/24 hr",
    "mg/24h": "mg/24 hr",
    "mg/24 h": "mg/24 hr",
    "mg/day": "mg/24 hr",
}



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


class ProductBehaviour:
    """Strength text, nouns and per-unit amounts, shared by the saved and the light product."""

    id: str
    interval_hours: int | None
    source: str
    drug: str
    form: Form
    release: Release
    ingredients: tuple[Any, ...]
    volume_ml: Decimal | None
    split: str
    brand: str | None

    @property
    def strength(self) -> str:
        """The strength as printed: "5 mg", "10 mg/325 mg", "5 mg/5 mL", "25 mcg/hr"."""
        parts = "/".join(i.text() for i in self.ingredients)
        if self.volume_ml is not None:
            vol = "mL" if self.volume_ml == 1 else f"{format_number(self.volume_ml)} mL"
            return f"{parts}/{vol}"
        return parts

    @property
    def is_combination(self) -> bool:
        return len(self.ingredients) > 1

    @property
    def unit_noun(self) -> str:
        return self.form.unit_noun

    @property
    def smallest_step(self) -> Fraction:
        """The smallest amount of this product a patient can take (in its dose units)."""
        return smallest_step(self.form.value, self.split)

    def description(self) -> str:
        """e.g. "oxycodone 10 mg extended-release tablet (OxyContin)"."""
        release = {
            Release.IMMEDIATE: "",
            Release.EXTENDED: "extended-release ",
            Release.DELAYED: "delayed-release ",
        }[self.release]
        text = f"{self.drug} {self.strength} {release}{self.form.label}"
        if self.brand:
            text += f" ({self.brand})"
        return text

    def per_unit(self, ingredient: Any) -> Fraction:
        """Amount of ``ingredient`` in one dose unit (a tablet, a patch, or 1 mL)."""
        amount = Fraction(ingredient.amount)
        if self.volume_ml is not None:
            amount /= Fraction(self.volume_ml)
        return amount



#: Either kind of product: the saved model or the formulary's light one.
AnyProduct = ProductBehaviour


class LiteIngredient:
    """An ingredient amount of a formulary product (see :class:`regimens.products.Ingredient`)."""

    __slots__ = ("drug", "amount", "unit")

    def __init__(self, drug: str, amount: Decimal, unit: str) -> None:
        self.drug = drug
        self.amount = amount
        self.unit = unit

    @property
    def is_rate(self) -> bool:
        return self.unit in RATE_UNITS

    def text(self) -> str:
        return f"{format_number(self.amount)} {self.unit}"

    def as_dict(self) -> dict[str, Any]:
        return {"drug": self.drug, "amount": self.amount, "unit": self.unit}


class LiteProduct(ProductBehaviour):
    """A formulary product as plain data; a case file stores it as a validated ``Product``."""

    __slots__ = ("id", "drug", "form", "release", "ingredients", "volume_ml", "split", "interval_hours",
                 "brand", "source")

    def __init__(self, id: str, drug: str, form: Form, release: Release, ingredients: tuple[LiteIngredient, ...],
                 volume_ml: Decimal | None, split: str, interval_hours: int | None, brand: str | None,
                 source: str) -> None:
        self.id = id
        self.drug = drug
        self.form = form
        self.release = release
        self.ingredients = ingredients
        self.volume_ml = volume_ml
        self.split = split
        self.interval_hours = interval_hours
        self.brand = brand
        self.source = source

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "drug": self.drug, "form": self.form, "release": self.release,
                "ingredients": tuple(i.as_dict() for i in self.ingredients), "volume_ml": self.volume_ml,
                "split": self.split, "interval_hours": self.interval_hours, "brand": self.brand,
                "source": self.source}

    def __repr__(self) -> str:
        return f"LiteProduct({self.id!r})"


_PART_RE = re.compile(r"^\s*(?P<num>[0-9][0-9,]*(?:\.[0-9]+)?|\.[0-9]+)\s*(?P<unit>[^\d\s].*?)?\s*$")


class ParsedStrength(NamedTuple):
    """A strength as typed by a user or written in the formulary."""

    amounts: tuple[tuple[Fraction, str], ...]
    volume_ml: Fraction | None = None

    def key(self) -> tuple[tuple[tuple[Fraction, str], ...], Fraction | None]:
        return (tuple(_normalised(v, u) for v, u in self.amounts), self.volume_ml)


def _normalised(value: Fraction, unit: str) -> tuple[Fraction, str]:
    """Masses compare in mg, so "0.1 mg" and "100 mcg" are the same strength."""
    if unit in MASS_UNITS:
        return (value * MASS_UNITS[unit], "mg")
    return (value, unit)


def canonical_unit(text: str) -> str:
    unit = " ".join(text.strip().lower().split())
    if unit in UNIT_ALIASES:
        return UNIT_ALIASES[unit]
    raise QuantityError(f"unknown unit {text.strip()!r}")


def parse_strength(text: str) -> ParsedStrength:
    """Read "5 mg", "0.5mg", "25 mcg/hr", "5 mg/5 mL", "20 mg/mL", "10 mg/325 mg".

    The grammar is the one in the formulary and the CSV contract; anything else raises
    :class:`QuantityError` with a plain explanation.
    """
    raw = text.strip()
    if not raw:
        raise QuantityError("the strength is empty")
    lowered = " ".join(raw.split())
    # Rates first: "25 mcg/hr", "0.1 mg/24 hr" contain a slash that is part of the unit.
    for alias, unit in sorted(UNIT_ALIASES.items(), key=lambda kv: -len(kv[0])):
        if "/" in alias and lowered.lower().endswith(alias):
            number = lowered[: -len(alias)].strip()
            return ParsedStrength(amounts=((parse_number(number), unit),))
    pieces = [p.strip() for p in lowered.split("/")]
    volume: Fraction | None = None
    last = pieces[-1].lower().replace(" ", "")
    if len(pieces) > 1 and last.endswith("ml"):
        vol_text = last[:-2]
        volume = parse_number(vol_text) if vol_text else Fraction(1)
        if volume <= 0:
            raise QuantityError("the volume must be more than 0 mL")
        pieces = pieces[:-1]
    if len(pieces) > 2:
        raise QuantityError(f"{raw!r} has more than two ingredients")
    amounts: list[tuple[Fraction, str]] = []
    if len(pieces) == 2 and re.fullmatch(r"[0-9.,]+", pieces[0]):
        # "10/325 mg" is common shorthand for "10 mg/325 mg".
        tail = _PART_RE.match(pieces[1])
        if tail and tail.group("unit"):
            pieces[0] = f"{pieces[0]} {tail.group('unit')}"
    for piece in pieces:
        match = _PART_RE.match(piece)
        if not match or not match.group("unit"):
            raise QuantityError(
                f"{raw!r} is not a strength (write it like '5 mg', '5 mg/5 mL' or '10 mg/325 mg')"
            )
        unit = canonical_unit(match.group("unit"))
        if unit in RATE_UNITS:
            raise QuantityError(f"{raw!r} mixes a patch rate with other amounts")
        value = parse_number(match.group("num"))
        if value <= 0:
            raise QuantityError(f"{raw!r}: a strength must be more than 0")
        amounts.append((value, unit))
    return ParsedStrength(amounts=tuple(amounts), volume_ml=volume)


def strength_key(product: Any) -> tuple[tuple[tuple[Fraction, str], ...], Fraction | None]:
    """Comparable key of a product's strength (same shape as :meth:`ParsedStrength.key`)."""
    return (
        tuple(_normalised(Fraction(i.amount), i.unit) for i in product.ingredients),
        Fraction(product.volume_ml) if product.volume_ml is not None else None,
    )
