"""Plain inputs for the engine from products and medication lines."""

from __future__ import annotations

import json
from collections.abc import Sequence
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

from regimens.forms import SLOT_ORDER, Form, Release
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
    labelled = None if ingredient.delivers is None or product.volume_ml is not None else Fraction(ingredient.amount)
    modified = product.release is not Release.IMMEDIATE
    return Unit(product.id, product.description(), product.per_unit(ingredient), product.smallest_step,
                product.unit_noun, product.dosed_in_ml, labelled, modified,
                f"{product.release.value}-release " if modified else "")


#: Forms the tail of a taper may move to: swallowed immediate-release solids, then a measured oral liquid
#: (a concentrate, whose mg-per-mL is a known cause of tenfold errors, only for a class's liquid tail).
TAIL_SOLIDS = (Form.TABLET, Form.CAPSULE)
TAIL_LIQUIDS = (Form.SOLUTION, Form.SUSPENSION)


def tail_phases(drug: str, current: Sequence[Product], liquid_tail: bool) -> list[list[Product]]:
    """The products a taper may switch to when the current ones cannot make a step.

    A modified-release product moves to the same drug's immediate-release tablets or capsules (or, with
    none, its oral solution); where the class's rules take a liquid tail (antidepressants,
    benzodiazepines), swallowed solids move on to the oral solution. Patches, combinations and liquids
    have no tail.
    """
    if not current or any(p.drug != drug or p.form.is_applied or p.form.is_liquid for p in current):
        return []
    entry = get_formulary().by_name.get(drug)
    if entry is None:
        return []
    taken = {p.id for p in current}
    solids = [p for p in entry.products if p.form in TAIL_SOLIDS and p.release is Release.IMMEDIATE
              and p.id not in taken]
    # A concentrate only where the class's rules ask for a liquid tail (sertraline's only liquid is one);
    # never as the way off an opioid.
    liquids = [p for p in entry.products if p.id not in taken and
               (p.form in TAIL_LIQUIDS or (liquid_tail and p.form is Form.CONCENTRATE))]
    phases: list[list[Product]] = []
    modified = all(p.release is not Release.IMMEDIATE for p in current)
    if modified and solids:
        phases.append(solids)
    if liquids and ((modified and not solids) or liquid_tail):
        phases.append(liquids)
    return phases


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
    if any(line.product.form.is_interval_only for line in lines):
        raise PlanError(f"a {lines[0].product.form.label} is changed on an interval; taper plans patches "
                        "and doses taken at times of day only")
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
