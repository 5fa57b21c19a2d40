"""CSV import: good lists become exact regimens; bad ones name the row and column and import nothing."""

from __future__ import annotations

from fractions import Fraction

import pytest

from regimens.csv_import import parse_csv_text, regimen_from_csv
from regimens.errors import TaperInputError
from regimens.regimen import Regimen, Slot

HEADER = "drug,strength,form,dose,when,prn,max_per_day\n"


def totals(regimen):
    return {(t.drug, t.unit): (t.scheduled, t.prn_max) for t in regimen.ingredient_totals()}


def test_brand_names_and_combination_products(write_csv):
    path = write_csv(
        HEADER
        + "Norco,10 mg/325 mg,tablet,1,every 6 hours,yes,4\n"
        + "Percocet,5 mg/325 mg,tablet,1,morning;evening,no,\n"
        + "Tylenol,500 mg,tablet,2,bedtime,no,\n"
    )
    regimen = regimen_from_csv(path)
    t = totals(regimen)
    # Scheduled: 2 x 325 mg (Percocet) + 2 x 500 mg (Tylenol); PRN most: 4 x 325 mg.
    assert t[("acetaminophen", "mg")] == (Fraction(1650), Fraction(1300))
    assert t[("oxycodone", "mg")] == (Fraction(10), Fraction(0))
    assert t[("hydrocodone", "mg")] == (Fraction(0), Fraction(40))
    norco = regimen.medications[0]
    assert norco.product.drug == "hydrocodone/acetaminophen"
    assert norco.prn and norco.interval_hours == 6


def test_case_and_space_insensitive_names(write_csv):
    path = write_csv(HEADER + " OxyCODONE ,5 mg,Tablet,1,Morning; Bedtime,,\n"
                     + "CYMBALTA,30 mg,DR capsule,1,morning,,\n")
    regimen = regimen_from_csv(path)
    assert [m.product.drug for m in regimen.medications] == ["oxycodone", "duloxetine"]
    assert regimen.medications[0].slots == (Slot.MORNING, Slot.BEDTIME)


def test_generic_name_with_combination_strength_finds_the_combination(write_csv):
    path = write_csv(HEADER + "hydrocodone,10/325 mg,tablet,1,three times daily,,\n")
    med = regimen_from_csv(path).medications[0]
    assert med.product.drug == "hydrocodone/acetaminophen"
    assert med.slots == (Slot.MORNING, Slot.NOON, Slot.EVENING)


def test_liquid_dose_in_ml(write_csv):
    path = write_csv(HEADER + "morphine,10 mg/5 mL,solution,2.5 mL,every 4 hours,yes,15 mL\n")
    regimen = regimen_from_csv(path)
    # 15 mL a day at most of 2 mg/mL = 30 mg.
    assert totals(regimen)[("morphine", "mg")] == (Fraction(0), Fraction(30))


def test_patch_is_a_rate(write_csv):
    path = write_csv(HEADER + "Duragesic,25 mcg/hr,patch,1,every 72 hours,,\n"
                     + "fentanyl,12 mcg/hr,patch,1,every 3 days,,\n")
    regimen = regimen_from_csv(path)
    # The "12 mcg/hr" patch delivers 12.5 mcg/hr (Duragesic PI): 25 + 12.5, never 37.
    assert totals(regimen)[("fentanyl", "mcg/hr")] == (Fraction(75, 2), Fraction(0))
    assert regimen.medications[1].interval_hours == 72


def test_half_of_a_scored_tablet(write_csv):
    path = write_csv(HEADER + "diazepam,5 mg,tablet,0.5,bedtime,,\n")
    assert totals(regimen_from_csv(path))[("diazepam", "mg")][0] == Fraction(5, 2)


def test_daily_hypnotic_goes_to_bedtime(write_csv):
    path = write_csv(HEADER + "zolpidem,5 mg,tablet,1,daily,,\n")
    assert regimen_from_csv(path).medications[0].slots == (Slot.BEDTIME,)


