"""`taper checkin` as a pharmacist runs it: steady, worse after a step, twice worse, a positive mood screen."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from regimens.casefile import load_case
from taper.adapters import case_schedules
from taper.checkins import cuts
from tests.conftest import EXAMPLES
from tests.helpers.cli import assert_clean_failure, taper

BASELINE = ("--date", "2026-11-24", "--pain", "5", "--enjoyment", "5", "--activity", "5", "--sleep", "5",
            "--goal", "3", "--withdrawal", "1", "--phq2", "1", "--gad2", "0", "--self-harm", "no")


@pytest.fixture
def case_path(tmp_path: Path) -> Path:
    """Walter Kowalski's case with no check-ins yet (step 1 of his oxycodone plan is on 1 Dec 2026)."""
    path = tmp_path / "kowalski.json"
    shutil.copy(EXAMPLES / "kowalski.json", path)
    data = json.loads(path.read_text("utf-8"))
    data["checkins"] = []
    plan = data["plans"][0]
    plan["pauses"] = [p for p in plan["pauses"] if "check-in" not in p["reason"]]
    path.write_text(json.dumps(data), "utf-8")
    return path


def checkin(path: Path, *args: str) -> dict:
    proc = taper("checkin", str(path), *args, "--json")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_a_steady_course_gives_no_suggestion_and_the_check_in_is_saved(case_path):
    out = checkin(case_path, *BASELINE)
    assert out["suggestion"] is None and out["accepted"] is False
    assert out["checkin"]["on"] == "2026-11-24" and out["checkin"]["peg"] == 5
    out = checkin(case_path, "--date", "2026-12-10", "--withdrawal", "2", "--sleep", "5")
    assert out["suggestion"] is None
    assert any("Since step 1" in line for line in out["trend"])
    saved = load_case(case_path)
    assert [c.on.isoformat() for c in saved.checkins] == ["2026-11-24", "2026-12-10"]
    assert saved.checkins[0].self_harm is False and saved.checkins[1].withdrawal == 2


def test_worse_after_a_step_suggests_a_hold_and_accept_re_dates_the_later_steps(case_path):
    checkin(case_path, *BASELINE)
    before = case_schedules(load_case(case_path))[0]
    before_pauses = load_case(case_path).plans[0].pauses
    out = checkin(case_path, "--date", "2026-12-10", "--withdrawal", "4", "--pain", "6", "--enjoyment", "6",
                  "--activity", "6")
    s = out["suggestion"]
    assert s["action"] == "hold" and s["days"] == 14 and s["plan"] == "oxycodone-plan"
    assert s["rule"] == "opioid-long-term:checkin-hold" and "withdrawal" in s["reason"]
    assert load_case(case_path).plans[0].pauses == before_pauses  # suggested, not acted on
    out = checkin(case_path, "--date", "2026-12-10", "--accept")
    assert out["accepted"] is True and out["checkin"]["accepted"] == "hold"
    case = load_case(case_path)
    assert len(case.checkins) == 2
    pause = case.plans[0].pauses[-1]
    assert pause.days == 14 and pause.start.isoformat() == "2026-12-10" and "Thu 10 Dec 2026" in pause.reason
    after = case_schedules(case)[0]
    assert after.stop > before.stop
    next_old = next(c.start for c in cuts(before) if c.start.isoformat() > "2026-12-10")
    next_new = next(c.start for c in cuts(after) if c.start.isoformat() > "2026-12-10")
    assert (next_new - next_old).days >= 14


def test_twice_worse_suggests_slowing_and_accept_in_one_command(case_path):
    checkin(case_path, *BASELINE)
    checkin(case_path, "--date", "2026-12-10", "--withdrawal", "4")
    checkin(case_path, "--date", "2026-12-10", "--accept")
    out = checkin(case_path, "--date", "2026-12-20", "--withdrawal", "6", "--accept")
    assert out["suggestion"]["action"] == "slow" and out["suggestion"]["rule"].endswith("checkin-slow")
    assert out["accepted"] is True
    plan = load_case(case_path).plans[0]
    assert plan.setbacks[-1].back_to_tolerated is False and plan.setbacks[-1].step_fraction == 0.5


def test_a_positive_mood_screen_asks_for_a_review_and_cannot_be_accepted(case_path):
    checkin(case_path, *BASELINE)
    out = checkin(case_path, "--date", "2026-12-10", "--phq2", "3", "--gad2", "1")
    assert out["suggestion"]["action"] == "review"
    assert "review with the prescriber before the next step" in out["suggestion"]["reason"]
    proc = taper("checkin", str(case_path), "--date", "2026-12-10", "--accept")
    assert_clean_failure(proc, "--accept", "prescriber")


def test_a_self_harm_yes_prints_the_urgent_message_and_crisis_line_first(case_path):
    checkin(case_path, *BASELINE)
    proc = taper("checkin", str(case_path), "--date", "2026-12-10", "--self-harm", "yes", "--sleep", "2")
    assert proc.returncode == 0, proc.stderr
    first = proc.stdout.splitlines()[0]
    assert first.startswith("URGENT") and "988" in first and "today" in first
    out = checkin(case_path, "--date", "2026-12-11", "--self-harm", "yes")
    assert out["suggestion"]["action"] == "urgent" and out["suggestion"]["days"] == 0


def test_text_output_shows_the_trend_and_how_to_accept(case_path):
    checkin(case_path, *BASELINE)
    proc = taper("checkin", str(case_path), "--date", "2026-12-10", "--withdrawal", "5")
    assert proc.returncode == 0
    assert "Since step 1" in proc.stdout and "1 to 5" in proc.stdout
    assert "Suggestion (hold" in proc.stdout and "--accept" in proc.stdout
    assert "Saved the check-in" in proc.stderr


@pytest.mark.parametrize(("args", "words"), [
    (("--date", "2026-12-10", "--pain", "11"), ("--pain", "0-10")),
    (("--date", "2026-12-10", "--phq2", "7"), ("--phq2",)),
    (("--date", "2026-12-10", "--withdrawal", "12"), ("--withdrawal", "self-0-10")),
    (("--date", "2026-12-10", "--self-harm", "maybe"), ("--self-harm", "yes or no")),
    (("--date", "10/12/2026", "--sleep", "3"), ("--date",)),
    (("--date", "2026-12-10",), ("at least one score",)),
    (("--date", "2026-12-10", "--sleep", "3", "--plan", "nope"), ("--plan nope",)),
    (("--date", "2026-12-09", "--accept"), ("none on 2026-12-09",)),
])
def test_bad_input_is_refused_clearly_and_nothing_is_saved(case_path, args, words):
    before = case_path.read_bytes()
    assert_clean_failure(taper("checkin", str(case_path), *args), *words)
    assert case_path.read_bytes() == before


def test_a_missing_case_file_is_refused(tmp_path):
    assert_clean_failure(taper("checkin", str(tmp_path / "none.json"), "--date", "2026-12-10", "--sleep", "3"),
                         "none.json")


def test_accept_when_steady_is_refused_and_nothing_is_saved(case_path):
    checkin(case_path, *BASELINE)
    before = case_path.read_bytes()
    proc = taper("checkin", str(case_path), "--date", "2026-12-10", "--sleep", "5", "--accept")
    assert_clean_failure(proc, "steady")
    assert case_path.read_bytes() == before
