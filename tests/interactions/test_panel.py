"""Panel review: one row per patient that agrees with the single review, bad rows skipped by row."""

from __future__ import annotations

import io
import json
import random
from datetime import date
from fractions import Fraction

import pytest

from interactions.panel import panel_records, review_panel
from interactions.review import review
from regimens.csv_import import parse_csv_text
from regimens.formulary import get_formulary
from regimens.regimen import Regimen
from tests.helpers.cli import taper

POOL = ["oxycodone", "morphine", "tramadol", "methadone", "fentanyl", "hydrocodone/acetaminophen",
        "alprazolam", "lorazepam", "clonazepam", "diazepam", "zolpidem", "gabapentin", "pregabalin",
        "sertraline", "citalopram", "fluoxetine", "duloxetine", "amitriptyline", "ibuprofen", "naproxen",
        "celecoxib", "lisinopril", "losartan", "hydrochlorothiazide", "spironolactone", "furosemide",
        "cyclobenzaprine", "carisoprodol", "diphenhydramine", "acetaminophen", "warfarin", "lithium",
        "sumatriptan", "prednisone", "ondansetron", "tizanidine", "ciprofloxacin", "phenelzine"]
HEADER = "patient_id,age,drug,strength,form,dose,when,prn,max_per_day\n"


def _line(rng: random.Random, drug: str) -> str:
    products = [p for p in get_formulary().get(drug).products
                if p.form.value in ("tablet", "capsule", "patch", "solution")]
    p = rng.choice(products)
    form = p.form.value + (" ER" if p.release.value == "extended" else "") + (
        " DR" if p.release.value == "delayed" else "")
    if p.form.value == "patch":
        return f"{drug},{p.strength},{form},1,every {p.interval_hours} hours,no,"
    dose = "5 mL" if p.form.is_liquid else rng.choice(["1", "2"] + (["0.5"] if p.split == "half" else []))
    if rng.random() < 0.3:
        most = "15 mL" if p.form.is_liquid else "4"
        return f"{drug},{p.strength},{form},{dose},every 6 hours,yes,{most}"
    return f"{drug},{p.strength},{form},{dose},{rng.choice(['morning', 'morning;bedtime', 'bedtime', 'three times daily'])},no,"


def random_panel(seed: int, patients: int) -> str:
    rng = random.Random(seed)
    out = [HEADER]
    for i in range(patients):
        age = "" if rng.random() < 0.1 else str(rng.randint(30, 92))
        for drug in rng.sample(POOL, rng.randint(1, 9)):
            out.append(f"p{i},{age},{_line(rng, drug)}\n")
    return "".join(out)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_panel_agrees_with_single_reviews(tmp_path, seed):
    text = random_panel(seed, 60)
    path = tmp_path / "panel.csv"
    path.write_text(text)
    result = review_panel(str(path), today=date(2026, 11, 26))
    parsed = parse_csv_text(text)
    assert result.skipped == [] and parsed.errors == []
    by_patient: dict[str, list] = {}
    for row in parsed.rows:
        by_patient.setdefault(row.patient_id, []).append(row.medication)
    ages = {}
    for line in text.splitlines()[1:]:
        pid, age = line.split(",")[:2]
        ages[pid] = int(age) if age else None
    records = {r["patient_id"]: r for r in panel_records(result)}
    assert set(records) == set(by_patient)
    for pid, meds in by_patient.items():
        single = review(Regimen(medications=tuple(meds)), ages[pid])
        rec = records[pid]
        for severity in ("contraindicated", "major", "moderate", "minor"):
            assert rec[severity] == single.count_of(severity), (pid, severity, [f.rule_id for f in single.findings])
        m = single.metrics
        assert rec["mme_per_day"] == pytest.approx(float(m.mme_per_day), abs=0.01)
        assert rec["mme_prn_max_per_day"] == pytest.approx(float(m.mme_prn_max_per_day), abs=0.01)
        assert rec["diazepam_equivalent_mg_per_day"] == pytest.approx(float(m.diazepam_equivalent_mg_per_day),
                                                                      abs=0.01)
        assert rec["acb_score"] == m.acb_score
        assert rec["cns_depressant_count"] == m.cns_depressant_count
        apap = m.acetaminophen_mg_per_day + m.acetaminophen_prn_max_mg_per_day
        assert rec["acetaminophen_max_mg_per_day"] == pytest.approx(float(apap), abs=0.01)
        assert set(rec["flags"]) == {g.id for g in single.flags}, pid
        assert rec["medication_count"] == len(meds)
        assert rec["age"] == ages[pid]


def test_bad_rows_are_reported_by_row_and_skipped(tmp_path):
    text = (HEADER + "a,70,oxycodone,5 mg,tablet,1,morning,no,\n"
            "a,70,oxycodine,5 mg,tablet,1,morning,no,\n"
            "b,50,gabapentin,300 mg,capsule,0.5,morning,no,\n"
            "b,50,lorazepam,1 mg,tablet,1,bedtime,no,\n"
            ",50,lorazepam,1 mg,tablet,1,bedtime,no,\n"
            "a,70,oxycodone,5 mg,tablet,1,morning,no,\n")
    path = tmp_path / "panel.csv"
    path.write_text(text)
    result = review_panel(str(path), today=date(2026, 11, 26))
    # Row 6 repeats row 1: imported, and reviewed as a duplicate-therapy finding (issue 12, item 11).
    # Row 2 names a medicine the formulary does not know: kept, not screened (issue 14, item 2).
    assert [(e.row, e.column) for e in result.skipped] == [(3, "dose"), (5, "patient_id")]
    records = {r["patient_id"]: r for r in panel_records(result)}
    assert records["a"]["medication_count"] == 3 and records["b"]["medication_count"] == 1
    assert records["a"]["major"] == 1
    assert records["a"]["not_screened"] == [{"drug": "oxycodine", "reason": "not in the formulary"}]
    assert records["a"]["unreadable_rows"] == 0 and records["b"]["unreadable_rows"] == 1


def test_panel_cli_json_and_csv(tmp_path):
    path = tmp_path / "panel.csv"
    path.write_text(random_panel(7, 10))
    proc = taper("panel", str(path), "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert len(data["patients"]) == 10 and data["skipped"] == []
    assert set(data["patients"][0]) >= {"patient_id", "medication_count", "major", "mme_per_day",
                                        "diazepam_equivalent_mg_per_day", "acb_score", "flags"}
    proc = taper("panel", str(path), "--csv")
    import pandas as pd

    frame = pd.read_csv(io.StringIO(proc.stdout))
    assert len(frame) == 10 and "contraindicated" in frame.columns


def test_panel_cli_reports_skipped_rows_on_stderr(tmp_path):
    path = tmp_path / "panel.csv"
    path.write_text(HEADER + "a,70,oxycodone,5 mg,tablet,half,morning,no,\na,70,lisinopril,10 mg,tablet,1,morning,no,\n")
    proc = taper("panel", str(path))
    assert proc.returncode == 0
    assert "skipped" in proc.stderr and "row 1" in proc.stderr and "'dose'" in proc.stderr


def test_panel_missing_patient_id_column(tmp_path):
    path = tmp_path / "panel.csv"
    path.write_text("drug,strength,form,dose,when\noxycodone,5 mg,tablet,1,morning\n")
    proc = taper("panel", str(path))
    assert proc.returncode == 2 and "missing column patient_id" in proc.stderr
    assert Fraction(1)
