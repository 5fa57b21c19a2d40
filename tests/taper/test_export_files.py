"""Exports never replace the case or its companions, and write all their files or none (real files, a real kill)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from regimens.casefile import load_case
from regimens.errors import TaperInputError
from taper import export as export_module
from taper.export import ExportOptions, export
from tests.conftest import EXAMPLES, ROOT
from tests.helpers.cli import assert_clean_failure, taper

TODAY = date(2026, 12, 1)
STAMP = datetime(2026, 12, 1, tzinfo=UTC)


@pytest.fixture
def case_file(tmp_path: Path) -> Path:
    """A copy of a bundled case with a taper plan, its bytes to compare after each refusal."""
    return Path(shutil.copy(EXAMPLES / "kowalski.json", tmp_path / "case.json"))


def debris(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.mark.parametrize("second_name", ["same", "dot", "parent", "symlink", "backup", "lock", "recovery"])
def test_no_name_for_the_case_or_its_companions_is_an_output(case_file: Path, second_name: str, monkeypatch):
    folder = case_file.parent
    (folder / "sub").mkdir()
    (folder / "link.pdf").symlink_to(case_file)
    name = {"same": str(case_file), "dot": "./case.json", "parent": "sub/../case.json",
            "symlink": str(folder / "link.pdf"), "backup": "case.json.bak", "lock": "case.json.lock",
            "recovery": "./sub/../case.json.recovery"}[second_name]
    before = case_file.read_bytes()
    proc = taper("export", str(case_file), "--calendar", name, cwd=folder)
    assert_clean_failure(proc, name, "would replace", "nothing was written")
    assert case_file.read_bytes() == before
    assert not (folder / "case.json.bak").exists() and debris(folder) == []


def test_two_outputs_naming_one_file_are_refused(case_file: Path):
    folder = case_file.parent
    proc = taper("export", str(case_file), "--calendar", "out.pdf", "--summary", "./out.pdf", cwd=folder)
    assert_clean_failure(proc, "./out.pdf", "--summary and --calendar name the same file")
    assert not (folder / "out.pdf").exists() and debris(folder) == []


def test_a_failure_in_the_last_output_leaves_no_output_and_no_temporary(case_file: Path, monkeypatch):
    folder = case_file.parent
    (folder / "old.pdf").write_bytes(b"the calendar printed last week")
    options = ExportOptions(calendar=str(folder / "old.pdf"), summary=str(folder / "s.pdf"),
                            ics=str(folder / "r.ics"), csv=str(folder / "d.csv"), case_path=case_file)

    def broken(*args, **kwargs):
        raise RuntimeError("the CSV renderer broke")

    monkeypatch.setitem(export_module.RENDERERS, "csv", broken)
    with pytest.raises(RuntimeError):
        export(load_case(case_file), options, TODAY, STAMP)
    assert (folder / "old.pdf").read_bytes() == b"the calendar printed last week"
    assert not any((folder / n).exists() for n in ("s.pdf", "r.ics", "d.csv"))
    assert debris(folder) == []


def test_a_rename_failing_half_way_puts_back_what_was_there(case_file: Path, monkeypatch):
    folder = case_file.parent
    (folder / "old.pdf").write_bytes(b"last week")
    options = ExportOptions(calendar=str(folder / "old.pdf"), ics=str(folder / "r.ics"), csv=str(folder / "d.csv"),
                            case_path=case_file)
    real = os.replace

    def replace(src, dst):
        if Path(dst).name == "d.csv":
            raise OSError(28, "No space left on device")
        return real(src, dst)

    monkeypatch.setattr(export_module.os, "replace", replace)
    with pytest.raises(TaperInputError) as info:
        export(load_case(case_file), options, TODAY, STAMP)
    assert str(folder / "d.csv") in str(info.value) and "disk is full" in str(info.value)
    assert (folder / "old.pdf").read_bytes() == b"last week"
    assert not (folder / "r.ics").exists() and not (folder / "d.csv").exists()
    assert debris(folder) == []


def test_an_export_killed_after_writing_its_temporary_is_cleaned_up_by_the_next(case_file: Path):
    """SIGKILL a real export once its temporaries are written; the next export removes them once stale."""
    folder = case_file.parent
    script = textwrap.dedent(f"""
        import time
        from datetime import UTC, date, datetime
        from taper import export as ex
        from regimens.casefile import load_case

        def hang(self):
            print("staged", flush=True)
            time.sleep(60)

        ex._Staged.commit = hang
        options = ex.ExportOptions(calendar={str(folder / "cal.pdf")!r}, csv={str(folder / "d.csv")!r},
                                   case_path=ex.Path({str(case_file)!r}))
        ex.export(load_case({str(case_file)!r}), options, date(2026, 12, 1), datetime.now(UTC))
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "staged"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    left = debris(folder)
    assert len(left) == 2 and all(".export-" in n for n in left)  # the hidden full calendar, and the CSV
    assert not (folder / "cal.pdf").exists() and not (folder / "d.csv").exists()
    old = time.time() - 3600
    for name in left:
        os.utime(folder / name, (old, old))
    again = taper("export", str(case_file), "--ics", str(folder / "r.ics"))
    assert again.returncode == 0, again.stderr
    assert debris(folder) == []


def test_a_full_disk_during_an_export_names_the_output_not_its_temporary(case_file: Path, monkeypatch):
    import errno

    from regimens import casefile

    folder = case_file.parent

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(casefile.os, "write", full)
    options = ExportOptions(ics=str(folder / "r.ics"), csv=str(folder / "d.csv"), case_path=case_file)
    with pytest.raises(TaperInputError) as info:
        export(load_case(case_file), options, TODAY, STAMP)
    assert str(info.value) == f"{folder / 'r.ics'}: the disk is full; free some space and try again " \
        "(nothing was changed)"
    assert not (folder / "r.ics").exists() and not (folder / "d.csv").exists() and debris(folder) == []
