"""The minimal app opens a case on the regimen screen with its medications and totals."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from textual.widgets import DataTable, Static

from regimens.casefile import load_case
from tests.conftest import EXAMPLES
from tests.helpers.tui import okafor_app
from tui.app.app import TaperApp


def kowalski_copy(folder: Path) -> Path:
    """A copy to open (an open case takes a lock file beside it: never beside the bundled example)."""
    return Path(shutil.copy(EXAMPLES / "kowalski.json", folder / "kowalski.json"))


async def test_regimen_screen_shows_the_case(tmp_path):
    path = kowalski_copy(tmp_path)
    case = load_case(path)
    app = TaperApp(case=case, case_path=path)
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
        assert "open a case file" in text and "medication list (CSV)" in text
        await pilot.press("q")


def test_patient_age_uses_today_parameter():
    case = load_case(EXAMPLES / "marsh.json")
    assert case.patient.age_on(date(2027, 8, 1)) == 79
    assert case.patient.age_on(date(2027, 8, 2)) == 80


async def test_review_screen_from_the_regimen(tmp_path):
    from tui.app.screens.review import ReviewScreen

    path = kowalski_copy(tmp_path)
    case = load_case(path)
    app = TaperApp(case=case, case_path=path)
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
    from tui.app.screens.calendar import CalendarScreen
    from tui.app.screens.plans import PlansScreen

    app = TaperApp(case=_case_with_plan())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, PlansScreen)
        table = app.screen.query_one("#steps-0", DataTable)
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


async def test_the_calendar_preview_is_in_the_patients_language():
    from regimens.case import Case
    from tui.app.screens.calendar import CalendarScreen

    data = _case_with_plan().model_dump()
    case = Case.model_validate({**data, "patient": {**data["patient"], "language": "es"}})
    app = TaperApp(case=case)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CalendarScreen)
        month = screen.query_one("#month", DataTable)
        first_week = " ".join(" ".join(str(c).split()) for c in month.get_row_at(0))
        assert "NUEVA DOSIS desde hoy: alprazolam 0.375 mg al día" in first_week
        assert "En inglés: NEW DOSE starts today: alprazolam 0.375 mg a day" in first_week
        assert "mar 1" in first_week
        assert str(screen.query_one("#month-title", Static).render()).startswith("Diciembre de 2026")


async def test_remove_save_quit_and_recovery(tmp_path):

    from regimens.casefile import load_case as load
    from tui.app.app import recovery_path
    from tui.app.screens.confirm import ChoiceDialog

    path, app = okafor_app(tmp_path)
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
    from tui.app.app import recovery_path
    from tui.app.screens.confirm import ChoiceDialog

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


async def test_an_earlier_sessions_changes_survive_autosave_while_still_offered(tmp_path):
    """Nothing is unsaved in this session yet, but the offer of the earlier session's work is open:
    autosave (every 30 seconds) must not remove that work before the pharmacist answers."""
    from regimens.casefile import load_case as load
    from regimens.casefile import save_case
    from tui.app.app import recovery_path
    from tui.app.screens.confirm import ChoiceDialog

    path = tmp_path / "case.json"
    shutil.copyfile(EXAMPLES / "okafor.json", path)
    case = load(path)
    save_case(case.model_validate({**case.model_dump(), "notes": "changed before a crash"}), recovery_path(path))
    app = TaperApp(case=case, case_path=path, recovered=load(recovery_path(path)))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ChoiceDialog)
        app.autosave()
        assert recovery_path(path).exists()
        await pilot.click("#choice-discard")
        await pilot.pause()
        assert not recovery_path(path).exists()


async def test_export_dialog_writes_the_files_in_a_worker(tmp_path):
    """e opens the dialog; Export writes the chosen files to the folder and lists them."""
    import icalendar
    from pypdf import PdfReader
    from textual.widgets import Button, Checkbox, Input

    from tui.app.screens.export import ExportDialog

    case = _case_with_plan()
    app = TaperApp(case=case, case_path=tmp_path / "case.json")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        assert dialog.query_one("#folder", Input).value == str(tmp_path)
        dialog.query_one("#want-csv", Checkbox).value = False
        dialog.query_one("#export", Button).press()
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        result = str(dialog.query_one("#export-result", Static).render())
        assert "Wrote:" in result and "calendar:" in result and "schedule CSV" not in result
        assert "(Tue 1 Dec 2026 to " in result  # the dates the calendar covers, not a page count
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ExportDialog)
    pid = case.patient.id
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [f"{pid}-calendar.pdf", f"{pid}-summary.pdf", f"{pid}-reminders.ics"])
    calendar_text = "".join(page.extract_text() for page in PdfReader(tmp_path / f"{pid}-calendar.pdf").pages)
    assert "NEW DOSE" in calendar_text and "alprazolam" in calendar_text
    events = icalendar.Calendar.from_ical((tmp_path / f"{pid}-reminders.ics").read_bytes()).walk("VEVENT")
    assert events
    assert (tmp_path / f"{pid}-summary.pdf").stat().st_mode & 0o077 == 0


async def test_export_dialog_offers_the_language_and_the_case_remembers_it(tmp_path):
    """The dialog starts on the patient's language; exporting in Spanish writes a Spanish calendar and reminders,
    and the case then records Spanish (unsaved until ctrl+s), so the next export starts there."""
    from pypdf import PdfReader
    from textual.widgets import Button, Checkbox, RadioButton

    from tui.app.screens.export import ExportDialog

    case = _case_with_plan()
    app = TaperApp(case=case, case_path=tmp_path / "case.json")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        assert dialog.query_one("#language-en", RadioButton).value
        for kind in ("summary", "csv"):
            dialog.query_one(f"#want-{kind}", Checkbox).value = False
        dialog.query_one("#language-es", RadioButton).value = True
        dialog.query_one("#export", Button).press()
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "in Spanish (es)" in str(dialog.query_one("#export-result", Static).render())
        await pilot.pause()
        assert app.case.patient.language == "es" and app.unsaved()
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert app.screen.query_one("#language-es", RadioButton).value
    pid = case.patient.id
    text = PdfReader(tmp_path / f"{pid}-calendar.pdf").pages[0].extract_text()
    assert "Calendario de medicamentos de Walter Kowalski" in text
    assert "Plan de medicamentos" in (tmp_path / f"{pid}-reminders.ics").read_text("utf-8")


async def test_export_dialog_names_a_missing_folder(tmp_path):
    from textual.widgets import Button, Input

    app = TaperApp(case=_case_with_plan(), case_path=tmp_path / "case.json")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        dialog.query_one("#folder", Input).value = str(tmp_path / "nowhere")
        dialog.query_one("#export", Button).press()
        await pilot.pause()
        assert "No such folder" in str(dialog.query_one("#folder-error", Static).render())
    assert list(tmp_path.iterdir()) == []


async def test_f1_help_lists_the_keys():
    from tui.app.screens.help import HelpScreen

    app = TaperApp(case=load_case(EXAMPLES / "okafor.json"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help-text", Static).render())
        assert "ctrl+s" in text and "export" in text
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert {"Export", "Help", "Review", "Tapers", "Calendar", "Save"} <= set(titles)


async def test_keys_typed_in_a_dialog_do_not_open_screens(tmp_path):
    from textual.widgets import Input

    from tui.app.screens.export import ExportDialog

    app = TaperApp(case=_case_with_plan(), case_path=tmp_path / "case.json")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        assert dialog.focused is dialog.query_one("#folder", Input)
        await pilot.press("tab", "r", "e", "c", "t")
        await pilot.pause()
        assert app.screen is dialog and len(app.screen_stack) == 3
        assert isinstance(app.screen, ExportDialog)


async def test_a_closed_terminal_keeps_unsaved_work(tmp_path):
    """SIGHUP (the terminal window closed) writes the recovery file and exits."""

    from regimens.casefile import load_case as load
    from tui.app.app import recovery_path

    path, app = okafor_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        await pilot.click("#choice-remove")
        await pilot.pause()
        assert not recovery_path(path).exists()
        app.hang_up()
        await pilot.pause()
        assert recovery_path(path).stat().st_mode & 0o077 == 0
        assert len(load(recovery_path(path)).regimen.medications) == 3
    assert not app.is_running
    assert len(load(path).regimen.medications) == 4


async def test_add_a_medication_through_the_form(tmp_path):
    """a opens the form: a brand name completes, only real products are offered, errors show inline."""

    from textual.widgets import Button, Checkbox, Input, Select

    from regimens.casefile import load_case as load
    from tui.app.screens.medication import AS_WRITTEN, MedicationForm

    path, app = okafor_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, MedicationForm)
        form.query_one("#add", Button).press()  # empty form: errors next to the fields, nothing added
        await pilot.pause()
        assert "Type a drug name" in str(form.query_one("#drug-error").render())
        await pilot.press(*"oxycodine")
        form.query_one("#add", Button).press()
        await pilot.pause()
        assert "did you mean" in str(form.query_one("#drug-error").render())
        form.query_one("#drug", Input).value = "Neurontin"  # a brand: gabapentin's products
        await pilot.pause()
        select = form.query_one("#product", Select)
        offered = [str(label) for label, value in select._options if isinstance(value, str) and value != AS_WRITTEN]
        assert offered and all("gabapentin" in o for o in offered)
        assert select._options[-1][1] == AS_WRITTEN  # a product the formulary lacks is kept as written
        select.value = next(v for _, v in select._options if isinstance(v, str) and "300mg" in v)
        form.query_one("#units", Input).value = "zero"
        form.query_one("#add", Button).press()
        await pilot.pause()
        assert "not a number" in str(form.query_one("#units-error").render())
        assert isinstance(app.screen, MedicationForm)
        form.query_one("#units", Input).value = "1"
        form.query_one("#slot-morning", Checkbox).value = True
        form.query_one("#slot-bedtime", Checkbox).value = True
        form.query_one("#indication", Input).value = "for nerve pain"
        form.query_one("#add", Button).press()
        await pilot.pause()
        assert not isinstance(app.screen, MedicationForm)
        assert app.dirty
        await pilot.press("ctrl+s")
        await pilot.pause()
    saved = load(path).regimen.medications
    new = saved[-1]
    assert len(saved) == 5 and new.product.drug == "gabapentin" and new.id == "m5"
    assert [s.value for s in new.slots] == ["morning", "bedtime"] and new.indication == "for nerve pain"
    assert new.ingredient_amounts()[0].text() == "600 mg"


async def test_medication_form_shows_model_rules_inline():
    """A capsule cannot be halved: the model's own rule appears next to the field."""
    from textual.widgets import Button, Checkbox, Input, Select

    from tui.app.screens.medication import MedicationForm

    app = TaperApp(case=load_case(EXAMPLES / "okafor.json"))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        form.query_one("#drug", Input).value = "Cymbalta"
        await pilot.pause()
        select = form.query_one("#product", Select)
        assert isinstance(select.value, str) and "duloxetine" in select.value
        form.query_one("#units", Input).value = "0.5"
        form.query_one("#slot-morning", Checkbox).value = True
        form.query_one("#add", Button).press()
        await pilot.pause()
        assert isinstance(app.screen, MedicationForm)
        assert "split" in str(form.query_one("#when-error").render()) + str(form.query_one("#units-error").render())
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, MedicationForm) and not app.dirty


