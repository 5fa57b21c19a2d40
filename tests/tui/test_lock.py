"""A case open in one app opens read-only in a second; stale locks are taken over; a damaged file offers its backup."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

from textual.widgets import Static

from regimens.casefile import backup_path, load_case, save_case
from regimens.lock import acquire, holder, hostname, lock_path, release
from tests.conftest import EXAMPLES
from tui.app.app import TaperApp, recovery_path


def _copy(tmp_path):
    path = tmp_path / "case.json"
    shutil.copyfile(EXAMPLES / "okafor.json", path)
    return path


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_lock_is_taken_released_and_stale_locks_are_taken_over(tmp_path):
    path = _copy(tmp_path)
    assert acquire(path) is None and holder(path).pid == os.getpid()
    assert oct(lock_path(path).stat().st_mode & 0o777) == "0o600"
    release(path)
    assert not lock_path(path).exists()
    lock_path(path).write_text(json.dumps({"pid": _dead_pid(), "host": hostname(), "since": 0}))
    assert holder(path) is None and acquire(path) is None  # the dead process's lock is taken over
    assert holder(path).pid == os.getpid()
    release(path)
    lock_path(path).write_text("{half a lock")
    assert acquire(path) is None
    release(path)


def test_a_live_holder_keeps_the_lock(tmp_path):
    path = _copy(tmp_path)
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        lock_path(path).write_text(json.dumps({"pid": other.pid, "host": hostname(), "since": 0}))
        found = acquire(path)
        assert found is not None and found.pid == other.pid
        release(path)  # not ours: left alone
        assert lock_path(path).exists()
    finally:
        other.kill()
        other.wait()


async def test_second_app_on_the_same_case_is_read_only(tmp_path):
    path = _copy(tmp_path)
    first = TaperApp(case=load_case(path), case_path=path)
    async with first.run_test(size=(120, 40)) as pilot_one:
        await pilot_one.pause()
        assert first.locked_by is None and lock_path(path).exists()
        other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
        try:
            # The lock now names another live process, as when a second window has the case.
            lock_path(path).write_text(json.dumps({"pid": other.pid, "host": hostname(), "since": 0}))
            before = path.read_bytes()
            second = TaperApp(case=load_case(path), case_path=path)
            async with second.run_test(size=(120, 40)) as pilot:
                await pilot.pause()
                assert second.locked_by is not None and "READ-ONLY" in second.sub_title
                await pilot.press("down", "d")
                await pilot.pause()
                assert type(second.screen).__name__ == "RegimenScreen"  # no remove dialog: read-only
                for key in ("a", "enter", "n"):
                    await pilot.press(key)
                    await pilot.pause()
                    assert type(second.screen).__name__ == "RegimenScreen", key
                assert second.case == load_case(path) and not second.dirty
                second.action_save()
                second.autosave()
            assert path.read_bytes() == before and not recovery_path(path).exists()
            assert lock_path(path).exists()  # the read-only app leaves the holder's lock alone
        finally:
            other.kill()
            other.wait()


def test_damaged_case_offers_its_backup(tmp_path):
    from tui.app.launch import run_app

    path = _copy(tmp_path)
    case = load_case(path)
    save_case(case, path)  # makes the backup
    path.write_text("{ torn")
    answers: list[str] = []

    async def choose_backup(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.pause()
        question = str(pilot.app.screen.query_one("#question", Static).render())
        answers.append(question)
        await pilot.click("#choice-backup")
        await pilot.pause()
        pilot.app.action_save()
        await pilot.pause()
        pilot.app.exit()

    assert run_app(path, headless=True, auto_pilot=choose_backup) == 0
    assert "cannot be read" in answers[0] and "backup" in answers[0]
    assert load_case(path) == case  # repaired from the backup
    assert backup_path(path).exists()


def test_plan_save_from_the_command_line_waits_for_the_window_to_close(tmp_path, capsys):
    from tui.cli.main import main

    path = _copy(tmp_path)
    before = path.read_bytes()
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        lock_path(path).write_text(json.dumps({"pid": other.pid, "host": hostname(), "since": 0}))
        code = main(["plan", str(path), "--drug", "zolpidem", "--strategy", "percent-current", "--percent",
                     "25", "--save"])
        err = capsys.readouterr().err
        assert code == 2 and "open in a taper window" in err and "nothing was saved" in err
        assert path.read_bytes() == before
    finally:
        other.kill()
        other.wait()


def test_a_missing_folder_has_nothing_to_lock(tmp_path):
    assert acquire(tmp_path / "no-such-folder" / "case.json") is None


def test_the_lock_file_never_appears_empty(tmp_path):
    """It is linked into place already written, so a second writer cannot read it as stale."""
    case = tmp_path / "case.json"
    assert acquire(case) is None
    assert json.loads(lock_path(case).read_text("utf-8"))["pid"] == os.getpid()
    assert [p.name for p in tmp_path.iterdir()] == ["case.json.lock"]  # no temporary left behind
    release(case)
