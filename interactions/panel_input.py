"""Reading and checking a panel CSV: the file, its columns, each row's cells, each distinct medication
line (with the single-patient import's own checks), and each patient's age.

Bad rows are collected as :class:`~regimens.errors.TaperInputError` (file, row, column) and skipped
by :func:`interactions.panel.review_panel`; a bad file stops it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from regimens.csv_import import (
    OPTIONAL_COLUMNS,
    PRODUCT_COLUMNS,
    REQUIRED_COLUMNS,
    SCHEDULE_COLUMNS,
    RowProblem,
    row_fields,
)
from regimens.datefmt import parse_iso_date
from regimens.dose_text import join_words
from regimens.errors import TaperInputError
from regimens.formulary import get_formulary
from regimens.regimen import IngredientAmount

if TYPE_CHECKING:
    import pandas as pd

SIGNATURE = ("drug", "strength", "form", "dose", "when", "prn", "max_per_day", "product", "sig")
"""The columns that make a medication line (checked once per distinct line)."""
PANEL_COLUMNS = ("age", "birth_date")
MAX_CELL = 500


def read_panel(path: str) -> pd.DataFrame:
    import io

    import pandas as pd

    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except FileNotFoundError:
        raise TaperInputError("no such file", file=path) from None
    except IsADirectoryError:
        raise TaperInputError("is a folder, not a CSV file", file=path) from None
    except PermissionError:
        raise TaperInputError("permission denied", file=path) from None
    except ValueError:  # a NUL byte in the name
        raise TaperInputError("no such file", file=repr(path)) from None
    if not raw.strip():
        raise TaperInputError("is empty; expected a header row with patient_id,"
                              + ",".join(REQUIRED_COLUMNS), file=path)
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise TaperInputError(f"contains a NUL byte (line {line}); it is not a text CSV", file=path)
    try:
        raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise TaperInputError(f"is not UTF-8 text (byte {exc.start}, line {line}); save it as "
                              "'CSV UTF-8'", file=path) from None
    try:
        frame = pd.read_csv(io.BytesIO(raw), dtype="category", keep_default_na=False, na_filter=False,
                            skip_blank_lines=True, encoding="utf-8-sig")
    except (pd.errors.ParserError, ValueError) as exc:
        raise TaperInputError(f"cannot be read as CSV: {exc}", file=path) from None
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    missing = [c for c in ("patient_id", *REQUIRED_COLUMNS) if c not in frame.columns
               and not (c in PRODUCT_COLUMNS and "product" in frame.columns)
               and not (c in SCHEDULE_COLUMNS and "sig" in frame.columns)]
    if missing:
        raise TaperInputError(f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}",
                              file=path)
    allowed = set(REQUIRED_COLUMNS) | set(OPTIONAL_COLUMNS) | set(PANEL_COLUMNS)
    unknown = [c for c in frame.columns if c not in allowed]
    if unknown:
        raise TaperInputError(f"unknown column {unknown[0]!r}", file=path)
    if len(set(frame.columns)) != len(frame.columns):
        raise TaperInputError("a column appears twice", file=path)
    if frame.empty:
        raise TaperInputError("has a header but no medication rows", file=path)
    for column in SIGNATURE:
        if column not in frame.columns:
            frame[column] = pd.Categorical([""] * len(frame))
    frame.index = pd.RangeIndex(1, len(frame) + 1)
    return frame


def _per_value(column: pd.Series, fn: Callable[[str], Any]) -> pd.Series:
    """Apply ``fn`` once per distinct value of a categorical column and broadcast to its rows."""
    cats = column.cat.categories
    values = [fn(str(c)) for c in cats]
    codes = column.cat.codes.to_numpy()
    import numpy as np
    import pandas as pd

    mapped = np.asarray(values, dtype=object)[codes] if len(values) else np.array([], dtype=object)
    return pd.Series(mapped, index=column.index)


def row_problems(frame: pd.DataFrame, path: str) -> list[TaperInputError]:
    """Checks on cells outside the medication line: patient id, dates, ages, lengths."""
    errors: list[TaperInputError] = []

    def report(column: str, bad: Callable[[str], str | None]) -> None:
        problems = _per_value(frame[column], bad)
        for row, message in problems[problems.notna()].items():
            errors.append(TaperInputError(str(message), file=path, row=int(row), column=column))

    report("patient_id", lambda v: "the patient id is empty" if not v.strip() else None)
    for column in frame.columns:
        if column not in SIGNATURE:
            report(column, lambda v: f"is longer than {MAX_CELL} characters" if len(v) > MAX_CELL else None)
    for column in ("start_date", "birth_date"):
        if column in frame.columns:
            report(column, _date_problem)
    if "age" in frame.columns:
        report("age", lambda v: None if not v.strip() or (v.strip().isdigit() and int(v) <= 130)
               else "is not an age in years")
    if "rxcui" in frame.columns:
        report("rxcui", lambda v: None if not v.strip() or v.strip().isdigit()
               else "is not an RxNorm code (digits only)")
    return errors


def _date_problem(value: str) -> str | None:
    if not value.strip():
        return None
    try:
        parse_iso_date(value)
    except ValueError as exc:
        return str(exc)
    return None


def medication_lines(frame: pd.DataFrame, path: str) -> tuple[pd.Series, pd.DataFrame, list[TaperInputError]]:
    """Check each distinct medication line once: row -> line code, ingredient rows per code, errors."""
    import numpy as np
    import pandas as pd

    codes = frame.groupby(list(SIGNATURE), sort=False, observed=True).ngroup().to_numpy()
    first_row = pd.Series(frame.index.to_numpy()).groupby(codes).first()
    formulary = get_formulary()
    problems: dict[int, tuple[str, str]] = {}
    ingredient_rows: list[tuple[int, str, float, str, bool, str, bool, float]] = []
    for code, row in first_row.items():
        cells = {c: str(frame.at[row, c]) for c in SIGNATURE}
        for column in ("product", "sig"):  # given in place of drug/strength/form or dose/when
            if not cells[column].strip():
                del cells[column]
        try:
            med = row_fields(cells, int(row), formulary).medication
        except RowProblem as exc:
            problems[int(code)] = (exc.column, exc.message)
            continue
        form = med.product.form.value if med.product is not None else ""
        amounts = med.ingredient_amounts()
        # An ingredient with no daily amount (a 0.5% eye drop, a line kept as written) is still on the list:
        # screened, not summed.
        counted = {a.drug for a in amounts}
        amounts += [IngredientAmount(d, Fraction(0), "%") for d in med.ingredient_names() if d not in counted]
        for amount in amounts:
            ingredient_rows.append((int(code), amount.drug, float(amount.amount), amount.unit, med.prn,
                                    form, med.prn and med.max_units_per_day is None,
                                    float(med.administrations_per_day)))
    line_codes = pd.Series(codes, index=frame.index)
    bad_mask = np.isin(codes, list(problems))
    errors = [TaperInputError(problems[int(code)][1], file=path, row=int(row), column=problems[int(code)][0])
              for row, code in line_codes[bad_mask].items()]
    ingredients = pd.DataFrame(ingredient_rows, columns=["code", "drug", "amount", "unit", "prn", "form",
                                                                "no_max", "times_a_day"])
    return line_codes[~bad_mask], ingredients, errors


def patient_ages(frame: pd.DataFrame, rows: pd.Index, patients: pd.Series,
                 today: date) -> tuple[pd.Series, pd.Series]:
    """Age per patient from an ``age`` or ``birth_date`` column, and per patient the ages given when its
    rows disagree (empty text when they agree). Disagreeing rows are screened with the oldest age, the
    safer side for the older-adult checks."""
    import numpy as np
    import pandas as pd

    age = pd.Series(np.nan, index=rows)

    def years(value: str) -> float:
        text = value.strip()
        if not text:
            return np.nan
        born = parse_iso_date(text)
        return float(today.year - born.year - ((today.month, today.day) < (born.month, born.day)))

    if "birth_date" in frame.columns:
        age = _per_value(frame.loc[rows, "birth_date"], years).astype(float)
    if "age" in frame.columns:
        given = _per_value(frame.loc[rows, "age"], lambda v: float(v) if v.strip() else np.nan).astype(float)
        age = given.fillna(age)
    by_patient = age.groupby(patients.to_numpy())
    conflicts = by_patient.agg(lambda a: "" if a.nunique() < 2 else
                               _conflict_text(sorted(int(v) for v in a.dropna().unique())))
    return by_patient.max(), conflicts


def _conflict_text(ages: list[int]) -> str:
    return f"rows give ages {join_words([str(a) for a in ages])}; screened as {ages[-1]}, the oldest"