async def test_enter_changes_a_medication_through_the_form(tmp_path):
    """Enter on a line opens the form filled in; a changed dose replaces that line, keeping its id."""
    from textual.widgets import Input, Select

    from tui.app.screens.medication import MedicationForm

    path, app = okafor_app(tmp_path)
    original = app.case
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, MedicationForm)
        first = original.regimen.medications[0]
        assert form.query_one("#product", Select).value == first.product.id
        units = form.query_one("#units", Input)
        units.value = "2"
        form.submit()
        await pilot.pause()
        changed = app.case.regimen.medications[0]
        assert changed.id == first.id and changed.units == 2 and changed.product == first.product
        assert changed.slots == first.slots and app.dirty
        assert app.case.regimen.medications[1:] == original.regimen.medications[1:]


async def test_every_example_line_reopens_in_the_form_unchanged():
    """Each medication of every example, opened in the form and submitted untouched, comes back equal."""
    from tui.app.screens.medication import MedicationForm

    for example in sorted(EXAMPLES.glob("*.json")):
        case = load_case(example)
        app = TaperApp(case=case)
        async with app.run_test(size=(120, 40)) as pilot:
            for med in case.regimen.medications:
                results: list[object] = []
                app.push_screen(MedicationForm(med.id, med), results.append)
                await pilot.pause()
                await pilot.pause()
                app.screen.submit()
                await pilot.pause()
                assert results == [med], f"{example.name} {med.id}"


