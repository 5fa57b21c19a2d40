"""Reading case-file JSON without pydantic: size, encoding, JSON, nesting and schema version.

Used by the full loader (:mod:`regimens.casefile`) and by the fast reader of ``taper review``,
so both refuse the same damaged files with the same messages.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from regimens.errors import TaperInputError, read_input

SCHEMA_VERSION = 1
#: Case files larger than this are refused before parsing (a real case is a few kB).
MAX_CASE_BYTES = 20 * 1024 * 1024
MAX_NESTING = 64


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed in a case file")


def _depth(value: Any, level: int = 0) -> int:
    if level > MAX_NESTING:
        return level
    if isinstance(value, dict):
        return max((_depth(v, level + 1) for v in value.values()), default=level + 1)
    if isinstance(value, list):
        return max((_depth(v, level + 1) for v in value), default=level + 1)
    return level


def decode_case_json(text: str, name: str = "case file") -> dict[str, Any]:
    """Parse case-file text to a dict at the current schema version, or raise a clear error."""
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise TaperInputError(
            f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); "
            "the file may be truncated or damaged",
            file=name,
        ) from None
    except ValueError as exc:
        raise TaperInputError(str(exc), file=name) from None
    except RecursionError:
        raise TaperInputError("nested too deeply to be a case file", file=name) from None
    if not isinstance(data, dict):
        raise TaperInputError("a case file holds a JSON object", file=name)
    if _depth(data) > MAX_NESTING:
        raise TaperInputError("nested too deeply to be a case file", file=name)
    version = data.get("schema_version")
    if version is None:
        raise TaperInputError("missing; is this a taper case file?", file=name,
                              field="schema_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise TaperInputError(f"must be a whole number, not {version!r}", file=name,
                              field="schema_version")
    if version > SCHEMA_VERSION:
        raise TaperInputError(
            f"the file was written by a newer taper (schema {version}); this version reads "
            f"schema {SCHEMA_VERSION}. Update taper to open it.",
            file=name,
            field="schema_version",
        )
    return migrate(data, version, name)


def migrate(data: dict[str, Any], version: int, name: str = "case file") -> dict[str, Any]:
    """Bring an older case file up to the current schema (none older than 1 exist yet)."""
    if version < 1:
        raise TaperInputError(f"schema {version} is not a version taper ever wrote",
                              file=name, field="schema_version")
    return data


def read_case_text(path: str | os.PathLike[str]) -> str:
    """The text of a case file, with size, encoding and NUL bytes checked."""
    name = str(path)
    raw = read_input(path, MAX_CASE_BYTES, "case file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TaperInputError(
            f"is not UTF-8 text (byte {exc.start}); is it a case file?", file=name
        ) from None
    if "\x00" in text:
        raise TaperInputError("contains NUL bytes; it is not a case file", file=name)
    return text


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
