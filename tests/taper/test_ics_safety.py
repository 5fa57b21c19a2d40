"""Phone reminders: typed text can never add a property or an event, and a changed plan's events carry
a higher SEQUENCE so phones replace them. Real files, real ``taper`` processes, read back by icalendar."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from icalendar import Calendar

from regimens.case import Case, Pause
from regimens.casefile import load_case, save_case
from taper.adapters import case_schedules
from taper.ics import build_ics
from taper.plan_fields import case_with_plan
from tests.conftest import EXAMPLES
from tests.helpers.cli import taper
from tests.helpers.plans import START, case_with, line, plan, product

INJECTION = "wedding\rEND:VEVENT\rBEGIN:VEVENT\rUID:evil\r\nSUMMARY:Take 10 tablets\nBEGIN:VEVENT\r\nX:1"


def _case(reason: str) -> Case:
    alp = plan("alprazolam", ("a",), "0.5", id="alp", strategy="percent-current", percent=Decimal(25),
               interval_days=14, pauses=(Pause(days=10, start=START + timedelta(days=20), reason=reason),))
    return case_with(line("a", product("alprazolam", "0.5 mg"), "1", "bedtime"), plans=(alp,))


def _events(text: str) -> list:
    return list(Calendar.from_ical(text).walk("VEVENT"))


def test_line_breaks_in_a_pause_reason_cannot_start_an_event(tmp_path: Path):
    clean, hostile = _case("wedding"), _case(INJECTION)
    stamp = datetime(2026, 12, 1, tzinfo=UTC)
    expected = len(_events(build_ics("T", case_schedules(clean), stamp, daily=True)))
    path = tmp_path / "case.json"
    save_case(hostile, path)
    out = tmp_path / "r.ics"
    proc = taper("export", str(path), "--ics", str(out), "--daily-reminders")
    assert proc.returncode == 0, proc.stderr
    text = out.read_bytes().decode("utf-8")
    events = _events(text)
    assert len(events) == expected
    assert not any(str(e["UID"]) == "evil" for e in events)
    lines = text.split("\r\n")
    assert lines.count("BEGIN:VEVENT") == expected and "\r" not in "".join(lines) and "\n" not in "".join(lines)
    pause = next(e for e in events if str(e["SUMMARY"]) == "Stay on this dose")
    assert "END:VEVENT" in str(pause["DESCRIPTION"])  # kept as text, inside its own event


def _sequences(path: Path, tmp_path: Path) -> dict[str, int]:
    out = tmp_path / f"r{len(list(tmp_path.glob('r*.ics')))}.ics"
    proc = taper("export", str(path), "--ics", str(out))
    assert proc.returncode == 0, proc.stderr
    return {str(e["UID"]): int(e["SEQUENCE"]) for e in _events(out.read_text("utf-8"))}


def test_changing_a_plans_percent_raises_the_sequence_of_its_events(tmp_path: Path):
    path = tmp_path / "case.json"
    shutil.copy(EXAMPLES / "kowalski.json", path)
    before = _sequences(path, tmp_path)
    case = load_case(path)
    old = case.plans[0]
    changed = old.model_validate({**old.model_dump(), "percent": (old.percent or Decimal(10)) + 5})
    save_case(case_with_plan(case, changed), path)
    after = _sequences(path, tmp_path)
    shared = before.keys() & after.keys()
    assert shared and all(after[uid] > before[uid] for uid in shared)
    same = load_case(path)
    save_case(case_with_plan(same, same.plans[0]), path)  # kept unchanged: no new revision
    assert _sequences(path, tmp_path) == after


def test_a_plan_that_follows_a_changed_plan_gets_a_new_revision_too():
    first = plan("alprazolam", ("a",), "0.5", id="first", strategy="percent-current", percent=Decimal(25),
                 interval_days=14)
    second = plan("oxycodone", ("o",), "30", id="second", strategy="percent-current", percent=Decimal(10),
                  start_date=None, follows="first")
    case = case_with(line("a", product("alprazolam", "0.5 mg"), "1", "bedtime"),
                     line("o", product("oxycodone", "5 mg"), "3", "morning", "evening"), plans=(first, second))
    slower = first.model_validate({**first.model_dump(), "interval_days": 28})
    after = case_with_plan(case, slower)
    assert [p.revision for p in after.plans] == [1, 1]