async def test_the_medication_form_never_takes_a_lookalike(tmp_path):
    """A lookalike gets no products and an ISMP-marked message; a brand says whose it is and its ISMP pairs."""
    from textual.widgets import Button, Input, Select

    from tui.app.screens.medication import MedicationForm

    path, app = okafor_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, MedicationForm)
        form.query_one("#drug", Input).value = "ketamine"
        await pilot.pause()
        assert form.drug is None and not [v for _, v in form.query_one("#product", Select)._options
                                          if isinstance(v, str)]
        form.query_one("#add", Button).press()
        await pilot.pause()
        error = str(form.query_one("#drug-error").render())
        assert "not in the formulary" in error and "ISMP lists ketorolac as confused with ketamine" in error
        assert isinstance(app.screen, MedicationForm)  # nothing added
        form.query_one("#drug", Input).value = "Klonopin"
        await pilot.pause()
        assert form.drug is not None and form.drug.name == "clonazepam"
        note = str(form.query_one("#drug-note").render())
        assert "Klonopin is a brand name of clonazepam." in note
        assert "ISMP lists KlonoPIN as confused with cloNIDine; check the name." in note
        form.query_one("#drug", Input).value = "Klonopi"
        await pilot.pause()
        assert form.drug is None and str(form.query_one("#drug-note").render()) == ""


