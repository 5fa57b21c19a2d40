"""Class tags and names of formulary drugs, read without building product models.

Screening needs only each ingredient's classes; loading the raw formulary JSON for that takes
a few milliseconds, while building every product model takes far longer.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

FORMULARY_PATH = Path(__file__).parent / "data" / "formulary.json"


@cache
def raw_formulary() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(FORMULARY_PATH.read_text("utf-8"))
    return data


@cache
def _classes() -> dict[str, frozenset[str]]:
    singles = {d["name"]: frozenset(d.get("classes", ())) for d in raw_formulary()["drugs"]
               if not d.get("ingredients")}
    return singles


def classes_of(drug: str) -> frozenset[str]:
    """Class tags of a single-ingredient generic (empty when unknown)."""
    return _classes().get(drug, frozenset())


def known_ingredients() -> frozenset[str]:
    return frozenset(_classes())