def test_extended_release_chosen_by_form_or_brand(write_csv):
    path = write_csv(HEADER + "oxycodone,10 mg,ER tablet,1,morning;evening,,\n"
                     + "OxyContin,20 mg,tablet,1,morning;evening,,\n"
                     + "oxycodone,5 mg,tablet,1,bedtime,,\n")
    meds = regimen_from_csv(path).medications
    assert [m.product.release.value for m in meds] == ["extended", "extended", "immediate"]
    assert [m.product.split for m in meds] == ["none", "none", "half"]


BAD_CSVS = [
    ("zero dose", HEADER + "oxycodone,5 mg,tablet,0,morning,,\n", 1, "dose", "more than 0"),
    ("negative dose", HEADER + "oxycodone,5 mg,tablet,-1,morning,,\n", 1, "dose", "more than 0"),
    ("half of a capsule", HEADER + "gabapentin,300 mg,capsule,0.5,morning,,\n", 1, "dose",
     "may not be split"),
    ("half of an ER tablet", HEADER + "OxyContin,20 mg,tablet,0.5,morning,,\n", 1, "dose",
     "may not be split"),
    ("unknown time slot", HEADER + "oxycodone,5 mg,tablet,1,lunchtime,,\n", 1, "when",
     "not a time slot"),
    ("error-prone abbreviation", HEADER + "oxycodone,5 mg,tablet,1,BID,,\n", 1, "when",
     "abbreviations"),
    ("non-numeric dose", HEADER + "oxycodone,5 mg,tablet,one,morning,,\n", 1, "dose",
     "not a number"),
    ("NaN dose", HEADER + "oxycodone,5 mg,tablet,NaN,morning,,\n", 1, "dose", "not a number"),
    ("absurdly large dose", HEADER + "oxycodone,5 mg,tablet,5000,morning,,\n", 1, "dose",
     "not a plausible dose"),
    ("bad row after good ones", HEADER + "oxycodone,5 mg,tablet,1,morning,,\n"
     "lisinopril,10 mg,tablet,1,morning,,\n" "ibuprofen,400 mg,tablet,x,morning,,\n", 3, "dose",
     "not a number"),
    ("dose in mg", HEADER + "oxycodone,5 mg,tablet,5 mg,morning,,\n", 1, "dose", "not an amount"),
    ("liquid dose without mL", HEADER + "morphine,10 mg/5 mL,solution,2.5,morning,,\n", 1, "dose",
     "in mL"),
    ("bad strength text", HEADER + "oxycodone,five,tablet,1,morning,,\n", 1, "strength",
     "not a strength"),
    ("prn not yes/no", HEADER + "oxycodone,5 mg,tablet,1,morning,maybe,\n", 1, "prn", "yes or no"),
    ("patch on slots", HEADER + "fentanyl,25 mcg/hr,patch,1,morning,,\n", 1, "when", "interval"),
    ("slot twice", HEADER + "oxycodone,5 mg,tablet,1,morning;morning,,\n", 1, "when",
     "listed twice"),
    ("impossible start date", "drug,strength,form,dose,when,start_date\n"
     "oxycodone,5 mg,tablet,1,morning,2024-02-30\n", 1, "start_date", "no such day"),
    ("short row", HEADER + "oxycodone,5 mg,tablet\n", 1, None, "cells"),
    ("empty drug", HEADER + ",5 mg,tablet,1,morning,,\n", 1, "drug", "empty"),
    ("empty strength of a known drug", HEADER + "oxycodone,,tablet,1,morning,,\n", 1, "strength", "empty"),
    ("empty form of a known drug", HEADER + "oxycodone,5 mg,,1,morning,,\n", 1, "form", "empty"),
    ("unlisted line with a zero dose", HEADER + "ashwagandha,500 mg,capsule,0,morning,,\n", 1, "dose",
     "more than 0"),
    ("unlisted line with a dose that is not a number", HEADER + "fish oil,,softgel,two,morning,,\n", 1, "dose",
     "not a number"),
    ("half of an unlisted capsule", HEADER + "ashwagandha,500 mg,capsule,0.5,morning,,\n", 1, "dose",
     "may not be split"),
]

