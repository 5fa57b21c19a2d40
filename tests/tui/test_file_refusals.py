"""The command line and the app refuse to replace files that are not theirs, and name the file in every
file-system error (real files and real `taper` processes)."""

from __future__ import annotations

import errno
import shutil
from pathlib import Path

import pytest

from regimens.casefile import load_case
from tests.conftest import EXAMPLES, LISTS
from tests.helpers.cli import assert_clean_failure, taper


@pytest.fixture
def case_file(tmp_path: Path) -> Path:
    return Path(shutil.copy(EXAMPLES / "kowalski.json", tmp_path / "case.json"))


def test_plan_save_refuses_a_read_only_case(case_file: Path):
    case_file.chmod(0o444)
    before = case_file.read_bytes()
    proc = taper("plan", str(case_file), "--drug", "oxycodone", "--strategy", "fixed", "--amount", "5", "--save")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert str(case_file) in proc.stderr and "is read-only" in proc.stderr and "nothing was changed" in proc.stderr
    assert case_file.read_bytes() == before


def test_export_refuses_a_read_only_output_unless_forced(case_file: Path):
    out = case_file.parent / "schedule.csv"
    out.write_text("someone else's schedule\n")
    out.chmod(0o444)
    proc = taper("export", str(case_file), "--csv", str(out), "--ics", str(case_file.parent / "r.ics"))
    assert_clean_failure(proc, str(out), "is read-only", "--force")
    assert out.read_text() == "someone else's schedule\n" and not (case_file.parent / "r.ics").exists()
    forced = taper("export", str(case_file), "--csv", str(out), "--force")
    assert forced.returncode == 0, forced.stderr
    assert out.read_text().startswith("date,")


def test_export_through_a_link_writes_the_target_and_keeps_the_link(case_file: Path):
    (case_file.parent / "shared").mkdir()
    target = case_file.parent / "shared" / "calendar.csv"
    target.write_text("old\n")
    link = case_file.parent / "calendar.csv"
    link.symlink_to(target)
    proc = taper("export", str(case_file), "--csv", str(link))
    assert proc.returncode == 0, proc.stderr
    assert link.is_symlink() and target.read_text().startswith("date,")


def test_new_force_replaces_a_read_only_case(tmp_path: Path):
    out = tmp_path / "case.json"
    out.write_text("{}")
    out.chmod(0o444)
    args = ("new", "--from", str(LISTS / "kowalski.csv"), "--name", "Walter Kowalski", "--birth-date", "1954-03-12",
            "-o", str(out))
    assert_clean_failure(taper(*args), str(out), "already exists")
    proc = taper(*args, "--force")
    assert proc.returncode == 0, proc.stderr
    assert load_case(out).patient.name == "Walter Kowalski"


def test_an_os_error_without_a_file_name_never_prints_an_empty_name(monkeypatch, capsys):
    import importlib

    cli = importlib.import_module("tui.cli.main")

    def full(args):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setitem(cli.COMMANDS, "review", full)
    assert cli.main(["review", "x.json"]) == 2
    err = capsys.readouterr().err
    assert err == "taper: No space left on device\n"


async def test_ctrl_s_on_a_read_only_case_says_why_it_was_not_saved(case_file: Path):
    from tui.app.app import TaperApp

    app = TaperApp(case=load_case(case_file), case_path=case_file)
    said: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        case_file.chmod(0o444)
        before = case_file.read_bytes()
        real = app.notify
        app.notify = lambda message, *a, **k: (said.append(str(message)), real(message, *a, **k))[1]
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("q")
    assert case_file.read_bytes() == before
    assert any("Not saved" in m and "is read-only" in m and str(case_file) in m for m in said), said
