"""Case files for property tests: the bundled examples with a few values replaced, removed or added."""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import strategies as st

from tests.conftest import EXAMPLES

CASES = {p.stem: json.loads(p.read_text("utf-8")) for p in sorted(EXAMPLES.glob("*.json"))}

REPLACEMENTS = [None, 0, -1, 1, 2, 0.5, 1.25, 1e9, True, "", "x", "0.05", "2.55", "1.23456", "-3",
                "2024-02-30", "2024-02-28", "1899-12-31", "2999-01-01", "morning", "noon", "patch",
                "capsule", "solution", "half", "none", "extended", "mg", "mcg/hr", [], {}, ["morning"],
                ["morning", "morning"], "a" * 300, "555-0100", "(555) abc", 72, 3651, "1e3", "NaN", "1000"]


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(value, dict):
        for key, sub in value.items():
            out.extend(_paths(sub, (*prefix, key)))
    elif isinstance(value, list):
        for i, sub in enumerate(value):
            out.extend(_paths(sub, (*prefix, i)))
    return out


@st.composite
def mutated_case(draw: st.DrawFn) -> dict[str, Any]:
    """An example case with one to three values replaced, deleted or added anywhere in it."""
    data = copy.deepcopy(CASES[draw(st.sampled_from(sorted(CASES)))])
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(data) if p]
        path = draw(st.sampled_from(paths))
        parent: Any = data
        for key in path[:-1]:
            parent = parent[key]
        action = draw(st.sampled_from(["replace", "replace", "replace", "delete", "add"]))
        if action == "delete" and isinstance(parent, dict):
            del parent[path[-1]]
        elif action == "add" and isinstance(parent, dict):
            key = draw(st.sampled_from(["extra", "units", "prn", "slots", "interval_hours", "volume_ml"]))
            parent[key] = copy.deepcopy(draw(st.sampled_from(REPLACEMENTS)))
        else:
            parent[path[-1]] = copy.deepcopy(draw(st.sampled_from(REPLACEMENTS)))
    return data
