"""Reading and checking a panel CSV: the file, its columns, each row's cells, each distinct medication
line (with the single-patient import's own checks), and each patient's age.

Bad rows are collected as :class:`~regimens.errors.TaperInputError` (file, row, column) and skipped
by :func:`interactions.panel.review_panel`; a bad file stops it.
"""

from __future__ import annotations

import codecs
import io
import os
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, BinaryIO, Protocol

from interactions.review import DOSE_NOT_STATED, PRODUCT_NOT_LISTED, UNLISTED_CLASSES, medication_flags
from regimens.csv_import import (
    OPTIONAL_COLUMNS,
    PRODUCT_COLUMNS,
    REQUIRED_COLUMNS,
    SCHEDULE_COLUMNS,
    RowProblem,
    row_fields,
)
from regimens.datefmt import age_on, parse_iso_date
from regimens.dose_text import join_words
from regimens.errors import TaperInputError
from regimens.formulary import Formulary, get_formulary
from regimens.regimen import Medication

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

SIGNATURE = ("drug", "strength", "form", "dose", "when", "prn", "max_per_day", "product", "sig")
"""The columns that make a medication line (checked once per distinct line)."""
PANEL_COLUMNS = ("age", "birth_date")
MAX_CELL = 500


CHUNK_ROWS = 500_000
"""Rows read at a time: memory stays bounded whatever the size of the file."""


class _CheckedBytes(io.RawIOBase):
    """The file's bytes as pandas reads them, checked on the way: no NUL byte, UTF-8 text."""

    def __init__(self, handle: BinaryIO, path: str, meter: Meter | None) -> None:
        self.handle = handle
        self.meter = meter
        self.path = path
        self.decoder = codecs.getincrementaldecoder("utf-8")()
        self.lines = 0
        self.position = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.handle.read(len(buffer))
        if b"\x00" in data:
            line = self.lines + data[: data.index(b"\x00")].count(b"\n") + 1
            raise TaperInputError(f"contains a NUL byte (line {line}); it is not a text CSV", file=self.path)
        try:
            if not (data.isascii() and self.decoder.getstate()[0] == b""):  # plain ASCII is UTF-8 already
                self.decoder.decode(data, final=not data)
        except UnicodeDecodeError as exc:
            start = max(exc.start, 0)
            line = self.lines + data[:start].count(b"\n") + 1
            raise TaperInputError(f"is not UTF-8 text (byte {self.position + start}, line {line}); save it as "
                                  "'CSV UTF-8'", file=self.path) from None
        self.lines += data.count(b"\n")
        self.position += len(data)
        if self.meter is not None:
            self.meter.bytes_read = self.position
        buffer[: len(data)] = data
        return len(data)


def _open(path: str) -> BinaryIO:
    try:
        return open(path, "rb")  # noqa: SIM115 - closed by panel_chunks
    except FileNotFoundError:
        raise TaperInputError("no such file", file=path) from None
    except IsADirectoryError:
        raise TaperInputError("is a folder, not a CSV file", file=path) from None
    except PermissionError:
        raise TaperInputError("permission denied", file=path) from None
    except ValueError:  # a NUL byte in the name
        raise TaperInputError("no such file", file=repr(path)) from None


class Meter(Protocol):
    bytes_read: int
    total_bytes: int


def panel_chunks(path: str, rows: int = CHUNK_ROWS, *, extra: tuple[str, ...] = (),
                 meter: Meter | None = None) -> Iterator[pd.DataFrame]:
    """The panel CSV ``rows`` rows at a time, every column a categorical, indexed by row number
    (1 = the first row under the header). Bad files raise :class:`TaperInputError`; ``extra`` names
    internal columns of a file this module wrote (the fallback's buckets)."""
    import pandas as pd

    with _open(path) as handle:
        head = handle.read(1 << 16)
        if not head.strip() and len(head) < 1 << 16:
            raise TaperInputError("is empty; expected a header row with patient_id,"
                                  + ",".join(REQUIRED_COLUMNS), file=path)
        handle.seek(0)
        if meter is not None:
            meter.total_bytes = os.fstat(handle.fileno()).st_size
        checked = io.BufferedReader(_CheckedBytes(handle, path, meter), buffer_size=1 << 20)
        try:
            # Patient ids are read as text: as a category column, "007" and "7" would both be the number 7.
            dtypes: defaultdict[str, Any] = defaultdict(lambda: "category")
            dtypes.update({name: str for name in _header(head) if name.strip().lower() == "patient_id"})
            reader = pd.read_csv(checked, dtype=dtypes, keep_default_na=False,
                                 na_filter=False, skip_blank_lines=True, encoding="utf-8-sig", chunksize=rows)
            first = True
            done = 0
            for frame in _sizes(reader, rows):
                if first:
                    _check_columns(frame, path, extra)
                    first = False
                frame.columns = [str(c).strip().lower() for c in frame.columns]
                for name in frame.columns:
                    frame[name] = text_categories(frame[name])
                frame.index = pd.RangeIndex(done + 1, done + len(frame) + 1)
                done += len(frame)
                yield frame
        except (pd.errors.ParserError, ValueError) as exc:
            if isinstance(exc, TaperInputError):
                raise
            raise TaperInputError(f"cannot be read as CSV: {exc}", file=path) from None
        if first:  # a header alone: pandas yields no chunk
            raise TaperInputError("has a header but no medication rows", file=path)


