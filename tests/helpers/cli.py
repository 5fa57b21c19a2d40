"""Running the ``taper`` command as a user would, and checking a clean refusal."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def taper(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None):
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", *args], capture_output=True, text=True,
        cwd=cwd or ROOT, env={**os.environ, **(env or {})}, timeout=120,
    )


def assert_clean_failure(proc, *words: str) -> None:
    """Exit 2, one message on stderr naming each of ``words``, nothing on stdout, no traceback."""
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stdout == ""
    for word in words:
        assert word in proc.stderr
