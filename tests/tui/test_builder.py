"""The taper builder, driven by keys as a pharmacist would: change, keep, pause, override, discard."""

from __future__ import annotations

import json
import shutil
from datetime import date
from decimal import Decimal

import pytest
from textual.widgets import Input, Static

from regimens.casefile import load_case
from tests.conftest import EXAMPLES
from tui.app.app import TaperApp, recovery_path
from tui.app.screens.builder import BuilderScreen
from tui.app.screens.fields_dialog import FieldsDialog
from tui.app.widgets.field_label import FieldLabel

TODAY = date(2026, 11, 27)


@pytest.fixture
def kowalski(tmp_path):
    path = tmp_path / "kowalski.json"
    shutil.copyfile(EXAMPLES / "kowalski.json", path)
    return path, TaperApp(case=load_case(path, today=TODAY), case_path=path, today=TODAY)


async def type_into(pilot, field: str, text: str) -> None:
    pilot.app.screen.query_one(f"#{field}", Input).focus()
    await pilot.pause()
    await pilot.press("ctrl+a", "ctrl+k", *text)  # select nothing, clear to the end, type
    await pilot.pause()


async def open_saved_plan(pilot) -> BuilderScreen:
    await pilot.press("t")
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, BuilderScreen)
    return screen


async def test_changing_a_field_redraws_and_ctrl_s_keeps_and_saves(kowalski):
    path, app = kowalski
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_saved_plan(pilot)
        before = screen.schedule
        assert before is not None
        await type_into(pilot, "percent", "25")
        after = screen.schedule
        assert after is not None and after is not before
        assert len(after.segments) < len(before.segments)
        assert after.plan.strategy.percent == 25
        assert "OPI-25PCT-STEP" in str(screen.query_one("#plan-warnings", Static).render())
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not app.dirty
    saved = json.loads(path.read_text())
    assert saved["plans"][0]["percent"] == "25"


async def test_a_wrong_field_says_so_keeps_the_last_schedule_and_is_not_kept(kowalski):
    path, app = kowalski
    original = path.read_bytes()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_saved_plan(pilot)
        shown = screen.schedule
        await type_into(pilot, "every", "0")
        label = screen.query_one("#label-every", FieldLabel)
        assert "Problem:" in str(label.render()) and label.has_class("-error")
        assert screen.schedule is shown
        assert "NOT UPDATED" in str(screen.query_one("#plan-span", Static).render())
        await pilot.press("ctrl+s")
        await pilot.pause()
        await type_into(pilot, "every", "21")
        assert "Problem:" not in str(screen.query_one("#label-every", FieldLabel).render())
    assert path.read_bytes() == original


async def test_new_plan_with_a_pause_from_the_dialog(kowalski):
    path, app = kowalski
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("down", "down")  # alprazolam 0.5 mg, the third line
        await pilot.press("n")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BuilderScreen)
        assert screen.plan_id == "alprazolam-plan" and screen.fields["start-dose"] == "0.5"
        await type_into(pilot, "percent", "25")
        await type_into(pilot, "every", "2w")
        await pilot.press("f2")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, FieldsDialog)
        await pilot.press(*"2027-01-04", "tab", "tab")
        await pilot.press("ctrl+a", "ctrl+k", "7", "tab", *"holidays", "enter")
        await pilot.pause()
        assert app.screen is screen
        assert [(p.start, p.days, p.reason) for p in screen.items.pauses] == [(date(2027, 1, 4), 7, "holidays")]
        holds = [s for s in screen.schedule.segments if s.kind == "pause"]
        assert holds and holds[0].start == date(2027, 1, 4) and holds[0].days == 7
        await pilot.press("ctrl+s")
        await pilot.pause()
    case = load_case(path, today=TODAY)
    assert [p.id for p in case.plans] == ["oxycodone-plan", "alprazolam-plan"]
    plan = case.plans[1]
    assert plan.percent == Decimal(25) and plan.interval_days == 14 and plan.pauses[0].reason == "holidays"


