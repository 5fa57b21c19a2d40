"""Clinical safety, second round (issue 12, items 1-7): what an audit against published tables found.

Each test fails on the engine as it was: patches dispensed per day, 12 mcg/hr counted as 12, step 1
never checked, a slow taper saved as one stop, OxyContin moved to once a day, step numbers the
table never printed, and follow-ups on a Saturday before the plan began.
"""

from __future__ import annotations

import json
import math
import re
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest

from interactions.metrics import compute_metrics
from interactions.review import review
from regimens.case import Case, Pause
from regimens.regimen import Regimen
from taper.adapters import case_schedules, plan_input
from taper.calendar_view import day_lines
from taper.outputs import dispense_json, patch_changes, schedule_json
from taper.schedule import PlanError, build_schedule
from taper.summary_view import build_summary
from tests.helpers.cli import taper
from tests.helpers.plans import START, case_with, line, plan, product


def schedule_of(case: Case):
    return case_schedules(case)[0]


def one_plan(drug: str, prod, units: str, slots: tuple[str, ...], start: str, interval: int | None = None,
             **kw: object):
    return case_with(line("m1", prod, units, *slots, interval=interval), plans=(plan(drug, ("m1",), start, **kw),))


def steps(s):
    return [seg for seg in s.segments if seg.kind == "step" and not seg.continued]


# --- Item 1: patches are dispensed per change, not per day -----------------------------------------


def fentanyl_case(units: str, strength: str, start: str, doses: tuple[str, ...], ids: tuple[str, ...] = (),
                  every: int = 28):
    return one_plan("fentanyl", product("fentanyl", strength, "patch"), units, (), start, interval=72,
                    dose_unit="mcg/hr", strategy="custom", custom_doses=tuple(Decimal(d) for d in doses),
                    interval_days=every, product_ids=ids)


def total(dispense, product_id: str) -> int:
    return sum(x["quantity"] for x in dispense["total"] if x["product_id"] == product_id)


def test_a_72_hour_patch_is_dispensed_once_every_three_days_not_daily():
    # 50 -> 25 (two 12s, 28 days) -> 12 -> stop: 2 x 12 patches worn, changed every 3 days.
    s = schedule_of(fentanyl_case("2", "25 mcg/hr", "50", ("25", "12.5", "0"),
                                  ids=("fentanyl-patch-12mcghr",)))
    first = s.segments[0]
    assert first.dose == 25 and first.days == 28
    changes = patch_changes(s, first.start, first.end)
    assert len(changes) == math.ceil(28 / 3) == 10
    dispense = dispense_json(s)
    # 10 changes x 2 patches, then 10 changes x 1 patch: 30, never 56 + 28.
    assert total(dispense, "fentanyl-patch-12mcghr") == 10 * 2 + 10 * 1
    fills = dispense["fills"]
    assert sum(x["quantity"] for f in fills for x in f["products"]) == 30


def test_a_seven_day_patch_is_dispensed_weekly():
    case = one_plan("buprenorphine", product("buprenorphine", "20 mcg/hr", "patch"), "1", (), "20", interval=168,
                    dose_unit="mcg/hr", strategy="custom", custom_doses=(Decimal(15), Decimal(10), Decimal(0)),
                    interval_days=28)
    s = schedule_of(case)
    dispense = dispense_json(s)
    assert sum(x["quantity"] for x in dispense["total"]) == 4 + 4  # two 28-day steps, one patch a week
    days = [d for d, _ in patch_changes(s, s.first_day, s.stop)]
    assert days[:5] == [s.first_day + timedelta(days=7 * k) for k in range(4)] + [s.segments[1].start]


