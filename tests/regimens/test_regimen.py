"""Medications, exact daily totals and the dose wording printed for patients."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from regimens.dose_text import count_text, dose_text, sig, when_text
from regimens.formulary import get_formulary
from regimens.quantity import amount_text, format_number
from regimens.regimen import Medication, Regimen, Slot


def product(drug: str, form: str, strength: str, release: str = "immediate"):
    for p in get_formulary().by_name[drug].products:
        if p.form.value == form and p.strength == strength and p.release.value == release:
            return p
    raise AssertionError(f"no {drug} {strength} {form}")


def med(mid: str, prod, units: str, slots=(), interval=None, prn=False, max_units=None):
    return Medication(id=mid, product=prod, units=Decimal(units), slots=slots, interval_hours=interval,
                      prn=prn, max_units_per_day=Decimal(max_units) if max_units else None)


@pytest.mark.parametrize(
    ("units", "noun", "text"),
    [(Fraction(1), "tablet", "1 tablet"), (Fraction(2), "tablet", "2 tablets"),
     (Fraction(1, 2), "tablet", "half a tablet"), (Fraction(3, 2), "tablet", "1 and a half tablets"),
     (Fraction(5, 2), "mL", "2.5 mL"), (Fraction(1), "patch", "1 patch"),
     (Fraction(2), "patch", "2 patches"), (Fraction(1, 4), "tablet", "a quarter of a tablet")],
)
def test_count_text(units, noun, text):
    assert count_text(units, noun) == text


def test_dose_text_examples():
    assert dose_text(product("oxycodone", "tablet", "5 mg"), Fraction(1)) == "1 tablet (5 mg)"
    assert dose_text(product("diazepam", "tablet", "5 mg"), Fraction(1, 2)) == "half a tablet (2.5 mg)"
    assert dose_text(product("morphine", "solution", "10 mg/5 mL"), Fraction(5, 2)) == "2.5 mL (5 mg)"
    assert dose_text(product("fentanyl", "patch", "25 mcg/hr"), Fraction(1)) == "1 patch (25 mcg/hr)"
    assert (dose_text(product("hydrocodone/acetaminophen", "tablet", "10 mg/325 mg"), Fraction(2))
            == "2 tablets (20 mg/650 mg)")


def test_when_and_sig():
    m = med("a", product("oxycodone", "tablet", "5 mg"), "1", slots=(Slot.BEDTIME, Slot.MORNING))
    assert m.slots == (Slot.MORNING, Slot.BEDTIME)
    assert when_text(m) == "in the morning and at bedtime"
    assert sig(m) == "Take 1 tablet (5 mg) in the morning and at bedtime."
    p = med("b", product("oxycodone", "tablet", "5 mg"), "1", interval=6, prn=True, max_units="3")
    assert when_text(p) == "every 6 hours when needed, no more than 3 tablets a day"


def test_totals_keep_prn_apart_and_sum_ingredients_across_products():
    regimen = Regimen(medications=(
        med("a", product("hydrocodone/acetaminophen", "tablet", "10 mg/325 mg"), "1",
            slots=(Slot.MORNING, Slot.EVENING)),
        med("b", product("acetaminophen", "tablet", "500 mg"), "2", interval=6, prn=True, max_units="6"),
        med("c", product("hydrocodone/acetaminophen", "tablet", "5 mg/325 mg"), "1", interval=6, prn=True,
            max_units="2"),
    ))
    totals = {t.drug: t for t in regimen.ingredient_totals()}
    assert totals["hydrocodone"].scheduled == 20 and totals["hydrocodone"].prn_max == 10
    assert totals["acetaminophen"].scheduled == 650 and totals["acetaminophen"].prn_max == 3650


def test_patch_interval_does_not_divide_the_rate():
    m = med("f", product("fentanyl", "patch", "25 mcg/hr"), "1", interval=72)
    (amount,) = m.ingredient_amounts()
    assert (amount.amount, amount.unit) == (Fraction(25), "mcg/hr")


def test_mcg_products_total_in_mg_exactly():
    m = med("c", product("clonidine", "tablet", "0.1 mg"), "1", slots=(Slot.MORNING, Slot.NOON, Slot.BEDTIME))
    assert m.ingredient_amounts()[0].text() == "0.3 mg"


@pytest.mark.parametrize(
    ("drug", "form", "strength", "release", "units", "words"),
    [("gabapentin", "capsule", "300 mg", "immediate", "0.5", "may not be split"),
     ("oxycodone", "tablet", "5 mg", "immediate", "0.25", "halves only"),
     ("fentanyl", "patch", "25 mcg/hr", "immediate", "0.5", "may not be split"),
     ("morphine", "solution", "10 mg/5 mL", "immediate", "2.55", "0.1 mL")],
)
def test_undeliverable_units_are_refused(drug, form, strength, release, units, words):
    with pytest.raises(ValidationError, match=words):
        med("x", product(drug, form, strength, release), units, slots=(Slot.MORNING,))


def test_slots_or_interval_not_both():
    with pytest.raises(ValidationError, match="either time slots or an interval"):
        med("x", product("oxycodone", "tablet", "5 mg"), "1", slots=(Slot.MORNING,), interval=8)


@given(st.lists(st.sampled_from(["0.1", "0.2", "0.3", "0.7", "1.1", "2.5"]), min_size=1, max_size=12))
def test_liquid_totals_are_exact(volumes):
    prod = product("morphine", "solution", "10 mg/5 mL")
    meds = tuple(med(f"m{i}", prod, v, slots=(Slot.MORNING,)) for i, v in enumerate(volumes))
    (total,) = Regimen(medications=meds).ingredient_totals()
    expected = sum((Fraction(Decimal(v)) for v in volumes), Fraction(0)) * 2
    assert total.scheduled == expected
    printed = amount_text(total.scheduled, "mg")
    assert printed == f"{format_number(expected)} mg"
    assert "0000" not in printed and not printed.startswith("about")