async def test_unlisted_medicines_are_added_kept_as_written_and_resolved(tmp_path):
    """Issue 14 in the TUI: an unknown name is added only on a second Add (after the suggestions), shown with
    its mark; a product the formulary lacks is kept to confirm; classes given to an unlisted line let the class
    rules screen it; and editing the line to a formulary product resolves it."""
    from textual.widgets import Button, Checkbox, Input, Select

    from regimens.casefile import load_case as load
    from tui.app.screens.medication import AS_WRITTEN, MedicationForm

    path, app = okafor_app(tmp_path)
    async with app.run_test(size=(120, 45)) as pilot:
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, MedicationForm)
        form.query_one("#drug", Input).value = "Ashwagandha"
        form.query_one("#written-strength", Input).value = "500 mg"
        form.query_one("#written-form", Input).value = "capsule"
        form.query_one("#slot-morning", Checkbox).value = True
        form.query_one("#add", Button).press()
        await pilot.pause()
        assert "Press Add again" in str(form.query_one("#drug-error").render())
        assert app.screen is form  # nothing added on the first press
        form.query_one("#add", Button).press()
        await pilot.pause()
        assert not isinstance(app.screen, MedicationForm)
        table = app.screen.query_one("#medications", DataTable)
        cells = [str(c) for c in table.get_row_at(table.row_count - 1)]
        assert cells[0] == "Ashwagandha 500 mg capsule (unlisted)"

        await pilot.press("a")  # a known drug in a strength the formulary does not list
        await pilot.pause()
        form = app.screen
        form.query_one("#drug", Input).value = "sertraline"
        await pilot.pause()
        form.query_one("#product", Select).value = AS_WRITTEN
        form.query_one("#written-strength", Input).value = "37.5 mg"
        form.query_one("#written-form", Input).value = "tablet"
        form.query_one("#slot-morning", Checkbox).value = True
        form.query_one("#add", Button).press()
        await pilot.pause()
        assert not isinstance(app.screen, MedicationForm)
        cells = [str(c) for c in table.get_row_at(table.row_count - 1)]
        assert cells[0] == "sertraline 37.5 mg tablet (product not in the formulary: confirm)"

        table.move_cursor(row=table.row_count - 2)  # the unlisted line: give it a class
        await pilot.press("enter")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, MedicationForm)
        assert form.query_one("#drug", Input).value == "Ashwagandha"
        assert form.query_one("#written-strength", Input).value == "500 mg"
        form.query_one("#classes", Input).value = "CNS-depressant"
        form.query_one("#add", Button).press()  # already kept as unlisted: one press changes it
        await pilot.pause()
        assert not isinstance(app.screen, MedicationForm)
        await pilot.press("ctrl+s")
        await pilot.pause()
    saved = load(path).regimen.medications
    unlisted, unconfirmed = saved[-2:]
    assert unlisted.kind.value == "unlisted" and unlisted.classes == ("CNS-depressant",) and unlisted.screened
    assert unlisted.written is not None and unlisted.written.name == "Ashwagandha"
    assert unconfirmed.kind.value == "unconfirmed" and unconfirmed.product is not None
    assert unconfirmed.ingredient_amounts()[0].text() == "37.5 mg"

    path2, app = tmp_path / "case.json", TaperApp(case=load_case(path), case_path=path)
    async with app.run_test(size=(120, 45)) as pilot:  # resolve the product to confirm: pick a listed one
        await pilot.pause()
        table = app.screen.query_one("#medications", DataTable)
        table.move_cursor(row=table.row_count - 1)
        await pilot.press("enter")
        await pilot.pause()
        form = app.screen
        select = form.query_one("#product", Select)
        assert select.value == AS_WRITTEN
        select.value = next(v for _, v in select._options if isinstance(v, str) and v.endswith("-50mg"))
        form.query_one("#add", Button).press()
        await pilot.pause()
        assert not isinstance(app.screen, MedicationForm)
        await pilot.press("ctrl+s")
        await pilot.pause()
    resolved = load(path2).regimen.medications[-1]
    assert resolved.kind.value == "listed" and resolved.mark == "" and resolved.product is not None
    assert resolved.product.id == "sertraline-tablet-50mg"
