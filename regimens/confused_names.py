"""ISMP's List of Confused Drug Names: look-alike and sound-alike name pairs, as cited data.

Loaded once from ``regimens/data/confused_names.json``, which holds every pair of the list with at
least one name the formulary knows. A drug lookup uses it so that a suggestion or a match whose
name ISMP lists as confused with the name typed is never offered without saying so.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple


def name_key(text: str) -> str:
    """The comparison key of a drug name: case-folded, single spaces, no ® or ™, tight slashes."""
    text = text.replace("®", "").replace("™", "")
    return " ".join(text.casefold().split()).replace(" / ", "/")


class ConfusedPair(NamedTuple):
    """One row of the list: two names as ISMP writes them, and where the row is."""

    names: tuple[str, str]
    page: int
    row: int
    note: str = ""

    def other(self, key: str) -> str:
        """The listed name paired with the name whose key is ``key``."""
        return self.names[1] if name_key(self.names[0]) == key else self.names[0]


class ConfusedNames:
    """The pairs, indexed by the key of each name."""

    def __init__(self, pairs: list[ConfusedPair], source: dict[str, str]) -> None:
        self.pairs = pairs
        self.source = source
        self._by_key: dict[str, list[ConfusedPair]] = {}
        for pair in pairs:
            for name in pair.names:
                self._by_key.setdefault(name_key(name), []).append(pair)

    def pairs_of(self, name: str) -> list[ConfusedPair]:
        """Every pair that lists ``name`` (compared by :func:`name_key`)."""
        return list(self._by_key.get(name_key(name), ()))

    def listed(self, name: str) -> str | None:
        """``name`` as the list writes it (tall man letters), or None when it is not on the list."""
        key = name_key(name)
        for pair in self._by_key.get(key, ()):
            return next(n for n in pair.names if name_key(n) == key)
        return None

    def confused(self, a: str, b: str) -> ConfusedPair | None:
        """The pair listing ``a`` with ``b``, or None."""
        key_b = name_key(b)
        return next((p for p in self.pairs_of(a) if name_key(p.other(name_key(a))) == key_b), None)


def load_confused_names_data(data: dict[str, Any]) -> ConfusedNames:
    """Build the index from the JSON structure; raises ``ValueError`` when a row is malformed."""
    pairs = []
    for i, raw in enumerate(data["pairs"], start=1):
        names = tuple(raw.get("names", ()))
        if len(names) != 2 or not all(isinstance(n, str) and n.strip() for n in names):
            raise ValueError(f"confused_names.json pair {i}: 'names' must be two names")
        if name_key(names[0]) == name_key(names[1]):
            raise ValueError(f"confused_names.json pair {i}: a name cannot be confused with itself")
        pairs.append(ConfusedPair((names[0], names[1]), int(raw["page"]), int(raw["row"]), raw.get("note", "")))
    return ConfusedNames(pairs, dict(data["source"]))


@cache
def confused_names() -> ConfusedNames:
    """The bundled list (loaded once per process)."""
    text = (Path(__file__).parent / "data" / "confused_names.json").read_text("utf-8")
    return load_confused_names_data(json.loads(text))