def test_the_change_day_line_says_how_many_come_off_and_what_goes_on():
    # 2 x 25 now -> 25 + 12 (two patches) -> 25 (one) -> 12 -> stop
    s = schedule_of(fentanyl_case("2", "25 mcg/hr", "50", ("37.5", "25", "12.5", "0"),
                                  ids=("fentanyl-patch-12mcghr", "fentanyl-patch-25mcghr")))
    first_day, _ = day_lines([s], s.first_day)
    assert "take off every patch you wear now" in first_day[0].text
    second = s.segments[1]
    lines, banners = day_lines([s], second.start)
    assert lines[0].text == "fentanyl: take off the 2 old patches; put on 1 patch of 25 mcg/hr"
    assert any("NEW DOSE" in b for b in banners)
    lines, _ = day_lines([s], second.start + timedelta(days=1))
    assert lines[0].text == "fentanyl patch stays on" and not lines[0].tick
    lines, _ = day_lines([s], second.start + timedelta(days=3))
    assert lines[0].text == "fentanyl: take off the old patch; put on 1 patch of 25 mcg/hr"


# --- Item 2: fentanyl "12 mcg/hr" delivers 12.5 ----------------------------------------------------


def test_the_12_patch_counts_as_12_point_5_in_mme_and_keeps_its_name():
    twelve = product("fentanyl", "12 mcg/hr", "patch")
    metrics = compute_metrics(Regimen(medications=(line("f", twelve, "1", interval=72),)))
    assert metrics.mme_per_day == Fraction(25, 2) * Fraction(24, 10) == 30
    assert twelve.strength == "12 mcg/hr" and "12 mcg/hr" in twelve.description()


@pytest.mark.parametrize(("now_units", "strength", "start"), [("1", "25 mcg/hr", "25"), ("2", "25 mcg/hr", "50"),
                                                              ("1", "50 mcg/hr", "50"), ("1", "75 mcg/hr", "75")])
def test_twelves_never_replace_the_same_dose(now_units, strength, start):
    """25 -> 2 x 12 and 50 -> 4 x 12 are not steps: every printed step lowers the dose."""
    case = one_plan("fentanyl", product("fentanyl", strength, "patch"), now_units, (), start, interval=72,
                    dose_unit="mcg/hr", strategy="fixed", amount=Decimal(1), interval_days=28,
                    product_ids=("fentanyl-patch-12mcghr", "fentanyl-patch-25mcghr"))
    s = schedule_of(case)
    previous = Fraction(start)
    for seg in steps(s):
        assert seg.dose < previous, (seg.label, seg.dose)
        assert (seg.dose / Fraction(25, 2)).denominator == 1
        previous = seg.dose
    assert not any(seg.dose in (24, 48) for seg in s.segments)
    out = json.dumps(schedule_json(s))
    assert '"daily_dose": 24' not in out and '"daily_dose": 48' not in out


# --- Item 3: every cut is checked, including the first, for every class ----------------------------


CLASS_CASES = [
    # drug, product (strength, form), units, slots, start, custom doses, the rule step 1 must break
    ("alprazolam", ("0.5 mg", "tablet"), "1", ("morning", "noon", "bedtime"), "1.5", ("0.125", "0"),
     "BZD-25PCT-2WEEKS"),
    ("lorazepam", ("1 mg", "tablet"), "1", ("morning", "noon", "bedtime"), "3", ("2", "1.5", "1", "0.5", "0"),
     "BZD-25PCT-2WEEKS"),
    ("zolpidem", ("10 mg", "tablet"), "1", ("bedtime",), "10", ("5", "0"), "ZDRUG-25PCT-2WEEKS"),
    ("gabapentin", ("600 mg", "tablet"), "1", ("morning", "noon", "bedtime"), "1800", ("300", "0"),
     "GABA-300MG-WEEK"),
    ("pregabalin", ("150 mg", "capsule"), "1", ("morning", "bedtime"), "300", ("150", "75", "0"),
     "PREGAB-75MG-WEEK"),
    ("oxycodone", ("10 mg", "tablet"), "2", ("morning", "evening"), "40", ("20", "10", "5", "0"), "OPI-25PCT-STEP"),
    ("sertraline", ("100 mg", "tablet"), "1", ("morning",), "100", ("25", "0"), "AD-50PCT-STEP"),
    ("nortriptyline", ("75 mg", "capsule"), "1", ("bedtime",), "75", ("25", "0"), "TCA-50PCT-STEP"),
    ("prednisone", ("20 mg", "tablet"), "2", ("morning",), "40", ("20", "10", "0"), "STEROID-BANDS"),
]


