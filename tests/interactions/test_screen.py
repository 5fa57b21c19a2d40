"""Screening: dangerous pairs are found with the right rule, plausible safe pairs stay quiet."""

from __future__ import annotations

import pytest

from interactions.screen import ScreenContext, screen
from tests.helpers.screening import facts

PRESENT = [
    ("oxycodone", "alprazolam", "R01", "major"),
    ("hydrocodone", "lorazepam", "R01", "major"),
    ("morphine", "zolpidem", "R02", "major"),
    ("oxycodone", "gabapentin", "R03", "major"),
    ("tramadol", "pregabalin", "R03", "major"),
    ("oxycodone", "cyclobenzaprine", "R05", "moderate"),
    ("morphine", "diphenhydramine", "R09", "moderate"),
    ("phenelzine", "meperidine", "R13", "contraindicated"),
    ("phenelzine", "tramadol", "R14a", "contraindicated"),
    ("tranylcypromine", "methadone", "R15", "contraindicated"),
    ("phenelzine", "fentanyl", "R16a", "major"),
    ("phenelzine", "oxycodone", "R16b", "major"),
    ("phenelzine", "dextromethorphan", "R17", "contraindicated"),
    ("phenelzine", "sertraline", "R18", "contraindicated"),
    ("phenelzine", "amitriptyline", "R19", "contraindicated"),
    ("phenelzine", "sumatriptan", "R20b", "contraindicated"),
    ("tramadol", "sertraline", "R24a", "moderate"),
    ("amitriptyline", "sertraline", "R26", "moderate"),
    ("sumatriptan", "sertraline", "R27", "minor"),
    ("sumatriptan", "ergotamine", "R28b", "contraindicated"),
    ("lithium", "sertraline", "R29", "moderate"),
    ("tizanidine", "fluvoxamine", "R30", "contraindicated"),
    ("tizanidine", "ciprofloxacin", "R31", "contraindicated"),
    ("duloxetine", "ciprofloxacin", "R33", "major"),
    ("duloxetine", "amitriptyline", "R35", "moderate"),
    ("paroxetine", "codeine", "R37", "moderate"),
    ("clarithromycin", "oxycodone", "R40", "major"),
    ("fluconazole", "fentanyl", "R41", "major"),
    ("carbamazepine", "oxycodone", "R44a", "major"),
    ("oxycodone", "naltrexone", "R47", "major"),
    ("methadone", "citalopram", "R51", "major"),
    ("ibuprofen", "warfarin", "R55", "major"),
    ("naproxen", "clopidogrel", "R56", "major"),
    ("ibuprofen", "sertraline", "R58a", "moderate"),
    ("ibuprofen", "prednisone", "R60", "moderate"),
    ("naproxen", "lithium", "R62", "major"),
    ("warfarin", "amiodarone", "R66", "major"),
    ("warfarin", "ciprofloxacin", "R67", "major"),
    ("lisinopril", "spironolactone", "R70b", "major"),
    ("lithium", "lisinopril", "R71", "major"),
    ("lithium", "hydrochlorothiazide", "R72", "major"),
    ("tizanidine", "clonidine", "R74a", "major"),
    ("clonidine", "metoprolol", "R75", "moderate"),
    ("lisinopril", "losartan", "R70a", "major"),
    ("ibuprofen", "naproxen", "R61", "major"),
    ("diazepam", "zolpidem", "R10", "major"),
    ("gabapentin", "pregabalin", "R12", "major"),
]

ABSENT = [
    ("acetaminophen", "lisinopril"), ("acetaminophen", "oxycodone"), ("lisinopril", "amlodipine"),
    ("metoprolol", "amlodipine"), ("sertraline", "lisinopril"), ("gabapentin", "acetaminophen"),
    ("duloxetine", "acetaminophen"), ("prednisone", "acetaminophen"), ("ibuprofen", "acetaminophen"),
    ("amlodipine", "hydrochlorothiazide"), ("metoprolol", "lisinopril"), ("celecoxib", "acetaminophen"),
    ("zolpidem", "acetaminophen"), ("sumatriptan", "acetaminophen"), ("losartan", "amlodipine"),
    ("apixaban", "acetaminophen"), ("prednisone", "lisinopril"), ("pregabalin", "acetaminophen"),
    ("ondansetron", "acetaminophen"), ("lisinopril", "furosemide"), ("sertraline", "amlodipine"),
    ("baclofen", "acetaminophen"),
]


@pytest.mark.parametrize(("a", "b", "rule", "severity"), PRESENT, ids=[f"{p[0]}+{p[1]}" for p in PRESENT])
def test_known_pairs_are_flagged_with_their_rule(a, b, rule, severity):
    for order in ((a, b), (b, a)):
        findings = screen(facts(*order), ScreenContext(age=50))
        pair = [f for f in findings if set(f.drugs) == {a, b}]
        assert len(pair) == 1, [(f.rule_id, f.drugs) for f in findings]
        assert pair[0].rule_id == rule
        assert pair[0].severity == severity


@pytest.mark.parametrize(("a", "b"), ABSENT, ids=[f"{p[0]}+{p[1]}" for p in ABSENT])
def test_plausible_safe_pairs_raise_nothing(a, b):
    assert screen(facts(a, b), ScreenContext(age=70)) == []


