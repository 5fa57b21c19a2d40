"""The builder's fields become a validated plan, or a message next to each wrong field."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from regimens.casefile import load_case
from taper import plan_fields
from taper.plan_fields import PlanItems
from tests.conftest import EXAMPLES

TODAY = date(2026, 11, 27)


@pytest.fixture(scope="module")
def kowalski():
    return load_case(EXAMPLES / "kowalski.json", today=TODAY)


def fields(case, **changes: str) -> dict[str, str]:
    return {**plan_fields.default_fields(case, "oxycodone", TODAY), **changes}


def test_defaults_make_a_plan_from_the_current_dose(kowalski):
    plan, errors = plan_fields.plan_from_fields(kowalski, kowalski.plans[0].id, fields(kowalski), PlanItems())
    assert errors == {}
    assert plan is not None
    assert plan.start_dose == Decimal(30) and plan.percent == Decimal(10) and plan.interval_days == 28
    assert plan.medication_ids == ("m1",)
    assert plan.start_date == TODAY


@pytest.mark.parametrize(("changes", "field", "words"), [
    ({"percent": ""}, "percent", "percent cut each step"),
    ({"percent": "150"}, "percent", "between 0 and 100"),
    ({"percent": "ten"}, "percent", "not a number"),
    ({"every": "0"}, "every", "14d, 2w or 1m"),
    ({"every": ""}, "every", "Days between steps"),
    ({"start": "27/11/2026"}, "start", "not a date"),
    ({"target": "40"}, "target", "above"),
    ({"strategy": "fixed", "amount": ""}, "amount", "How much"),
    ({"strategy": "hyperbolic", "steps": "0"}, "steps", "whole number"),
    ({"strategy": "custom", "doses": "20, x"}, "doses", "not a number"),
    ({"follows": "nope"}, "follows", "another plan"),
    ({"drug": "warfarin"}, "drug", "on a schedule"),
])
def test_each_wrong_field_gets_its_own_message(kowalski, changes, field, words):
    plan, errors = plan_fields.plan_from_fields(kowalski, kowalski.plans[0].id, fields(kowalski, **changes),
                                              PlanItems())
    assert plan is None
    assert words.lower() in errors[field].lower()


def test_a_second_plan_for_the_same_medication_is_refused(kowalski):
    plan, errors = plan_fields.plan_from_fields(kowalski, "another", fields(kowalski), PlanItems())
    assert plan is None and "already tapers oxycodone" in errors["drug"]


def test_fields_round_trip_through_a_saved_plan(kowalski):
    saved = kowalski.plans[0]
    plan, errors = plan_fields.plan_from_fields(kowalski, saved.id, plan_fields.fields_of_plan(saved), PlanItems.of(saved))
    assert errors == {}
    assert plan == saved


def test_a_plan_can_follow_another(kowalski):
    plan, errors = plan_fields.plan_from_fields(
        kowalski, "second", {**plan_fields.default_fields(kowalski, "alprazolam", TODAY),
                             "follows": kowalski.plans[0].id, "gap": "14"}, PlanItems())
    assert errors == {} and plan is not None
    assert plan.follows == kowalski.plans[0].id and plan.start_date is None and plan.follows_gap_days == 14


def test_items_are_added_changed_and_removed():
    pause, errors = plan_fields.pause_from({"start": "2027-02-01", "days": "14", "reason": "wedding",
                                          "show-reason": "no"})
    assert errors == {} and pause is not None and not pause.show_reason
    items = PlanItems().replace("pause", None, pause)
    longer, _ = plan_fields.pause_from({**plan_fields.item_fields("pause", pause), "days": "21"})
    items = items.replace("pause", 0, longer)
    assert items.pauses[0].days == 21 and items.pauses[0].reason == "wedding"
    assert "hold 21 days: wedding (reason not printed)" in items.rows()[0][2]
    assert items.replace("pause", 0, None).pauses == ()


@pytest.mark.parametrize(("build", "values", "field"), [
    (plan_fields.pause_from, {"days": "14"}, "start"),
    (plan_fields.pause_from, {"start": "2027-01-01", "after-step": "2", "days": "3"}, "start"),
    (plan_fields.pause_from, {"start": "2027-01-01", "days": "0"}, "days"),
    (plan_fields.setback_from, {"on": ""}, "on"),
    (plan_fields.setback_from, {"on": "2027-01-01", "fraction": "0"}, "fraction"),
    (plan_fields.support_from, {"support": "yoga"}, "support"),
    (plan_fields.support_from, {"support": "graded-walking", "weeks": "x"}, "weeks"),
    (plan_fields.follow_up_from, {"on": "soon"}, "on"),
])
def test_item_dialogs_name_the_wrong_field(build, values, field):
    item, errors = build(values)
    assert item is None and field in errors


def test_overrides_need_a_reason_and_cover_each_warning():
    none, errors = plan_fields.overrides_from({"reason": "ok"}, [(2, "R1")], TODAY)
    assert none is None and "reason" in errors
    overrides, errors = plan_fields.overrides_from({"reason": "patient's choice", "by": "JS"},
                                                 [(2, "R1"), (4, "R2")], TODAY)
    assert errors == {}
    assert [(o.step, o.rule, o.reason, o.by, o.recorded_on) for o in overrides] == [
        (2, "R1", "patient's choice", "JS", TODAY), (4, "R2", "patient's choice", "JS", TODAY)]


def test_new_plan_ids_do_not_clash(kowalski):
    assert plan_fields.new_plan_id(kowalski, "oxycodone") == "oxycodone-plan-2"
    assert plan_fields.new_plan_id(kowalski, "alprazolam") == "alprazolam-plan"


def test_case_with_plan_replaces_in_place_and_validates(kowalski):
    saved = kowalski.plans[0]
    renamed = saved.model_validate({**saved.model_dump(), "id": "renamed"})
    case = plan_fields.case_with_plan(kowalski, renamed, saved.id)
    assert [p.id for p in case.plans] == ["renamed"]
    assert plan_fields.case_without_plan(case, "renamed").plans == ()
