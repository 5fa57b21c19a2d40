"""Importing a medication list from CSV into the saved model (see :mod:`regimens.csv_rows`).

Every row is checked against the formulary. A strict import reports every bad row by row number
and column and imports nothing; the panel review uses the lenient form and skips them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from regimens.csv_rows import (
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    LiteRow,
    RowProblem,
    parse_rows,
    read_csv_file,
    row_fields,
    single_patient,
    strict_errors,
)
from regimens.errors import TaperInputError
from regimens.formulary import Formulary, get_formulary
from regimens.quantity import decimal_text
from regimens.regimen import Medication, Regimen


@dataclass(frozen=True)
class ImportedRow:
    """A validated row: its number, the patient it belongs to, and the medication."""

    row: int
    patient_id: str | None
    medication: Medication
    notes: str = ""


@dataclass
class CsvResult:
    """All rows of one CSV: those that passed and the problems of those that did not."""

    rows: list[ImportedRow] = field(default_factory=list)
    errors: list[TaperInputError] = field(default_factory=list)


def to_medication(lite: LiteRow) -> Medication:
    """The saved medication for a checked row (the row's checks are the model's, so this holds)."""
    return Medication(
        id=f"m{lite.row}", product=lite.product, units=decimal_text(lite.units), slots=lite.slots,
        interval_hours=lite.interval_hours, prn=lite.prn,
        max_units_per_day=decimal_text(lite.max_units) if lite.max_units is not None else None,
        indication=lite.indication, start_date=lite.start_date, rxcui=lite.rxcui,
    )


def _row_medication(cells: dict[str, str], row: int, formulary: Formulary) -> tuple[Medication, str | None]:
    lite = row_fields(cells, row, formulary)
    return to_medication(lite), lite.patient_id


def parse_csv_text(text: str, name: str = "medication list", formulary: Formulary | None = None) -> CsvResult:
    """Check every row; file-level problems (no header, missing column) raise at once."""
    lite = parse_rows(text, name, formulary or get_formulary())
    return CsvResult([ImportedRow(r.row, r.patient_id, to_medication(r), r.notes) for r in lite.rows], lite.errors)


def strict_result(result: CsvResult, name: str) -> CsvResult:
    """Raise one error listing every bad row; nothing is imported when any row is bad."""
    strict_errors(result.errors)
    return result


def regimen_from_csv_text(text: str, name: str = "medication list") -> Regimen:
    """A single patient's regimen from CSV text (strict)."""
    lite = parse_rows(text, name)
    strict_errors(lite.errors)
    single_patient(lite.rows, name)
    return Regimen(medications=tuple(to_medication(r) for r in lite.rows))


def regimen_from_csv(path: str | Path) -> Regimen:
    """A single patient's regimen from a CSV file (strict: nothing imported if a row is bad)."""
    text, name = read_csv_file(path)
    return regimen_from_csv_text(text, name)


__all__ = ["OPTIONAL_COLUMNS", "REQUIRED_COLUMNS", "CsvResult", "ImportedRow", "RowProblem", "parse_csv_text",
           "read_csv_file", "regimen_from_csv", "regimen_from_csv_text", "strict_result", "to_medication"]