def _sizes(reader: Any, rows: int) -> Iterator[pd.DataFrame]:
    """The reader's chunks: a quarter of ``rows`` first, so whoever reviews them starts sooner (while a
    reader process reads on), then ``rows`` at a time."""
    size = max(1, rows // 4)
    while True:
        try:
            yield reader.get_chunk(size)
        except StopIteration:
            return
        size = rows


def _header(head: bytes) -> list[str]:
    """The column names on the first line of the file (best effort: only used to pick dtypes)."""
    import csv

    line = head.decode("utf-8-sig", errors="replace").splitlines()[:1]
    return next(csv.reader(line), []) if line else []


def text_categories(column: pd.Series) -> pd.Series:
    """``column`` as a category of text values (pandas reads a column of numbers as number categories)."""
    import pandas as pd

    if not isinstance(column.dtype, pd.CategoricalDtype):  # text (patient ids): categories as first met
        codes, uniques = pd.factorize(column.to_numpy(dtype=object))
        return pd.Series(pd.Categorical.from_codes(codes, pd.Index(uniques, dtype=object).astype(str)),
                         index=column.index)
    categories = column.cat.categories
    if categories.dtype == object or pd.api.types.is_string_dtype(categories.dtype):
        return column
    return column.cat.rename_categories(categories.astype(str))


def _check_columns(frame: pd.DataFrame, path: str, extra: tuple[str, ...]) -> None:
    columns = [str(c).strip().lower() for c in frame.columns]
    missing = [c for c in ("patient_id", *REQUIRED_COLUMNS) if c not in columns
               and not (c in PRODUCT_COLUMNS and "product" in columns)
               and not (c in SCHEDULE_COLUMNS and "sig" in columns)]
    if missing:
        raise TaperInputError(f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}",
                              file=path)
    allowed = set(REQUIRED_COLUMNS) | set(OPTIONAL_COLUMNS) | set(PANEL_COLUMNS) | set(extra)
    unknown = [c for c in columns if c not in allowed]
    if unknown:
        raise TaperInputError(f"unknown column {unknown[0]!r}", file=path)
    if len(set(columns)) != len(columns):
        raise TaperInputError("a column appears twice", file=path)
    if frame.empty:
        raise TaperInputError("has a header but no medication rows", file=path)


def row_problems(frame: pd.DataFrame, path: str) -> list[TaperInputError]:
    """Checks on cells outside the medication line: patient id, dates, ages, lengths."""
    import numpy as np

    errors: list[TaperInputError] = []

    def report(column: str, bad: Callable[[str], str | None],
               doubtful: Callable[[np.ndarray], np.ndarray] | None = None) -> None:
        """Errors of the rows whose ``column`` is ``bad``; ``doubtful`` marks, all at once, the values
        that may be (the others are surely fine)."""
        cats = frame[column].cat.categories.astype(str).to_numpy(dtype=object)
        maybe = range(len(cats)) if doubtful is None else np.flatnonzero(doubtful(cats)).tolist()
        messages = {i: m for i in maybe if (m := bad(str(cats[i]))) is not None}
        if not messages:
            return
        codes = frame[column].cat.codes.to_numpy()
        at = np.flatnonzero(np.isin(codes, list(messages)))
        for row, code in zip(frame.index.to_numpy()[at].tolist(), codes[at].tolist(), strict=True):
            errors.append(TaperInputError(messages[code], file=path, row=int(row), column=column))

    report("patient_id", lambda v: "the patient id is empty" if not v.strip() else None,
           doubtful=lambda cats: np.fromiter(map(len, map(str.strip, cats)), np.int64, len(cats)) == 0)
    too_long = f"is longer than {MAX_CELL} characters"
    for column in frame.columns:
        if column not in SIGNATURE:
            report(column, lambda v: too_long if len(v) > MAX_CELL else None,
                   doubtful=lambda cats: np.fromiter(map(len, cats), np.int64, len(cats)) > MAX_CELL)
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


