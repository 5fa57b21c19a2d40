"""Cross-field rules of the saved model, as plain functions.

The pydantic models call these in their validators, and the fast case reader (used by
``taper review``, which must start without building pydantic models) calls the same
functions, so both paths enforce one set of rules. Each returns None or the problem in words.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from fractions import Fraction

from regimens.quantity import format_number

LIQUID_FORMS = frozenset({"solution", "suspension", "concentrate"})
RATE_UNITS = frozenset({"mcg/hr", "mg/24 hr"})
FORM_LABELS = {
    "tablet": "tablet",
    "capsule": "capsule",
    "odt": "orally disintegrating tablet",
    "film": "film",
    "solution": "oral solution",
    "suspension": "oral suspension",
    "concentrate": "oral concentrate",
    "patch": "patch",
    "granules": "granules",
    "nasal-spray": "nasal spray",
}
UNIT_NOUNS = {
    "tablet": "tablet",
    "capsule": "capsule",
    "odt": "tablet",
    "film": "film",
    "solution": "mL",
    "suspension": "mL",
    "concentrate": "mL",
    "patch": "patch",
    "granules": "packet",
    "nasal-spray": "spray",
}


def product_problem(
    form: str, release: str, has_volume: bool, units: Sequence[str], split: str
) -> str | None:
    """Why a product's fields cannot go together, or None."""
    if (form in LIQUID_FORMS) != has_volume:
        return "a liquid needs volume_ml and only liquids have it"
    rates = [u in RATE_UNITS for u in units]
    if any(rates) and form != "patch":
        return "only patches have a delivery-rate strength"
    if form == "patch" and not all(rates):
        return "a patch strength is a rate (mcg/hr or mg/24 hr)"
    if split == "half" and (form != "tablet" or release != "immediate"):
        return "only immediate-release tablets may be split"
    return None


def smallest_step(form: str, split: str) -> Fraction:
    """The smallest amount of a product a patient can take, in its dose units."""
    if form in LIQUID_FORMS:
        return Fraction(1, 10)
    return Fraction(1, 2) if split == "half" else Fraction(1)


def units_problem(form: str, split: str, units: Fraction) -> str | None:
    """Why ``units`` of a product cannot be given (half a capsule, 2.55 mL), or None."""
    if (units / smallest_step(form, split)).denominator == 1:
        return None
    noun = UNIT_NOUNS[form]
    if form in LIQUID_FORMS:
        return f"{format_number(units)} mL cannot be measured; use steps of 0.1 mL"
    if split == "half":
        return f"{format_number(units)} {noun}s: scored tablets split into halves only"
    return f"{format_number(units)} {noun}s: this {FORM_LABELS[form]} may not be split (whole {noun}s only)"


def medication_problem(
    form: str,
    split: str,
    units: Fraction,
    slots: Sequence[str],
    interval_hours: int | None,
    prn: bool,
    max_units: Fraction | None,
) -> str | None:
    """Why a medication line is inconsistent, or None."""
    if bool(slots) == (interval_hours is not None):
        return "give either time slots or an interval, not both or neither"
    if len(set(slots)) != len(slots):
        return "a time slot is listed twice"
    problem = units_problem(form, split, units)
    if problem:
        return problem
    if max_units is not None and not prn:
        return "a maximum per day applies to as-needed medicines only"
    if max_units is not None and max_units < units:
        return "the maximum per day is less than one dose"
    return None


def birth_date_problem(birth: date, today: date | None) -> str | None:
    if birth < date(1900, 1, 1):
        return "birth_date is before 1900"
    if today is not None and birth > today:
        return "is in the future"
    return None


def pause_problem(has_start: bool, has_after_step: bool) -> str | None:
    if has_start == has_after_step:
        return "a pause needs either a start date or a step to follow"
    return None


def duplicate_ids(ids: Sequence[str], what: str) -> str | None:
    if len(set(ids)) != len(ids):
        return f"two {what} share an id"
    return None


def plan_problem(
    has_start: bool, has_follows: bool, start_dose: Fraction, target_dose: Fraction
) -> str | None:
    if has_start == has_follows:
        return "a plan needs either a start_date or a plan it follows"
    if target_dose > start_dose:
        return "target_dose is above start_dose"
    return None


def plan_references_problem(
    plans: Sequence[tuple[str, Sequence[str], str | None]], medication_ids: set[str]
) -> str | None:
    """Plans as (id, medication ids, follows) must refer to real medications and plans."""
    problem = duplicate_ids([p[0] for p in plans], "plans")
    if problem:
        return problem
    plan_ids = {p[0] for p in plans}
    for plan_id, med_ids, follows in plans:
        missing = [m for m in med_ids if m not in medication_ids]
        if missing:
            return f"plan {plan_id} refers to unknown medication {missing[0]}"
        if follows is not None and follows not in plan_ids:
            return f"plan {plan_id} follows unknown plan {follows}"
    return None