@pytest.mark.parametrize(("drug", "prod", "units", "slots", "start", "doses", "rule"), CLASS_CASES,
                         ids=[c[0] for c in CLASS_CASES])
def test_a_too_big_first_cut_is_warned_in_every_class(drug, prod, units, slots, start, doses, rule):
    case = one_plan(drug, product(drug, *prod), units, slots, start, strategy="custom",
                    custom_doses=tuple(Decimal(d) for d in doses), interval_days=7)
    s = schedule_of(case)
    assert s.segments[0].step == 1
    first = [w for w in s.warnings if w.step == 1]
    assert rule in {w.rule for w in first}, [w.rule for w in s.warnings]
    assert all(w.source for w in first)


def test_a_stop_from_the_smallest_dose_after_two_weeks_is_expected():
    # alprazolam 1 mg -> 0.75 -> 0.5 -> 0.375 -> 0.25 -> 0.125 (the smallest: half of 0.25), then stop.
    doses = ("0.75", "0.5", "0.375", "0.25", "0.125", "0")
    case = one_plan("alprazolam", product("alprazolam", "0.5 mg"), "1", ("morning", "bedtime"), "1",
                    strategy="custom", custom_doses=tuple(Decimal(d) for d in doses), interval_days=14)
    s = schedule_of(case)
    assert not [w for w in s.warnings if w.rule == "BZD-STOP-LOWEST"]
    quick = one_plan("alprazolam", product("alprazolam", "0.5 mg"), "1", ("morning", "bedtime"), "1",
                     strategy="custom", custom_doses=tuple(Decimal(d) for d in doses), interval_days=7)
    early = [w for w in schedule_of(quick).warnings if w.rule == "BZD-STOP-LOWEST"]
    assert len(early) == 1 and "only 7 days" in early[0].message


def test_a_stop_from_above_the_smallest_dose_is_warned():
    case = one_plan("oxycodone", product("oxycodone", "5 mg"), "2", ("morning", "evening"), "10",
                    strategy="custom", custom_doses=(Decimal("7.5"), Decimal(5), Decimal(0)), interval_days=28)
    s = schedule_of(case)
    stop = [w for w in s.warnings if w.rule == "OPI-STOP-LOWEST"]
    assert len(stop) == 1 and stop[0].step == s.segments[-1].step
    assert "from 5 mg" in stop[0].message and "2.5 mg" in stop[0].message


def test_first_cut_message_names_the_current_dose():
    case = one_plan("zolpidem", product("zolpidem", "10 mg"), "1", ("bedtime",), "10", strategy="custom",
                    custom_doses=(Decimal(5), Decimal(0)), interval_days=14)
    w = next(w for w in schedule_of(case).warnings if w.step == 1)
    assert "from 10 mg to 5 mg" in w.message and "50%" in w.message


# --- Item 4: a slow taper never becomes an abrupt stop ------------------------------------------


@pytest.mark.parametrize("kw", [dict(strategy="percent-current", percent=Decimal("0.01")),
                                dict(strategy="percent-current", percent=Decimal("0.000000001")),
                                dict(strategy="fixed", amount=Decimal("0.0000001")),
                                dict(strategy="percent-original", percent=Decimal("0.001"))])
def test_a_cut_too_small_for_ten_years_is_refused_naming_the_smallest_cut(kw):
    case = one_plan("oxycodone", product("oxycodone", "15 mg"), "1", ("morning", "evening"), "30",
                    interval_days=28, **kw)
    with pytest.raises(PlanError) as caught:
        schedule_of(case)
    assert "smallest cut these products can make from 30 mg is 2.5 mg" in str(caught.value)


def test_the_command_line_refuses_it_with_exit_2_and_never_saves_a_stop(tmp_path):
    from tests.conftest import LISTS

    proc = taper("plan", str(LISTS / "kowalski.csv"), "--drug", "oxycodone", "--strategy", "percent-current",
                 "--percent", "0.01", "--start", str(START))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and proc.stdout == ""
    assert "smallest cut" in proc.stderr


