"""The wheel is complete: built from this tree and installed into a fresh virtual environment (its
dependencies resolved by pip as a user's install would), ``taper demo --list`` and ``taper demo --print``
work in an empty folder, with nothing from this checkout or the development environment in sight."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT

TIMEOUT = 900


def run(*args: str | Path, cwd: Path, env: dict[str, str]) -> str:
    proc = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT)
    assert proc.returncode == 0, f"{args}\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, Path, dict[str, str]]:
    """(the fresh environment's bin folder, an empty working folder, the environment variables)."""
    tmp = tmp_path_factory.mktemp("packaging")
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"}}
    env.update(HOME=str(tmp / "home"), XDG_DATA_HOME=str(tmp / "data"), XDG_STATE_HOME=str(tmp / "state"),
               XDG_CONFIG_HOME=str(tmp / "config"), PIP_NO_INPUT="1")
    # The build backend (hatchling) comes from the package index into pip's isolated build environment.
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--wheel-dir", tmp / "dist", ROOT, cwd=tmp, env=env)
    (wheel,) = (tmp / "dist").glob("taper-*.whl")
    # A fresh environment that cannot see the development one; pip installs the wheel's dependencies.
    run(sys.executable, "-m", "venv", tmp / "venv", cwd=tmp, env=env)
    bin_dir = tmp / "venv" / "bin"
    run(bin_dir / "python", "-m", "pip", "install", "--quiet", wheel, cwd=tmp, env=env)
    empty = tmp / "empty"
    empty.mkdir()
    return bin_dir, empty, env


def test_the_installed_package_is_the_wheel_not_this_checkout(installed):
    bin_dir, empty, env = installed
    probe = "import json, sys, regimens; print(json.dumps([regimens.__file__, sys.path]))"
    where, path = json.loads(run(bin_dir / "python", "-c", probe, cwd=empty, env=env))
    venv = bin_dir.parent.resolve()
    assert Path(where).resolve().is_relative_to(venv)
    assert not any(p and Path(p).resolve().is_relative_to(ROOT) for p in path), path


def test_demo_lists_the_bundled_examples_from_a_wheel(installed):
    bin_dir, empty, env = installed
    names = run(bin_dir / "taper", "demo", "--list", cwd=empty, env=env).split()
    assert names == sorted(p.stem for p in EXAMPLES.glob("*.json")) and "kowalski" in names
    assert list(empty.iterdir()) == []


def test_demo_copies_a_bundled_case_that_loads(installed):
    bin_dir, empty, env = installed
    copy = Path(run(bin_dir / "taper", "demo", "--print", cwd=empty, env=env).strip())
    assert copy.is_file() and copy.is_relative_to(Path(env["XDG_DATA_HOME"]))
    assert copy.read_bytes() == (EXAMPLES / "kowalski.json").read_bytes()
    # Read back by the installed package's own model, as `taper open` would.
    shown = run(bin_dir / "taper", "show", copy, cwd=empty, env=env)
    assert "Kowalski" in shown and "oxycodone" in shown.lower()
    assert list(empty.iterdir()) == []


def test_the_wheel_prints_a_spanish_calendar_and_reminders(installed, tmp_path):
    """The catalogues ship in the wheel: languages.json, the .po and its compiled .mo."""
    import shutil

    from pypdf import PdfReader

    bin_dir, _, env = installed
    case = tmp_path / "case.json"
    shutil.copyfile(ROOT / "tests" / "fixtures" / "case-v4.json", case)
    out = run(bin_dir / "taper", "export", case, "--calendar", tmp_path / "c.pdf", "--ics", tmp_path / "r.ics",
              cwd=tmp_path, env=env)
    assert "in Spanish (es)" in out
    assert "Plan de medicamentos" in (tmp_path / "r.ics").read_text("utf-8")
    assert "Calendario de medicamentos" in PdfReader(tmp_path / "c.pdf").pages[0].extract_text()
