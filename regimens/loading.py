"""Open whatever the user points at: a case file or a medication-list CSV."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from regimens.case import Case
from regimens.casefile import load_case
from regimens.errors import TaperInputError
from regimens.regimen import Regimen


@dataclass(frozen=True)
class Loaded:
    """A regimen, and the case it came from when the file was a case file."""

    regimen: Regimen
    case: Case | None
    kind: str


def is_csv(path: Path) -> bool:
    """Whether a file is a medication-list CSV rather than a case file (by name, then content)."""
    if path.suffix.lower() == ".csv":
        return True
    if path.suffix.lower() == ".json":
        return False
    try:
        with path.open("rb") as handle:
            head = handle.read(256).lstrip()
    except OSError:
        return False
    return not head.startswith(b"{")


def load_regimen_file(path: str | Path, today: date | None = None) -> Loaded:
    """Load a case file (``.json``) or a medication-list CSV (``.csv``)."""
    p = Path(path)
    if not p.exists():
        raise TaperInputError("no such file", file=str(path))
    if is_csv(p):
        from regimens.csv_import import regimen_from_csv  # a case file does not need the CSV reader

        return Loaded(regimen_from_csv(p), None, "medication list")
    case = load_case(p, today=today)
    return Loaded(case.regimen, case, "case file")
