"""Clinical-safety scenarios, written from the references.

1. What the patient reads is what was planned: for every example case, every taper (its own, and a
   standard one for every drug it takes on a schedule) and every day, the daily dose read back from
   the calendar's printed words equals the scheduled dose.
2. Dangerous combinations are flagged at the severity the references give.
3. Tapers that are impossible are refused, and too-fast ones are warned (and stay warned when
   overridden, with the reason shown).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest

from regimens.case import Pause
from regimens.casefile import load_case
from taper import plan_fields
from taper.adapters import case_schedules
from taper.calendar_view import build_calendar
from taper.schedule import PlanError
from taper.strategies import StrategyError
from tests.conftest import EXAMPLES

TODAY = date(2026, 11, 27)
EXAMPLE_NAMES = sorted(p.stem for p in EXAMPLES.glob("*.json"))


def _number(text: str) -> Fraction:
    return Fraction(text.replace(",", ""))


def printed_amount(part: str) -> Fraction:
    """The amount one printed portion gives: "(2.5 mg)" when shown, else "1 tablet of 15 mg"."""
    shown = re.search(r"\(([\d.,]+) (?:mg|mcg|mcg/hr)\)", part)
    if shown:
        return _number(shown.group(1))
    single = re.fullmatch(r"1 [\w-]+(?: \w+)? of ([\d.,]+) (mg|mcg|mcg/hr)", part.strip())
    assert single, f"cannot read the amount in {part!r}"
    if single.groups() == ("12", "mcg/hr"):
        return Fraction(25, 2)  # the patch labelled "12 mcg/hr" delivers 12.5 (Duragesic PI)
    return _number(single.group(1))


def printed_daily(cell, label: str, carried: dict[str, Fraction] | None = None) -> Fraction:
    """The daily dose the cell's words give for one drug; a patch that "stays on" keeps the last rate put on."""
    carried = {} if carried is None else carried
    total = Fraction(0)
    for line in cell.lines:
        if not line.text.startswith(label):
            continue
        if not line.tick:
            assert line.text in (f"{label} patch stays on", f"{label} patches stay on"), line.text
            return carried[label]
        words = re.sub(r"^:?\s*(take off [^;]*; )?(put on\s+)?", "", line.text[len(label):])
        for part in re.split(r" and (?=\d|half a )", words):  # not "3 and a half"
            total += printed_amount(part)
    if any(line.slot == "patch" and line.text.startswith(label) for line in cell.lines):
        carried[label] = total
    return total


def schedules_to_check(name: str):
    """The example's own plans, then one standard plan (10% every 2 weeks, a pause) per scheduled drug."""
    case = load_case(EXAMPLES / f"{name}.json", today=TODAY)
    if case.plans:
        yield case, case_schedules(case)
    bare = plan_fields.case_without_plan(case, case.plans[0].id) if case.plans else case
    for drug in plan_fields.taperable_drugs(bare.regimen):
        fields = {**plan_fields.default_fields(bare, drug, TODAY), "every": "14"}
        items = plan_fields.PlanItems(pauses=(Pause(days=10, start=TODAY + timedelta(days=40), reason="trip"),))
        planned, errors = plan_fields.plan_from_fields(bare, f"{drug}-check", fields, items)
        if planned is None:
            continue
        one = plan_fields.case_with_plan(bare, planned)
        try:
            yield one, case_schedules(one)
        except (PlanError, StrategyError):
            continue


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_every_printed_day_gives_the_scheduled_dose(name):
    from taper.calendar_view import _drug_label

    days = plans = 0
    for case, schedules in schedules_to_check(name):
        view = build_calendar(case, schedules, [], printed=TODAY)
        plans += len(schedules)
        carried: dict[str, Fraction] = {}
        for page in view.pages:
            for week in page.weeks:
                for cell in week:
                    if not cell.in_range:
                        continue
                    for s in schedules:
                        scheduled = s.dose_on(cell.day) if cell.day >= s.first_day else Fraction(0)
                        printed = printed_daily(cell, _drug_label(s), carried)
                        assert printed == scheduled, (name, s.plan.plan_id, cell.day)
                        days += 1
    assert plans >= 1 and days >= 100, (name, plans, days)


