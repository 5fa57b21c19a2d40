"""The regimen screen is painted from the case's models: opening a case, its rows, its recovery offer."""

from __future__ import annotations

import shutil

import pytest

from regimens.casefile import load_case
from tests.conftest import EXAMPLES
from tui.app.app import TaperApp
from tui.app.regimen_rows import medication_rows, total_rows
from tui.app.screens.regimen import RegimenScreen
from tui.cli.main import main


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.glob("*.json")))
def test_rows_come_from_the_model(example):
    case = load_case(EXAMPLES / example)
    rows = medication_rows(case.regimen.medications)
    assert [key for key, _ in rows] == [m.id for m in case.regimen.medications]
    assert all(cells[0] == m.titled() for (_, cells), m in zip(rows, case.regimen.medications,
                                                                             strict=True))
    assert [t[0] for t in total_rows(case.regimen)] == [t.drug for t in case.regimen.ingredient_totals()]


@pytest.mark.parametrize("text", ["{", '{"schema_version": 1}', '{"schema_version": 1, "patient": {}}', "[]"])
def test_a_case_the_model_refuses_is_not_opened(tmp_path, capsys, text):
    path = tmp_path / "case.json"
    path.write_text(text)
    assert main(["open", str(path)]) == 2
    assert capsys.readouterr().err.startswith("taper: ")


async def test_the_app_paints_the_case_from_its_models(tmp_path):
    path = tmp_path / "kowalski.json"
    shutil.copyfile(EXAMPLES / "kowalski.json", path)
    case = load_case(path)
    app = TaperApp(case=case, case_path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, RegimenScreen)
        assert app.screen.query_one("#medications").row_count == len(case.regimen.medications)
        assert app.screen.case is app.case
        await pilot.press("r")
        await pilot.pause()
        assert type(app.screen).__name__ == "ReviewScreen"


async def test_a_recovery_file_is_offered_when_the_case_opens(tmp_path):
    from textual.widgets import Static

    from regimens.case import Case
    from regimens.casefile import case_to_json, write_atomic
    from tui.app.app import recovery_path

    path = tmp_path / "kowalski.json"
    shutil.copyfile(EXAMPLES / "kowalski.json", path)
    case = load_case(path)
    changed = Case.model_validate({**case.model_dump(), "notes": "unsaved note"})
    write_atomic(recovery_path(path), case_to_json(changed).encode(), keep_backup=False)
    app = TaperApp(case=case, case_path=path, recovered=load_case(recovery_path(path)))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "Restore them?" in str(app.screen.query_one("#question", Static).render())
        await pilot.click("#choice-restore")
        await pilot.pause()
        assert app.case.notes == "unsaved note" and app.dirty


def test_rows_show_the_sig_as_written_beside_its_reading():
    from regimens.csv_import import regimen_from_csv_text

    regimen = regimen_from_csv_text("product,sig\noxycodone 5 MG Oral Tablet,1-2 tabs po q4-6h prn pain\n"
                                    "lisinopril 10 MG Oral Tablet,as directed\n"
                                    "lisinopril 20 MG Oral Tablet,1 tab daily\n")
    rows = medication_rows(regimen.medications)
    assert rows[0][1][1].startswith("2 tablets") and 'sig as written: "1-2 tabs po q4-6h prn pain"' in rows[0][1][1]
    assert rows[1][1][1] == "as written: as directed"
    assert rows[2][1][1].startswith("1 tablet") and '"1 tab daily"' in rows[2][1][1]


def test_the_per_day_cell_reads_as_on_paper_and_in_the_command_line():
    """A drop of a 0.005% solution has no daily amount ("-"); a depot injection shows what each dose gives."""
    from regimens.csv_import import parse_csv_text

    parsed = parse_csv_text("drug,strength,form,dose,when,prn,max_per_day\n"
                            "latanoprost,0.005%,eye drops,1 drop,bedtime,no,\n"
                            "medroxyprogesterone,150 mg/mL,injection,1 mL,every 13 weeks,no,\n")
    cells = [cells[3] for _, cells in medication_rows([r.medication for r in parsed.rows])]
    assert cells == ["-", "150 mg each time"]