def test_a_small_cut_holds_and_merges_and_says_so():
    case = one_plan("oxycodone", product("oxycodone", "15 mg"), "1", ("morning", "evening"), "30",
                    strategy="percent-current", percent=Decimal(1), interval_days=7)
    s = schedule_of(case)
    made = steps(s)
    assert len(made) > 5 and made[0].dose > 0
    assert s.segments[0].kind == "hold" and s.segments[0].dose == 30
    assert any("merged into the printed steps" in n for n in s.notices)
    assert any("first cut the products can make comes after" in n for n in s.notices)


# --- Item 5: modified-release keeps its interval; the tail switches form ------------------------------


def oxycontin_case(**kw: object):
    return one_plan("oxycodone", product("oxycodone", "15 mg", "tablet", "extended"), "1", ("morning", "evening"),
                    "30", strategy="percent-current", percent=Decimal(10), interval_days=28, **kw)


def test_oxycontin_keeps_both_doses_a_day_and_moves_to_immediate_release_for_the_tail():
    s = schedule_of(oxycontin_case())
    units = s.plan.units
    for seg in s.segments:
        used = {units[i] for p in seg.split.portions for i, _ in p.items}
        if seg.dose and all(u.modified for u in used):
            assert all(p.items for p in seg.split.portions), (seg.label, "an extended-release dose was dropped")
    switched = [seg for seg in s.segments if seg.switch]
    assert len(switched) == 1
    before, after = switched[0].switch
    assert "OxyContin" in before and "extended" not in after
    step = next(x for x in schedule_json(s)["steps"] if "product_switch" in x)
    assert step["product_switch"] == {"from": before, "to": after}
    lines, banners = day_lines([s], switched[0].start)
    assert "NEW MEDICINE from today: oxycodone tablets instead of oxycodone extended-release tablets" in banners
    # Never stuck on the lowest extended-release dose for months: the stop comes from the smallest IR dose.
    assert s.segments[-2].dose == Fraction(5, 2)


def test_keep_products_keeps_oxycontin_and_its_interval():
    s = schedule_of(oxycontin_case(keep_products=True))
    assert not any(seg.switch for seg in s.segments)
    assert all(s.plan.units[i].modified for seg in s.segments for p in seg.split.portions for i, _ in p.items)
    assert all(all(p.items for p in seg.split.portions) for seg in s.segments if seg.dose)


def test_the_summary_prints_the_switch_as_its_own_line():
    case = oxycontin_case()
    data = build_summary(case, case_schedules(case), review(case.regimen, 70), [], START)
    switches = data["plans"][0]["switches"]
    assert len(switches) == 1 and "PRODUCT SWITCH" in switches[0] and "OXYCONTIN" in switches[0].upper()


def test_an_antidepressant_tail_moves_to_the_liquid():
    case = one_plan("citalopram", product("citalopram", "20 mg"), "1", ("morning",), "20",
                    strategy="percent-current", percent=Decimal(20), interval_days=28)
    s = schedule_of(case)
    switched = [seg for seg in s.segments if seg.switch]
    assert switched and "solution" in switched[0].switch[1]
    assert s.segments[-2].dose < 5  # below what the 10 mg tablet (not scored) can give


# --- Item 6: step numbers mean what is printed ------------------------------------------------------


def test_notices_name_only_printed_steps_and_a_split_step_continues():
    case = one_plan("duloxetine", product("duloxetine", "60 mg", "capsule", "delayed"), "1", ("morning",), "60",
                    strategy="percent-current", percent=Decimal(10), interval_days=28,
                    pauses=(Pause(days=14, start=START + timedelta(days=40), reason="holiday"),))
    s = schedule_of(case)
    printed = {seg.label for seg in s.segments}
    for text in s.notices + tuple(w.message for w in s.warnings):
        for number in re.findall(r"Step (\d+)", text):
            assert number in printed, (number, text)
    continued = [seg for seg in s.segments if seg.continued]
    assert continued and continued[0].label == f"{continued[0].step} (continued)"
    rows = schedule_json(s)["steps"]
    assert any(r.get("continued") is True and isinstance(r["step"], int) for r in rows)


