"""The bundled example cases, and fresh owner-only copies of them for ``taper demo`` and the app."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import regimens
from regimens.errors import TaperInputError
from taper.userdirs import data_dir


def examples_dir() -> Path:
    """The bundled example cases, shipped inside the ``regimens`` package (``regimens/examples``)."""
    found = Path(regimens.__file__).resolve().parent / "examples"
    if not found.is_dir():
        raise TaperInputError("the bundled examples are missing from this installation")
    return found


def example_names() -> list[str]:
    return sorted(p.stem for p in examples_dir().glob("*.json"))


def demo_copy(name: str) -> Path:
    """A fresh owner-only copy of a bundled example in the user's data folder."""
    target_dir = data_dir() / "demo"
    target_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    target = target_dir / f"{name}.json"
    shutil.copyfile(examples_dir() / f"{name}.json", target)
    os.chmod(target, 0o600)
    return target
