"""The fast case reader used by ``taper review`` agrees with the full model.

It may refuse more than the model (the model then gives the message), never less, and the facts
it computes are the model's.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from pydantic import ValidationError

from regimens.case import Case
from regimens.facts import facts_from_dicts, facts_from_regimen
from regimens.fastcase import check_case_data, read_case_fast
from tests.conftest import EXAMPLES, ROOT
from tests.helpers.case_files import CASES, mutated_case


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
