"""Reading and writing case files: the one way in and out of a saved :class:`~regimens.case.Case`.

Reading checks size, encoding, JSON, nesting and schema version, migrates older versions, and
validates the models; writing is atomic, keeps a backup and leaves the file owner-only.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import stat
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from regimens.case import SCHEMA_VERSION, Case
from regimens.errors import TaperInputError, read_input

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
    """Bring an older case file up to :data:`SCHEMA_VERSION`, one version at a time.

    Each schema bump adds a step here (``if version < N: data = ...``); version 1 is the oldest.
    """
    if version < 1:
        raise TaperInputError(f"schema {version} is not a version taper ever wrote",
                              file=name, field="schema_version")
    if version < 2:  # 2 added the optional medication notes: a version-1 file has none
        data = {**data, "schema_version": 2}
    if version < 3:  # 3 added each plan's revision: an older plan starts at 0
        data = {**data, "schema_version": 3}
    if version < 4:  # 4 added the patient's language (an older case was printed in English), the clinic
        # days (Monday to Friday), each plan's keep_products (off) and the check-ins (none)
        patient = data.get("patient")
        if isinstance(patient, dict) and "language" not in patient:
            data = {**data, "patient": {**patient, "language": "en"}}
        data = {**data, "schema_version": 4}
    if version < 5:  # 5 lets a line be unlisted or a product to confirm (written, drug, classes; product
        # optional): every line of an older case is a listed product. Product ids keep a decimal point as "p"
        # since 5 ("alprazolam-tablet-0p5mg"): older ids are mapped to today's.
        data = _product_ids_of_schema_5(data)
        data = {**data, "schema_version": 5}
    return data


def _product_ids_of_schema_5(data: dict[str, Any]) -> dict[str, Any]:
    from regimens.formulary import get_formulary

    legacy = get_formulary().legacy_ids()
    regimen = data.get("regimen")
    if isinstance(regimen, dict) and isinstance(regimen.get("medications"), list):
        meds = []
        for med in regimen["medications"]:
            product = med.get("product") if isinstance(med, dict) else None
            if isinstance(product, dict) and isinstance(product.get("id"), str) and product["id"] in legacy:
                med = {**med, "product": {**product, "id": legacy[product["id"]]}}
            meds.append(med)
        data = {**data, "regimen": {**regimen, "medications": meds}}
    if isinstance(data.get("plans"), list):
        plans = []
        for plan in data["plans"]:
            if isinstance(plan, dict) and isinstance(plan.get("product_ids"), list):
                plan = {**plan, "product_ids": [legacy.get(i, i) if isinstance(i, str) else i
                                                for i in plan["product_ids"]]}
            plans.append(plan)
        data = {**data, "plans": plans}
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



def case_to_json(case: Case) -> str:
    """The text written to disk: indented, keys in model order, ending in a newline."""
    return case.model_dump_json(indent=2, exclude_none=False) + "\n"


def format_validation_error(exc: ValidationError, limit: int = 5) -> tuple[str, str, list[str]]:
    """(field path, message, further problems) for the first errors of a pydantic error."""
    problems = []
    for err in exc.errors()[:limit]:
        path = ".".join(str(p) for p in err["loc"] if not str(p).startswith("function-after"))
        msg = err["msg"].removeprefix("Value error, ")
        problems.append((path, msg))
    first_path, first_msg = problems[0]
    rest = [f"{p or '(top level)'}: {m}" for p, m in problems[1:]]
    return first_path, first_msg, rest


def parse_case(text: str, name: str = "case file", today: date | None = None) -> Case:
    """Validate case-file text; every problem is a :class:`TaperInputError` naming the field."""
    data = decode_case_json(text, name)
    try:
        case = Case.model_validate(data)
    except ValidationError as exc:
        path, msg, rest = format_validation_error(exc)
        raise TaperInputError(msg, file=name, field=path or None, details=rest) from None
    if today is not None and case.patient.birth_date > today:
        raise TaperInputError("is in the future", file=name, field="patient.birth_date")
    return case


def load_case(path: str | os.PathLike[str], today: date | None = None) -> Case:
    """Read and validate a case file (a damaged one's error says where its backup is)."""
    try:
        return parse_case(read_case_text(path), name=str(path), today=today)
    except TaperInputError as exc:
        bak = backup_path(Path(path)) if Path(path).name else None
        if bak is not None and bak.is_file() and not str(path).endswith(".bak"):
            exc.details.append(f"the previous version is kept in {bak} ('taper open' offers to open it)")
            exc.args = (exc.render(),)
        raise


STALE_TEMP_SECONDS = 60


def remove_stale_temps(path: Path, pattern: str | None = None) -> int:
    """Delete temporary files an interrupted save of ``path`` left behind (they may hold patient data).

    ``pattern`` (a glob in the file's folder) widens the search, as exports do for every
    ``.NAME.export-XXXX.tmp`` in their folders; only files older than a minute are removed.
    """
    import time

    removed = 0
    folder = path.parent if str(path.parent) else Path(".")
    for tmp in folder.glob(pattern or f".{path.name}.*.tmp"):
        with contextlib.suppress(OSError):
            if time.time() - tmp.stat().st_mtime > STALE_TEMP_SECONDS:
                tmp.unlink()
                removed += 1
    return removed


def backup_path(path: Path) -> Path:
    return path.with_name(path.name + ".bak")


def recovery_path(case_path: Path) -> Path:
    """Where the app keeps unsaved work of an open case."""
    return case_path.with_name(case_path.name + ".recovery")


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


#: What to say for a file-system error, by errno; every message says nothing was changed.
_ERRNO_ADVICE = {
    errno.ENOSPC: "the disk is full; free some space and try again (nothing was changed)",
    errno.EDQUOT: "your disk quota is used up; free some space and try again (nothing was changed)",
    errno.EFBIG: "the file is too large for this disk or folder; choose another place (nothing was changed)",
    errno.EACCES: "permission denied; choose a folder you can write to (nothing was changed)",
    errno.EPERM: "permission denied; choose a folder you can write to (nothing was changed)",
    errno.EROFS: "the disk is read-only; choose another place (nothing was changed)",
    errno.ENAMETOOLONG: "the name is too long; choose a shorter name (nothing was changed)",
}


def file_error(exc: OSError, name: str) -> TaperInputError:
    """A file-system error told about the file the user named (never a temporary name)."""
    advice = _ERRNO_ADVICE.get(exc.errno or 0)
    if advice is None:
        advice = f"{(exc.strerror or str(exc) or 'could not be written').rstrip('.')} (nothing was changed)"
    return TaperInputError(advice, file=name)


def write_target(path: Path) -> Path:
    """The file a write to ``path`` replaces: a symbolic link's target (the link is kept), else ``path``."""
    if path.is_symlink():
        return Path(os.path.realpath(path))
    return path


def is_read_only(path: Path) -> bool:
    """True when ``path`` exists and its owner has no write permission (or this user has none).

    Checked by mode bits too: for root, ``os.access`` says every file is writable.
    """
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not os.access(path, os.W_OK) or not mode & stat.S_IWUSR


FORCE_HINT = "make it writable, choose another name, or add --force to replace it"


def refuse_read_only(target: Path, name: str, hint: str = FORCE_HINT) -> None:
    """Refuse to replace a read-only file: it is not ours to replace unless the user forces it."""
    if is_read_only(target):
        raise TaperInputError(f"is read-only; taper does not replace it (nothing was changed): {hint}",
                              file=name)


def write_temp(target: Path, data: bytes, tag: str = "") -> Path:
    """Write ``data`` to a new owner-only temporary file beside ``target``, fsynced; returns its path.

    Named ``.NAME.TAGXXXX.tmp`` so that :func:`remove_stale_temps` recognises it if we die before
    renaming it. On any failure the temporary is removed and the error raised.
    """
    folder = target.parent if str(target.parent) else Path(".")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.{tag}", suffix=".tmp", dir=folder)
    tmp = Path(tmp_name)
    try:
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.chmod(tmp, 0o600)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return tmp


def write_atomic(path: Path, data: bytes, keep_backup: bool = True, *, force: bool = False,
                 name: str | None = None, hint: str = FORCE_HINT) -> None:
    """Write ``data`` to ``path`` so that a crash leaves either the old or the new file.

    The new text goes to a temporary file in the same folder (mode 600), is flushed and
    fsynced, and is renamed over the target. The previous version, if any, is kept as
    ``NAME.bak`` (also replaced atomically), so the target itself is never missing.
    A symbolic link is written through (its target is replaced, the link kept); a read-only
    file is refused unless ``force``. File-system errors become a :class:`TaperInputError`
    naming ``name`` (default: ``path``), the file the user asked for.
    """
    name = name or str(path)
    target = write_target(path)
    if not force:
        refuse_read_only(target, name, hint)
    folder = target.parent if str(target.parent) else Path(".")
    tmp: Path | None = None
    btmp: Path | None = None
    try:
        tmp = write_temp(target, data)
        if keep_backup and target.exists():
            btmp = write_temp(target, target.read_bytes(), "bak-")
            os.replace(btmp, backup_path(target))
            btmp = None
        os.replace(tmp, target)
        tmp = None
        _fsync_dir(folder)
    except BaseException as exc:
        for leftover in (tmp, btmp):
            if leftover is not None:
                with contextlib.suppress(OSError):
                    leftover.unlink()
        if isinstance(exc, OSError):
            raise file_error(exc, name) from None
        raise


def disk_stamp(path: str | os.PathLike[str]) -> str | None:
    """A fingerprint of the file as it is on disk now (None when there is none), to notice outside changes."""
    import hashlib

    try:
        return hashlib.sha256(write_target(Path(path)).read_bytes()).hexdigest()
    except FileNotFoundError:
        return None


def check_unchanged(path: str | os.PathLike[str], stamp: str | None) -> None:
    """Refuse to save over a file that changed on disk since it was read (``stamp`` from :func:`disk_stamp`)."""
    if disk_stamp(path) != stamp:
        raise TaperInputError("was changed by something else since it was read; saving now would overwrite "
                              "that change (nothing was saved)", file=str(path))


def save_case(case: Case, path: str | os.PathLike[str], *, force: bool = False,
              hint: str = FORCE_HINT) -> None:
    """Save atomically with a backup of the previous version; the file is owner-only.

    Through a symbolic link the link's target is saved; a read-only file is refused unless ``force``.
    """
    p = Path(path)
    if p.is_dir():
        raise TaperInputError("is a folder", file=str(path))
    target = write_target(p)
    if not target.parent.exists():
        raise TaperInputError("the folder does not exist", file=str(path))
    write_atomic(p, case_to_json(case).encode("utf-8"), force=force, name=str(path), hint=hint)
    remove_stale_temps(target)
