"""An as-needed line without a daily maximum is never guessed silently: the review (text and JSON), the
panel and the prescriber summary say what was assumed."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from interactions.panel import panel_records, review_panel
from interactions.review import review
from regimens.case import Case, Patient
from regimens.csv_import import regimen_from_csv_text
from taper.summary_view import build_summary
from tests.helpers.cli import taper

LIST = ("drug,strength,form,dose,when,prn,max_per_day\n"
        "oxycodone,5 mg,tablet,1,every 6 hours,yes,\n"
        "acetaminophen,500 mg,tablet,1,every 6 hours,yes,3\n")
SAID = "no daily maximum given; assumed 4 tablets from every 6 hours"


def test_review_text_and_json_say_the_maximum_was_assumed(tmp_path: Path):
    path = tmp_path / "meds.csv"
    path.write_text(LIST, "utf-8")
    text = taper("review", str(path), "--age", "50")
    assert text.returncode == 0, text.stderr
    assert SAID in " ".join(text.stdout.split())
    data = json.loads(taper("review", str(path), "--age", "50", "--json").stdout)
    flags = [f for f in data["flags"] if f["id"] == "PRN-NO-MAX"]
    assert len(flags) == 1 and flags[0]["drugs"] == ["oxycodone"] and SAID in flags[0]["message"]


def test_the_prescriber_summary_says_it_on_the_line_and_in_the_flags():
    regimen = regimen_from_csv_text(LIST)
    case = Case(patient=Patient(id="T", name="Test", birth_date=date(1970, 1, 1)), regimen=regimen)
    view = build_summary(case, [], review(regimen, 56), [], date(2026, 12, 1))
    rows = {row[0]: row[1] for row in view["regimen"]}
    assert any(SAID in how for name, how in rows.items() if "oxy" in name.lower())
    assert not any("assumed" in how for name, how in rows.items() if "acetaminophen" in name.lower())
    assert any(SAID in flag for flag in view["flags"])


def test_the_panel_flags_it_like_the_single_review(tmp_path: Path):
    path = tmp_path / "panel.csv"
    path.write_text("patient_id,age," + LIST.splitlines()[0] + "\n"
                    + "".join(f"p1,50,{row}\n" for row in LIST.splitlines()[1:])
                    + "p2,50,oxycodone,5 mg,tablet,1,every 6 hours,yes,4\n", "utf-8")
    records = {r["patient_id"]: r for r in panel_records(review_panel(str(path), today=date(2026, 12, 1)))}
    assert "PRN-NO-MAX" in records["p1"]["flags"] and "PRN-NO-MAX" not in records["p2"]["flags"]
