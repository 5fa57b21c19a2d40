"""Privacy: everything the program writes is owner-only, nothing is left in temporary folders, the
metadata of PDFs and reminders holds nothing the pages do not show, and nothing is written where
the user did not choose (no logs, no caches of patient data)."""

from __future__ import annotations

import io
import os
import shutil
import stat
import tempfile
from datetime import date
from pathlib import Path

from pypdf import PdfReader

from regimens.casefile import load_case
from tests.conftest import EXAMPLES
from tui.app.app import TaperApp, recovery_path
from tui.cli.main import main

TODAY = date(2026, 11, 27)


def all_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def test_a_working_session_writes_only_owner_only_files_where_chosen(tmp_path, private_state, monkeypatch):
    """Open, edit, autosave, save and export in the app; list every file that appeared anywhere."""
    cases = tmp_path / "cases"
    cases.mkdir()
    path = cases / "kowalski.json"
    shutil.copyfile(EXAMPLES / "kowalski.json", path)
    os.chmod(path, 0o600)
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    monkeypatch.chdir(tmp_path)
    before_home = set(all_files(private_state))
    import asyncio

    from textual.widgets import Button

    async def session() -> None:
        app = TaperApp(case=load_case(path, today=TODAY), case_path=path, today=TODAY)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await pilot.press("down", "d")
            await pilot.pause()
            await pilot.click("#choice-remove")
            await pilot.pause()
            app.autosave()
            assert recovery_path(path).exists()
            await pilot.press("ctrl+s")
            await pilot.pause()
            await pilot.press("e")
            await pilot.pause()
            app.screen.query_one("#export", Button).press()
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()

    asyncio.run(session())
    written = all_files(cases)
    names = {p.name for p in written}
    pid = load_case(path).patient.id
    assert names == {"kowalski.json", "kowalski.json.bak", f"{pid}-calendar.pdf", f"{pid}-summary.pdf",
                     f"{pid}-reminders.ics", f"{pid}-schedule.csv"}
    for p in written:
        assert stat.S_IMODE(p.stat().st_mode) == 0o600, p
    assert all_files(temp) == []  # nothing left in the temporary folder
    assert [p for p in tmp_path.iterdir() if p.name not in {"cases", "tmp"}] == []  # nothing in the working folder
    home = set(all_files(private_state)) - before_home
    assert {p.name for p in home} == {"recent.json"}
    recent = next(iter(home))
    assert stat.S_IMODE(recent.stat().st_mode) == 0o600
    assert "Kowalski" not in recent.read_text().replace("kowalski.json", "")  # paths only, no contents


def test_command_line_export_leaves_nothing_in_the_temporary_folder(tmp_path, monkeypatch, capsys):
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    out = tmp_path / "out"
    out.mkdir()
    code = main(["export", str(EXAMPLES / "kowalski.json"), "--calendar", str(out / "c.pdf"),
                 "--summary", str(out / "s.pdf"), "--ics", str(out / "r.ics"), "--csv", str(out / "d.csv")])
    assert code == 0, capsys.readouterr().err
    assert all_files(temp) == []
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in all_files(out))


def test_document_metadata_holds_nothing_the_pages_do_not_show(tmp_path, capsys):
    case = load_case(EXAMPLES / "kowalski.json")
    out = tmp_path / "out"
    out.mkdir()
    assert main(["export", str(EXAMPLES / "kowalski.json"), "--calendar", str(out / "c.pdf"),
                 "--summary", str(out / "s.pdf"), "--ics", str(out / "r.ics"), "--private"]) == 0
    private = {case.patient.name, case.patient.id, case.patient.birth_date.isoformat(), "Walter", "Kowalski"}
    for pdf in ("c.pdf", "s.pdf"):
        reader = PdfReader(io.BytesIO((out / pdf).read_bytes()))
        meta = " ".join(f"{k}={v}" for k, v in (reader.metadata or {}).items())
        assert not any(word in meta for word in private), (pdf, meta)
        assert "/Author" not in (reader.metadata or {}) or not reader.metadata["/Author"]
    ics = (out / "r.ics").read_text()
    assert not any(word in ics for word in private | {"oxycodone", "OxyContin"})
