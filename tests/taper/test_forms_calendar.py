"""Lines of every dose form sit on a case whose calendar, summary and ICS build; a taper of a drug in a
non-oral form is refused plainly unless a rule set covers its class."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from regimens.case import Case
from regimens.dose_text import dose_text
from regimens.formulary import get_formulary
from regimens.regimen import Medication
from taper.adapters import case_schedules
from taper.calendar_view import build_calendar
from taper.ics import build_ics
from taper.schedule import PlanError
from taper.summary_view import build_summary
from tests.helpers.forms import FORM_CASES, OPIOID_INJECTION, FormCase, drug_name, form_drugs
from tests.helpers.pdfs import calendar_and_summary
from tests.helpers.plans import case_with, line, plan, product

TODAY = date(2027, 1, 2)


@pytest.fixture(autouse=True)
def with_form_drugs():
    with form_drugs():
        yield


def _line(mid: str, case: FormCase) -> Medication:
    made_up = get_formulary().get(drug_name(case)).products[0]
    dose = case.dose.split()[0]
    if case.interval_hours or case.when.startswith("every"):
        from regimens.csv_import import interval_hours

        return line(mid, made_up, dose, interval=interval_hours(case.when))
    return line(mid, made_up, dose, "morning")


def _every_form(*plans) -> Case:
    lines = [_line(f"f{i}", c) for i, c in enumerate(FORM_CASES)]
    oxycodone = line("o", product("oxycodone", "5 mg"), "1", "morning", "evening")
    return case_with(oxycodone, *lines, plans=plans)


def test_a_case_with_every_form_prints_its_calendar_summary_and_ics():
    case = _every_form(plan("oxycodone", ("o",), "10", strategy="fixed", amount=Decimal("2.5"), interval_days=14))
    schedules = case_schedules(case)
    calendar, summary = calendar_and_summary(case, TODAY)
    assert calendar.startswith(b"%PDF") and summary.startswith(b"%PDF")
    view = build_summary(case, schedules, _review(case), [], TODAY)
    rows = {row[0]: row[1] for row in view["regimen"]}
    for med, form_case in zip(case.regimen.medications[1:], FORM_CASES, strict=True):
        shown = next(text for name, text in rows.items() if name.lower() == med.product.description().lower())
        assert shown.startswith(form_case.printed), (shown, form_case.printed)
    assert "10 units" in "\n".join(rows.values())
    build_calendar(case, schedules, [], printed=TODAY)
    ics = build_ics("T", schedules, datetime(2027, 1, 1, tzinfo=UTC), daily=True)
    assert ics.startswith("BEGIN:VCALENDAR")


def _review(case: Case):
    from interactions.review import review

    return review(case.regimen, case.patient.age_on(TODAY))


@pytest.mark.parametrize("form_case", FORM_CASES, ids=[c.key for c in FORM_CASES])
def test_a_taper_of_a_drug_no_rule_set_covers_is_refused_plainly(form_case):
    made_up = get_formulary().get(drug_name(form_case)).products[0]
    drug = made_up.ingredients[0].drug
    case = case_with(_line("m", form_case), plans=(
        plan(drug, ("m",), "1", strategy="fixed", amount=Decimal("0.5"), interval_days=14),))
    with pytest.raises(PlanError) as info:
        case_schedules(case)
    message = str(info.value)
    assert f"no taper rule set covers {drug}" in message
    assert made_up.form.label in message


def test_an_opioid_injection_is_tapered_in_ml():
    injection = get_formulary().get(OPIOID_INJECTION).products[0]
    case = case_with(line("m", injection, "1", "morning", "evening"), plans=(
        plan(OPIOID_INJECTION, ("m",), "20", strategy="fixed", amount=Decimal("2"), interval_days=7),))
    [schedule] = case_schedules(case)
    first = schedule.segments[0]
    assert first.dose == 18
    assert dose_text(injection, first.split.portions[0].items[0][1]) == "0.9 mL (9 mg)"
    calendar, _ = calendar_and_summary(case, TODAY)
    assert calendar.startswith(b"%PDF")


def test_eye_drops_of_a_drug_a_rule_set_covers_are_still_refused():
    """Timolol is a beta-blocker (a class with a rule set), but a drop of 0.5% has no dose to lower."""
    drops = product("timolol", "0.5%", form="eye-drops")
    case = case_with(line("m", drops, "1", "morning", "evening"), plans=(
        plan("timolol", ("m",), "1", strategy="fixed", amount=Decimal("0.5"), interval_days=14),))
    with pytest.raises(PlanError) as info:
        case_schedules(case)
    assert "timolol eye drops (" in str(info.value) and "has no amount per dose" in str(info.value)
