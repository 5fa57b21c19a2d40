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
from regimens.regimen import Regimen
from tests.helpers.cli import taper
from tests.helpers.panels import HEADER, POOL, line_of_drug, random_panel


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


# --- issue 14: chunks, files whose patients are spread out, unlisted medicines

UNKNOWN = ["ashwagandha,500 mg,capsule,1,morning,no,", "Turmeric Extract,,,2,twice daily,no,",
           "zz-trial-drug,10 mg,tablet,1,bedtime,yes,2"]
OFF_LIST = ["oxycodone,7 mg,tablet,1,morning;evening,no,", "gabapentin,450 mg,capsule,1,bedtime,no,",
            "alprazolam,0.75 mg,tablet,1,bedtime,no,"]


def unlisted_panel(seed: int, patients: int) -> str:
    """A random panel where some patients also take unknown medicines or products the formulary lacks."""
    rng = random.Random(seed)
    out = [HEADER]
    for i in range(patients):
        age = "" if rng.random() < 0.1 else str(rng.randint(30, 92))
        lines = [line_of_drug(rng, drug) for drug in rng.sample(POOL, rng.randint(0, 6))]
        if rng.random() < 0.5:
            lines.append(rng.choice(UNKNOWN))
        if rng.random() < 0.5:
            lines.append(rng.choice(OFF_LIST))
        if not lines:
            lines.append(rng.choice(UNKNOWN))
        rng.shuffle(lines)
        out += [f"p{i},{age},{line}\n" for line in lines]
    return "".join(out)


def _single_regimen(rows: list[dict[str, str]]) -> Regimen:
    """The regimen the single-patient import reads from these rows (the same import `taper review` uses)."""
    from regimens.csv_import import regimen_from_csv_text

    columns = [c for c in HEADER.strip().split(",") if c not in ("patient_id", "age")]
    lines = [",".join(columns)] + [",".join(_csv_cell(r[c]) for c in columns) for r in rows]
    return regimen_from_csv_text("\n".join(lines) + "\n")


def _csv_cell(value: str) -> str:
    return '"' + value.replace('"', '""') + '"' if any(ch in value for ch in ',"\n') else value


@pytest.mark.parametrize("seed", [11, 12])
def test_panel_with_unlisted_lines_agrees_with_single_reviews(tmp_path, seed):
    text = unlisted_panel(seed, 50)
    path = tmp_path / "panel.csv"
    path.write_text(text)
    result = review_panel(str(path), today=date(2026, 11, 26))
    assert result.skipped == []
    columns = HEADER.strip().split(",")
    by_patient: dict[str, list[dict[str, str]]] = {}
    for line in text.splitlines()[1:]:
        import csv

        cells = dict(zip(columns, next(csv.reader([line])), strict=True))
        by_patient.setdefault(cells["patient_id"], []).append(cells)
    records = {r["patient_id"]: r for r in panel_records(result)}
    assert set(records) == set(by_patient)
    for pid, rows in by_patient.items():
        age = rows[0]["age"]
        single = review(_single_regimen(rows), int(age) if age else None)
        unscreened = [n.drug for n in single.not_screened]
        rec = records[pid]
        assert rec["not_screened"] == [{"drug": n, "reason": "not in the formulary"} for n in unscreened]
        assert rec["not_screened_count"] == len(unscreened)
        assert rec["medication_count"] == len(rows) and rec["unreadable_rows"] == 0
        for severity in ("contraindicated", "major", "moderate", "minor"):
            assert rec[severity] == single.count_of(severity), (pid, severity, [f.rule_id for f in single.findings])
        m = single.metrics
        assert rec["mme_per_day"] == pytest.approx(float(m.mme_per_day), abs=0.01), pid
        assert rec["diazepam_equivalent_mg_per_day"] == pytest.approx(float(m.diazepam_equivalent_mg_per_day),
                                                                      abs=0.01)
        assert rec["acb_score"] == m.acb_score
        assert set(rec["flags"]) == {g.id for g in single.flags}, pid


def _records(result) -> dict[str, dict]:
    return {r["patient_id"]: r for r in panel_records(result)}


@pytest.mark.parametrize("seed", [1, 2])
def test_chunks_and_a_shuffled_file_give_the_same_answer(tmp_path, seed):
    """Chunk borders fall inside patients, and a file whose rows are shuffled is regrouped: same rows out."""
    text = unlisted_panel(seed, 40)
    whole = tmp_path / "whole.csv"
    whole.write_text(text)
    expected = review_panel(str(whole), today=date(2026, 11, 26))
    for rows in (1, 3, 7, 50):
        chunked = review_panel(str(whole), today=date(2026, 11, 26), chunk_rows=rows)
        assert chunked.patients.equals(expected.patients), rows
    lines = text.splitlines()[1:]
    random.Random(seed).shuffle(lines)
    shuffled = tmp_path / "shuffled.csv"
    shuffled.write_text(HEADER + "\n".join(lines) + "\n")
    for rows in (5, 1000):
        spread = review_panel(str(shuffled), today=date(2026, 11, 26), chunk_rows=rows)
        assert _records(spread) == _records(expected)
        first_seen = list(dict.fromkeys(line.split(",")[0] for line in lines))
        assert spread.patients["patient_id"].tolist() == first_seen


