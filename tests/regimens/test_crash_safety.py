"""Saves interrupted at every step lose nothing; a killed writer leaves a loadable file; debris is cleaned."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from regimens import casefile
from regimens.case import Case
from regimens.casefile import backup_path, load_case, remove_stale_temps, save_case
from regimens.errors import TaperInputError
from tests.conftest import EXAMPLES, ROOT


@pytest.fixture
def case() -> Case:
    return load_case(EXAMPLES / "kowalski.json")


class Crash(Exception):
    """Stands for the process dying at this point."""


def _faulty_os(fail_at: int, calls: list[str]):
    """A stand-in for ``os`` whose fsync, replace, chmod and fdopen fail at call number ``fail_at``."""

    class FaultyOs:
        def __getattr__(self, name):
            real = getattr(os, name)
            if name not in ("fsync", "replace", "chmod", "fdopen"):
                return real

            def step(*args, **kwargs):
                calls.append(name)
                if len(calls) == fail_at:
                    raise Crash(f"{name} #{fail_at}")
                return real(*args, **kwargs)
            return step
    return FaultyOs()


def test_a_save_failing_at_any_step_leaves_the_old_or_the_new_file(tmp_path, case, monkeypatch):
    path = tmp_path / "case.json"
    save_case(case, path)
    save_case(case, path)  # a backup exists too
    old = path.read_bytes()
    new_case = Case.model_validate({**case.model_dump(), "notes": "the new version"})
    steps = 0
    for fail_at in range(1, 40):
        calls: list[str] = []
        monkeypatch.setattr(casefile, "os", _faulty_os(fail_at, calls))
        try:
            save_case(new_case, path)
        except Crash:
            pass
        else:
            break
        finally:
            monkeypatch.setattr(casefile, "os", os)
        steps += 1
        loaded = load_case(path)
        assert loaded in (case, new_case), f"failure at step {fail_at} ({calls[-1]})"
        assert path.read_bytes() in (old, casefile.case_to_json(new_case).encode())
        assert load_case(backup_path(path)) in (case, new_case)
        assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")], f"debris after {calls[-1]}"
        save_case(case, path)  # back to the old version for the next round
        save_case(case, path)
    assert steps >= 6  # every fsync, chmod, rename and open on the way was interrupted once


def test_a_writer_killed_at_random_moments_never_leaves_a_broken_file(tmp_path, case):
    """SIGKILL a process that saves in a loop; after each kill the case loads as one version or the other."""
    path = tmp_path / "case.json"
    save_case(case, path)
    script = textwrap.dedent(f"""
        import sys
        from regimens.case import Case
        from regimens.casefile import load_case, save_case
        case = load_case({str(path)!r})
        versions = [Case.model_validate({{**case.model_dump(), "notes": n}}) for n in ("A", "B")]
        print("ready", flush=True)
        i = 0
        while True:
            save_case(versions[i % 2], {str(path)!r})
            i += 1
    """)
    rng = random.Random(7)
    kills = 0
    for _ in range(8):
        proc = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True)
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.01, 0.2))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        kills += 1
        loaded = load_case(path)
        assert loaded.notes in ("", "A", "B")
        assert load_case(backup_path(path)).notes in ("", "A", "B")
    assert kills == 8


def test_stale_temporary_files_are_removed_by_the_next_save(tmp_path, case):
    path = tmp_path / "case.json"
    save_case(case, path)
    debris = tmp_path / ".case.json.abc123.tmp"
    debris.write_text('{"patient": {"name": "Walter Kowalski"}}')
    fresh = tmp_path / ".case.json.def456.tmp"
    fresh.write_text("being written right now")
    old = time.time() - 3600
    os.utime(debris, (old, old))
    save_case(case, path)
    assert not debris.exists() and fresh.exists()
    assert remove_stale_temps(path) == 0


def test_a_damaged_file_points_to_its_backup(tmp_path, case):
    path = tmp_path / "case.json"
    save_case(case, path)
    save_case(case, path)
    path.write_text('{"schema_version": 1, "patient": ')  # torn by something else
    with pytest.raises(TaperInputError) as info:
        load_case(path)
    assert "not valid JSON" in str(info.value) and "case.json.bak" in str(info.value)
    assert load_case(backup_path(path)) == case
