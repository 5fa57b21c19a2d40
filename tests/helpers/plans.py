"""Build taper plans for tests from real formulary products."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from regimens.case import Case, Patient, TaperPlan
from regimens.formulary import get_formulary
from regimens.products import Product
from regimens.regimen import Medication, Regimen, Slot

START = date(2027, 1, 4)


def product(drug: str, strength: str, form: str = "tablet", release: str = "immediate") -> Product:
    for p in get_formulary().get(drug).products:
        if p.strength == strength and p.form.value == form and p.release.value == release:
            return p
    raise AssertionError(f"no {drug} {strength} {form} {release}")


def line(mid: str, prod: Product, units: str, *slots: str, interval: int | None = None) -> Medication:
    if interval:
        return Medication(id=mid, product=prod, units=Decimal(units), interval_hours=interval)
    return Medication(id=mid, product=prod, units=Decimal(units), slots=tuple(Slot(s) for s in slots))


def case_with(*meds: Medication, plans: tuple[TaperPlan, ...] = ()) -> Case:
    return Case(patient=Patient(id="T", name="Test Patient", birth_date=date(1960, 5, 1)),
                regimen=Regimen(medications=meds), plans=plans)


def plan(drug: str, meds: tuple[str, ...], start_dose: str, **kw: object) -> TaperPlan:
    kw.setdefault("start_date", START)
    return TaperPlan(id=kw.pop("id", f"{drug}-plan"), medication_ids=meds, drug=drug,  # type: ignore[arg-type]
                     start_dose=Decimal(start_dose), **kw)