# --- Item 7: follow-ups on clinic days ---------------------------------------------------------------


def test_follow_ups_fall_on_clinic_days_from_the_first_day():
    saturday = date(2027, 1, 2)
    assert saturday.weekday() == 5
    case = one_plan("oxycodone", product("oxycodone", "5 mg"), "2", ("morning", "evening"), "10",
                    strategy="fixed", amount=Decimal("2.5"), interval_days=28, start_date=saturday)
    s = schedule_of(case)
    assert s.follow_ups
    assert all(f.on.weekday() < 5 for f in s.follow_ups)
    assert all(f.on >= s.first_day for f in s.follow_ups)
    gaps = [(b.on - a.on).days for a, b in zip(s.follow_ups, s.follow_ups[1:], strict=False)]
    assert all(g <= 30 for g in gaps)


def test_a_case_can_set_its_clinic_days():
    case = one_plan("oxycodone", product("oxycodone", "5 mg"), "2", ("morning", "evening"), "10",
                    strategy="fixed", amount=Decimal("2.5"), interval_days=28)
    case = case.model_copy(update={"clinic_days": ("tuesday", "thursday")})
    s = build_schedule(plan_input(case.regimen, case.plans[0], clinic_days=case.clinic_days))
    assert {f.on.weekday() for f in s.follow_ups} <= {1, 3}
    assert Case.model_validate({**case.model_dump(), "clinic_days": ["saturday", "monday"]}).clinic_days == \
        ("monday", "saturday")


def test_the_smallest_dose_is_kept_one_interval_then_stopped_not_for_months():
    """A 10%-a-month plan used to sit at the lowest dose for most of a year while its arithmetic crept below."""
    for case in (oxycontin_case(), oxycontin_case(keep_products=True)):
        s = schedule_of(case)
        last = s.segments[-2]
        assert last.dose > 0 and s.segments[-1].dose == 0
        assert last.days == s.plan.interval_days, (last.dose, last.days)
        assert not [w for w in s.warnings if w.rule == "OPI-STOP-LOWEST"]


def test_two_products_of_one_strength_never_print_alike():
    s = schedule_of(oxycontin_case())
    words = {text for seg in s.segments for text in schedule_json(s)["steps"][s.segments.index(seg)]["doses"].values()}
    assert any("extended-release tablet of 10 mg" in w for w in words)
    assert any(w.startswith("1 tablet of 10 mg") or "; 1 tablet of 10 mg" in w or w == "1 tablet of 10 mg"
               for w in words)


def test_an_edit_in_the_builder_keeps_the_choice_to_keep_products():
    from taper.plan_fields import PlanItems, fields_of_plan, plan_from_fields

    case = oxycontin_case(keep_products=True)
    saved = case.plans[0]
    edited, errors = plan_from_fields(case, saved.id, {**fields_of_plan(saved), "every": "42"}, PlanItems.of(saved))
    assert not errors and edited is not None
    assert edited.keep_products and edited.interval_days == 42


def test_a_pause_from_the_day_a_step_starts_holds_the_dose_before_it():
    """It used to hold the new, lower dose: the cut happened under a "Stay on this dose" banner."""
    base = one_plan("oxycodone", product("oxycodone", "5 mg"), "2", ("morning", "evening"), "10",
                    strategy="fixed", amount=Decimal("2.5"), interval_days=28)
    step2 = schedule_of(base).segments[1].start
    case = one_plan("oxycodone", product("oxycodone", "5 mg"), "2", ("morning", "evening"), "10",
                    strategy="fixed", amount=Decimal("2.5"), interval_days=28,
                    pauses=(Pause(days=14, start=step2, reason="surgery"),))
    s = schedule_of(case)
    pause = next(seg for seg in s.segments if seg.kind == "pause")
    assert pause.start == step2 and pause.dose == Fraction(15, 2)
    after = s.segments[s.segments.index(pause) + 1]
    assert after.label == "2" and after.dose == 5 and after.start == step2 + timedelta(days=14)
    _, banners = day_lines([s], after.start)
    assert any(b.startswith("NEW DOSE starts today") for b in banners)
