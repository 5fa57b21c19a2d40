"""Shared fixtures: paths to the bundled examples and a helper to write CSV files."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
LISTS = EXAMPLES / "lists"


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
