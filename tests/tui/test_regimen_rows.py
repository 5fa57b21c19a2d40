"""The first paint (from the file's JSON) shows exactly what the loaded case shows."""

from __future__ import annotations

import shutil

import pytest

from regimens.casefile import load_case
from tests.conftest import EXAMPLES
from tui.app.app import TaperApp
from tui.app.regimen_rows import medication_rows, preview_from_file, total_rows
from tui.app.screens.regimen import RegimenScreen


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.glob("*.json")))
def test_preview_rows_equal_model_rows(example):
    path = EXAMPLES / example
    preview = preview_from_file(str(path))
    case = load_case(path)
    assert preview is not None
    assert (preview.name, preview.birth_date) == (case.patient.name, case.patient.birth_date)
    assert medication_rows(preview.lines) == medication_rows(case.regimen.medications)
    assert total_rows(preview.lines) == total_rows(case.regimen.medications)
    assert [(t.drug, t.scheduled, t.prn_max) for t in case.regimen.ingredient_totals()]


@pytest.mark.parametrize("text", ["{", '{"schema_version": 1}', '{"schema_version": 1, "patient": {}}', "[]"])
def test_files_the_fast_check_cannot_vouch_for_get_no_preview(tmp_path, text):
    path = tmp_path / "case.json"
    path.write_text(text)
    assert preview_from_file(str(path)) is None
    assert preview_from_file(str(tmp_path / "missing.json")) is None


async def test_the_app_paints_the_preview_then_loads_the_case(tmp_path):
    path = tmp_path / "kowalski.json"
    shutil.copyfile(EXAMPLES / "kowalski.json", path)
    preview = preview_from_file(str(path))
    app = TaperApp(case_path=path, preview=preview)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, RegimenScreen)
        assert app.screen.query_one("#medications").row_count == len(preview.lines)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.case == load_case(path)
        assert app.screen.case is app.case
        await pilot.press("r")
        await pilot.pause()
        assert type(app.screen).__name__ == "ReviewScreen"


async def test_a_recovery_file_is_offered_after_the_preview_loads(tmp_path):
    from textual.widgets import Static

    from regimens.case import Case
    from regimens.casefile import case_to_json, write_atomic
    from tui.app.app import recovery_path

    path = tmp_path / "kowalski.json"
    shutil.copyfile(EXAMPLES / "kowalski.json", path)
    case = load_case(path)
    changed = Case.model_validate({**case.model_dump(), "notes": "unsaved note"})
    write_atomic(recovery_path(path), case_to_json(changed).encode(), keep_backup=False)
    app = TaperApp(case_path=path, preview=preview_from_file(str(path)))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Restore them?" in str(app.screen.query_one("#question", Static).render())
        await pilot.click("#choice-restore")
        await pilot.pause()
        assert app.case.notes == "unsaved note" and app.dirty
