"""The minimal app opens a case on the regimen screen with its medications and totals."""

from __future__ import annotations

from datetime import date

from textual.widgets import DataTable, Static

from regimens.casefile import load_case
from tests.conftest import EXAMPLES
from tui.app import TaperApp


async def test_regimen_screen_shows_the_case():
    case = load_case(EXAMPLES / "kowalski.json")
    app = TaperApp(case=case, case_path=EXAMPLES / "kowalski.json")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        meds = screen.query_one("#medications", DataTable)
        assert meds.row_count == len(case.regimen.medications)
        first = [str(c) for c in meds.get_row_at(0)]
        assert "OxyContin" in first[0] and first[1] == "1 tablet (15 mg)"
        totals = screen.query_one("#totals", DataTable)
        rows = {str(totals.get_row_at(i)[0]): [str(c) for c in totals.get_row_at(i)]
                for i in range(totals.row_count)}
        assert rows["oxycodone"][1:] == ["30 mg", "up to 15 mg"]
        patient = str(screen.query_one("#patient", Static).render())
        assert "Walter Kowalski" in patient
        await pilot.press("q")
    assert app.return_code in (0, None)


async def test_start_screen_without_a_case():
    app = TaperApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = str(app.screen.query_one("#start-text", Static).render())
        assert "taper demo" in text
        await pilot.press("q")


def test_patient_age_uses_today_parameter():
    case = load_case(EXAMPLES / "marsh.json")
    assert case.patient.age_on(date(2027, 8, 1)) == 79
    assert case.patient.age_on(date(2027, 8, 2)) == 80


async def test_review_screen_from_the_regimen():
    from tui.screens.review import ReviewScreen

    case = load_case(EXAMPLES / "kowalski.json")
    app = TaperApp(case=case, case_path=EXAMPLES / "kowalski.json")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        table = screen.query_one("#findings", DataTable)
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        assert rows[0][0] == "MAJOR"  # the severity is a word, not only a colour
        assert ["MAJOR", "R01", "alprazolam + oxycodone"] in rows
        await pilot.pause()
        detail = str(screen.query_one("#detail", Static).render())
        assert "What to do:" in detail and "Source:" in detail
        assert "[NALOXONE] NALOXONE-BZD" in str(screen.query_one("#flags", Static).render())
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ReviewScreen)


async def test_review_is_in_the_command_palette():
    case = load_case(EXAMPLES / "okafor.json")
    app = TaperApp(case=case)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Review" in titles


def _case_with_plan():
    from decimal import Decimal

    from regimens.case import Case, Pause, TaperPlan

    case = load_case(EXAMPLES / "kowalski.json")
    plan = TaperPlan(id="alp", medication_ids=("m3",), drug="alprazolam", start_dose=Decimal("0.5"),
                     start_date=date(2026, 12, 1), interval_days=14, strategy="percent-current", percent=Decimal(25),
                     pauses=(Pause(days=7, start=date(2027, 1, 4), reason="holidays"),))
    return Case.model_validate({**case.model_dump(), "plans": [plan.model_dump()]})


async def test_plans_and_calendar_screens():
    from tui.screens.calendar import CalendarScreen
    from tui.screens.plans import PlansScreen

    app = TaperApp(case=_case_with_plan())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, PlansScreen)
        table = app.screen.query_one("#steps-alp", DataTable)
        labels = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert labels[0] == "1" and "hold" in labels
        await pilot.press("escape")
        await pilot.press("c")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CalendarScreen)
        month = screen.query_one("#month", DataTable)
        first_week = " ".join(" ".join(str(c).split()) for c in month.get_row_at(0))
        assert "NEW DOSE starts today: alprazolam 0.375 mg a day" in first_week
        title = str(screen.query_one("#month-title", Static).render())
        assert title.startswith("December 2026")
        await pilot.press("n")
        await pilot.pause()
        assert str(screen.query_one("#month-title", Static).render()).startswith("January 2027")
        text = " ".join(" ".join(str(c).split()) for i in range(month.row_count) for c in month.get_row_at(i))
        assert "Stay on this dose (holidays)" in text


async def test_remove_save_quit_and_recovery(tmp_path):
    import shutil

    from regimens.casefile import load_case as load
    from tui.app import recovery_path
    from tui.screens.confirm import ChoiceDialog

    path = tmp_path / "case.json"
    shutil.copyfile(EXAMPLES / "okafor.json", path)
    app = TaperApp(case=load(path), case_path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("d")  # remove the first medication (duloxetine)
        await pilot.pause()
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.click("#choice-remove")
        await pilot.pause()
        assert app.dirty and len(app.case.regimen.medications) == 3
        app.autosave()
        assert recovery_path(path).exists()
        assert len(load(recovery_path(path)).regimen.medications) == 3
        assert len(load(path).regimen.medications) == 4  # not saved yet
        await pilot.press("q")  # unsaved: asks first
        await pilot.pause()
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.click("#choice-cancel")
        await pilot.pause()
        assert app.is_running
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not app.dirty and not recovery_path(path).exists()
        assert [m.product.drug for m in load(path).regimen.medications] == ["zolpidem", "acetaminophen", "sumatriptan"]
        assert (tmp_path / "case.json.bak").exists()
        await pilot.press("q")
    assert not app.is_running


async def test_recovery_is_offered_when_reopening(tmp_path):
    import shutil

    from regimens.casefile import load_case as load
    from regimens.casefile import save_case
    from tui.app import recovery_path
    from tui.screens.confirm import ChoiceDialog

    path = tmp_path / "case.json"
    shutil.copyfile(EXAMPLES / "okafor.json", path)
    case = load(path)
    edited = case.model_validate({**case.model_dump(), "notes": "changed before a crash"})
    save_case(edited, recovery_path(path))
    app = TaperApp(case=case, case_path=path, recovered=load(recovery_path(path)))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.click("#choice-restore")
        await pilot.pause()
        assert app.case.notes == "changed before a crash" and app.dirty