def test_oxycodone_alprazolam_is_major_and_reported_once():
    findings = screen(facts("oxycodone", "alprazolam"), ScreenContext(age=50))
    assert [(f.rule_id, f.severity, f.drugs) for f in findings] == [("R01", "major", ("alprazolam", "oxycodone"))]
    assert "naloxone" in findings[0].management


def test_triple_whammy_is_one_three_drug_finding():
    findings = screen(facts("ibuprofen", "lisinopril", "hydrochlorothiazide"), ScreenContext(age=50))
    triples = [f for f in findings if f.kind == "triple"]
    assert [(f.rule_id, f.drugs) for f in triples] == [("R64", ("hydrochlorothiazide", "ibuprofen", "lisinopril"))]
    assert findings[0].rule_id == "R64"


def test_triple_whammy_through_a_combination_product():
    from decimal import Decimal

    from regimens.formulary import get_formulary
    from regimens.regimen import Medication, Regimen, Slot
    from tests.helpers.screening import med

    combo = get_formulary().get("lisinopril/hydrochlorothiazide").products[0]
    regimen = Regimen(medications=(
        Medication(id="c", product=combo, units=Decimal(1), slots=(Slot.MORNING,)), med("ibuprofen", "i")))
    findings = screen(regimen, ScreenContext(age=50))
    assert "R64" in {f.rule_id for f in findings}


def test_one_combination_product_does_not_interact_with_itself():
    from decimal import Decimal

    from regimens.formulary import get_formulary
    from regimens.regimen import Medication, Regimen, Slot

    suboxone = get_formulary().get("Suboxone").products[0]
    regimen = Regimen(medications=(Medication(id="s", product=suboxone, units=Decimal(1),
                                              slots=(Slot.MORNING,)),))
    assert screen(regimen) == []


def test_quiet_list_raises_nothing_above_minor():
    findings = screen(facts("acetaminophen", "lisinopril"), ScreenContext(age=80))
    assert all(f.severity == "minor" for f in findings)


def test_prn_medicines_are_screened_and_marked():
    findings = screen(facts("oxycodone", "lorazepam", prn=("oxycodone",)), ScreenContext(age=50))
    assert findings[0].rule_id == "R01"
    assert findings[0].prn_drugs == ("oxycodone",)


def test_scheduled_only_duplicate_ignores_prn():
    both = screen(facts("morphine", "oxycodone"), ScreenContext(age=50))
    assert "R11" in {f.rule_id for f in both}
    with_prn = screen(facts("morphine", "oxycodone", prn=("oxycodone",)), ScreenContext(age=50))
    assert "R11" not in {f.rule_id for f in with_prn}


def test_drug_rule_wins_over_class_rule_and_the_class_rule_is_kept_as_also():
    findings = screen(facts("tramadol", "sertraline"), ScreenContext(age=50))
    assert [f.rule_id for f in findings] == ["R24a"]
    assert [a.rule_id for a in findings[0].also] == ["R23a"]


def test_severity_rises_for_older_adults():
    young = screen(facts("oxycodone", "cyclobenzaprine"), ScreenContext(age=50))
    old = screen(facts("oxycodone", "cyclobenzaprine"), ScreenContext(age=70))
    assert young[0].severity == "moderate" and not young[0].escalated_for_age
    assert old[0].severity == "major" and old[0].escalated_for_age


def test_count_rule_needs_age_65():
    drugs = ("oxycodone", "gabapentin", "sertraline")
    assert "R08" not in {f.rule_id for f in screen(facts(*drugs), ScreenContext(age=64))}
    assert "R08" not in {f.rule_id for f in screen(facts(*drugs), ScreenContext(age=None))}
    assert "R08" in {f.rule_id for f in screen(facts(*drugs), ScreenContext(age=65))}


def test_findings_sorted_by_severity():
    findings = screen(facts("phenelzine", "tramadol", "alprazolam", "sumatriptan", "sertraline"),
                      ScreenContext(age=50))
    ranks = [f.rank for f in findings]
    assert ranks == sorted(ranks, reverse=True)
    assert findings[0].severity == "contraindicated"


def test_citalopram_dose_threshold():
    from regimens.formulary import get_formulary
    from regimens.regimen import Regimen
    from tests.helpers.screening import med

    tablet = next(p for p in get_formulary().get("citalopram").products
                  if p.strength == "20 mg" and p.form.value == "tablet")
    # (tablets a day, age, the citalopram dose rule expected): 20 mg is not above 20 mg.
    for units, age, expected in (("1", 70, None), ("1.5", 70, "R52b"), ("1.5", 50, None), ("2.5", 50, "R52a")):
        regimen = Regimen(medications=(med("citalopram", "c", units=units, product=tablet),
                                       med("ondansetron", "o")))
        findings = screen(regimen, ScreenContext(age=age))
        pair = [f for f in findings if set(f.drugs) == {"citalopram", "ondansetron"}]
        assert len(pair) == 1
        ids = {pair[0].rule_id} | {a.rule_id for a in pair[0].also}
        assert ({"R52a", "R52b"} & ids) == ({expected} if expected else set()), ids


def test_qt_duplicate_and_pair_rule_are_one_finding():
    findings = screen(facts("methadone", "citalopram"), ScreenContext(age=50))
    assert [f.rule_id for f in findings] == ["R51"]
    assert "R54" in {a.rule_id for a in findings[0].also}
