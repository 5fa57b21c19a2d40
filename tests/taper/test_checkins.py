"""The check-in rules: steady, worse after a step (hold), twice worse (slow), mood screens, self-harm; accepting."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regimens.case import Case, TaperPlan
from regimens.casefile import load_case
from regimens.checkin import CheckIn
from regimens.datefmt import short_date
from taper.adapters import case_schedules
from taper.checkins import AcceptError, accept, cuts, suggest, thresholds, trend_lines, with_checkin
from taper.guidelines import rule_data, rule_sets
from tests.conftest import EXAMPLES

START = date(2026, 12, 1)


def _case(plan_updates: dict | None = None) -> Case:
    """Walter Kowalski's case with one plain oxycodone plan (no dated pauses), steps every 28 days."""
    case = load_case(EXAMPLES / "kowalski.json")
    plan = case.plans[0].model_dump()
    plan.update(pauses=[], supports=[], strategy="fixed", amount=Decimal(5), percent=None, start_date=START,
                interval_days=28)
    plan.update(plan_updates or {})
    return Case.model_validate({**case.model_dump(), "plans": [plan], "checkins": []})


BASE = dict(pain=5, enjoyment=5, activity=5, sleep=5, goal=3, withdrawal=Decimal(1))


def _with(case: Case, *checkins: CheckIn) -> Case:
    for c in checkins:
        case = with_checkin(case, c)
    return case


def test_a_check_in_like_the_baseline_after_a_step_is_steady():
    case = _with(_case(), CheckIn(on=START - timedelta(days=3), **BASE))
    later = CheckIn(on=START + timedelta(days=10), **{**BASE, "withdrawal": Decimal(2)})
    case = with_checkin(case, later)
    assert suggest(case, later) is None


def test_before_any_step_there_is_nothing_to_compare_so_no_suggestion():
    first = CheckIn(on=START - timedelta(days=3), **{**BASE, "withdrawal": Decimal(9)})
    case = _with(_case(), first)
    assert suggest(case, first) is None
    assert "baseline" in " ".join(trend_lines(case, first))


def test_withdrawal_up_by_the_threshold_after_a_step_suggests_a_hold_of_the_rule_sets_days():
    case = _with(_case(), CheckIn(on=START - timedelta(days=3), **BASE))
    worse = CheckIn(on=START + timedelta(days=10), **{**BASE, "withdrawal": Decimal(3)})
    case = with_checkin(case, worse)
    s = suggest(case, worse)
    assert s is not None and s.action == "hold"
    assert s.days == thresholds(case_schedules(case)[0])["hold_days"] == 14
    assert s.plan == "oxycodone-plan" and s.rule.endswith("checkin-hold")
    assert "withdrawal went from 1 to 3" in s.reason and "step 1" in s.reason
    assert "CDC" in s.source


def test_a_rise_just_under_the_threshold_is_not_a_rise():
    case = _with(_case(), CheckIn(on=START - timedelta(days=3), **BASE))
    worse = CheckIn(on=START + timedelta(days=10), **{**BASE, "withdrawal": Decimal("2.9")})
    assert suggest(with_checkin(case, worse), worse) is None


def test_peg_up_30_percent_suggests_a_hold_and_less_does_not():
    case = _with(_case(), CheckIn(on=START - timedelta(days=3), **BASE))
    up = CheckIn(on=START + timedelta(days=7), **{**BASE, "pain": 7, "enjoyment": 7, "activity": 6})  # 5 -> 6.7
    s = suggest(with_checkin(case, up), up)
    assert s is not None and s.action == "hold" and "PEG" in s.reason
    little = CheckIn(on=START + timedelta(days=7), **{**BASE, "pain": 6, "enjoyment": 6, "activity": 6})  # 5 -> 6
    assert suggest(with_checkin(case, little), little) is None


def test_the_effect_of_a_step_is_against_the_last_check_in_before_that_step():
    case = _with(_case(), CheckIn(on=START - timedelta(days=3), **BASE),
                 CheckIn(on=START + timedelta(days=20), **{**BASE, "withdrawal": Decimal(5)}))
    # step 2 starts on day 28; against the day-20 check-in (5), a 6 is no rise though it is above the baseline
    after_two = CheckIn(on=START + timedelta(days=35), **{**BASE, "withdrawal": Decimal(6)})
    assert suggest(with_checkin(case, after_two), after_two) is None


