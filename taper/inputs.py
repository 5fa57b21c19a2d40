"""Plain inputs for the engine from products and medication lines."""

from __future__ import annotations

import json
from collections.abc import Sequence
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

from regimens.forms import SLOT_ORDER
from regimens.formulary import get_formulary
from regimens.products import Product
from taper.rounding import Unit
from taper.schedule import PlanError

#: Timing by interval mapped to the UMS periods the calendar prints.
INTERVAL_SLOTS = {6: ("morning", "noon", "evening", "bedtime"), 8: ("morning", "noon", "evening"),
                  12: ("morning", "evening"), 24: ("morning",)}


@cache
def occupancy_table() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((Path(__file__).parent / "data" / "occupancy.json").read_text("utf-8"))
    return data


def unit_of(product: Product, drug: str) -> Unit:
    ingredient = next((i for i in product.ingredients if i.drug == drug), None)
    if ingredient is None:
        raise PlanError(f"{product.description()} does not contain {drug}")
    return Unit(product.id, product.description(), product.per_unit(ingredient), product.smallest_step,
                product.unit_noun, product.form.is_liquid)


def products_like(current: Sequence[Product], drug: str, chosen: Sequence[str] = ()) -> list[Product]:
    """The chosen products, or every product of the drug in the same form and release as now."""
    formulary = get_formulary()
    if chosen:
        missing = [p for p in chosen if p not in formulary.products]
        if missing:
            raise PlanError(f"unknown product {missing[0]!r} (see 'taper formulary {drug}')")
        return [formulary.products[p] for p in chosen]
    kinds = {(p.form, p.release) for p in current}
    out: list[Product] = []
    seen: set[str] = set()
    for product in current:
        entry = formulary.by_name.get(product.drug)
        for p in (entry.products if entry else (product,)):
            if (p.form, p.release) in kinds and p.id not in seen and any(i.drug == drug for i in p.ingredients):
                seen.add(p.id)
                out.append(p)
    return out


def slots_of(lines: Sequence[Any]) -> tuple[tuple[str, ...], int | None]:
    """Slots of the tapered lines (objects with ``product``, ``slots``, ``interval_hours``)."""
    if not lines:
        raise PlanError("there is no scheduled (non-PRN) medication to taper")
    if any(line.product.form.value == "patch" for line in lines):
        return ("patch",), lines[0].interval_hours
    slots: set[str] = set()
    for line in lines:
        if line.slots:
            slots.update(s.value for s in line.slots)
        else:
            slots.update(INTERVAL_SLOTS.get(line.interval_hours or 24, ("morning",)))
    return tuple(s.value for s in SLOT_ORDER if s.value in slots), None


def hyperbolic_defaults(drug: str) -> tuple[Fraction, Fraction]:
    table = occupancy_table()["drugs"].get(drug)
    if table is None:
        raise PlanError(f"no Emax/ED50 for {drug}; give --emax and --ed50")
    return Fraction(table["emax_percent"]), Fraction(table["ed50_mg"])
