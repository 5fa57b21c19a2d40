"""Open whatever the user points at: a case file or a medication-list CSV."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from regimens.case import Case
from regimens.casefile import load_case
from regimens.casejson import is_csv
from regimens.csv_import import regimen_from_csv
from regimens.errors import TaperInputError
from regimens.regimen import Regimen


@dataclass(frozen=True)
class Loaded:
    """A regimen, and the case it came from when the file was a case file."""

    regimen: Regimen
    case: Case | None
    kind: str


def load_regimen_file(path: str | Path, today: date | None = None) -> Loaded:
    """Load a case file (``.json``) or a medication-list CSV (``.csv``)."""
    p = Path(path)
    if not p.exists():
        raise TaperInputError("no such file", file=str(path))
    if is_csv(p):
        return Loaded(regimen_from_csv(p), None, "medication list")
    case = load_case(p, today=today)
    return Loaded(case.regimen, case, "case file")