def test_a_second_rise_suggests_slowing_and_accepting_keeps_the_dose_and_halves_the_cuts():
    case = _with(_case(), CheckIn(on=START - timedelta(days=3), **BASE),
                 CheckIn(on=START + timedelta(days=10), **{**BASE, "withdrawal": Decimal(4)}))
    second = CheckIn(on=START + timedelta(days=38), **{**BASE, "withdrawal": Decimal(7)})
    case = with_checkin(case, second)
    s = suggest(case, second)
    assert s is not None and s.action == "slow" and s.rule.endswith("checkin-slow")
    before = case_schedules(case)[0]
    dose_then = before.dose_on(second.on)
    after = case_schedules(accept(case, second, s))[0]
    # nothing before the check-in changes, and the dose is never raised back to an older one
    for day in range(38):
        assert after.dose_on(START + timedelta(days=day)) == before.dose_on(START + timedelta(days=day))
    later = [seg.dose for seg in after.segments if seg.start >= second.on]
    assert later[0] == dose_then and all(b <= a for a, b in zip(later, later[1:], strict=False))
    assert after.stop > before.stop  # half-size cuts (rounded to the tablets on hand) take longer
    assert any(seg.kind == "setback" and "check-in" in seg.reason for seg in after.segments)


@pytest.mark.parametrize(("phq2", "gad2", "positive"), [(3, None, True), (None, 3, True), (2, 2, False),
                                                         (6, 0, True)])
def test_a_mood_screen_of_3_or_more_asks_for_a_review_before_the_next_step(phq2, gad2, positive):
    case = _with(_case(), CheckIn(on=START - timedelta(days=3), **BASE))
    c = CheckIn(on=START + timedelta(days=10), phq2=phq2, gad2=gad2)
    s = suggest(with_checkin(case, c), c)
    if not positive:
        assert s is None
        return
    assert s is not None and s.action == "review" and "before the next step" in s.reason
    assert s.days == 18  # step 2 is on day 28
    assert "Kroenke" in s.source


def test_a_self_harm_yes_is_urgent_before_anything_else_and_names_the_crisis_line():
    case = _with(_case(), CheckIn(on=START - timedelta(days=3), **BASE))
    c = CheckIn(on=START + timedelta(days=10), **{**BASE, "withdrawal": Decimal(9)}, phq2=5, self_harm=True)
    s = suggest(with_checkin(case, c), c)
    assert s is not None and s.action == "urgent" and s.days == 0
    assert "988" in s.reason and "(555) 201-4410" in s.reason and "today" in s.reason


def test_self_harm_is_never_read_from_the_note():
    case = _with(_case(), CheckIn(on=START - timedelta(days=3), **BASE))
    c = CheckIn(on=START + timedelta(days=10), note="said he has thought about self-harm; suicide", self_harm=None)
    assert suggest(with_checkin(case, c), c) is None


def test_review_and_urgent_cannot_be_accepted_into_the_plan():
    case = _with(_case(), CheckIn(on=START - timedelta(days=3), **BASE))
    c = CheckIn(on=START + timedelta(days=10), phq2=4)
    case = with_checkin(case, c)
    s = suggest(case, c)
    assert s is not None
    with pytest.raises(AcceptError, match="prescriber"):
        accept(case, c, s)


def test_accepting_a_hold_records_the_check_in_as_the_reason_and_raises_the_revision():
    case = _with(_case(), CheckIn(on=START - timedelta(days=3), **BASE))
    c = CheckIn(on=START + timedelta(days=10), **{**BASE, "withdrawal": Decimal(5)})
    case = with_checkin(case, c)
    s = suggest(case, c)
    assert s is not None
    done = accept(case, c, s)
    plan = done.plans[0]
    assert plan.revision == case.plans[0].revision + 1
    assert plan.pauses[-1].start == c.on and plan.pauses[-1].days == 14
    assert short_date(c.on, True) in plan.pauses[-1].reason  # as the calendar writes dates: "Fri 11 Dec 2026"
    assert done.checkins[-1].accepted == "hold" and done.checkins[-1].plan_id == plan.id


def test_check_ins_are_kept_in_date_order_and_the_plan_is_chosen_by_the_last_step():
    case = _case()
    late = CheckIn(on=START + timedelta(days=30), sleep=4)
    early = CheckIn(on=START - timedelta(days=1), sleep=5)
    case = _with(case, late, early)
    assert [c.on for c in case.checkins] == [early.on, late.on]
    assert suggest(case, late) is None


def test_every_rule_set_carries_check_in_thresholds_with_a_known_source():
    sources = rule_data()["sources"]
    for rs in rule_sets().values():
        limits = rs["checkin"]
        assert limits["hold_days"] >= 1 and 0 < limits["slow_fraction"] < 1
        assert all(s.strip() in sources for s in limits["source"].split(","))
        assert limits["evidence"] in {"C", "S", "U"} and limits["why"]
    for entry in rule_data()["checkin_thresholds"].values():
        if isinstance(entry, dict):
            assert all(s.strip() in sources for s in entry["source"].split(","))


def _hold_case(interval: int, amount: int, offset: int, days: int) -> tuple[Case, CheckIn]:
    case = _case({"interval_days": interval, "amount": Decimal(amount)})
    case = with_checkin(case, CheckIn(on=START - timedelta(days=1), **BASE))
    c = CheckIn(on=START + timedelta(days=offset), **{**BASE, "withdrawal": Decimal(8)})
    return with_checkin(case, c), c


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(interval=st.integers(7, 42), amount=st.sampled_from([5, 10, 15]), offset=st.integers(0, 200),
       days=st.integers(1, 60))