async def test_override_records_the_reason_and_marks_the_warnings(kowalski):
    path, app = kowalski
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_saved_plan(pilot)
        assert not [w for w in screen.schedule.warnings if not w.override]  # the demo's plan is signable
        await type_into(pilot, "percent", "25")  # a faster plan: warnings to accept
        await pilot.pause()
        open_before = [w for w in screen.schedule.warnings if not w.override]
        assert open_before
        await pilot.press("f6")
        await pilot.pause()
        await pilot.press("enter")  # no reason yet: refused
        await pilot.pause()
        assert isinstance(app.screen, FieldsDialog)
        assert "Write why" in str(app.screen.query_one("#error-reason", Static).render())
        await pilot.press(*"agreed with patient", "tab", *"JS", "enter")
        await pilot.pause()
        assert app.screen is screen
        assert all(w.override == "agreed with patient" for w in screen.schedule.warnings)
        assert "[OVERRIDDEN]" in str(screen.query_one("#plan-warnings", Static).render())
        await pilot.press("ctrl+s")
        await pilot.pause()
    overrides = [o for o in load_case(path, today=TODAY).plans[0].overrides if o.reason == "agreed with patient"]
    assert {(o.step, o.rule) for o in overrides} == {(w.step, w.rule) for w in open_before}
    assert all(o.by == "JS" and o.recorded_on == TODAY for o in overrides)


async def test_escape_with_changes_asks_and_discard_keeps_the_case(kowalski):
    path, app = kowalski
    original = app.case
    async with app.run_test(size=(120, 40)) as pilot:
        await open_saved_plan(pilot)
        await type_into(pilot, "percent", "20")
        await pilot.press("escape")
        await pilot.pause()
        assert "not kept" in str(app.screen.query_one("#question", Static).render())
        await pilot.click("#choice-discard")
        await pilot.pause()
        assert not isinstance(app.screen, BuilderScreen)
        assert app.case == original and not app.unsaved()


async def test_autosave_and_quit_include_the_builder_draft(kowalski):
    path, app = kowalski
    async with app.run_test(size=(120, 40)) as pilot:
        await open_saved_plan(pilot)
        await type_into(pilot, "percent", "20")
        assert app.unsaved()
        app.autosave()
        recovered = load_case(recovery_path(path), today=TODAY)
        assert recovered.plans[0].percent == Decimal(20)
        app.screen.query_one("#items").focus()
        await pilot.press("q")
        await pilot.pause()
        assert "unsaved" in str(app.screen.query_one("#question", Static).render())
        await pilot.click("#choice-save")
        await pilot.pause()
    assert load_case(path, today=TODAY).plans[0].percent == Decimal(20)
    assert not recovery_path(path).exists()


async def test_setback_support_and_follow_up_from_their_keys(kowalski):
    path, app = kowalski
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_saved_plan(pilot)
        await pilot.press("f5")
        await pilot.pause()
        await pilot.press("ctrl+a", "ctrl+k", *"2027-03-01", "enter")
        await pilot.pause()
        assert [s.on for s in screen.items.setbacks] == [date(2027, 3, 1)]
        assert any(seg.kind == "setback" for seg in screen.schedule.segments)
        await pilot.press("f4")
        await pilot.pause()
        await pilot.press(*"2027-01-15", "tab", "tab", *"check sleep", "enter")
        await pilot.pause()
        assert [(f.on, f.note) for f in screen.items.follow_ups] == [(date(2027, 1, 15), "check sleep")]
        before = len(screen.items.supports)
        await pilot.press("f3")
        await pilot.pause()
        await pilot.press("tab", *"2026-12-01", "tab", "1", "2", "enter")
        await pilot.pause()
        assert len(screen.items.supports) == before + 1 and screen.items.supports[-1].weeks == 12
        pauses = screen.items.pauses  # the demo's family visit, and the hold accepted from a check-in
        overrides = len(screen.items.overrides)  # the demo's two tail steps, accepted with a reason
        assert len(screen.items.rows()) == len(pauses) + 1 + 1 + before + 1 + overrides
        table = screen.query_one("#items")
        table.focus()
        await pilot.press("delete")
        await pilot.pause()
        assert len(screen.items.rows()) == len(pauses) + 1 + 1 + before + overrides  # the first row (a pause) removed
        assert screen.items.pauses == pauses[1:]


async def test_tapers_screen_deletes_a_plan_after_asking(kowalski):
    path, app = kowalski
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("t")
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        await pilot.click("#choice-delete")
        await pilot.pause()
        assert app.case.plans == ()
        assert app.screen.query_one("#no-plans")


async def test_a_plan_that_follows_another_starts_after_it(kowalski):
    from datetime import timedelta

    from textual.widgets import Select

    from taper.adapters import case_schedules

    path, app = kowalski
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("down", "down", "n")  # alprazolam
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BuilderScreen)
        screen.query_one("#follows", Select).value = "oxycodone-plan"
        await pilot.pause()
        assert not screen.query_one("#box-start").display and screen.query_one("#box-gap").display
        oxycodone = case_schedules(app.case)[0]
        assert screen.schedule.first_day == oxycodone.stop + timedelta(days=7)
        await type_into(pilot, "gap", "14")
        assert screen.schedule.first_day == oxycodone.stop + timedelta(days=14)
        await pilot.press("ctrl+s")
        await pilot.pause()
    saved = load_case(path, today=TODAY).plans[1]
    assert (saved.follows, saved.follows_gap_days, saved.start_date) == ("oxycodone-plan", 14, None)