# Pairs from interactions.md that must never go unflagged, with the least severity it gives them
# (R1-R4 opioid with a CNS depressant, R23/R24 serotonergic and seizure-threshold pairs, NSAID pairs).
DANGEROUS = [
    ("oxycodone", "alprazolam", "major"), ("hydrocodone", "diazepam", "major"), ("morphine", "lorazepam", "major"),
    ("tramadol", "sertraline", "moderate"), ("methadone", "clonazepam", "major"), ("oxycodone", "gabapentin", "major"),
    ("oxycodone", "pregabalin", "major"), ("fentanyl", "alprazolam", "major"), ("warfarin", "ibuprofen", "major"),
    ("tramadol", "duloxetine", "moderate"), ("methadone", "ciprofloxacin", "moderate"),
    ("oxycodone", "zolpidem", "major"), ("lithium", "ibuprofen", "major"),
]
RANK = {"minor": 1, "moderate": 2, "major": 3, "contraindicated": 4}


@pytest.mark.parametrize(("a", "b", "least"), DANGEROUS)
def test_dangerous_pairs_are_flagged_in_either_order(a, b, least):
    from interactions.screen import screen
    from regimens.csv_import import regimen_from_csv_text
    from regimens.formulary import get_formulary

    def first(drug: str) -> str:
        p = get_formulary().get(drug).products[0]
        when = "every 72 hours" if p.form.value == "patch" else "morning"
        return f"{drug},{p.strength},{p.form.value},1,{when}\n"

    for pair in ((a, b), (b, a)):
        meds = regimen_from_csv_text("drug,strength,form,dose,when\n" + "".join(map(first, pair)))
        found = [f for f in screen(meds) if {a, b} <= set(f.drugs)]
        assert found, pair
        assert RANK[found[0].severity] >= RANK[least], (pair, found[0].severity)


def test_impossible_tapers_are_refused():
    case = load_case(EXAMPLES / "kowalski.json", today=TODAY)
    base = plan_fields.default_fields(case, "oxycodone", TODAY)
    pid = case.plans[0].id
    for changes, field in [({"target": "45"}, "target"), ({"percent": "0"}, "percent"), ({"percent": "100"}, "percent"),
                           ({"strategy": "custom", "doses": "20, 25, 10"}, "doses"), ({"every": "0"}, "every"),
                           ({"start-dose": "-5"}, "start-dose")]:
        plan, errors = plan_fields.plan_from_fields(case, pid, {**base, **changes}, plan_fields.PlanItems())
        if plan is not None:
            one = plan_fields.case_with_plan(case, plan, pid)
            with pytest.raises((PlanError, StrategyError)):
                case_schedules(one)
        else:
            assert field in errors, (changes, errors)


@pytest.mark.parametrize(("name", "drug", "percent", "every"), [
    ("kowalski", "oxycodone", "50", "7"),      # long-term opioid: 50% a week
    ("kowalski", "alprazolam", "50", "7"),     # benzodiazepine: 50% a week
    ("okafor", None, "60", "3"),
])
def test_too_fast_tapers_are_warned_and_overrides_keep_the_warning_visible(name, drug, percent, every):
    from regimens.case import Override

    case = load_case(EXAMPLES / f"{name}.json", today=TODAY)
    case = plan_fields.case_without_plan(case, case.plans[0].id) if case.plans else case
    drug = drug or plan_fields.taperable_drugs(case.regimen)[0]
    fields = {**plan_fields.default_fields(case, drug, TODAY), "percent": percent, "every": every}
    plan, errors = plan_fields.plan_from_fields(case, "fast", fields, plan_fields.PlanItems())
    assert plan is not None, errors
    schedule = case_schedules(plan_fields.case_with_plan(case, plan))[0]
    if schedule.rule_set is None:
        pytest.skip(f"{drug} has no class rule set")  # pragma: no cover - every example drug has one
    assert schedule.warnings, (drug, percent, every)
    overridden = plan.model_validate({**plan.model_dump(), "overrides": [
        Override(step=0, rule="*", reason="patient's informed choice", recorded_on=TODAY).model_dump()]})
    again = case_schedules(plan_fields.case_with_plan(case, overridden))[0]
    assert len(again.warnings) == len(schedule.warnings)  # never hidden
    assert all(w.override == "patient's informed choice" for w in again.warnings)


def test_a_stop_is_never_printed_as_a_dose():
    case = load_case(EXAMPLES / "kowalski.json", today=TODAY)
    schedule = case_schedules(case)[0]
    view = build_calendar(case, [schedule], [], printed=TODAY)
    last = schedule.segments[-1]
    assert last.dose == 0
    cells = [c for p in view.pages for w in p.weeks for c in w if c.in_range and c.day >= last.start]
    assert cells and all(printed_daily(c, "oxycodone") == 0 for c in cells)
    assert Decimal(0) == 0
