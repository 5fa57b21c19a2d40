"""Every screen and dialog, as SVG snapshots at 120x40 and 80x24 (pytest-textual-snapshot).

The date is fixed so the patient's age and the calendar do not move. Keys are pressed one at a time
and the screen is captured only once it has settled (:func:`tests.helpers.tui.settle`), never after
a fixed wait. After a deliberate change to
a screen, update with ``.venv/bin/pytest tests/tui/test_snapshots.py --snapshot-update`` and look
at the report before committing.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from regimens.casefile import load_case
from tests.conftest import EXAMPLES
from tests.helpers.tui import press_and_settle, settle
from tui.app.app import TaperApp

TODAY = date(2026, 11, 26)
SIZES = [(120, 40), (80, 24)]
# Keys from the regimen screen to each screen or dialog.
VIEWS = {
    "regimen": [],
    "review": ["r"],
    "tapers": ["t"],
    "calendar": ["c"],
    "export": ["e"],
    "help": ["f1"],
    "remove": ["down", "d"],
    "add-medication": ["a"],
    "builder": ["t", "enter"],
    "builder-pause": ["t", "enter", "f2"],
    "builder-override": ["t", "enter", "f6"],
    "new-plan": ["down", "down", "n"],
    "builder-support": ["t", "enter", "f3"],
    "builder-follow-up": ["t", "enter", "f4"],
    "builder-setback": ["t", "enter", "f5"],
    "change-medication": ["enter"],
    "checkins": ["k"],
    "checkin-new": ["k", "n"],
}


def demo_app() -> TaperApp:
    case = load_case(EXAMPLES / "kowalski.json", today=TODAY)
    return TaperApp(case=case, case_path=Path("/cases/kowalski.json"), today=TODAY)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("view", sorted(VIEWS))
def test_screen_snapshot(snap_compare, view, size):
    assert snap_compare(demo_app(), run_before=press_and_settle(*VIEWS[view]), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_unsaved_changes_prompt_snapshot(snap_compare, size):
    async def remove_then_quit(pilot) -> None:  # type: ignore[no-untyped-def]
        await press_and_settle("down", "d")(pilot)  # the as-needed oxycodone: not in the plan
        await pilot.click("#choice-remove")
        await settle(pilot)
        await pilot.press("q")
        await settle(pilot)

    assert snap_compare(demo_app(), run_before=remove_then_quit, terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize(("view", "keys"), [("start", []), ("new-from-csv", ["i"]), ("open-file", ["o"]),
                                           ("new-by-hand", ["h"])])
def test_start_snapshot(snap_compare, view, keys, size):
    assert snap_compare(TaperApp(today=TODAY), run_before=press_and_settle(*keys), terminal_size=size)