async def test_the_palette_offers_the_builder_keys(kowalski):
    path, app = kowalski
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_saved_plan(pilot)
        titles = [c.title for c in app.get_system_commands(screen)]
        for title in ("Add pause", "Add support", "Add follow-up", "Add setback", "Override warnings", "Keep plan",
                      "Review", "Export"):
            assert title in titles
        command = next(c for c in app.get_system_commands(screen) if c.title == "Add pause")
        command.callback()
        await pilot.pause()
        assert isinstance(app.screen, FieldsDialog) and "pause" in app.screen.title_text


async def test_leaving_with_a_field_that_does_not_make_a_plan_asks_first(kowalski):
    """A half-typed edit (here a percent that is not a number) is work too: escape and quit ask, nothing is lost."""
    path, app = kowalski
    saved = path.read_bytes()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_saved_plan(pilot)
        await type_into(pilot, "percent", "1O")  # a letter O for a zero
        assert screen.draft is None and app.unsaved()
        app.screen.query_one("#items").focus()
        await pilot.press("escape")
        await pilot.pause()
        question = str(app.screen.query_one("#question", Static).render())
        assert "not kept" in question and "need fixing" in question
        await pilot.click("#choice-keep")
        await pilot.pause()
        assert app.screen is screen  # not kept (the field is wrong), and still open
        await pilot.press("escape")
        await pilot.pause()
        await pilot.click("#choice-discard")
        await pilot.pause()
        assert not isinstance(app.screen, BuilderScreen) and not app.unsaved()
    assert path.read_bytes() == saved


async def test_typing_back_the_kept_value_leaves_without_asking(kowalski):
    path, app = kowalski
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_saved_plan(pilot)
        kept = screen.fields["percent"]
        await type_into(pilot, "percent", "x")
        await type_into(pilot, "percent", kept)
        assert not app.unsaved()
        app.screen.query_one("#items").focus()
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, BuilderScreen)


async def test_a_discarded_draft_is_not_offered_again(kowalski):
    """Autosave kept a draft; the pharmacist then discarded it and quit: reopening offers nothing."""
    path, app = kowalski
    async with app.run_test(size=(120, 40)) as pilot:
        await open_saved_plan(pilot)
        await type_into(pilot, "percent", "20")
        app.autosave()
        assert load_case(recovery_path(path), today=TODAY).plans[0].percent == Decimal(20)
        app.screen.query_one("#items").focus()
        await pilot.press("escape")
        await pilot.pause()
        await pilot.click("#choice-discard")
        await pilot.pause()
        assert not isinstance(app.screen, BuilderScreen)
        assert not recovery_path(path).exists()
        await pilot.press("q")
    reopened = TaperApp(case=load_case(path, today=TODAY), case_path=path, today=TODAY)
    async with reopened.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert reopened.recovered is None and not reopened.query("#question")
        assert reopened.case.plans[0].percent != Decimal(20)


async def test_a_discarded_draft_leaves_other_unsaved_edits_in_the_recovery_file(kowalski):
    path, app = kowalski
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        meds = app.case.regimen.medications
        assert app.change_case(app.with_medications(list(meds[:-1])))  # an unsaved edit outside the builder
        await open_saved_plan(pilot)
        await type_into(pilot, "percent", "20")
        app.autosave()
        app.screen.query_one("#items").focus()
        await pilot.press("escape")
        await pilot.pause()
        await pilot.click("#choice-discard")
        await pilot.pause()
        kept = load_case(recovery_path(path), today=TODAY)
        assert len(kept.regimen.medications) == len(meds) - 1  # the unsaved removal is still there
        assert kept.plans[0].percent != Decimal(20)  # the discarded draft is not


async def test_the_products_choice_keeps_oxycontin_to_the_end_and_is_saved(kowalski):
    """The demo moves from OxyContin to oxycodone tablets; "keep the products taken now" opts out (issue 12)."""
    from textual.widgets import Select

    path, app = kowalski
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_saved_plan(pilot)
        assert any(seg.switch for seg in screen.schedule.segments)
        screen.query_one("#products", Select).value = "keep"
        await pilot.pause()
        assert screen.fields["products"] == "keep"
        assert not any(seg.switch for seg in screen.schedule.segments)
        assert all(screen.schedule.plan.units[i].modified for seg in screen.schedule.segments
                   for p in seg.split.portions for i, _ in p.items)
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert load_case(path, today=TODAY).plans[0].keep_products
