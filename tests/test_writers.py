"""One writer at a time, and no save over a change made elsewhere (issue 13, item 2), with real processes."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from regimens.casefile import case_to_json, load_case
from regimens.lock import lock_path
from tests.conftest import EXAMPLES, LISTS, ROOT

TAPER = [sys.executable, "-m", "tui.cli"]


def case_without_plans(folder: Path) -> Path:
    data = json.loads((EXAMPLES / "kowalski.json").read_text("utf-8"))
    data["plans"] = []
    path = folder / "case.json"
    path.write_text(json.dumps(data), "utf-8")
    return path


def plan_save(path: Path, drug: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*TAPER, "plan", str(path), "--drug", drug, "--strategy", "percent-current",
                           "--percent", "10", "--every", "2w", "--start", "2027-01-04", "--save", "--json"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)


@pytest.mark.parametrize("run", range(5))
def test_two_plan_saves_at_once_keep_both_plans(tmp_path, run):
    path = case_without_plans(tmp_path)
    with ThreadPoolExecutor(2) as pool:
        done = list(pool.map(lambda drug: plan_save(path, drug), ["alprazolam", "cyclobenzaprine"]))
    assert [p.returncode for p in done] == [0, 0], [p.stderr for p in done]
    assert sorted(p.drug for p in load_case(path).plans) == ["alprazolam", "cyclobenzaprine"]
    assert not lock_path(path).exists()


HOLD = """
import sys, time
from pathlib import Path
from regimens.lock import acquire
assert acquire(Path(sys.argv[1])) is None
print("held", flush=True)
time.sleep(60)
"""


@pytest.fixture
def held(tmp_path):
    """A case whose lock a live process holds (as an open taper window does)."""
    path = case_without_plans(tmp_path)
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(path)], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    yield path
    proc.kill()
    proc.wait()


def test_new_force_does_not_replace_a_case_that_is_open(held):
    before = held.read_bytes()
    started = time.monotonic()
    proc = subprocess.run([*TAPER, "new", "--from", str(LISTS / "okafor.csv"), "--name", "Other Person",
                           "--birth-date", "1970-01-01", "-o", str(held), "--force"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert str(held) in proc.stderr and "is open in a taper window" in proc.stderr
    assert time.monotonic() - started < 60  # a short, bounded wait
    assert held.read_bytes() == before


def test_plan_save_waits_for_the_lock_then_refuses(held):
    before = held.read_bytes()
    proc = plan_save(held, "alprazolam")
    assert proc.returncode == 2 and "nothing was saved" in proc.stderr and str(held) in proc.stderr
    assert held.read_bytes() == before


async def test_the_app_refuses_to_save_over_an_outside_change_and_offers_reload_or_save_as(tmp_path):
    from textual.widgets import Input

    from tui.app.app import TaperApp

    path = case_without_plans(tmp_path)
    app = TaperApp(case=load_case(path), case_path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        meds = app.case.regimen.medications
        assert app.change_case(app.with_medications(list(meds[:-1])))  # an edit here
        outside = load_case(path)  # ... and another there (a restored backup, another program)
        changed = outside.model_validate({**outside.model_dump(), "notes": "changed elsewhere"})
        path.write_text(case_to_json(changed), "utf-8")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "changed outside this window" in str(app.screen.query_one("#question").render())
        assert load_case(path).notes == "changed elsewhere"  # not overwritten
        await pilot.click("#choice-save-as")
        await pilot.pause()
        app.screen.query_one("#field-path", Input).value = str(tmp_path / "mine.json")
        await pilot.press("enter")
        await pilot.pause()
        mine = load_case(tmp_path / "mine.json")
        assert len(mine.regimen.medications) == len(meds) - 1 and mine.notes != "changed elsewhere"
        assert app.case_path == tmp_path / "mine.json" and not app.dirty
        assert load_case(path).notes == "changed elsewhere"


async def test_reload_drops_the_changes_made_here(tmp_path):
    from tui.app.app import TaperApp
    from tui.app.screens.confirm import ChoiceDialog

    path = case_without_plans(tmp_path)
    app = TaperApp(case=load_case(path), case_path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.change_case(app.with_medications(list(app.case.regimen.medications[:-1])))
        outside = load_case(path)
        path.write_text(case_to_json(outside.model_validate({**outside.model_dump(), "notes": "elsewhere"})))
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.click("#choice-reload")
        await pilot.pause()
        assert app.case.notes == "elsewhere" and not app.dirty
        app.change_case(app.case.model_validate({**app.case.model_dump(), "notes": "elsewhere, then here"}))
        await pilot.press("ctrl+s")  # the reloaded file saves without a question
        await pilot.pause()
        assert not isinstance(app.screen, ChoiceDialog) and not app.dirty
        assert load_case(path).notes == "elsewhere, then here"
