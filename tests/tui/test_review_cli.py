"""`taper review` as a pharmacist runs it, on every example case and on CSVs."""

from __future__ import annotations

import json

import pytest

from tests.conftest import EXAMPLES, LISTS
from tests.helpers.cli import assert_clean_failure, taper


def review_json(*args: str) -> dict:
    proc = taper("review", "--json", *args)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def pairs(data: dict) -> dict[frozenset[str], dict]:
    return {frozenset(f["drugs"]): f for f in data["findings"]}


def test_kowalski_opioid_benzo_major_with_naloxone_and_triple_whammy():
    data = review_json(str(EXAMPLES / "kowalski.json"))
    found = pairs(data)
    assert found[frozenset({"oxycodone", "alprazolam"})]["severity"] == "major"
    assert found[frozenset({"ibuprofen", "lisinopril", "hydrochlorothiazide"})]["rule_id"] == "R64"
    triples = [f for f in data["findings"] if f["kind"] == "triple"]
    assert len(triples) == 1
    kinds = {(g["kind"], g["id"]) for g in data["flags"]}
    assert ("naloxone", "NALOXONE-BZD") in kinds
    m = data["metrics"]
    assert m["medication_count"] == 7
    assert m["mme_per_day"] == 45 and m["mme_prn_max_per_day"] == 22.5
    assert m["diazepam_equivalent_mg_per_day"] == 5
    assert set(data["metrics"]) >= {"medication_count", "mme_per_day", "diazepam_equivalent_mg_per_day",
                                    "acb_score", "cns_depressant_count"}
    for f in data["findings"]:
        assert set(f) >= {"rule_id", "severity", "drugs", "effect", "management", "source"}
    for g in data["flags"]:
        assert set(g) >= {"kind", "drugs", "message"}


def test_marsh_79_tramadol_sertraline_beers_and_acb():
    data = review_json(str(EXAMPLES / "marsh.json"))
    assert data["age"] >= 79
    assert frozenset({"tramadol", "sertraline"}) in pairs(data)
    assert any(g["kind"] == "beers" for g in data["flags"])
    assert data["metrics"]["acb_score"] >= 3


def test_nunez_patch_and_liquid_mme():
    m = review_json(str(EXAMPLES / "nunez.json"))["metrics"]
    assert m["mme_per_day"] == 60  # fentanyl 25 mcg/hr x 2.4
    assert m["mme_prn_max_per_day"] == 30  # morphine 15 mL of 2 mg/mL


def test_quiet_list_from_csv(write_csv):
    path = write_csv("drug,strength,form,dose,when\nacetaminophen,500 mg,tablet,1,morning\n"
                     "lisinopril,10 mg,tablet,1,morning\n")
    data = review_json(str(path), "--age", "70")
    assert all(f["severity"] == "minor" for f in data["findings"])
    assert not [g for g in data["flags"] if g["kind"] in ("naloxone", "mme", "beers", "acb")]


def test_age_override_changes_older_adult_checks():
    young = review_json(str(EXAMPLES / "kowalski.json"), "--age", "50")
    old = review_json(str(EXAMPLES / "kowalski.json"))
    assert not [g for g in young["flags"] if g["kind"] == "beers"]
    assert [g for g in old["flags"] if g["kind"] == "beers"]


def test_csv_without_age_says_so():
    data = review_json(str(LISTS / "marsh.csv"))
    assert data["age"] is None
    assert "AGE-UNKNOWN" in {g["id"] for g in data["flags"]}


def test_fail_on():
    assert taper("review", str(EXAMPLES / "kowalski.json"), "--fail-on", "major").returncode == 1
    assert taper("review", str(EXAMPLES / "okafor.json"), "--fail-on", "moderate").returncode == 0