def test_scattered_patient_rows_are_regrouped_with_their_row_numbers(tmp_path, monkeypatch):
    import interactions.panel as panel

    monkeypatch.setattr(panel, "BUCKET_BYTES", 64)  # many buckets
    text = (HEADER + "a,70,oxycodone,5 mg,tablet,1,morning,no,\n"
            "b,50,gabapentin,300 mg,capsule,half,morning,no,\n"
            "c,60,ashwagandha,500 mg,capsule,1,morning,no,\n"
            "a,70,alprazolam,0.5 mg,tablet,1,bedtime,no,\n"
            "b,50,lorazepam,1 mg,tablet,1,bedtime,no,\n")
    path = tmp_path / "panel.csv"
    path.write_text(text)
    result = review_panel(str(path), today=date(2026, 11, 26), chunk_rows=2)
    assert [(e.row, e.column) for e in result.skipped] == [(2, "dose")]
    records = _records(result)
    assert list(records) == ["a", "b", "c"]
    assert records["a"]["major"] + records["a"]["contraindicated"] >= 1 and "NALOXONE-BZD" in records["a"]["flags"]
    assert records["b"]["unreadable_rows"] == 1 and records["b"]["medication_count"] == 1
    assert records["c"]["not_screened_count"] == 1 and records["c"]["medication_count"] == 1


def test_a_patient_with_only_unknown_or_unreadable_rows_still_appears(tmp_path):
    text = (HEADER + "solo,80,Ashwagandha,500 mg,capsule,1,morning,no,\n"
            "bad,75,oxycodone,5 mg,tablet,0,morning,no,\n"
            "bad,75,oxycodone,5 mg,tablet,x,morning,no,\n"
            "known,70,oxycodone,7 mg,tablet,1,morning;evening,no,\n")
    path = tmp_path / "panel.csv"
    path.write_text(text)
    records = _records(review_panel(str(path), today=date(2026, 11, 26)))
    assert records["solo"]["medication_count"] == 1 and records["solo"]["not_screened"] == [
        {"drug": "Ashwagandha", "reason": "not in the formulary"}]
    assert records["bad"]["medication_count"] == 0 and records["bad"]["unreadable_rows"] == 2
    # A known drug in a strength the formulary lacks is screened by its ingredient (7 mg x 2 x 1.5 MME).
    assert records["known"]["not_screened_count"] == 0 and records["known"]["mme_per_day"] == pytest.approx(21)


def test_panel_csv_has_the_not_screened_columns(tmp_path):
    path = tmp_path / "panel.csv"
    path.write_text(HEADER + "a,70,ashwagandha,500 mg,capsule,1,morning,no,\n"
                    "a,70,=cmd,1 mg,tablet,1,morning,no,\na,70,oxycodone,5 mg,tablet,1,morning,no,\n"
                    "b,60,oxycodone,5 mg,tablet,-1,morning,no,\nc,60,=cmd,1 mg,tablet,1,morning,no,\n")
    proc = taper("panel", str(path), "--csv")
    assert proc.returncode == 0, proc.stderr
    import pandas as pd

    frame = pd.read_csv(io.StringIO(proc.stdout), keep_default_na=False).set_index("patient_id")
    assert frame.loc["a", "not_screened_count"] == 2 and frame.loc["a", "not_screened"] == "ashwagandha; =cmd"
    assert frame.loc["c", "not_screened"] == "'=cmd"  # a formula-looking cell is neutralised
    assert frame.loc["b", "unreadable_rows"] == 1 and frame.loc["b", "medication_count"] == 0
    proc = taper("panel", str(path), "--json")
    data = json.loads(proc.stdout)
    assert data["patients"][0]["not_screened"][1] == {"drug": "=cmd", "reason": "not in the formulary"}
    assert proc.stderr.count("skipped") == 1 and not any("progress" in line for line in proc.stderr.splitlines())


def test_a_known_drug_in_a_form_taper_cannot_read_is_screened_by_its_classes(tmp_path):
    """lorazepam as a 'wafer': no product can be described, but it is still a benzodiazepine."""
    path = tmp_path / "panel.csv"
    path.write_text(HEADER + "a,70,oxycodone,5 mg,tablet,1,morning,no,\na,70,lorazepam,1 mg,wafer,1,bedtime,no,\n")
    rec = _records(review_panel(str(path), today=date(2026, 11, 26)))["a"]
    assert rec["not_screened_count"] == 0 and rec["medication_count"] == 2
    assert "NALOXONE-BZD" in rec["flags"] and rec["contraindicated"] + rec["major"] >= 1
    assert rec["diazepam_equivalent_mg_per_day"] == 0  # no strength taper can read: not counted


