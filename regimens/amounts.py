"""Daily amounts per ingredient, computed exactly, without pydantic.

Shared by the saved model (:class:`regimens.regimen.Medication`) and the fast case reader
used by ``taper review``, so both compute the same figures.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import NamedTuple

from regimens.quantity import format_number, is_terminating

MASS_TO_MG = {"g": Fraction(1000), "mg": Fraction(1), "mcg": Fraction(1, 1000)}
RATE_UNITS = frozenset({"mcg/hr", "mg/24 hr"})


class IngredientAmount(NamedTuple):
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


def administrations_per_day(slot_count: int, interval_hours: int | None) -> Fraction:
    if slot_count:
        return Fraction(slot_count)
    assert interval_hours is not None
    return Fraction(24, interval_hours)


def units_per_day(units: Fraction, slot_count: int, interval_hours: int | None, prn: bool,
                  max_units: Fraction | None) -> Fraction:
    """Scheduled units a day; for PRN medicines with a limit, the most allowed a day."""
    if prn and max_units is not None:
        return max_units
    return units * administrations_per_day(slot_count, interval_hours)


def daily_amounts(
    ingredients: Sequence[tuple[str, Fraction, str]],
    volume_ml: Fraction | None,
    units: Fraction,
    slot_count: int,
    interval_hours: int | None,
    prn: bool,
    max_units: Fraction | None,
) -> list[IngredientAmount]:
    """Daily amount of each (drug, amount, unit) ingredient; patches give their worn rate."""
    per_day = units_per_day(units, slot_count, interval_hours, prn, max_units)
    out = []
    for drug, amount, unit in ingredients:
        if unit in RATE_UNITS:
            out.append(IngredientAmount(drug, units * amount, unit))
        else:
            per_unit = amount / volume_ml if volume_ml is not None else amount
            out.append(IngredientAmount(drug, per_day * per_unit * MASS_TO_MG[unit], "mg"))
    return out


def totals_by_ingredient(lines: Iterable[tuple[bool, Sequence[IngredientAmount]]]
                         ) -> list[tuple[str, str, Fraction, Fraction]]:
    """(drug, unit, scheduled, most as needed) per ingredient, in first-seen order, from (prn, amounts) lines."""
    sched: dict[tuple[str, str], Fraction] = {}
    prn: dict[tuple[str, str], Fraction] = {}
    order: list[tuple[str, str]] = []
    for is_prn, amounts in lines:
        for item in amounts:
            key = (item.drug, item.unit)
            if key not in order:
                order.append(key)
            target = prn if is_prn else sched
            target[key] = target.get(key, Fraction(0)) + item.amount
    return [(drug, unit, sched.get((drug, unit), Fraction(0)), prn.get((drug, unit), Fraction(0)))
            for drug, unit in order]
