"""The fast case reader used by ``taper review`` agrees with the full model.

It may refuse more than the model (the model then gives the message), never less, and the facts
it computes are the model's.
"""

from __future__ import annotations

import copy
import json
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from regimens.case import Case
from regimens.facts import facts_from_dicts, facts_from_regimen
from regimens.fastcase import check_case_data, read_case_fast
from tests.conftest import EXAMPLES, ROOT

CASES = {p.stem: json.loads(p.read_text("utf-8")) for p in sorted(EXAMPLES.glob("*.json"))}


def test_exported_schema_matches_the_models():
    saved = json.loads((ROOT / "regimens" / "data" / "case.schema.json").read_text("utf-8"))
    assert saved == json.loads(json.dumps(Case.model_json_schema())), (
        "regenerate with: .venv/bin/python -m regimens.schema_export"
    )


@pytest.mark.parametrize("name", sorted(CASES))
def test_examples_pass_and_facts_match(name):
    data = CASES[name]
    assert check_case_data(data, today=date(2026, 11, 26))
    case = Case.model_validate(data)
    assert facts_from_dicts(data.get("regimen", {}).get("medications", [])) == facts_from_regimen(case.regimen)
    fast = read_case_fast(EXAMPLES / f"{name}.json")
    assert fast is not None and fast.meds == facts_from_regimen(case.regimen)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(value, dict):
        for key, sub in value.items():
            out.extend(_paths(sub, (*prefix, key)))
    elif isinstance(value, list):
        for i, sub in enumerate(value):
            out.extend(_paths(sub, (*prefix, i)))
    return out


REPLACEMENTS = [None, 0, -1, 1, 2, 0.5, 1.25, 1e9, True, "", "x", "0.05", "2.55", "1.23456", "-3",
                "2024-02-30", "2024-02-28", "1899-12-31", "2999-01-01", "morning", "noon", "patch",
                "capsule", "solution", "half", "none", "extended", "mg", "mcg/hr", [], {}, ["morning"],
                ["morning", "morning"], "a" * 300, "555-0100", "(555) abc", 72, 3651, "1e3", "NaN"]


@st.composite
def mutated_case(draw: st.DrawFn) -> dict[str, Any]:
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
            parent[key] = (
                copy.deepcopy(draw(st.sampled_from(REPLACEMENTS))))
        else:
            parent[path[-1]] = copy.deepcopy(draw(st.sampled_from(REPLACEMENTS)))
    return data


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_case())
def test_fast_reader_never_accepts_what_the_model_refuses(data):
    today = date(2026, 11, 26)
    if not check_case_data(data, today):
        return
    try:
        case = Case.model_validate(data)
    except ValidationError as exc:  # pragma: no cover - the failure this test exists to catch
        pytest.fail(f"fast reader accepted a case the model refuses: {exc}")
    assert case.patient.birth_date <= today
    assert facts_from_dicts(data.get("regimen", {}).get("medications", [])) == facts_from_regimen(case.regimen)
