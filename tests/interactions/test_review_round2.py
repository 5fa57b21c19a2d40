"""Issue 12, review side: missed interactions, QT grading by risk category, duplicate ingredients and
implausible doses (items 8, 9 and 11)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interactions.metrics import DOSE_LABEL_MAX, DOSE_MME_VERY_HIGH, DOSE_WEEKLY_ONLY, SAME_DRUG_PRN
from interactions.panel import panel_records, review_panel
from interactions.review import review, review_json
from interactions.screen import ScreenContext, screen
from interactions.tables import qt_category, qt_table
from regimens.csv_import import regimen_from_csv_text
from regimens.formulary import classes_of, get_formulary
from regimens.regimen import Medication, Regimen, Slot
from tests.helpers.screening import facts

HEADER = "drug,strength,form,dose,when,prn,max_per_day\n"


def pair_finding(*drugs: str, age: int | None = 50):
    found = [f for f in screen(facts(*drugs), ScreenContext(age=age))
             if set(f.drugs) == set(drugs) and f.kind in ("pair", "duplicate")]
    assert len(found) == 1, found
    return found[0]


# --- item 8: missed interactions -------------------------------------------------------------------

MISSED = [
    ("alprazolam", "ketoconazole", "R79", "contraindicated"),
    ("alprazolam", "itraconazole", "R79", "contraindicated"),
    ("alprazolam", "clarithromycin", "R79", "contraindicated"),
    ("alprazolam", "fluconazole", "R80", "moderate"),
    ("alprazolam", "diltiazem", "R80", "moderate"),
    ("diazepam", "voriconazole", "R81", "moderate"),
    ("clonazepam", "fluconazole", "R81", "moderate"),
    ("zolpidem", "ketoconazole", "R82", "moderate"),
    ("warfarin", "clopidogrel", "R83", "major"),
    ("apixaban", "clopidogrel", "R83", "major"),
    ("rivaroxaban", "ticagrelor", "R83", "major"),
    ("dabigatran", "prasugrel", "R83", "major"),
    ("phenelzine", "tranylcypromine", "R84", "contraindicated"),
    ("selegiline", "rasagiline", "R84", "contraindicated"),
    ("linezolid", "phenelzine", "R85", "contraindicated"),
    ("isocarboxazid", "mirtazapine", "R86", "contraindicated"),
    ("phenelzine", "trazodone", "R87", "contraindicated"),
    ("selegiline", "st john's wort", "R88a", "contraindicated"),
    ("phenelzine", "st john's wort", "R88b", "major"),
    ("tranylcypromine", "cyclobenzaprine", "R89", "contraindicated"),
    ("phenelzine", "bupropion", "R90", "contraindicated"),
    ("phenelzine", "carbamazepine", "R91", "contraindicated"),
    ("carbamazepine", "clarithromycin", "R92a", "major"),
    ("carbamazepine", "ketoconazole", "R92a", "major"),
    ("carbamazepine", "fluconazole", "R92b", "moderate"),
    ("voriconazole", "carbamazepine", "R93", "contraindicated"),
    ("voriconazole", "phenobarbital", "R93", "contraindicated"),
    ("phenytoin", "fluconazole", "R94", "major"),
    ("phenytoin", "itraconazole", "R94", "major"),
    ("verapamil", "metoprolol", "R95a", "major"),
    ("verapamil", "propranolol", "R95a", "major"),
    ("diltiazem", "atenolol", "R95b", "moderate"),
    ("rasagiline", "st john's wort", "R88a", "contraindicated"),
    ("ketoconazole", "methadone", "R96", "contraindicated"),
    ("itraconazole", "methadone", "R96", "contraindicated"),
    ("fluconazole", "quinidine", "R97", "contraindicated"),
    ("voriconazole", "quinidine", "R97", "contraindicated"),
    ("fluconazole", "erythromycin", "R98", "contraindicated"),
    ("voriconazole", "st john's wort", "R99", "contraindicated"),
]


@pytest.mark.parametrize(("a", "b", "rule_id", "severity"), MISSED)
def test_missed_interactions_are_found_in_either_order(a, b, rule_id, severity):
    for pair in ((a, b), (b, a)):
        finding = pair_finding(*pair)
        assert (finding.rule_id, finding.severity) == (rule_id, severity), (pair, finding.rule_id, finding.also)
        assert finding.source and "http" in finding.source


def test_ritonavir_is_not_in_the_alprazolam_contraindication_but_still_found():
    finding = pair_finding("alprazolam", "ritonavir")
    assert finding.rule_id == "R80" and finding.severity == "moderate"


def test_fluconazole_is_a_qt_drug_of_known_risk():
    assert "QT" in classes_of("fluconazole")
    assert qt_category("fluconazole") == "known"


def test_every_qt_tagged_drug_has_a_category_and_the_other_way_round():
    tagged = {d.name for d in get_formulary().drugs if "QT" in d.classes and not d.is_combination}
    assert tagged == set(qt_table()["drugs"])
    assert {row["category"] for row in qt_table()["drugs"].values()} <= {"known", "possible", "conditional"}


# --- item 9: QT pairs graded by CredibleMeds category -------------------------------------------

@pytest.mark.parametrize(("a", "b"), [("trazodone", "venlafaxine"), ("buprenorphine", "ondansetron"),
                                      ("hydroxyzine", "trazodone"), ("quetiapine", "tizanidine"),
                                      ("amitriptyline", "hydroxyzine")])
def test_qt_pair_with_a_possible_or_conditional_drug_is_moderate(a, b):
    finding = pair_finding(a, b)
    assert (finding.rule_id, finding.severity) == ("R54b", "moderate")
    assert dict(finding.qt_risk) == {a: qt_category(a), b: qt_category(b)}
    assert "CredibleMeds" in finding.effect and f"{a} {qt_category(a)}" in finding.effect


@pytest.mark.parametrize(("a", "b"), [("ondansetron", "azithromycin"), ("escitalopram", "levofloxacin"),
                                      ("haloperidol", "moxifloxacin")])
def test_qt_pair_of_two_known_risk_drugs_stays_major(a, b):
    finding = pair_finding(a, b)
    assert (finding.rule_id, finding.severity) == ("R54", "major")
    assert {c for _, c in finding.qt_risk} == {"known"}


def test_another_rule_still_grades_a_qt_pair_higher():
    # clarithromycin (strong CYP3A4 inhibitor) raises methadone: R43 major, whatever the QT grade.
    assert pair_finding("methadone", "clarithromycin").severity == "major"
    # methadone with a conditional-risk drug is now moderate (was major under R51 for every QT drug) ...
    assert pair_finding("methadone", "trazodone").severity == "moderate"
    # ... but with a Known Risk drug R51 keeps it major.
    assert pair_finding("methadone", "ondansetron").rule_id == "R51"


def test_qt_risk_is_in_the_json():
    data = review_json(review(facts("trazodone", "venlafaxine"), 50))
    finding = next(f for f in data["findings"] if f["rule_id"] == "R54b")
    assert finding["qt_risk"] == [{"drug": "trazodone", "category": "conditional"},
                                  {"drug": "venlafaxine", "category": "possible"}]
    assert "crediblemeds.org" in finding["qt_risk_source"]


# --- item 11: the same ingredient on two lines --------------------------------------------------

def _review_csv(rows: str, age: int | None = 50):
    return review(regimen_from_csv_text(HEADER + rows), age)


def test_brand_and_generic_of_one_drug_is_duplicate_therapy():
    r = _review_csv("Xanax,0.5 mg,tablet,1,bedtime,no,\nalprazolam,0.25 mg,tablet,2,bedtime,no,\n")
    dup = [f for f in r.findings if f.rule_id == "DUP-ING"]
    assert len(dup) == 1 and dup[0].drugs == ("alprazolam",) and dup[0].severity == "major"
    assert "2 lines" in (dup[0].dose_context or "")


def test_a_combination_product_with_its_own_ingredient_is_duplicate_therapy():
    r = _review_csv("oxycodone,5 mg,tablet,1,morning;evening,no,\nPercocet,5 mg/325 mg,tablet,1,noon,no,\n")
    assert [f.drugs for f in r.findings if f.rule_id == "DUP-ING"] == [("oxycodone",)]
    r = _review_csv("Tylenol,500 mg,tablet,2,morning,no,\nPercocet,5 mg/325 mg,tablet,1,noon,no,\n")
    assert [f.drugs for f in r.findings if f.rule_id == "DUP-ING"] == [("acetaminophen",)]


def test_scheduled_plus_as_needed_reports_the_combined_maximum_not_a_duplicate():
    r = _review_csv("oxycodone,10 mg,tablet,1,morning;evening,no,\noxycodone,5 mg,tablet,1,every 6 hours,yes,4\n")
    assert not [f for f in r.findings if f.rule_id == "DUP-ING"]
    flag = next(g for g in r.flags if g.id == SAME_DRUG_PRN)
    assert flag.drugs == ("oxycodone",)
    assert "20 mg a day scheduled and up to 20 mg as needed: at most 40 mg a day" in flag.message


def test_two_as_needed_lines_of_one_drug_are_duplicate_therapy():
    r = _review_csv("oxycodone,5 mg,tablet,1,every 6 hours,yes,4\nRoxicodone,10 mg,tablet,1,every 4 hours,yes,3\n")
    assert [f.drugs for f in r.findings if f.rule_id == "DUP-ING"] == [("oxycodone",)]


def test_different_drugs_are_not_a_same_ingredient_duplicate():
    r = _review_csv("oxycodone,5 mg,tablet,1,morning,no,\nmorphine,15 mg,tablet,1,evening,no,\n")
    assert not [f for f in r.findings if f.rule_id == "DUP-ING"]


# --- item 11: plausibility ------------------------------------------------------------------------

def test_oxycontin_at_9600_mme_asks_to_confirm_the_dose():
    r = _review_csv("OxyContin,80 mg,tablet,20,every 6 hours,no,\n")
    ids = {g.id for g in r.flags}
    assert DOSE_MME_VERY_HIGH in ids
    flag = next(g for g in r.flags if g.id == DOSE_MME_VERY_HIGH)
    assert "9,600" in flag.message and "confirm" in flag.message


def test_a_dose_above_the_label_maximum_asks_to_confirm():
    r = _review_csv("gabapentin,800 mg,tablet,2,morning;noon;evening,no,\n")  # 4,800 mg a day
    flag = next(g for g in r.flags if g.id == DOSE_LABEL_MAX)
    assert flag.drugs == ("gabapentin",) and "4,800 mg" in flag.message and "3,600 mg" in flag.message
    assert "Confirm this dose" in flag.message


def test_as_needed_doses_count_toward_the_label_maximum():
    r = _review_csv("tramadol,50 mg,tablet,2,morning;evening,no,\ntramadol,50 mg,tablet,2,every 6 hours,yes,6\n")
    assert DOSE_LABEL_MAX in {g.id for g in r.flags}  # 200 + 300 = 500 mg > 400 mg


def test_usual_doses_are_not_flagged():
    r = _review_csv("gabapentin,300 mg,capsule,1,morning;noon;evening,no,\noxycodone,5 mg,tablet,1,morning,no,\n")
    assert not {DOSE_LABEL_MAX, DOSE_MME_VERY_HIGH, DOSE_WEEKLY_ONLY} & {g.id for g in r.flags}


def test_daily_methotrexate_is_flagged_weekly_is_not():
    daily = _review_csv("methotrexate,2.5 mg,tablet,1,morning,no,\n")
    assert DOSE_WEEKLY_ONLY in {g.id for g in daily.flags}
    weekly = _review_csv("methotrexate,2.5 mg,tablet,4,weekly,no,\n")
    assert DOSE_WEEKLY_ONLY not in {g.id for g in weekly.flags}


@settings(max_examples=40, deadline=None)
@given(units=st.sampled_from(["1", "2", "3", "4"]), slots=st.integers(min_value=1, max_value=4))
def test_label_maximum_flag_follows_the_total(units, slots):
    product = next(p for p in get_formulary().get("gabapentin").products if p.strength == "600 mg")
    med = Medication(id="g", product=product, units=Decimal(units),
                     slots=tuple([Slot.MORNING, Slot.NOON, Slot.EVENING, Slot.BEDTIME][:slots]))
    flagged = DOSE_LABEL_MAX in {g.id for g in review(Regimen(medications=(med,)), 50).flags}
    assert flagged == (600 * int(units) * slots > 3600)


# --- the panel agrees with the single review on all of these --------------------------------------

def test_panel_agrees_on_duplicates_and_dose_checks(tmp_path):
    rows = {
        "dup": "Xanax,0.5 mg,tablet,1,bedtime,no,\nalprazolam,0.25 mg,tablet,2,bedtime,no,\n",
        "same-twice": "oxycodone,5 mg,tablet,1,morning,no,\noxycodone,5 mg,tablet,1,morning,no,\n",
        "combo": "oxycodone,5 mg,tablet,1,morning,no,\nPercocet,5 mg/325 mg,tablet,1,noon,no,\n",
        "prn": "oxycodone,10 mg,tablet,1,morning;evening,no,\noxycodone,5 mg,tablet,1,every 6 hours,yes,4\n",
        "mme": "OxyContin,80 mg,tablet,20,every 6 hours,no,\n",
        "label": "gabapentin,800 mg,tablet,2,morning;noon;evening,no,\n",
        "mtx": "methotrexate,2.5 mg,tablet,1,morning,no,\n",
        "qt": "trazodone,50 mg,tablet,1,bedtime,no,\nvenlafaxine,75 mg,tablet,1,morning,no,\n",
        "azole": "alprazolam,0.5 mg,tablet,1,bedtime,no,\nketoconazole,200 mg,tablet,1,morning,no,\n",
    }
    text = "patient_id,age," + HEADER
    for pid, lines in rows.items():
        for line in lines.splitlines():
            text += f"{pid},70,{line}\n"
    path = tmp_path / "panel.csv"
    path.write_text(text)
    result = review_panel(str(path), today=date(2026, 12, 2))
    assert result.skipped == []
    records = {r["patient_id"]: r for r in panel_records(result)}
    for pid, lines in rows.items():
        single = _review_csv(lines, 70)
        for severity in ("contraindicated", "major", "moderate", "minor"):
            assert records[pid][severity] == single.count_of(severity), (pid, severity)
        assert set(records[pid]["flags"]) == {g.id for g in single.flags}, pid
        assert records[pid]["medication_count"] == len(lines.splitlines())
    assert records["same-twice"]["major"] >= 1 and SAME_DRUG_PRN in records["prn"]["flags"]
    assert DOSE_WEEKLY_ONLY in records["mtx"]["flags"] and records["azole"]["contraindicated"] == 1


# --- item 10: Beers 2023 Table 2 and the three ACB scales ---------------------------------------

def test_every_formulary_drug_has_a_score_on_every_acb_scale():
    from interactions.tables import acb_tables

    singles = {d.name for d in get_formulary().drugs if not d.is_combination}
    for scale_id, scale in acb_tables()["scales"].items():
        assert set(scale["scores"]) == singles, scale_id
        for drug in scale["not_listed"]:
            assert scale["scores"][drug] == 0, (scale_id, drug)
        listed = singles - set(scale["not_listed"])
        assert listed and all(scale["scores"][d] in (1, 2, 3) for d in listed), scale_id


@pytest.mark.parametrize(("scale", "drug", "score"), [
    ("ACB-2008", "quinidine", 1), ("ACB-2008", "hydrocortisone", 1), ("ACBcalc", "quinidine", 1),
    ("ACBcalc", "hydrocortisone", 1), ("ACBcalc", "selegiline", 1), ("ACBcalc", "phenobarbital", 1),
    ("ACBcalc", "dexamethasone", 1), ("ARS", "selegiline", 1), ("ARS", "tizanidine", 3),
    ("ACB-2008", "tizanidine", 0), ("ACB-2008", "gabapentin", 0)])
def test_acb_scores_that_were_missing(scale, drug, score):
    from interactions.metrics import Options

    r = review(facts(drug), 50, Options(acb_scale=scale))
    assert r.metrics.acb_score == score and r.metrics.acb_scale == scale
    assert r.metrics.acb_contributions == ({drug: score} if score else {})


@pytest.mark.parametrize(("drug", "flag_id", "is_check"), [
    ("rivaroxaban", "BEERS-RIVAROXABAN", False), ("aspirin", "BEERS-ASPIRIN-PRIMARY", True),
    ("phenobarbital", "BEERS-BARBITURATE", False), ("amiodarone", "BEERS-AMIODARONE", True),
    ("dabigatran", "BEERS-DABIGATRAN", False), ("guanfacine", "BEERS-GUANFACINE", False)])
def test_beers_2023_rows_that_were_missing(drug, flag_id, is_check):
    older = {g.id: g for g in review(facts(drug), 72).flags}
    assert flag_id in older
    assert (older[flag_id].check is not None) == is_check
    assert "doi:10.1111/jgs.18372" in older[flag_id].source
    assert flag_id not in {g.id for g in review(facts(drug), 50).flags}


DUP_POOL = ["oxycodone", "OxyContin", "Percocet", "Roxicodone", "alprazolam", "Xanax", "acetaminophen",
            "gabapentin", "tramadol", "methotrexate", "trazodone", "venlafaxine", "ondansetron", "ketoconazole",
            "warfarin", "clopidogrel", "phenelzine", "mirtazapine", "rivaroxaban", "aspirin", "quinidine"]


def _dup_line(rng, name: str) -> str:
    match = get_formulary().lookup(name)
    assert match is not None
    products = [p for p in match.drug.products if p.form.value in ("tablet", "capsule")
                and (match.brand is None or p.brand in (None, match.brand))]
    p = rng.choice(products)
    form = p.form.value + (" ER" if p.release.value == "extended" else "")
    if rng.random() < 0.3:
        return f"{name},{p.strength},{form},1,every 6 hours,yes,{rng.choice(['2', '4'])}"
    when = rng.choice(["morning", "morning;bedtime", "three times daily", "weekly"])
    return f"{name},{p.strength},{form},{rng.choice(['1', '2', '6'])},{when},no,"


@pytest.mark.parametrize("seed", [11, 12])
def test_panel_agrees_with_single_reviews_when_lines_repeat(tmp_path, seed):
    import random

    rng = random.Random(seed)
    panel: dict[str, list[str]] = {}
    for i in range(40):
        panel[f"p{i}"] = [_dup_line(rng, name) for name in rng.choices(DUP_POOL, k=rng.randint(2, 6))]
    text = "patient_id,age," + HEADER + "".join(
        f"{pid},{70 if i % 2 else 45},{line}\n" for i, (pid, lines) in enumerate(panel.items()) for line in lines)
    path = tmp_path / "panel.csv"
    path.write_text(text)
    result = review_panel(str(path), today=date(2026, 12, 2))
    assert result.skipped == []
    records = {r["patient_id"]: r for r in panel_records(result)}
    seen_dup = 0
    for i, (pid, lines) in enumerate(panel.items()):
        single = _review_csv("".join(line + "\n" for line in lines), 70 if i % 2 else 45)
        for severity in ("contraindicated", "major", "moderate", "minor"):
            assert records[pid][severity] == single.count_of(severity), (pid, severity, lines)
        assert set(records[pid]["flags"]) == {g.id for g in single.flags}, (pid, lines)
        seen_dup += any(f.rule_id == "DUP-ING" for f in single.findings)
    assert seen_dup >= 5


def test_every_qt_finding_names_the_category_source():
    for pair in (("methadone", "ondansetron"), ("citalopram", "hydroxyzine"), ("lofexidine", "trazodone"),
                 ("trazodone", "venlafaxine"), ("ondansetron", "azithromycin")):
        finding = pair_finding(*pair, age=70)
        assert finding.qt_risk and "crediblemeds.org" in finding.source, (pair, finding.rule_id)


def test_high_dose_aspirin_is_a_beers_check_low_dose_is_not():
    from interactions.tables import beers_table

    assert any(f["id"] == "BEERS-ASPIRIN-HIGH-DOSE" for f in beers_table()["flags"])
    low = _review_csv("aspirin,81 mg,tablet,1,morning,no,\n", 72)
    high = _review_csv("aspirin,325 mg,tablet,2,morning;evening,no,\n", 72)  # 1,300 mg a day
    assert "BEERS-ASPIRIN-HIGH-DOSE" not in {g.id for g in low.flags}
    flag = next(g for g in high.flags if g.id == "BEERS-ASPIRIN-HIGH-DOSE")
    assert flag.check
