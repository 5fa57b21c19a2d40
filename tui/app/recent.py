"""The recent-cases list on the start screen: paths only (never case contents), owner-only, newest first.

Kept in the user's state folder (:func:`taper.userdirs.state_dir`). A missing or unreadable
list is an empty one: it is a convenience, never a reason to refuse to start.
"""

from __future__ import annotations

import json
from pathlib import Path

from taper.userdirs import state_dir

KEEP = 10


def recent_file() -> Path:
    return state_dir() / "recent.json"


def recent_cases() -> list[Path]:
    """Case files opened lately that still exist, newest first."""
    try:
        data = json.loads(recent_file().read_text("utf-8"))
    except (OSError, ValueError):
        return []
    paths = data.get("cases", []) if isinstance(data, dict) else []
    return [Path(p) for p in paths if isinstance(p, str) and Path(p).is_file()][:KEEP]


def remember(path: Path) -> None:
    """Put ``path`` first in the list (best effort: a read-only home only loses the list)."""
    from regimens.casefile import write_atomic
    from regimens.errors import TaperInputError

    resolved = str(path.resolve())
    paths = [resolved, *(str(p) for p in recent_cases() if str(p) != resolved)][:KEEP]
    target = recent_file()
    try:
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_atomic(target, json.dumps({"cases": paths}, indent=1).encode("utf-8"), keep_backup=False)
    except (OSError, TaperInputError):
        pass
