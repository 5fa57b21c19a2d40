"""Shared fixtures: paths to the bundled examples and a helper to write CSV files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# The suite is deterministic: the same generated inputs every run, so `make test` (and CI) pass or
# fail on the code alone. `HYPOTHESIS_PROFILE=explore make test` searches new inputs, more of them.
settings.register_profile("repeatable", derandomize=True, print_blob=True)
settings.register_profile("explore", derandomize=False, max_examples=1000, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
LISTS = EXAMPLES / "lists"


@pytest.fixture(autouse=True)
def private_state(tmp_path_factory, monkeypatch):
    """Recent-case lists and demo copies go to a temporary home, never the real one."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    return home


@pytest.fixture
def write_csv(tmp_path: Path):
    """Write text (or bytes) to a CSV file in a temporary folder and return its path."""

    def _write(content: str | bytes, name: str = "meds.csv") -> Path:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return _write