def test_patient_ids_are_text(tmp_path):
    """'007' and '7' are two patients (a column of numbers is not read as numbers), in every chunk."""
    path = tmp_path / "panel.csv"
    path.write_text(HEADER + "007,70,oxycodone,5 mg,tablet,1,morning,no,\n7,70,lisinopril,10 mg,tablet,1,morning,no,\n"
                    "8,x,lisinopril,10 mg,tablet,1,morning,no,\n")
    for rows in (1, 2, 100):
        result = review_panel(str(path), today=date(2026, 11, 26), chunk_rows=rows)
        assert result.patients["patient_id"].tolist() == ["007", "7", "8"], rows
        assert [(e.row, e.column) for e in result.skipped] == [(3, "age")]


def test_progress_is_reported_as_the_file_is_read(tmp_path):
    path = tmp_path / "panel.csv"
    path.write_text(random_panel(5, 30))
    seen: list[tuple[int, int, int, int]] = []
    review_panel(str(path), today=date(2026, 11, 26), chunk_rows=20,
                 progress=lambda s: seen.append((s.rows_read, s.patients_reviewed, s.bytes_read, s.total_bytes)))
    assert len(seen) > 3 and seen[-1][1] == 30 and seen[-1][2] == seen[-1][3] == path.stat().st_size
    assert all(a <= b for a, b in zip(seen, seen[1:], strict=False))


def test_progress_bar_only_on_a_terminal(tmp_path):
    """A terminal on stderr shows rows read and patients reviewed; a pipe (the other tests) sees nothing."""
    import os
    import pty
    import subprocess
    import sys

    path = tmp_path / "panel.csv"
    path.write_text(random_panel(6, 20))
    leader, follower = pty.openpty()
    try:
        proc = subprocess.run([sys.executable, "-m", "tui.cli", "panel", str(path), "--csv"], stdout=subprocess.PIPE,
                              stderr=follower, timeout=120, env={**os.environ, "COLUMNS": "120", "TERM": "xterm"})
        os.close(follower)
        shown = b""
        while True:
            try:
                data = os.read(leader, 65536)
            except OSError:
                break
            if not data:
                break
            shown += data
    finally:
        os.close(leader)
    assert proc.returncode == 0
    assert b"rows read" in shown and b"patients reviewed" in shown
    assert proc.stdout.startswith(b"patient_id,")


def test_combination_lines_agree_with_the_single_review(tmp_path):
    """Two ingredients of one line: a triple rule sees both; they are one line, not two."""
    rows = {"a": ["lisinopril/hydrochlorothiazide,20 mg/12.5 mg,tablet,1,morning,no,", "ibuprofen,400 mg,tablet,1,morning,no,"],
            "b": ["triamterene/hydrochlorothiazide,37.5 mg/25 mg,tablet,1,morning,no,"],
            "c": ["triamterene/hydrochlorothiazide,37.5 mg/25 mg,tablet,1,morning,no,", "furosemide,20 mg,tablet,1,morning,no,",
                  "lisinopril,10 mg,tablet,1,morning,no,", "naproxen,250 mg,tablet,1,morning,no,"]}
    text = HEADER + "".join(f"{pid},78,{line}\n" for pid, lines in rows.items() for line in lines)
    path = tmp_path / "panel.csv"
    path.write_text(text)
    records = _records(review_panel(str(path), today=date(2026, 11, 26)))
    for pid, lines in rows.items():
        parsed = parse_csv_text("drug,strength,form,dose,when,prn,max_per_day\n" + "\n".join(lines) + "\n")
        single = review(Regimen(medications=tuple(r.medication for r in parsed.rows)), 78)
        for severity in ("contraindicated", "major", "moderate", "minor"):
            assert records[pid][severity] == single.count_of(severity), (pid, severity, [f.rule_id for f in single.findings])
        assert set(records[pid]["flags"]) == {g.id for g in single.flags}


def test_a_bad_byte_late_in_the_file_stops_the_review(tmp_path):
    """Problems found while later chunks are read reach the caller."""
    from regimens.errors import TaperInputError

    path = tmp_path / "panel.csv"
    path.write_bytes((random_panel(8, 30) + "z,70,oxycodone,5 mg,tablet,1,morn\x00ing,no,\n").encode())
    with pytest.raises(TaperInputError, match="NUL byte"):
        review_panel(str(path), today=date(2026, 11, 26), chunk_rows=10)


def test_a_patient_with_only_unreadable_rows_keeps_their_age(tmp_path):
    path = tmp_path / "panel.csv"
    path.write_text(HEADER + "b,60,lisinopril,10 mg,tablet,x,morning,no,\nc,999,lisinopril,10 mg,tablet,1,morning,no,\n")
    records = _records(review_panel(str(path), today=date(2026, 11, 26)))
    assert records["b"]["age"] == 60 and "AGE-UNKNOWN" not in records["b"]["flags"]
    assert records["c"]["age"] is None and records["c"]["unreadable_rows"] == 1  # an age of 999 is not read
