"""A panel patient whose rows disagree on the age is reported on its row and screened with the oldest age."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

from interactions.review import review
from regimens.csv_import import regimen_from_csv_text
from tests.helpers.cli import taper

PANEL = ("patient_id,age,birth_date,drug,strength,form,dose,when\n"
         "x,44,,zolpidem,5 mg,tablet,1,bedtime\n"
         "x,82,,lisinopril,10 mg,tablet,1,morning\n"
         "y,,1950-01-01,zolpidem,5 mg,tablet,1,bedtime\n"
         "y,50,,lisinopril,10 mg,tablet,1,morning\n"
         "z,50,,zolpidem,5 mg,tablet,1,bedtime\n"
         "z,,,lisinopril,10 mg,tablet,1,morning\n")


def _panel(tmp_path: Path) -> Path:
    path = tmp_path / "panel.csv"
    path.write_text(PANEL, "utf-8")
    return path


def test_conflicting_ages_are_reported_and_the_oldest_is_screened(tmp_path: Path):
    proc = taper("panel", str(_panel(tmp_path)), "--json")
    assert proc.returncode == 0, proc.stderr
    rows = {r["patient_id"]: r for r in json.loads(proc.stdout)["patients"]}
    single = {g.id for g in review(regimen_from_csv_text(
        "drug,strength,form,dose,when\nzolpidem,5 mg,tablet,1,bedtime\nlisinopril,10 mg,tablet,1,morning\n"), 82).flags}
    assert rows["x"]["age"] == 82 and set(rows["x"]["flags"]) == single | {"AGE-CONFLICT"}
    assert any(f.startswith("BEERS") for f in rows["x"]["flags"])
    assert rows["x"]["age_conflict"] == "rows give ages 44 and 82; screened as 82, the oldest"
    assert rows["y"]["age"] > 70 and "AGE-CONFLICT" in rows["y"]["flags"]  # a birth date against an age
    assert rows["z"]["age"] == 50 and rows["z"]["age_conflict"] == "" and "AGE-CONFLICT" not in rows["z"]["flags"]


def test_the_conflict_shows_in_the_csv_and_the_text(tmp_path: Path):
    path = _panel(tmp_path)
    records = {r["patient_id"]: r for r in csv.DictReader(io.StringIO(taper("panel", str(path), "--csv").stdout))}
    assert "AGE-CONFLICT" in records["x"]["flags"] and "44 and 82" in records["x"]["age_conflict"]
    text = taper("panel", str(path)).stdout
    assert "x: rows give ages 44 and 82; screened as 82, the oldest" in text
    assert date.today().year - 1950 - 1 <= int(next(
        line for line in text.splitlines() if line.startswith("y ")).split()[1]) <= date.today().year - 1950
