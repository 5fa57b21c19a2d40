"""Read a case file for screening without building pydantic models.

``taper review`` must start in about the time it takes to import pydantic, and building the
case-file models costs more than that. This reader checks the whole file against the JSON
schema exported from the models (``data/case.schema.json``, kept in step by a test) and the
same cross-field rules (:mod:`regimens.invariants`). Anything it is unsure of returns None,
and the caller loads the file with the full model, which gives the exact message.
"""

from __future__ import annotations

import json
import os
from datetime import date
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from regimens.casejson import decode_case_json, read_case_text
from regimens.facts import MedFacts, facts_from_dicts
from regimens.invariants import (
    birth_date_problem,
    duplicate_ids,
    medication_problem,
    pause_problem,
    plan_problem,
    plan_references_problem,
    product_problem,
)
from regimens.jsonschema_lite import SchemaError, Validator


class FastCase(NamedTuple):
    """What a review needs from a case: who, how old, and what they take."""

    patient_name: str
    birth_date: date
    meds: tuple[MedFacts, ...]


@cache
def case_validator() -> Validator:
    text = (Path(__file__).parent / "data" / "case.schema.json").read_text("utf-8")
    return Validator(json.loads(text))


def _decimal_places_ok(value: Any, places: int = 4) -> bool:
    return (Fraction(str(value)) * 10**places).denominator == 1


def _rules_hold(data: dict[str, Any], today: date | None) -> bool:
    patient = data["patient"]
    if birth_date_problem(date.fromisoformat(patient["birth_date"]), today):
        return False
    meds = data.get("regimen", {}).get("medications", [])
    for med in meds:
        product = med["product"]
        if product_problem(product["form"], product.get("release", "immediate"),
                           product.get("volume_ml") is not None,
                           [i["unit"] for i in product["ingredients"]], product.get("split", "none")):
            return False
        units = med["units"]
        max_units = med.get("max_units_per_day")
        if not _decimal_places_ok(units) or (max_units is not None and not _decimal_places_ok(max_units)):
            return False
        if medication_problem(
            product["form"], product.get("split", "none"), Fraction(str(units)),
            med.get("slots", []), med.get("interval_hours"), bool(med.get("prn", False)),
            Fraction(str(max_units)) if max_units is not None else None,
        ):
            return False
    if duplicate_ids([m["id"] for m in meds], "medications"):
        return False
    plans = data.get("plans", [])
    for plan in plans:
        if plan_problem(plan.get("start_date") is not None, plan.get("follows") is not None,
                        Fraction(str(plan["start_dose"])), Fraction(str(plan.get("target_dose", 0)))):
            return False
        for pause in plan.get("pauses", []):
            if pause_problem(pause.get("start") is not None, pause.get("after_step") is not None):
                return False
    problem = plan_references_problem(
        [(p["id"], p["medication_ids"], p.get("follows")) for p in plans],
        {m["id"] for m in meds},
    )
    return problem is None


def check_case_data(data: dict[str, Any], today: date | None = None) -> bool:
    """True when ``data`` certainly passes the full model (schema and cross-field rules)."""
    try:
        case_validator().validate(data)
    except SchemaError:
        return False
    return _rules_hold(data, today)


def read_case_fast(path: str | os.PathLike[str], today: date | None = None) -> FastCase | None:
    """The case's screening facts, or None when only the full model can judge the file.

    Damaged files (not JSON, too large, a newer schema) raise the same
    :class:`~regimens.errors.TaperInputError` as the full loader.
    """
    data = decode_case_json(read_case_text(path), name=str(path))
    if not check_case_data(data, today):
        return None
    patient = data["patient"]
    meds = facts_from_dicts(data.get("regimen", {}).get("medications", []))
    return FastCase(patient["name"], date.fromisoformat(patient["birth_date"]), meds)
