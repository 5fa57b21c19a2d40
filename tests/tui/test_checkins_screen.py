"""The check-ins screen by keys: record check-ins, see the trend and the suggestion, accept or decline it."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

from textual.widgets import DataTable, Input, Select, Static

from regimens.casefile import load_case
from taper.adapters import case_schedules
from taper.checkins import cuts
from tests.conftest import EXAMPLES
from tests.helpers.tui import settle
from tui.app.app import TaperApp
from tui.app.chart import chart_lines, trend_chart
from tui.app.screens.checkins import CheckinsScreen
from tui.app.screens.fields_dialog import FieldsDialog

TODAY = date(2026, 12, 14)


def baseline_only(folder: Path) -> Path:
    """Walter Kowalski's case with only the baseline check-in (24 Nov) and no hold yet; step 1 is 1 Dec."""
    path = Path(shutil.copy(EXAMPLES / "kowalski.json", folder / "kowalski.json"))
    data = json.loads(path.read_text("utf-8"))
    data["checkins"] = data["checkins"][:1]
    plan = data["plans"][0]
    plan["pauses"] = [p for p in plan["pauses"] if "check-in" not in p["reason"]]
    path.write_text(json.dumps(data), "utf-8")
    return path


async def open_checkins(pilot) -> None:
    """Wait for the regimen screen, then open the check-ins screen (k)."""
    await settle(pilot)
    await pilot.press("k")
    await settle(pilot)


async def _record(pilot, **values: str) -> None:
    """Press n, fill the named fields of the check-in form by typing, and press enter."""
    await pilot.press("n")
    await settle(pilot)
    dialog = pilot.app.screen
    assert isinstance(dialog, FieldsDialog)
    for field, value in values.items():
        widget = dialog.query_one(f"#field-{field}")
        if isinstance(widget, Select):
            widget.value = value
            continue
        assert isinstance(widget, Input)
        widget.focus()
        await settle(pilot)
        widget.value = ""
        await pilot.press(*value)
    dialog.query_one("#field-date", Input).focus()
    await pilot.press("enter")
    await settle(pilot)


async def test_record_a_worse_check_in_by_keys_and_accept_the_hold(tmp_path):
    path = baseline_only(tmp_path)
    before = case_schedules(load_case(path))[0]
    app = TaperApp(case=load_case(path), case_path=path, today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_checkins(pilot)
        assert isinstance(app.screen, CheckinsScreen)
        assert not app.screen.check_action("accept", ())  # nothing to accept yet
        await _record(pilot, date="2026-12-10", pain="7", enjoyment="7", activity="8", withdrawal="5")
        screen = app.screen
        assert isinstance(screen, CheckinsScreen)
        saved = load_case(path)  # recorded and saved through the lock and the atomic write
        assert [c.on.isoformat() for c in saved.checkins] == ["2026-11-24", "2026-12-10"]
        assert saved.checkins[1].withdrawal == 5
        text = str(screen.query_one("#suggestion", Static).render())
        assert "Suggestion (hold)" in text and "a: accept" in text
        assert "1 → 5" in str(screen.query_one("#trend", Static).render())
        table = screen.query_one("#checkin-table", DataTable)
        assert table.row_count == 2
        await pilot.press("a")
        await settle(pilot)
        case = load_case(path)
        assert case.checkins[1].accepted == "hold"
        pause = case.plans[0].pauses[-1]
        assert pause.start == date(2026, 12, 10) and pause.days == 14
        after = case_schedules(case)[0]
        assert after.stop > before.stop
        assert "Accepted" in str(app.screen.query_one("#suggestion", Static).render())
        assert not app.screen.check_action("accept", ())  # accepted once; not offered again
    old = [c.start for c in cuts(before) if c.start > date(2026, 12, 10)]
    new = [c.start for c in cuts(after) if c.start > date(2026, 12, 10)]
    assert (new[0] - old[0]).days >= 14


async def test_decline_leaves_the_plan_unchanged(tmp_path):
    path = baseline_only(tmp_path)
    app = TaperApp(case=load_case(path), case_path=path, today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_checkins(pilot)
        await _record(pilot, date="2026-12-10", withdrawal="6")
        plans = load_case(path).plans
        await pilot.press("x")
        await settle(pilot)
        assert not app.screen.check_action("accept", ())
        assert "Steady" in str(app.screen.query_one("#suggestion", Static).render()) or \
            "Suggestion" not in str(app.screen.query_one("#suggestion", Static).render())
        await pilot.press("a")  # declined: the key does nothing now
        await settle(pilot)
    assert load_case(path).plans == plans


async def test_a_self_harm_yes_shows_the_urgent_message_first(tmp_path):
    path = baseline_only(tmp_path)
    app = TaperApp(case=load_case(path), case_path=path, today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_checkins(pilot)
        await _record(pilot, date="2026-12-12", sleep="2", **{"self-harm": "yes"})
        screen = app.screen
        first = screen.query_one("#checkins").query(Static).first()
        assert "URGENT" in str(first.render()) and "988" in str(first.render())
        assert first.has_class("urgent")
        assert not screen.check_action("accept", ())
    assert load_case(path).checkins[-1].self_harm is True


async def test_a_bad_score_is_refused_in_the_form_and_nothing_is_recorded(tmp_path):
    path = baseline_only(tmp_path)
    app = TaperApp(case=load_case(path), case_path=path, today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_checkins(pilot)
        await _record(pilot, date="2026-12-12", pain="11")
        assert isinstance(app.screen, FieldsDialog)
        assert "0 to 10" in str(app.screen.query_one("#error-pain", Static).render())
        await pilot.press("escape")
        await settle(pilot)
    assert len(load_case(path).checkins) == 1


async def test_the_demo_case_shows_three_check_ins_and_the_accepted_hold():
    case = load_case(EXAMPLES / "kowalski.json")
    app = TaperApp(case=case, today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("k")
        await settle(pilot)
        table = app.screen.query_one("#checkin-table", DataTable)
        assert table.row_count == 3
        assert [str(table.get_row_at(i)[9]) for i in range(3)] == ["", "hold", ""]
        assert "Steady" in str(app.screen.query_one("#suggestion", Static).render())


def test_the_builder_chart_marks_check_in_days():
    case = load_case(EXAMPLES / "kowalski.json")
    schedule = case_schedules(case)[0]
    plain = chart_lines(schedule, 80, 6)
    marked = chart_lines(schedule, 80, 6, tuple(c.on for c in case.checkins))
    assert "◆" not in "".join(plain)
    assert marked[-2].count("◆") == 2  # 10 and 22 Dec; the baseline is before the plan's first day
    assert [len(x) for x in plain] == [len(x) for x in marked]


def test_the_trend_chart_has_a_line_per_score_and_a_column_per_check_in():
    case = load_case(EXAMPLES / "kowalski.json")
    from taper.checkins import trend_rows

    lines = trend_chart(trend_rows(case))
    assert lines[0].split() == ["24", "Nov", "10", "Dec", "22", "Dec"]
    assert lines[4].startswith("Withdrawal") and lines[4].endswith("1 → 4 → 2")
    assert trend_chart([]) == ["No check-ins yet."]