IngredientRow = tuple[str, float, str, bool, str, bool, float]
"""drug, amount a day (0 when the line's strength gives none), unit, PRN, form, PRN without a daily
maximum, administrations a day."""


@dataclass(frozen=True)
class Line:
    """One distinct medication line, read once: the ingredients it is screened by, or that it is an
    unlisted medicine (not screened), or why it cannot be read at all."""

    ingredients: tuple[IngredientRow, ...] = ()
    flags: int = 0
    """The line's own review flags as bits of :data:`LINE_FLAGS` (a product to confirm, a dose not stated)."""
    not_screened: str | None = None
    """The name as written, for a medicine the formulary does not know."""
    problem: tuple[str, str] | None = None
    """(column, message) of a line that cannot be read (the row is dropped)."""


#: The flags the single review raises for a line itself (``interactions.review.line_flags``), as bits.
LINE_FLAGS = (PRODUCT_NOT_LISTED, DOSE_NOT_STATED, UNLISTED_CLASSES)


def read_line(cells: dict[str, str], formulary: Formulary) -> Line:
    """Read one line with the single-patient import itself (:func:`regimens.csv_import.row_fields`), so the
    panel and the single review agree on the three kinds of line: a listed product is screened; a known
    drug in a product the formulary does not list is screened by its ingredients and classes (amounts
    where its strength reads); an unknown medicine is kept and reported as not screened. Only a line
    that cannot be read at all is a problem."""
    try:
        med = row_fields(cells, 0, formulary).medication
    except RowProblem as problem:
        return Line(problem=(problem.column, problem.message))
    return _line_of(med)


def _line_of(med: Medication) -> Line:
    if not med.screened:
        assert med.written is not None
        return Line(not_screened=" ".join(med.written.name.split()))
    product = med.product
    form = product.form.value if product is not None else ""
    no_max = med.prn and med.max_units_per_day is None
    per_day = float(med.administrations_per_day)
    rows: list[IngredientRow] = [(a.drug, float(a.amount), a.unit, med.prn, form, no_max, per_day)
                                 for a in med.ingredient_amounts()]
    seen = {r[0] for r in rows}
    rows += [(n, 0.0, "", med.prn, form, no_max, per_day) for n in med.ingredient_names() if n not in seen]
    ids = {flag.id for flag in medication_flags(med)}
    return Line(ingredients=tuple(rows), flags=sum(1 << i for i, name in enumerate(LINE_FLAGS) if name in ids))


