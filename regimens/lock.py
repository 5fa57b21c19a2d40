"""One writer per case: the app holds ``CASE.json.lock`` while a case is open.

A second app opening the same case finds the lock held by a live process and opens the case
read-only, so two windows never overwrite each other's edits. A lock left by a process that no
longer runs on this machine (killed, crashed, power cut) is stale and is taken over.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

from regimens.errors import TaperInputError


class Holder(NamedTuple):
    """Who holds a lock."""

    pid: int
    host: str
    since: float


def hostname() -> str:
    """This machine's name (without the socket module: the program has no network code)."""
    return os.uname().nodename if hasattr(os, "uname") else os.environ.get("COMPUTERNAME", "")


def lock_path(case_path: Path) -> Path:
    return case_path.with_name(case_path.name + ".lock")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    return True


def holder(case_path: Path) -> Holder | None:
    """The live holder of the case's lock, or None when it is free or stale."""
    try:
        data = json.loads(lock_path(case_path).read_text("utf-8"))
        found = Holder(int(data["pid"]), str(data["host"]), float(data["since"]))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        return None  # unreadable or half-written: stale
    if found.host == hostname() and not _alive(found.pid):
        return None
    return found


def _create(path: Path, content: str) -> bool:
    """Create the lock file with its content in one step (False when it exists already).

    The content goes to a temporary file that is hard-linked into place, so another process never
    reads a lock that exists but is still empty (and takes it for a stale one). Where the file
    system has no hard links, the file is created exclusively and then written.
    """
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(content)
        os.chmod(tmp_name, 0o600)
        try:
            os.link(tmp_name, path)
            return True
        except FileExistsError:
            return False
        except OSError:  # no hard links here
            pass
    finally:
        os.unlink(tmp_name)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(content)
    return True


def acquire(case_path: Path) -> Holder | None:
    """Take the lock; returns the other live holder instead when there is one (then open read-only)."""
    path = lock_path(case_path)
    me = json.dumps({"pid": os.getpid(), "host": hostname(), "since": time.time()})
    for _ in range(3):
        try:
            if _create(path, me):
                return None
        except OSError:
            return None  # a read-only or missing folder: nothing to lock, saving will say why
        try:
            seen = path.stat().st_ino
        except FileNotFoundError:
            continue  # released while we looked: try again
        other = holder(case_path)
        if other is not None and other.pid != os.getpid():
            return other
        with contextlib.suppress(OSError):  # stale (or our own): take it over, unless it was replaced meanwhile
            if path.stat().st_ino == seen:
                path.unlink()
    return holder(case_path) or Holder(0, "", time.time())


def release(case_path: Path) -> None:
    """Remove the lock if this process holds it."""
    try:
        data = json.loads(lock_path(case_path).read_text("utf-8"))
        if int(data["pid"]) == os.getpid() and data["host"] == hostname():
            lock_path(case_path).unlink()
    except (OSError, ValueError, KeyError, TypeError):
        pass


WAIT_SECONDS = 5.0


@contextmanager
def writing(case_path: Path, wait_seconds: float = WAIT_SECONDS) -> Iterator[None]:
    """Hold the case's lock while a command reads, changes and saves it.

    Waits up to ``wait_seconds`` for another writer (a second ``taper plan --save``) to finish, then
    refuses with a message naming the case and who holds it; an open app holds it until it closes.
    """
    deadline = time.monotonic() + wait_seconds
    while True:
        other = acquire(case_path)
        if other is None:
            break
        if time.monotonic() >= deadline:
            where = "a taper window" if other.host == hostname() else f"taper on {other.host}"
            raise TaperInputError(f"is open in {where} (process {other.pid}); close it there or try again "
                                  "when it is done, so neither loses the other's changes (nothing was saved)",
                                  file=str(case_path))
        time.sleep(0.05)
    try:
        yield
    finally:
        release(case_path)