def test_text_output_grouped_by_severity_in_80_columns():
    proc = taper("review", str(EXAMPLES / "nunez.json"))
    assert proc.returncode == 0
    lines = proc.stdout.splitlines()
    assert all(len(line) <= 80 for line in lines), max(lines, key=len)
    text = proc.stdout
    assert text.index("MAJOR (") < text.index("MODERATE (") < text.index("FLAGS (")
    assert "[MAJOR] R01" in text  # the severity is a word, never only a colour


def test_other_tables_are_selectable_and_named():
    data = review_json(str(EXAMPLES / "kowalski.json"), "--benzo-table", "Ashton-2002",
                       "--mme-set", "CDC-2016-clinical", "--acb-scale", "ACBcalc")
    m = data["metrics"]
    assert m["diazepam_equivalent_table"] == "Ashton-2002" and m["diazepam_equivalent_mg_per_day"] == 10
    assert m["mme_factor_set"] == "CDC-2016-clinical" and m["acb_scale"] == "ACBcalc"


@pytest.mark.parametrize(("args", "words"), [
    (["review", "nowhere.json"], ["nowhere.json", "no such file"]),
    (["review", str(EXAMPLES / "kowalski.json"), "--age", "-3"], ["not an age"]),
    (["review", str(EXAMPLES / "kowalski.json"), "--fail-on", "awful"], ["invalid choice"]),
    (["review", str(EXAMPLES / "kowalski.json"), "--mme-set", "CDC-1999"], ["not a known table"]),
])
def test_review_bad_input(args, words):
    assert_clean_failure(taper(*args), *words)


def test_review_of_a_broken_case_names_the_field(tmp_path):
    data = json.loads((EXAMPLES / "bell.json").read_text())
    data["regimen"]["medications"][0]["units"] = "0.5"  # half a gabapentin capsule
    path = tmp_path / "bell.json"
    path.write_text(json.dumps(data))
    assert_clean_failure(taper("review", str(path)), "bell.json", "regimen.medications.0", "may not be split")


def test_duplicate_lines_are_reviewed_not_refused(write_csv, tmp_path):
    """Issue 12 item 11: Xanax with alprazolam, oxycodone with Percocet, an identical row twice."""
    path = write_csv("drug,strength,form,dose,when\nXanax,0.5 mg,tablet,1,bedtime\n"
                     "alprazolam,0.25 mg,tablet,2,bedtime\noxycodone,5 mg,tablet,1,morning\n"
                     "Percocet,5 mg/325 mg,tablet,1,evening\noxycodone,5 mg,tablet,1,morning\n")
    data = review_json(str(path), "--age", "50")
    dup = {f["drugs"][0]: f for f in data["findings"] if f["rule_id"] == "DUP-ING"}
    assert set(dup) == {"alprazolam", "oxycodone"} and dup["oxycodone"]["severity"] == "major"
    assert "3 lines" in dup["oxycodone"]["dose_context"]
    proc = taper("review", str(path), "--age", "50")
    assert proc.returncode == 0 and "DUP-ING" in proc.stdout and "No interactions found" not in proc.stdout
    case = tmp_path / "case.json"
    proc = taper("new", "--from", str(path), "-o", str(case), "--name", "Test Patient", "--birth-date", "1970-01-01")
    assert proc.returncode == 0, proc.stderr
    assert len(json.loads(case.read_text())["regimen"]["medications"]) == 5


def test_qt_pair_shows_its_category_and_a_huge_dose_asks_to_confirm(write_csv):
    path = write_csv("drug,strength,form,dose,when\ntrazodone,50 mg,tablet,1,bedtime\n"
                     "venlafaxine,75 mg,tablet,1,morning\nOxyContin,80 mg,tablet,20,every 6 hours\n")
    proc = taper("review", str(path), "--age", "50")
    assert proc.returncode == 0, proc.stderr
    text = " ".join(proc.stdout.split())
    assert "[MODERATE] R54b: trazodone + venlafaxine" in text
    assert "QT risk (CredibleMeds category): trazodone conditional, venlafaxine possible." in text
    assert "DOSE-MME-VERY-HIGH" in text and "confirm it with the prescriber" in text
