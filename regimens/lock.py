"""One writer per case: the app holds ``CASE.json.lock`` while a case is open.

A second app opening the same case finds the lock held by a live process and opens the case
read-only, so two windows never overwrite each other's edits. A lock left by a process that no
longer runs on this machine (killed, crashed, power cut) is stale and is taken over.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import NamedTuple


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


def acquire(case_path: Path) -> Holder | None:
    """Take the lock; returns the other live holder instead when there is one (then open read-only)."""
    path = lock_path(case_path)
    me = {"pid": os.getpid(), "host": hostname(), "since": time.time()}
    for _ in range(2):
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            other = holder(case_path)
            if other is not None and other.pid != os.getpid():
                return other
            path.unlink(missing_ok=True)  # stale (or our own): take it over
            continue
        except OSError:
            return None  # a read-only folder: nothing to lock, saving will say why
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(me, handle)
        return None
    return holder(case_path)


def release(case_path: Path) -> None:
    """Remove the lock if this process holds it."""
    try:
        data = json.loads(lock_path(case_path).read_text("utf-8"))
        if int(data["pid"]) == os.getpid() and data["host"] == hostname():
            lock_path(case_path).unlink()
    except (OSError, ValueError, KeyError, TypeError):
        pass
