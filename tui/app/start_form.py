"""The start screen's dialogs: open a case file, or create one from a medication list or by hand.

Pure (no Textual): each function takes the dialog's text and returns ``(case, path)`` or errors
per field. Creating writes the new case file atomically and never overwrites an existing file.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path

from pydantic import ValidationError

from regimens.case import Case, Patient, new_patient_id
from regimens.datefmt import parse_iso_date
from regimens.errors import TaperInputError
from regimens.plain_errors import plain_message

Opened = tuple[Case, Path]
Errors = dict[str, str]


def _path(text: str) -> Path:
    return Path(text.strip()).expanduser()


def new_case_file(text: str) -> tuple[Path | None, str | None]:
    """Where a new case file goes: a .json file that does not exist yet, in a folder that does (or a problem)."""
    if not text.strip():
        return None, "Where to save the case (a .json file)."
    target = _path(text)
    if target.suffix.lower() != ".json":
        return None, "The case file's name ends in .json."
    if target.exists():
        return None, f"{target} already exists; choose another name."
    if not target.parent.is_dir():
        return None, f"No such folder: {target.parent}"
    return target, None


def open_from(fields: Mapping[str, str], today: date) -> tuple[Opened | None, Errors]:
    """Load the case file named in "path"."""
    from regimens.casefile import load_case

    text = fields.get("path", "").strip()
    if not text:
        return None, {"path": "Type the path of a case file (.json)."}
    path = _path(text)
    if not path.is_file():
        return None, {"path": f"No such file: {path}"}
    try:
        return (load_case(path, today=today), path), {}
    except TaperInputError as exc:
        return None, {"path": exc.render()}
    except OSError as exc:
        return None, {"path": f"{path}: {exc.strerror or exc}"}


def new_from(fields: Mapping[str, str], today: date) -> tuple[Opened | None, Errors]:
    """A new case: the patient's name, birth date and language ("language", default English), the medication list
    ("csv", may be empty: a medication-list CSV, or a FHIR Bundle or NDJSON whose Patient fills the fields left
    empty), saved as "save-as"."""
    from regimens.casefile import save_case
    from regimens.regimen import Regimen

    errors: Errors = {}
    regimen = Regimen()
    csv_text = fields.get("csv", "").strip()
    name = fields.get("name", "").strip()
    birth_text = fields.get("birth", "").strip()
    language = fields.get("language", "").strip()
    pid = None
    if csv_text:
        from regimens.csv_import import regimen_from_csv
        from regimens.fhir_import import import_fhir, is_fhir_file

        csv = _path(csv_text)
        if not csv.is_file():
            errors["csv"] = f"No such file: {csv}"
        else:
            try:
                if is_fhir_file(csv):  # a FHIR Bundle or NDJSON: the patient may come from it too
                    imported = import_fhir([csv], today=today)
                    regimen = imported.regimen
                    pid, found_name, found_birth, found_language = imported.filled(
                        name or None, None, language or None)
                    name = found_name or ""
                    if not birth_text and found_birth is not None:
                        birth_text = found_birth.isoformat()
                    language = found_language or ""
                else:
                    regimen = regimen_from_csv(csv)
            except TaperInputError as exc:
                errors["csv"] = exc.render()
    if not name:
        errors["name"] = "The patient's name, as it should be printed."
    try:
        birth = parse_iso_date(birth_text)
        if birth > today:
            errors["birth"] = "The birth date is in the future."
    except ValueError:
        birth = None
        errors["birth"] = "The date of birth, as YYYY-MM-DD."
    target, problem = new_case_file(fields.get("save-as", ""))
    if problem:
        errors["save-as"] = problem
    if errors or birth is None or target is None:
        return None, errors
    pid = new_patient_id(name, birth, pid)
    try:
        patient = Patient(id=pid, name=name, birth_date=birth, language=language or "en")
        case = Case(patient=patient, regimen=regimen)
    except ValidationError as exc:
        field = "language" if any(e["loc"][:1] == ("language",) for e in exc.errors()) else "name"
        return None, {field: "; ".join(plain_message(e) for e in exc.errors())}
    try:
        save_case(case, target)
    except (TaperInputError, OSError) as exc:
        return None, {"save-as": str(exc)}
    return (case, target), {}
