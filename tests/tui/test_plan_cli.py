"""`taper plan` and `taper schedule` as a pharmacist runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from regimens.casefile import load_case
from tests.conftest import EXAMPLES, LISTS
from tests.helpers.cli import assert_clean_failure, taper


def plan_json(*args: str) -> dict:
    proc = taper("plan", *args, "--json")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_plan_on_a_csv_follows_the_json_contract():
    data = plan_json(str(LISTS / "kowalski.csv"), "--drug", "oxycodone", "--strategy", "percent-current",
                     "--percent", "10", "--every", "1m", "--start", "2026-12-01")
    steps = data["steps"]
    assert steps[0]["start"] == "2026-12-01" and steps[-1]["end"] is None
    assert steps[-1]["daily_dose"] == 0
    for a, b in zip(steps, steps[1:], strict=False):
        assert b["start"] > a["end"]
    for step in steps:
        assert set(step) >= {"start", "end", "kind", "daily_dose", "unit", "doses", "products", "cut_percent"}
        assert step["kind"] in {"step", "pause", "setback"}
        assert sum(p["count"] * p["strength"] for p in step["products"]) == step["daily_dose"]
    assert set(data) >= {"steps", "warnings", "dispense", "follow_ups"}
    assert all(set(w) >= {"step", "rule", "message"} for w in data["warnings"])


def test_plan_with_pause_and_brand_name():
    base = plan_json(str(LISTS / "kowalski.csv"), "--drug", "Xanax", "--strategy", "fixed", "--amount", "0.125",
                     "--every", "2w", "--start", "2026-12-01")
    paused = plan_json(str(LISTS / "kowalski.csv"), "--drug", "Xanax", "--strategy", "fixed", "--amount",
                       "0.125", "--every", "2w", "--start", "2026-12-01", "--pause", "2026-12-20:14:holidays")
    assert base["drug"] == "alprazolam"
    pause = [s for s in paused["steps"] if s["kind"] == "pause"]
    assert pause and pause[0]["start"] == "2026-12-20" and pause[0]["reason"] == "holidays"
    from datetime import date
    assert (date.fromisoformat(paused["steps"][-1]["start"]) - date.fromisoformat(base["steps"][-1]["start"])).days == 14


def test_too_fast_plan_is_warned_and_override_recorded():
    fast = plan_json(str(LISTS / "bell.csv"), "--drug", "gabapentin", "--strategy", "fixed", "--amount", "900",
                     "--every", "1w", "--start", "2026-12-01")
    assert any(w["rule"] == "GABA-300MG-WEEK" and w["override"] is None for w in fast["warnings"])
    accepted = plan_json(str(LISTS / "bell.csv"), "--drug", "gabapentin", "--strategy", "fixed", "--amount", "900",
                         "--every", "1w", "--start", "2026-12-01", "--override", "short course, started 3 weeks ago")
    assert accepted["warnings"] and all(w["override"] == "short course, started 3 weeks ago"
                                        for w in accepted["warnings"])
    text = taper("plan", str(LISTS / "bell.csv"), "--drug", "gabapentin", "--strategy", "fixed", "--amount", "900",
                 "--every", "1w", "--start", "2026-12-01", "--override", "short course").stdout
    assert "GUIDELINE WARNINGS" in text and "Overridden by the pharmacist: short course" in text


def unplanned_copy(target: Path) -> None:
    """The bundled Kowalski case without its example taper plan."""
    from regimens.casefile import save_case

    base = load_case(EXAMPLES / "kowalski.json")
    assert base.plans  # the demo case comes with a plan
    save_case(base.model_copy(update={"plans": ()}), target)
    target.with_name(target.name + ".bak").unlink(missing_ok=True)


def test_save_writes_the_plan_and_schedule_reads_it(tmp_path: Path):
    case = tmp_path / "kowalski.json"
    unplanned_copy(case)
    proc = taper("plan", str(case), "--drug", "alprazolam", "--strategy", "percent-current", "--percent", "10",
                 "--every", "2w", "--start", "2026-12-01", "--pause", "2027-01-04:14:wedding", "--save")
    assert proc.returncode == 0, proc.stderr
    saved = load_case(case)
    assert [p.drug for p in saved.plans] == ["alprazolam"]
    assert saved.plans[0].pauses[0].reason == "wedding"
    assert (tmp_path / "kowalski.json.bak").exists()
    data = json.loads(taper("schedule", str(case), "--json").stdout)
    assert data["plans"][0]["drug"] == "alprazolam"
    csv = taper("schedule", str(case), "--csv").stdout.splitlines()
    assert csv[0].startswith("date,plan_id,drug,step,kind,daily_dose,unit")
    assert csv[1].startswith("2026-12-01,alprazolam-plan,alprazolam")


@pytest.mark.parametrize(("args", "words"), [
    (["plan", str(LISTS / "kowalski.csv"), "--drug", "oxycodone", "--strategy", "percent-current"], ["percent"]),
    (["plan", str(LISTS / "kowalski.csv"), "--drug", "warfarin", "--strategy", "fixed", "--amount", "1"],
     ["no scheduled warfarin"]),
    (["plan", str(LISTS / "kowalski.csv"), "--drug", "oxycodine", "--strategy", "fixed", "--amount", "1"],
     ["not in the formulary"]),
    (["plan", str(LISTS / "kowalski.csv"), "--drug", "oxycodone", "--strategy", "fixed", "--amount", "5",
      "--every", "sometimes"], ["--every"]),
    (["plan", str(LISTS / "kowalski.csv"), "--drug", "oxycodone", "--strategy", "fixed", "--amount", "5",
      "--pause", "2027-02-30:5"], ["not a date"]),
    (["plan", str(LISTS / "kowalski.csv"), "--drug", "oxycodone", "--strategy", "fixed", "--amount", "5",
      "--target", "500"], ["above the current"]),
    (["plan", str(LISTS / "kowalski.csv"), "--drug", "oxycodone", "--strategy", "fixed", "--amount", "5", "--save"],
     ["needs a case file"]),
    (["schedule", str(EXAMPLES / "okafor.json")], ["no taper plans"]),
])
def test_plan_bad_input_exits_2(args, words):
    assert_clean_failure(taper(*args), *words)


def test_setback_and_support_options(tmp_path: Path):
    data = plan_json(str(LISTS / "kowalski.csv"), "--drug", "oxycodone", "--strategy", "fixed", "--amount", "5",
                     "--every", "2w", "--start", "2026-12-01", "--setback", "2027-01-05:14:0.5")
    kinds = [s["kind"] for s in data["steps"]]
    assert "setback" in kinds
    setback = data["steps"][kinds.index("setback")]
    assert setback["start"] == "2027-01-05" and setback["daily_dose"] == 20
    case = tmp_path / "case.json"
    unplanned_copy(case)
    proc = taper("plan", str(case), "--drug", "alprazolam", "--strategy", "percent-current", "--percent", "10",
                 "--every", "2w", "--start", "2026-12-01", "--support", "graded-walking:4:10", "--save")
    assert proc.returncode == 0, proc.stderr
    saved = load_case(case).plans[0].supports[0]
    assert (saved.support, saved.weeks, saved.baseline) == ("graded-walking", 4, 10)
    out = tmp_path / "cal.pdf"
    assert taper("export", str(case), "--calendar", str(out)).returncode == 0
    from pypdf import PdfReader

    text = " ".join((p.extract_text() or "") for p in PdfReader(str(out)).pages).replace("\u00a0", " ")
    assert "Walk 10 minutes" in " ".join(text.split()) and "Walk 13 minutes" in " ".join(text.split())
    bad = taper("plan", str(case), "--drug", "alprazolam", "--strategy", "fixed", "--amount", "0.125",
                "--support", "yoga")
    assert_clean_failure(bad, "unknown support")


@pytest.mark.parametrize(("drug", "words"), [
    ("Darvocet", ["(--drug) is not in the formulary", "ISMP lists Percocet as confused with Darvocet"]),
    ("oxycod", ["(--drug) is not in the formulary", "part of oxycodone"]),
    ("phentolamine", ["(--drug) is not in the formulary"]),
])
def test_plan_drug_is_never_resolved_to_a_lookalike_or_a_search(drug, words):
    proc = taper("plan", str(LISTS / "kowalski.csv"), "--drug", drug, "--strategy", "fixed", "--amount", "1")
    assert_clean_failure(proc, *words)
    assert "phenelzine" not in proc.stderr


def test_plan_drug_takes_a_brand_name():
    proc = taper("plan", str(LISTS / "kowalski.csv"), "--drug", "Roxicodone", "--strategy", "percent-current",
                 "--percent", "10", "--start", "2026-12-01", "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["steps"]