def test_accepting_a_hold_never_shortens_the_plan_and_moves_every_later_step_by_its_days(interval, amount,
                                                                                          offset, days):
    case, c = _hold_case(interval, amount, offset, days)
    before = case_schedules(case)[0]
    s = suggest(case, c)
    if s is None:  # the check-in fell on the last dose: nothing after it to rise from a step... or steady
        return
    s = s._replace(days=days)
    after = case_schedules(accept(case, c, s))[0]
    assert after.stop >= before.stop
    # A step due on the check-in's day waits too: the hold keeps the dose taken before it.
    old = [x.start for x in cuts(before) if x.start >= c.on]
    new = [x.start for x in cuts(after) if x.start >= c.on]
    assert len(old) == len(new)
    assert all(n == o + timedelta(days=days) for o, n in zip(old, new, strict=True))
    assert [x.dose for x in cuts(before)] == [x.dose for x in cuts(after)]
    for day in range(offset):
        d = START + timedelta(days=day)
        assert after.dose_on(d) == before.dose_on(d)


def test_taper_plan_model_is_unchanged_by_check_ins():
    assert "checkins" not in TaperPlan.model_fields


def test_the_demo_case_has_three_check_ins_and_its_one_hold_is_what_accepting_the_suggestion_gives():
    demo = load_case(EXAMPLES / "kowalski.json")
    assert len(demo.checkins) == 3
    assert [c.accepted for c in demo.checkins] == [None, "hold", None]
    plan = demo.plans[0].model_dump()
    plan["pauses"] = [p for p in plan["pauses"] if "check-in" not in p["reason"]]
    plan["revision"] = 0
    checkins = [{**c.model_dump(), "accepted": None, "plan_id": None} for c in demo.checkins]
    fresh = Case.model_validate({**demo.model_dump(), "plans": [plan], "checkins": checkins})
    worse = fresh.checkins[1]
    s = suggest(fresh, worse)
    assert s is not None and s.action == "hold"
    assert accept(fresh, worse, s).plans == demo.plans
    assert suggest(demo, demo.checkins[2]) is None  # settled during the hold


def test_deleting_a_plan_keeps_its_check_ins_untied_and_renaming_it_moves_them():
    from taper.plan_fields import case_with_plan, case_without_plan

    demo = load_case(EXAMPLES / "kowalski.json")
    assert demo.checkins[1].plan_id == "oxycodone-plan"
    gone = case_without_plan(demo, "oxycodone-plan")
    assert len(gone.checkins) == 3 and all(c.plan_id is None for c in gone.checkins)
    renamed = TaperPlan.model_validate({**demo.plans[0].model_dump(), "id": "oxy-2"})
    moved = case_with_plan(demo, renamed, replaces="oxycodone-plan")
    assert [p.id for p in moved.plans] == ["oxy-2"] and moved.checkins[1].plan_id == "oxy-2"


def test_a_plan_changed_by_an_accepted_check_in_round_trips_through_the_builders_fields():
    """Accepting raises the plan's revision; opening it in the builder and keeping it unchanged must not."""
    from taper.plan_fields import PlanItems, case_with_plan, fields_of_plan, plan_from_fields

    demo = load_case(EXAMPLES / "kowalski.json")
    saved = demo.plans[0]
    assert saved.revision == 1
    plan, errors = plan_from_fields(demo, saved.id, fields_of_plan(saved), PlanItems.of(saved))
    assert errors == {} and plan == saved
    assert case_with_plan(demo, plan).plans[0].revision == 1


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(interval=st.integers(7, 42), amount=st.sampled_from([5, 10, 15]), offset=st.integers(1, 150))
def test_accepting_a_slow_down_never_returns_to_an_older_dose_and_never_changes_the_past(interval, amount, offset):
    case = _case({"interval_days": interval, "amount": Decimal(amount)})
    case = _with(case, CheckIn(on=START - timedelta(days=1), **BASE),
                 CheckIn(on=START, accepted="hold", **{**BASE, "withdrawal": Decimal(5)}))
    c = CheckIn(on=START + timedelta(days=offset), **{**BASE, "withdrawal": Decimal(9)})
    case = with_checkin(case, c)
    s = suggest(case, c)
    before = case_schedules(case)[0]
    if s is None or not [x for x in cuts(before) if x.start > c.on]:
        return
    assert s.action == "slow"
    after = case_schedules(accept(case, c, s))[0]
    for day in range(offset):
        d = START + timedelta(days=day)
        assert after.dose_on(d) == before.dose_on(d)
    now = before.dose_on(c.on)
    later = [seg.dose for seg in after.segments if seg.start >= c.on]
    assert later[0] == now and all(b <= a for a, b in zip(later, later[1:], strict=False))
    assert after.stop >= before.stop
    assert after.segments[-1].dose == before.segments[-1].dose
