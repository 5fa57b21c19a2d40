"""Reading and writing case files: JSON, atomic saves, a backup, owner-only permissions."""

from __future__ import annotations

import contextlib
import os
import tempfile
from datetime import date
from pathlib import Path

from pydantic import ValidationError

from regimens.case import Case
from regimens.casejson import decode_case_json, read_case_text
from regimens.errors import TaperInputError


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


def remove_stale_temps(path: Path) -> int:
    """Delete temporary files an interrupted save of ``path`` left behind (they may hold patient data)."""
    import time

    removed = 0
    folder = path.parent if str(path.parent) else Path(".")
    for tmp in folder.glob(f".{path.name}.*.tmp"):
        with contextlib.suppress(OSError):
            if time.time() - tmp.stat().st_mtime > STALE_TEMP_SECONDS:
                tmp.unlink()
                removed += 1
    return removed


def backup_path(path: Path) -> Path:
    return path.with_name(path.name + ".bak")


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_atomic(path: Path, data: bytes, keep_backup: bool = True) -> None:
    """Write ``data`` to ``path`` so that a crash leaves either the old or the new file.

    The new text goes to a temporary file in the same folder (mode 600), is flushed and
    fsynced, and is renamed over the target. The previous version, if any, is kept as
    ``NAME.bak`` (also replaced atomically), so the target itself is never missing.
    """
    folder = path.parent if str(path.parent) else Path(".")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    tmp = Path(tmp_name)
    btmp: Path | None = None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o600)
        if keep_backup and path.exists():
            old = path.read_bytes()
            bfd, btmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".bak.tmp",
                                              dir=folder)
            btmp = Path(btmp_name)
            with os.fdopen(bfd, "wb") as handle:
                handle.write(old)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(btmp, 0o600)
            os.replace(btmp, backup_path(path))
            btmp = None
        os.replace(tmp, path)
        _fsync_dir(folder)
    except BaseException:
        for leftover in (tmp, btmp):
            if leftover is not None:
                with contextlib.suppress(OSError):
                    leftover.unlink()
        raise


def save_case(case: Case, path: str | os.PathLike[str]) -> None:
    """Save atomically with a backup of the previous version; the file is owner-only."""
    p = Path(path)
    if p.is_dir():
        raise TaperInputError("is a folder", file=str(path))
    if not p.parent.exists():
        raise TaperInputError("the folder does not exist", file=str(path))
    try:
        write_atomic(p, case_to_json(case).encode("utf-8"))
    except PermissionError:
        raise TaperInputError("permission denied", file=str(path)) from None
    remove_stale_temps(p)
