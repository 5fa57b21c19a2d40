"""CSV `product` and `sig` columns: product names as RxNorm writes them, free-text sigs, the code first."""

from __future__ import annotations

from decimal import Decimal

import pytest

from regimens.csv_import import parse_csv_text, regimen_from_csv_text
from regimens.errors import TaperInputError
from regimens.formulary import get_formulary
from regimens.regimen import LineKind, Slot


def rows(text: str):
    result = parse_csv_text(text)
    return result.rows, result.errors


def test_product_and_sig_columns_replace_drug_strength_form_dose_when() -> None:
    regimen = regimen_from_csv_text(
        "product,sig\n"
        "Acetaminophen 325 MG / Hydrocodone Bitartrate 5 MG Oral Tablet,1-2 tabs q4-6h prn pain\n"
        "24 HR Metformin hydrochloride 500 MG Extended Release Oral Tablet,1 tab po bid\n"
        "carvedilol 3.13 MG Oral Tablet,1 tab po bid\n")
    norco, metformin, carvedilol = regimen.medications
    assert norco.product is not None and norco.product.id == "hydrocodone-acetaminophen-tablet-5mg325mg"
    # A range keeps its maximum and the shortest interval: the most the sig allows.
    assert norco.units == Decimal(2) and norco.interval_hours == 4 and norco.prn
    assert norco.indication == "pain"
    assert norco.written is not None and norco.written.dose == "1-2 tabs q4-6h prn pain"
    assert norco.sig_as_written == "1-2 tabs q4-6h prn pain"
    assert norco.kind is LineKind.LISTED
    assert metformin.product is not None and metformin.product.id == "metformin-tablet-er-500mg"
    assert metformin.slots == (Slot.MORNING, Slot.EVENING)
    assert carvedilol.product is not None and carvedilol.product.id == "carvedilol-tablet-3p125mg"


def test_sig_with_classic_product_columns() -> None:
    regimen = regimen_from_csv_text("drug,strength,form,sig\noxycodone,5 mg,tablet,1 tab po q6h prn pain\n")
    med = regimen.medications[0]
    assert med.kind is LineKind.LISTED and med.units == Decimal(1) and med.interval_hours == 6 and med.prn
    assert med.written is not None and med.written.name == "oxycodone" and med.written.dose.startswith("1 tab")


def test_product_with_classic_dose_and_when() -> None:
    regimen = regimen_from_csv_text("product,dose,when\natorvastatin 20 MG Oral Tablet [Lipitor],1,bedtime\n")
    med = regimen.medications[0]
    assert med.product is not None and med.product.id == "atorvastatin-tablet-20mg"
    assert med.written is None and med.sig_as_written == ""


def test_unparsed_sig_keeps_the_line_with_the_dose_not_stated() -> None:
    found, errors = rows("product,sig\natorvastatin 20 MG Oral Tablet,take as directed\n")
    assert not errors
    med = found[0].medication
    assert med.units is None and not med.dose_known
    assert med.written is not None and med.written.dose == "take as directed"
    assert found[0].notice_column == "sig" and "not read" in found[0].notice


def test_sig_unit_that_does_not_fit_the_product_is_an_error_in_sig() -> None:
    found, errors = rows("product,sig\nlisinopril 10 MG Oral Tablet,2 puffs daily\n")
    assert not found
    assert errors[0].row == 1 and errors[0].column == "sig"
    assert "does not fit" in errors[0].message


def test_bare_number_sig_for_a_liquid_is_an_error_in_sig() -> None:
    _, errors = rows("drug,strength,form,sig\nmorphine,10 mg/5 mL,solution,1 bid\n")
    assert errors and errors[0].column == "sig"


def test_sig_amount_in_mg_is_counted_in_tablets() -> None:
    regimen = regimen_from_csv_text("product,sig\noxycodone 5 MG Oral Tablet,10 mg po q6h prn pain\n")
    assert regimen.medications[0].units == Decimal(2)


def test_unknown_product_is_kept_unlisted_and_known_drug_in_other_strength_is_kept_to_confirm() -> None:
    found, errors = rows("product,sig\nAshwagandha 500 MG Oral Capsule,1 cap daily\n"
                         "lisinopril 15 MG Oral Tablet,1 tab daily\n")
    assert not errors
    ashwagandha, lisinopril = (r.medication for r in found)
    assert ashwagandha.kind is LineKind.UNLISTED
    assert lisinopril.kind is LineKind.UNCONFIRMED
    assert "15 mg" in found[1].notice and found[1].notice_column == "product"


