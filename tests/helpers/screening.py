"""Build regimens from drug names, the way a real medication list would hold them."""

from __future__ import annotations

from decimal import Decimal

from regimens.formulary import get_formulary
from regimens.products import Product
from regimens.regimen import Medication, Regimen, Slot


def first_product(drug: str) -> Product:
    """The first immediate-release solid (else any) product of a drug."""
    products = get_formulary().get(drug).products
    for p in products:
        if p.form.value in ("tablet", "capsule") and p.release.value == "immediate":
            return p
    return products[0]


def med(drug: str, mid: str, prn: bool = False, units: str = "1", product: Product | None = None) -> Medication:
    p = product or first_product(drug)
    if p.form.value == "patch":
        return Medication(id=mid, product=p, units=Decimal(units), interval_hours=p.interval_hours or 72)
    if p.form.is_liquid and units == "1":
        units = "5"
    if prn:
        return Medication(id=mid, product=p, units=Decimal(units), interval_hours=6, prn=True)
    return Medication(id=mid, product=p, units=Decimal(units), slots=(Slot.MORNING,))


def facts(*drugs: str, prn: tuple[str, ...] = ()) -> Regimen:
    """A regimen of one line per drug (those in ``prn`` as needed)."""
    meds = [med(d, f"m{i}", prn=d in prn) for i, d in enumerate(drugs)]
    return Regimen(medications=tuple(meds))
