"""CSV we write never lets text a user typed run as a spreadsheet formula (OWASP: prefix a quote),
and numbers we compute stay numbers. Read back through real commands and real files."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from regimens.casefile import save_case
from regimens.csvsafe import safe_cell
from tests.helpers.cli import taper
from tests.helpers.plans import case_with, line, plan, product

HOSTILE = ['=HYPERLINK("http://x")', "@SUM(1+1)", "+1+1", "-2+3", "\tTAB", "\rCR"]


@pytest.mark.parametrize("text", HOSTILE)
def test_a_formula_cell_is_prefixed_with_a_quote(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["alprazolam", "1 tablet (5 mg)", "", -16.7, 3, None, True])
def test_plain_text_and_numbers_are_left_alone(value):
    assert safe_cell(value) == value


def _hostile_case(tmp_path: Path, plan_id: str) -> Path:
    alp = plan("alprazolam", ("a",), "0.5", id=plan_id, strategy="percent-current", interval_days=14,
               percent=25)
    path = tmp_path / "case.json"
    save_case(case_with(line("a", product("alprazolam", "0.5 mg"), "1", "bedtime"), plans=(alp,)), path)
    return path


@pytest.mark.parametrize("plan_id", ['=HYPERLINK("http://x")', "@SUM(1+1)"])
def test_schedule_and_export_csv_neutralise_a_plan_id(tmp_path, plan_id):
    path = _hostile_case(tmp_path, plan_id)
    shown = taper("schedule", str(path), "--csv")
    assert shown.returncode == 0, shown.stderr
    out = tmp_path / "days.csv"
    written = taper("export", str(path), "--csv", str(out))
    assert written.returncode == 0, written.stderr
    for text in (shown.stdout, out.read_text("utf-8")):
        records = list(csv.DictReader(io.StringIO(text)))
        assert records and all(r["plan_id"] == "'" + plan_id for r in records)
        assert all(not v.startswith(("=", "+", "@")) for r in records for v in r.values())
        assert all(float(r["daily_dose"]) >= 0 for r in records)  # computed numbers stay numbers


def test_panel_csv_neutralises_patient_ids_and_keeps_numbers(tmp_path):
    path = tmp_path / "panel.csv"
    path.write_text("patient_id,age,drug,strength,form,dose,when\n"
                    '"=HYPERLINK(""http://x"")",70,oxycodone,5 mg,tablet,2,morning;evening\n'
                    "@SUM(1+1),50,lisinopril,10 mg,tablet,1,morning\n"
                    "-2+3,40,lisinopril,10 mg,tablet,1,morning\n", "utf-8")
    proc = taper("panel", str(path), "--csv")
    assert proc.returncode == 0, proc.stderr
    records = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert sorted(r["patient_id"] for r in records) == sorted(
        ["'=HYPERLINK(\"http://x\")", "'@SUM(1+1)", "'-2+3"])
    oxy = next(r for r in records if "HYPERLINK" in r["patient_id"])
    assert float(oxy["mme_per_day"]) == 30 and oxy["age"] == "70"
