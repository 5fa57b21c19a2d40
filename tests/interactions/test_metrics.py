"""Metrics: MME for every opioid product, diazepam equivalents under both tables, ACB, flags."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from interactions.metrics import Options, compute_flags, compute_metrics
from interactions.review import review
from regimens.forms import GENERAL_FACTOR_FORMS
from regimens.formulary import get_formulary
from regimens.regimen import Medication, Regimen, Slot
from tests.helpers.screening import facts

#: CDC 2022 clinical factors, written out from the reference (taper-rules.md §1.1), not the table.
CDC_2022 = {"codeine": Fraction("0.15"), "hydrocodone": 1, "hydromorphone": 5, "methadone": Fraction("4.7"),
            "morphine": 1, "oxycodone": Fraction("1.5"), "oxymorphone": 3, "tapentadol": Fraction("0.4"),
            "tramadol": Fraction("0.2")}
FENTANYL_PATCH = Fraction("2.4")
NOT_CONVERTED = {"buprenorphine", "meperidine"}

OPIOID_PRODUCTS = [
    p for d in get_formulary().drugs if "opioid" in d.classes for p in d.products
]


def _one_line(product, prn: bool) -> Medication:
    if product.form.value == "patch":
        return Medication(id="m", product=product, units=Decimal(1), interval_hours=product.interval_hours)
    units = Decimal(5) if product.form.is_liquid else Decimal(1)
    if prn:
        return Medication(id="m", product=product, units=units, interval_hours=6, prn=True,
                          max_units_per_day=units * 3)
    return Medication(id="m", product=product, units=units, slots=(Slot.MORNING, Slot.BEDTIME))


#: Patches whose label rounds what they deliver (Duragesic PI: the "12 mcg/hr" system delivers 12.5 mcg/hr).
DELIVERED_RATE = {"fentanyl-patch-12mcghr": Fraction(25, 2)}


def expected_mme(product, units_per_day: Fraction) -> tuple[Fraction, bool]:
    total, converted = Fraction(0), False
    for ing in product.ingredients:
        if ing.drug == "fentanyl" and product.form.value == "patch":
            rate = DELIVERED_RATE.get(product.id, Fraction(ing.amount))
            total += rate * FENTANYL_PATCH  # rate while worn, not divided by 3 days
            converted = True
        elif product.form.value not in GENERAL_FACTOR_FORMS:
            continue  # injections, suppositories: the oral factors do not apply, a note says so
        elif ing.drug in CDC_2022:
            per_unit = Fraction(ing.amount) / (Fraction(product.volume_ml) if product.volume_ml else 1)
            total += per_unit * units_per_day * Fraction(CDC_2022[ing.drug])
            converted = True
    return total, converted


MME_CASES = [(p, prn) for p in OPIOID_PRODUCTS for prn in (False, True)
             if not (prn and p.form.value == "patch")]  # patches are not taken as needed


@pytest.mark.parametrize(("product", "prn"), MME_CASES,
                         ids=[f"{p.id}-{'prn' if prn else 'scheduled'}" for p, prn in MME_CASES])
def test_mme_for_every_opioid_product(product, prn):
    line = _one_line(product, prn)
    metrics = compute_metrics(Regimen(medications=(line,)))
    units_per_day = line.units_per_day()
    want, converted = expected_mme(product, units_per_day)
    got = metrics.mme_prn_max_per_day if prn else metrics.mme_per_day
    other = metrics.mme_per_day if prn else metrics.mme_prn_max_per_day
    assert got == want and other == 0
    names = {i.drug for i in product.ingredients}
    if product.form.value not in GENERAL_FACTOR_FORMS:
        assert any(n.startswith(tuple(names)) and f"for the {product.form.value} form" in n for n in metrics.mme_notes)
        return
    if names & NOT_CONVERTED:
        assert any(n.split(":")[0] in names for n in metrics.mme_notes)
    assert converted or names & NOT_CONVERTED
    assert metrics.mme_factor_set == "CDC-2022-clinical"


def test_methadone_2016_uses_dose_tiers():
    tablet = next(p for p in get_formulary().get("methadone").products if p.strength == "10 mg")
    for tablets, factor in ((1, 4), (3, 8), (5, 10), (7, 12)):
        line = Medication(id="m", product=tablet, units=Decimal(tablets), slots=(Slot.MORNING,))
        meds = Regimen(medications=(line,))
        assert compute_metrics(meds, Options(mme_set="CDC-2016-clinical")).mme_per_day == 10 * tablets * factor
        assert compute_metrics(meds).mme_per_day == 10 * tablets * Fraction("4.7")


BENZO_MG = {"alprazolam": Fraction(1), "clonazepam": Fraction(1), "lorazepam": Fraction(2),
            "diazepam": Fraction(10), "temazepam": Fraction(30), "oxazepam": Fraction(30),
            "chlordiazepoxide": Fraction(25)}
#: Dose equal to 10 mg diazepam, from taper-rules.md §2.3 (VA/DoD 2021, Ashton 2002).
VA = {"alprazolam": 1, "chlordiazepoxide": 25, "clonazepam": 1, "diazepam": 10, "lorazepam": 2,
      "oxazepam": 30, "temazepam": 15}
ASHTON = {"alprazolam": Fraction(1, 2), "chlordiazepoxide": 25, "clonazepam": Fraction(1, 2), "diazepam": 10,
          "lorazepam": 1, "oxazepam": 20, "temazepam": 20}


@pytest.mark.parametrize("drug", sorted(BENZO_MG))
@pytest.mark.parametrize(("table", "equivalents"), [("VA-DoD-2021", VA), ("Ashton-2002", ASHTON)])
def test_diazepam_equivalents_under_both_tables(drug, table, equivalents):
    products = [p for p in get_formulary().get(drug).products if p.form.value in ("tablet", "capsule")]
    product = next(p for p in products if Fraction(p.ingredients[0].amount) <= BENZO_MG[drug])
    units = BENZO_MG[drug] / Fraction(product.ingredients[0].amount)
    line = Medication(id="b", product=product, units=Decimal(str(float(units))), slots=(Slot.BEDTIME,))
    metrics = compute_metrics(Regimen(medications=(line,)), Options(benzo_table=table))
    assert metrics.diazepam_equivalent_mg_per_day == BENZO_MG[drug] * 10 / Fraction(equivalents[drug])
    assert metrics.benzo_table == table


def test_acb_and_cns_counts():
    metrics = compute_metrics(facts("amitriptyline", "diphenhydramine", "tramadol", "sertraline"))
    assert metrics.acb_score == 6 and metrics.acb_scale == "ACB-2008"
    assert metrics.cns_depressant_count == 3
    calc = compute_metrics(facts("tizanidine", "methocarbamol"), Options(acb_scale="ACBcalc"))
    assert calc.acb_score == 6


def test_acetaminophen_across_products_and_flag_thresholds():
    meds = facts("acetaminophen", "acetaminophen/codeine")
    metrics = compute_metrics(meds)
    first = get_formulary().get("acetaminophen").products[0]
    combo = get_formulary().get("acetaminophen/codeine").products[0]
    apap = next(i for i in combo.ingredients if i.drug == "acetaminophen")
    assert metrics.acetaminophen_mg_per_day == Fraction(first.ingredients[0].amount) + Fraction(apap.amount)


def test_naloxone_and_mme_flags():
    r = review(facts("oxycodone", "alprazolam"), age=50)
    assert "NALOXONE-BZD" in {g.id for g in r.flags}
    high = Regimen(medications=(Medication(
        id="o", product=next(p for p in get_formulary().get("oxycodone").products if p.strength == "30 mg"
                             and p.release.value == "immediate" and p.form.value == "tablet"),
        units=Decimal(1), slots=(Slot.MORNING, Slot.NOON, Slot.EVENING)),))
    flags = {g.id for g in review(high, age=50).flags}
    assert {"NALOXONE-MME-50", "MME-50", "MME-90"} <= flags  # 90 mg oxycodone = 135 MME


def test_acetaminophen_limit_is_lower_from_65():
    tablet = next(p for p in get_formulary().get("acetaminophen").products if p.strength == "500 mg"
                  and p.form.value == "tablet")
    line = Medication(id="a", product=tablet, units=Decimal(2), slots=(Slot.MORNING, Slot.NOON, Slot.EVENING,
                                                                        Slot.BEDTIME))
    meds = Regimen(medications=(line,))  # 4,000 mg a day
    metrics = compute_metrics(meds)
    assert [g.id for g in compute_flags(meds, metrics, 50) if g.kind == "acetaminophen"] == []
    assert [g.id for g in compute_flags(meds, metrics, 70) if g.kind == "acetaminophen"] == ["APAP-MAX-OLDER"]


def test_beers_flags_only_from_65():
    assert not [g for g in review(facts("alprazolam"), age=64).flags if g.kind == "beers"]
    assert "BEERS-BZD" in {g.id for g in review(facts("alprazolam"), age=65).flags}
    assert "AGE-UNKNOWN" in {g.id for g in review(facts("alprazolam"), age=None).flags}