#: Lines the formulary has no product for: kept, marked and reported, never refused (issue 14).
KEPT_CSVS = [
    ("unknown drug", "oxycodine,5 mg,tablet,1,morning", "unlisted", "drug", "'oxycodine' is not in the formulary",
     "oxycodine 5 mg tablet"),
    ("unknown drug, no strength, odd form", "fish oil,,softgel,2 softgels,daily", "unlisted", "drug",
     "kept as an unlisted medicine", "fish oil softgel"),
    ("strength not a product", "oxycodone,7 mg,tablet,1,morning", "unconfirmed", "strength",
     "7 mg is not a tablet of oxycodone the formulary lists", "oxycodone 7 mg tablet"),
    ("unknown form", "oxycodone,5 mg,poultice,1,morning", "unconfirmed", "form", "'poultice' is not a form",
     "oxycodone 5 mg poultice"),
    ("a form it is not listed in", "oxycodone,5 mg,lozenge,1,morning", "unconfirmed", "form",
     "oxycodone is not listed as troche", "oxycodone 5 mg troche"),
    ("form the drug is not listed as", "gabapentin,300 mg,patch,1,every 72 hours", "unconfirmed", "form",
     "gabapentin is not listed as patch", "gabapentin 300 mg patch"),
]


@pytest.mark.parametrize(("label", "row", "kind", "column", "words", "shown"), KEPT_CSVS,
                         ids=[k[0] for k in KEPT_CSVS])
def test_lines_without_a_listed_product_are_kept_marked_and_noted(label, row, kind, column, words, shown):
    result = parse_csv_text(HEADER + "lisinopril,10 mg,tablet,1,morning,,\n" + row + ",,\n")
    assert result.errors == []
    listed, kept = (r.medication for r in result.rows)
    assert listed.kind.value == "listed" and listed.mark == ""
    assert kept.kind.value == kind
    assert kept.mark == {"unlisted": "unlisted", "unconfirmed": "product not in the formulary: confirm"}[kind]
    imported = result.rows[1]
    assert imported.notice_column == column and words in imported.notice
    assert kept.written is not None and kept.written.name == row.split(",")[0]
    assert kept.description() == shown and kept.titled() == f"{shown} ({kept.mark})"


def test_a_known_drug_in_a_strength_not_listed_is_screened_and_counted():
    """oxycodone 7.5 mg: no such tablet in the formulary, but it is oxycodone: MME and rules still see it."""
    from interactions.review import review
    regimen = parse_csv_text(HEADER + "oxycodone,7.5 mg,tablet,1,morning;evening,,\n"
                             "alprazolam,0.5 mg,tablet,1,bedtime,,\n")
    r = review(Regimen(medications=tuple(x.medication for x in regimen.rows)), age=70)
    assert r.metrics.mme_per_day == Fraction(225, 10)  # 15 mg oxycodone x 1.5
    assert any(set(f.drugs) == {"alprazolam", "oxycodone"} for f in r.findings)
    assert r.not_screened == ()
    assert [g.id for g in r.flags if g.kind == "product"] == ["PRODUCT-NOT-LISTED"]


@pytest.mark.parametrize(("label", "text", "row", "column", "words"), BAD_CSVS,
                         ids=[b[0] for b in BAD_CSVS])
def test_bad_rows_name_row_and_column_and_import_nothing(write_csv, label, text, row, column, words):
    path = write_csv(text)
    with pytest.raises(TaperInputError) as info:
        regimen_from_csv(path)
    err = info.value
    assert err.file == str(path)
    assert err.row == row
    assert err.column == column
    assert words in err.message
    assert "nothing was imported" in err.message
    assert f"row {row}" in str(err)


