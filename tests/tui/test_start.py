"""The start screen, and the whole workflow from a medication list to the files the patient takes home."""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal

from textual.widgets import Button, Input, OptionList, Static

from regimens.casefile import load_case
from tests.conftest import EXAMPLES, LISTS
from tui.app.app import TaperApp
from tui.app.recent import recent_cases, remember
from tui.app.screens.builder import BuilderScreen
from tui.app.screens.fields_dialog import FieldsDialog
from tui.app.screens.regimen import RegimenScreen
from tui.app.screens.review import ReviewScreen
from tui.app.screens.start import StartScreen

TODAY = date(2026, 11, 27)


async def fill(pilot, values: dict[str, str]) -> None:
    """Type into the open dialog's fields, then press its OK button."""
    dialog = pilot.app.screen
    assert isinstance(dialog, FieldsDialog)
    for field, text in values.items():
        dialog.query_one(f"#field-{field}", Input).value = text
    dialog.query_one("#fields-ok", Button).press()
    await pilot.pause()


async def test_import_review_build_with_a_pause_and_export(tmp_path):
    """The workflow end to end, by keys: CSV -> case -> review -> taper with a pause -> export."""
    import icalendar
    from pypdf import PdfReader

    from tui.app.screens.export import ExportDialog

    case_path = tmp_path / "kowalski.json"
    app = TaperApp(today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        await pilot.press("i")
        await pilot.pause()
        await fill(pilot, {"csv": str(LISTS / "kowalski.csv"), "name": "Walter Kowalski", "birth": "1954-03-12",
                           "save-as": str(case_path)})
        assert isinstance(app.screen, RegimenScreen)
        assert case_path.exists() and app.case is not None and len(app.case.regimen.medications) == 7
        assert recent_cases() == [case_path.resolve()]

        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert "oxycodone" in str(app.screen.query_one("#findings").get_row_at(0))
        await pilot.press("escape")
        await pilot.pause()

        await pilot.press("n")  # the cursor is on OxyContin, the first line
        await pilot.pause()
        builder = app.screen
        assert isinstance(builder, BuilderScreen) and builder.fields["drug"] == "oxycodone"
        builder.query_one("#start", Input).value = "2026-12-01"
        builder.query_one("#percent", Input).value = "10"
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        await fill(pilot, {"start": "2027-02-01", "days": "14", "reason": "family wedding"})
        assert builder.items.pauses[0].reason == "family wedding"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, RegimenScreen) and not app.unsaved()

        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        dialog.query_one("#export", Button).press()
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Wrote:" in str(dialog.query_one("#export-result", Static).render())

    saved = load_case(case_path, today=TODAY)
    plan = saved.plans[0]
    assert (plan.drug, plan.percent, plan.start_date) == ("oxycodone", Decimal(10), date(2026, 12, 1))
    assert [(p.start, p.days, p.reason) for p in plan.pauses] == [(date(2027, 2, 1), 14, "family wedding")]
    pid = saved.patient.id
    calendar = "".join(page.extract_text() for page in PdfReader(tmp_path / f"{pid}-calendar.pdf").pages)
    assert "Walter Kowalski" in calendar and "NEW DOSE" in calendar and "Stay on this dose" in calendar
    summary = "".join(page.extract_text() for page in PdfReader(tmp_path / f"{pid}-summary.pdf").pages)
    assert "OXYcodone" in summary or "oxycodone" in summary.lower()
    events = icalendar.Calendar.from_ical((tmp_path / f"{pid}-reminders.ics").read_bytes()).walk("VEVENT")
    assert any(e["DTSTART"].dt == date(2026, 12, 1) for e in events)


async def test_new_case_dialog_names_each_problem_and_creates_nothing(tmp_path):
    app = TaperApp(today=TODAY)
    existing = tmp_path / "taken.json"
    existing.write_text("{}")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        bad_csv = tmp_path / "bad.csv"
        bad_csv.write_text("drug,strength,form,dose,when\noxycodone,5 mg,tablet,one,morning\n")
        await fill(pilot, {"csv": str(bad_csv), "name": "", "birth": "12/03/1954", "save-as": str(existing)})
        dialog = app.screen
        assert isinstance(dialog, FieldsDialog)

        def error(field: str) -> str:
            return str(dialog.query_one(f"#error-{field}", Static).render())

        assert "bad.csv, row 1, column 'dose'" in error("csv")
        assert "name" in error("name") and "YYYY-MM-DD" in error("birth") and "already exists" in error("save-as")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv", "taken.json"]


async def test_new_case_by_hand_then_add_a_medication(tmp_path):
    app = TaperApp(today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("h")
        await pilot.pause()
        await fill(pilot, {"name": "Ana Lima", "birth": "1960-05-01", "save-as": str(tmp_path / "ana.json")})
        assert isinstance(app.screen, RegimenScreen) and app.case.regimen.medications == ()
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"sertraline", "tab")
        await pilot.pause()
        assert app.screen.query_one("#product").value is not None


async def test_recent_cases_open_with_enter_and_a_bad_file_is_reported(tmp_path):
    good = tmp_path / "okafor.json"
    shutil.copyfile(EXAMPLES / "okafor.json", good)
    bad = tmp_path / "broken.json"
    bad.write_text("{ not json")
    remember(bad)
    remember(good)
    assert recent_cases() == [good.resolve(), bad.resolve()]
    app = TaperApp(today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        options = app.screen.query_one("#recent", OptionList)
        assert options.option_count == 2
        options.focus()
        await pilot.press("down", "enter")  # the broken one
        await pilot.pause()
        assert isinstance(app.screen, StartScreen) and app.case is None
        await pilot.press("up", "enter")
        await pilot.pause()
        assert isinstance(app.screen, RegimenScreen) and app.case.patient.name.startswith("Grace")


async def test_demo_opens_a_copy(private_state):
    app = TaperApp(today=TODAY)
    before = (EXAMPLES / "kowalski.json").read_bytes()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, RegimenScreen)
        assert app.case_path == private_state / "data" / "taper" / "demo" / "kowalski.json"
    assert (EXAMPLES / "kowalski.json").read_bytes() == before


async def test_the_new_case_dialog_records_the_patients_language(tmp_path):
    """The new-case dialog offers the languages taper prints; the case file keeps the one chosen."""
    from textual.widgets import Select

    app = TaperApp(today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("h")
        await pilot.pause()
        language = app.screen.query_one("#field-language", Select)
        assert language.value == "en"
        language.value = "es"
        await fill(pilot, {"name": "Rosa Núñez", "birth": "1948-02-10", "save-as": str(tmp_path / "rosa.json")})
        assert isinstance(app.screen, RegimenScreen)
        assert app.case.patient.language == "es"
    assert load_case(tmp_path / "rosa.json").patient.language == "es"


def test_new_from_refuses_a_language_that_is_not_a_tag_and_writes_nothing(tmp_path):
    from tui.app.start_form import new_from

    opened, errors = new_from({"name": "Rosa", "birth": "1948-02-10", "language": "Spanish",
                               "save-as": str(tmp_path / "rosa.json")}, TODAY)
    assert opened is None and "language tag" in errors["language"]
    assert not (tmp_path / "rosa.json").exists()
    opened, errors = new_from({"name": "Rosa", "birth": "1948-02-10", "save-as": str(tmp_path / "r.json")}, TODAY)
    assert opened is not None and opened[0].patient.language == "en"  # no field: English