def medication_lines(frame: pd.DataFrame, path: str, cache: dict[tuple[str, ...], Line] | None = None
                     ) -> tuple[pd.Series, pd.DataFrame, pd.Series, list[TaperInputError], dict[int, int]]:
    """Read each distinct medication line once (``cache`` carries them from chunk to chunk): row ->
    line code of the screened rows, ingredient rows per code, row -> name of the unlisted rows
    (not screened), the errors of the rows that cannot be read, and line code -> the line's own flags
    (bits of :data:`LINE_FLAGS`)."""
    import numpy as np
    import pandas as pd

    cache = {} if cache is None else cache
    # Number the distinct lines: combine the columns' category codes one column at a time.
    # Only the columns the file has, as the single import sees them ("product" alone, or drug, strength...).
    columns = [c for c in SIGNATURE if c in frame.columns]
    codes = np.zeros(len(frame), dtype=np.int64)
    span = 1
    for column in columns:
        width = len(frame[column].cat.categories) + 1
        if span * width >= 1 << 62:
            codes, _ = pd.factorize(codes)
            span = len(frame) + 1
        codes = codes * width + frame[column].cat.codes.to_numpy().astype(np.int64)
        span *= width
    codes, _ = pd.factorize(codes)  # 0, 1, ... in order of first appearance
    first = np.flatnonzero(np.r_[True, codes[1:] > np.maximum.accumulate(codes)[:-1]]) if len(codes) else codes
    values = []
    for column in columns:
        cats = frame[column].cat.categories.astype(str).to_numpy(dtype=object)
        values.append(cats[frame[column].cat.codes.to_numpy()[first]] if len(cats)
                      else np.full(len(first), "", dtype=object))
    formulary = get_formulary()
    problems: dict[int, tuple[str, str]] = {}
    unlisted: dict[int, str] = {}
    flags: dict[int, int] = {}
    ingredient_rows: list[tuple[Any, ...]] = []
    for code, key in enumerate(zip(*values, strict=True)):
        line = cache.get(key)
        if line is None:
            line = cache[key] = read_line(dict(zip(columns, key, strict=True)), formulary)
        if line.problem is not None:
            problems[code] = line.problem
        elif line.not_screened is not None:
            unlisted[code] = line.not_screened
        else:
            ingredient_rows.extend((code, *r) for r in line.ingredients)
            if line.flags:
                flags[code] = line.flags
    line_codes = pd.Series(codes, index=frame.index)
    bad_mask = np.isin(codes, list(problems))
    errors = [TaperInputError(problems[int(code)][1], file=path, row=int(row), column=problems[int(code)][0])
              for row, code in line_codes[bad_mask].items()]
    unlisted_mask = np.isin(codes, list(unlisted))
    names = line_codes[unlisted_mask].map(unlisted)
    ingredients = pd.DataFrame(ingredient_rows, columns=["code", "drug", "amount", "unit", "prn", "form",
                                                         "no_max", "times_a_day"])
    return line_codes[~bad_mask & ~unlisted_mask], ingredients, names, errors, flags


def patient_ages(frame: pd.DataFrame, rows: pd.Index, patients: pd.Series,
                 today: date) -> tuple[pd.Series, pd.Series]:
    """Age per patient from an ``age`` or ``birth_date`` column, and per patient the ages given when its
    rows disagree (empty text when they agree). Disagreeing rows are screened with the oldest age, the
    safer side for the older-adult checks."""
    import numpy as np
    import pandas as pd

    # Row numbers ascend in every frame the panel reviews, so rows are found by binary search.
    at = positions(frame.index.to_numpy(np.int64), rows.to_numpy(np.int64))

    def per_row(column: str, value_of: Callable[[str], float]) -> np.ndarray:
        cats = frame[column].cat.categories.astype(str).to_numpy(dtype=object)
        values = np.asarray([value_of(c) for c in cats] or [np.nan], dtype=float)
        return values[frame[column].cat.codes.to_numpy()[at]]

    def years(value: str) -> float:
        text = value.strip()
        if not text:
            return np.nan
        try:
            born = parse_iso_date(text)
        except ValueError:  # reported by row_problems; such rows are not screened
            return np.nan
        return float(age_on(born, today))

    age = np.full(len(rows), np.nan)
    if "birth_date" in frame.columns:
        age = per_row("birth_date", years)
    if "age" in frame.columns:
        given = per_row("age", _age_value)
        age = np.where(np.isnan(given), age, given)
    who = patients.to_numpy()
    by_patient = pd.Series(age).groupby(who)
    oldest = by_patient.max()
    conflicts = pd.Series("", index=oldest.index, dtype=object)
    torn = oldest.index[(oldest > by_patient.min()).to_numpy()]  # usually few: the patients whose rows disagree
    if len(torn):
        mask = np.isin(who, torn.to_numpy())
        for patient, given_ages in pd.Series(age[mask]).groupby(who[mask]):
            conflicts[patient] = _conflict_text(sorted(int(v) for v in given_ages.dropna().unique()))
    return oldest, conflicts


def positions(row_numbers: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Where ``rows`` are among ``row_numbers`` (ascending): arithmetic when they run without a gap."""
    import numpy as np

    if len(row_numbers) and row_numbers[-1] - row_numbers[0] == len(row_numbers) - 1:
        return np.asarray(rows, dtype=np.int64) - row_numbers[0]
    return np.searchsorted(row_numbers, rows)


def _age_value(value: str) -> float:
    text = value.strip()
    return float(text) if text.isdigit() else float("nan")


def _conflict_text(ages: list[int]) -> str:
    return f"rows give ages {join_words([str(a) for a in ages])}; screened as {ages[-1]}, the oldest"