BAD_FILES = [
    ("empty file", b"", "is empty"),
    ("only whitespace", b"\n\n  \n", "is empty"),
    ("header only", HEADER.encode(), "no medication rows"),
    ("missing column", b"drug,strength,form,dose\noxycodone,5 mg,tablet,1\n", "missing column when"),
    ("unknown column", b"drug,strength,form,dose,when,colour\noxycodone,5 mg,tablet,1,morning,red\n",
     "unknown column 'colour'"),
    ("non-UTF-8 bytes", HEADER.encode() + b"ibuprof\xe9n,400 mg,tablet,1,morning,,\n", "not UTF-8"),
    ("NUL bytes", HEADER.encode() + b"oxycodone\x00,5 mg,tablet,1,morning,,\n", "NUL"),
]


@pytest.mark.parametrize(("label", "content", "words"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_files_are_refused_with_the_file_named(write_csv, label, content, words):
    path = write_csv(content)
    with pytest.raises(TaperInputError) as info:
        regimen_from_csv(path)
    assert info.value.file == str(path)
    assert words in str(info.value)


def test_every_bad_row_is_listed(write_csv):
    path = write_csv(HEADER + "oxycodone,5 mg,tablet,half,morning,,\n"
                     + "lisinopril,10 mg,tablet,1,morning,,\n"
                     + "ibuprofen,400 mg,tablet,0,morning,,\n")
    with pytest.raises(TaperInputError) as info:
        regimen_from_csv(path)
    text = str(info.value)
    assert "row 1" in text and "row 3" in text and "2 rows have problems" in text


def test_lenient_parse_keeps_good_rows_and_reports_bad():
    result = parse_csv_text(
        "patient_id," + HEADER + "p1,oxycodone,5 mg,tablet,1,morning,,\n"
        "p2,oxycodone,5 mg,tablet,0,morning,,\n"
        "p3,oxycodine,5 mg,tablet,1,morning,,\n"
    )
    assert [r.patient_id for r in result.rows] == ["p1", "p3"]
    assert [(e.row, e.column) for e in result.errors] == [(2, "dose")]


def test_several_patients_are_refused_for_a_single_regimen(write_csv):
    path = write_csv("patient_id," + HEADER + "p1,oxycodone,5 mg,tablet,1,morning,,\n"
                     "p2,oxycodone,5 mg,tablet,1,morning,,\n")
    with pytest.raises(TaperInputError, match="taper panel"):
        regimen_from_csv(path)


@pytest.mark.parametrize(("drug", "words", "never"), [
    ("oxycodine", ["'oxycodine' is not in the formulary", "did you mean oxycodone?"], ["phenelzine"]),
    ("Qzxvbnm", ["'Qzxvbnm' is not in the formulary; kept as an unlisted medicine"], ["did you mean"]),
    ("phentolamine", ["'phentolamine' is not in the formulary"], ["phentermine", "phenelzine", "did you mean"]),
    ("oxycod", ["part of oxycodone", "type the whole name"], []),
])
def test_a_lookalike_or_part_of_a_name_is_never_imported_as_another_drug(drug, words, never):
    """The suggestion is offered in the notice; the line stays the medicine as written, unlisted."""
    imported = parse_csv_text(HEADER + f"{drug},5 mg,tablet,1,morning,,\n").rows[0]
    assert imported.medication.kind.value == "unlisted" and imported.medication.name == drug.lower()
    assert imported.notice_column == "drug"
    for word in words:
        assert word in imported.notice
    for word in never:
        assert word not in imported.notice


def test_brand_and_synonym_rows_import_as_their_drug(write_csv):
    path = write_csv(HEADER + "Klonopin,0.5 mg,tablet,1,bedtime,,\n" + "paracetamol,500 mg,tablet,1,morning,,\n"
                     + "Nardil,15 mg,tablet,1,morning,,\n")
    assert [m.product.drug for m in regimen_from_csv(path).medications] == ["clonazepam", "acetaminophen",
                                                                            "phenelzine"]


def test_a_duplicated_row_is_imported_not_refused():
    """A duplicate is a review finding (DUP-ING), never a reason to refuse the list (issue 12, item 11)."""
    result = parse_csv_text(HEADER + "oxycodone,5 mg,tablet,1,morning,,\n" "oxycodone,5 mg,tablet,1,morning,,\n")
    assert result.errors == []
    assert [r.medication.id for r in result.rows] == ["m1", "m2"]