def test_code_is_used_first_and_a_disagreeing_name_carries_a_notice() -> None:
    coded = next(p for p in get_formulary().products.values() if p.rxcui and p.drug != "lisinopril")
    found, errors = rows(f"product,sig,rxcui\nlisinopril 10 MG Oral Tablet,1 daily,{coded.rxcui}\n")
    assert not errors
    med = found[0].medication
    assert med.product is not None and med.product.id == coded.id
    assert med.rxcui == coded.rxcui
    assert found[0].notice_column == "rxcui" and "code was used" in found[0].notice


def test_code_first_with_drug_columns() -> None:
    coded = next(p for p in get_formulary().products.values()
                 if p.rxcui and p.form.value == "tablet" and p.drug != "lisinopril")
    found, _ = rows(f"drug,strength,form,dose,when,rxcui\nlisinopril,10 mg,tablet,1,morning,{coded.rxcui}\n")
    assert found[0].medication.product is not None and found[0].medication.product.id == coded.id
    assert "code was used" in found[0].notice


def test_both_product_and_drug_is_an_error() -> None:
    _, errors = rows("drug,strength,form,product,dose,when\n"
                     "lisinopril,10 mg,tablet,lisinopril 10 MG Oral Tablet,1,morning\n")
    assert errors[0].column == "product"


def test_both_sig_and_dose_is_an_error() -> None:
    _, errors = rows("product,dose,when,sig\nlisinopril 10 MG Oral Tablet,1,morning,1 tab daily\n")
    assert errors[0].column == "sig"


def test_header_without_product_or_drug_columns_names_the_alternatives() -> None:
    with pytest.raises(TaperInputError) as caught:
        parse_csv_text("sig\n1 tab daily\n")
    assert "product instead of" in str(caught.value)


def test_prn_max_from_sig() -> None:
    regimen = regimen_from_csv_text(
        "product,sig\nAcetaminophen 325 MG / Hydrocodone Bitartrate 5 MG Oral Tablet,"
        "1 tab q6h prn pain max 4 tabs a day\n")
    med = regimen.medications[0]
    assert med.prn and med.max_units_per_day == Decimal(4)


def test_sleep_medicine_once_a_day_goes_to_bedtime() -> None:
    found, _ = rows("product,sig\nzolpidem 5 MG Oral Tablet,1 tab qd\n")
    assert found[0].medication.slots == (Slot.BEDTIME,)
    assert "bedtime" in found[0].notice


def test_daily_patch_from_sig_is_an_interval() -> None:
    regimen = regimen_from_csv_text("product,sig\n72 HR fentanyl 0.025 MG/HR Transdermal System,"
                                    "apply 1 patch every 72 hours\n")
    med = regimen.medications[0]
    assert med.product is not None and med.product.id == "fentanyl-patch-25mcghr"
    assert med.interval_hours == 72 and med.slots == ()


def test_ingredient_code_of_another_drug_wins_over_the_name() -> None:
    drug = next(d for d in get_formulary().drugs if d.rxcui and d.name != "lisinopril" and not d.is_combination)
    found, errors = rows(f"product,sig,rxcui\nlisinopril 10 MG Oral Tablet,1 tab daily,{drug.rxcui}\n")
    assert not errors
    med = found[0].medication
    assert med.product is None and med.drug == drug.name
    assert found[0].notice_column == "rxcui" and "code was used" in found[0].notice


def test_duration_and_a_ceiling_not_in_doses_are_noted() -> None:
    found, errors = rows("product,sig\namoxicillin 80 MG/ML Oral Suspension,7 mL bid x 10 days\n"
                         "Acetaminophen 325 MG / Hydrocodone Bitartrate 5 MG Oral Tablet,"
                         "1 tab q6h prn pain max 3 g of acetaminophen a day\n")
    assert not errors
    assert found[0].medication.units == Decimal(7) and "10 days" in found[0].notice
    assert found[1].medication.max_units_per_day is None and "give max_per_day" in found[1].notice
