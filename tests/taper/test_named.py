"""Named tapers a pain-clinic pharmacist builds, checked step by step."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from fractions import Fraction

from regimens.case import Override, Pause, Setback
from taper.adapters import case_schedules, plan_input, regimen_on, same_week_changes
from taper.outputs import dispense_json, schedule_json
from taper.schedule import build_schedule
from tests.helpers.plans import START, case_with, line, plan, product


def build(case, p):
    return build_schedule(plan_input(case.regimen, p))


def doses(schedule):
    return [seg.dose for seg in schedule.segments]


def test_oxycodone_30mg_10pct_a_month_from_5mg_tablets():
    five = product("oxycodone", "5 mg")
    case = case_with(line("o", five, "3", "morning", "evening"))
    p = plan("oxycodone", ("o",), "30", strategy="percent-current", percent=Decimal(10), interval_days=28,
             product_ids=(five.id,))
    s = build(case, p)
    got = doses(s)
    assert got[0] == Fraction(55, 2) and got[-1] == 0  # 27.5 mg first: a 5 mg tablet halves in 2.5 mg
    assert all(d % Fraction(5, 2) == 0 for d in got)
    assert all(a > b for a, b in zip(got, got[1:], strict=False))
    for seg in s.segments:
        assert sum((p.amount for p in seg.split.portions), Fraction(0)) == seg.dose
    # Rounding to halves forces cuts above 10% a month near the end: each is warned, with its source.
    warned = {w.step for w in s.warnings if w.rule == "OPI-LT-10PCT-MONTH"}
    for before, seg in zip(s.segments, s.segments[1:], strict=False):
        if seg.cut_percent is not None and seg.dose > 0:
            fast = seg.cut_percent * 100 * Fraction(30, before.days) > 10  # rate over the days held
            assert (seg.step in warned) == fast, (seg.step, seg.cut_percent)
    assert all("CDC" in w.source for w in s.warnings if w.rule == "OPI-LT-10PCT-MONTH")
    # The final stop from the smallest dose (half a tablet) is not a violation.
    assert s.segments[-2].dose == Fraction(5, 2)
    assert s.segments[-1].step not in {w.step for w in s.warnings if w.rule != "OPI-2-WEEKS"}


def test_alprazolam_2mg_10pct_every_2_weeks():
    case = case_with(line("a", product("alprazolam", "1 mg"), "1", "morning", "bedtime"))
    p = plan("alprazolam", ("a",), "2", strategy="percent-current", percent=Decimal(10), interval_days=14)
    s = build(case, p)
    got = doses(s)
    assert got[-1] == 0 and got[0] < 2
    # 10% every 2 weeks is within 25% per 2 weeks; only tail steps the tablets cannot make that small are warned.
    big = {seg.step for seg in s.segments[:-1] if seg.cut_percent is not None and seg.cut_percent > Fraction(1, 4)}
    assert big and {w.step for w in s.warnings if w.rule == "BZD-25PCT-2WEEKS"} == big
    assert not [w for w in s.warnings if w.step != s.segments[-1].step and w.step not in big]
    for seg in s.segments:
        for portion in seg.split.portions:
            for index, count in portion.items:
                assert (count / s.plan.units[index].step).denominator == 1
    assert any(seg.split.portions[1].amount >= seg.split.portions[0].amount for seg in s.segments)


def test_duloxetine_coarse_capsules_reported_honestly():
    caps = [product("duloxetine", s, "capsule", "delayed") for s in ("20 mg", "30 mg", "60 mg")]
    case = case_with(line("d", caps[2], "1", "morning"))
    p = plan("duloxetine", ("d",), "60", strategy="percent-current", percent=Decimal(10), interval_days=28,
             product_ids=tuple(c.id for c in caps))
    s = build(case, p)
    assert set(doses(s)) <= {Fraction(50), Fraction(40), Fraction(30), Fraction(20), Fraction(0)}
    assert any("held" in n or "rounds" in n or "nearest" in n for n in s.notices)
    cuts = [seg.cut_percent for seg in s.segments]
    assert all(c is not None and c > 0 for c in cuts)
    assert all(portion.pieces == int(portion.pieces) for seg in s.segments for portion in seg.split.portions)


def test_gabapentin_1800_three_times_a_day_300mg_a_week():
    case = case_with(line("g", product("gabapentin", "300 mg", "capsule"), "2", "morning", "noon", "bedtime"))
    p = plan("gabapentin", ("g",), "1800", strategy="fixed", amount=Decimal(300), interval_days=7)
    s = build(case, p)
    assert doses(s) == [Fraction(d) for d in (1500, 1200, 900, 600, 300, 0)]
    first = s.segments[0].split
    assert len(first.portions) == 3 and max(p.amount for p in first.portions) - min(p.amount for p in first.portions) <= 100
    # The NHS Fife pace holds all the way; only the stop from 300 mg (100 mg capsules exist) is warned.
    assert [(w.step, w.rule) for w in s.warnings] == [(s.segments[-1].step, "GABA-STOP-LOWEST")]
    assert "100 mg" in s.warnings[0].message


def test_gabapentin_too_fast_is_warned_and_override_carries_the_reason():
    case = case_with(line("g", product("gabapentin", "300 mg", "capsule"), "2", "morning", "noon", "bedtime"))
    fast = plan("gabapentin", ("g",), "1800", strategy="fixed", amount=Decimal(600), interval_days=7)
    s = build(case, fast)
    assert {w.rule for w in s.warnings} == {"GABA-300MG-WEEK", "GABA-STOP-LOWEST"}
    assert all(w.override is None for w in s.warnings)
    accepted = fast.model_copy(update={})  # same plan, now with the pharmacist's override
    accepted = type(fast).model_validate({**fast.model_dump(), "overrides": [
        Override(step=0, rule="GABA-300MG-WEEK", reason="patient on 1800 mg for only 3 weeks").model_dump()]})
    s2 = build(case, accepted)
    paced = [w for w in s2.warnings if w.rule == "GABA-300MG-WEEK"]
    assert paced and all(w.override == "patient on 1800 mg for only 3 weeks" for w in paced)
    assert all(w.override is None for w in s2.warnings if w.rule != "GABA-300MG-WEEK")
    assert [w["override"] for w in schedule_json(s2)["warnings"] if w["rule"] == "GABA-300MG-WEEK"] == \
        ["patient on 1800 mg for only 3 weeks"] * len(paced)


def test_citalopram_hyperbolic_with_oral_solution():
    solution = product("citalopram", "10 mg/5 mL", "solution")
    case = case_with(line("c", product("citalopram", "20 mg"), "1", "morning"))
    p = plan("citalopram", ("c",), "20", strategy="hyperbolic", steps=8, interval_days=28,
             product_ids=(solution.id,))
    s = build(case, p)
    model = [Fraction(x) for x in ("8.4", "4.8", "3.0", "1.9", "1.2", "0.7", "0.3")]  # taper-rules.md §5.2
    got = doses(s)
    assert got[-1] == 0
    for want, have in zip(model, got, strict=False):
        assert abs(have - want) <= Fraction(2, 10) + want / 20, (want, have)
    assert all(seg.split.portions[0].items[0][1] % Fraction(1, 10) == 0 for seg in s.segments if seg.dose)


def test_prednisone_40_slowing_below_5mg():
    case = case_with(line("p", product("prednisone", "20 mg"), "2", "morning"))
    p = plan("prednisone", ("p",), "40", strategy="fixed", amount=Decimal("2.5"), interval_days=7,
             slowdown_below=Decimal(5), slowdown_factor=Decimal("0.4"))
    s = build(case, p)
    got = doses(s)
    below = [d for d in got if d < 5]
    assert below == [Fraction(4), Fraction(3), Fraction(2), Fraction(1), Fraction(0)]
    assert all(a - b == Fraction(5, 2) for a, b in zip([Fraction(40), *got], got, strict=False) if b >= 5)
    # 2.5 mg a week between 10 and 5 mg is faster than the Canterbury protocol's 1 mg: warned.
    warned = {w.step for w in s.warnings if w.rule == "STEROID-BANDS"}
    band = [seg.step for seg in s.segments if seg.dose in (Fraction(15, 2), Fraction(5))]
    assert set(band) == warned


def alprazolam_then_oxycodone():
    alp = plan("alprazolam", ("a",), "0.5", id="first", strategy="percent-current", percent=Decimal(25),
               interval_days=14)
    oxy = plan("oxycodone", ("o",), "30", id="second", strategy="percent-current", percent=Decimal(10),
               interval_days=28, start_date=None, follows="first")
    return case_with(line("a", product("alprazolam", "0.5 mg"), "1", "bedtime"),
                     line("o", product("oxycodone", "5 mg"), "3", "morning", "evening"), plans=(alp, oxy))


def test_alprazolam_first_then_oxycodone():
    case = alprazolam_then_oxycodone()
    first, second = case_schedules(case)
    assert second.first_day == first.stop + timedelta(days=7)
    assert same_week_changes([first, second]) == []
    before = regimen_on(case, [first, second], first.stop - timedelta(days=1))
    assert {m.product.drug for m in before.medications} == {"alprazolam", "oxycodone"}
    after = regimen_on(case, [first, second], first.stop)
    assert "alprazolam" not in {m.product.drug for m in after.medications}
    assert {t.drug: t.scheduled for t in after.ingredient_totals()}["oxycodone"] == 30
    later = regimen_on(case, [first, second], second.first_day)
    assert {t.drug: t.scheduled for t in later.ingredient_totals()}["oxycodone"] == second.segments[0].dose


def test_two_drugs_changing_in_one_week_are_warned():
    alp = plan("alprazolam", ("a",), "0.5", id="a", strategy="percent-current", percent=Decimal(25), interval_days=14)
    oxy = plan("oxycodone", ("o",), "30", id="o", strategy="percent-current", percent=Decimal(10), interval_days=28)
    case = case_with(line("a", product("alprazolam", "0.5 mg"), "1", "bedtime"),
                     line("o", product("oxycodone", "5 mg"), "3", "morning", "evening"), plans=(alp, oxy))
    assert same_week_changes(case_schedules(case))


def test_pause_re_dates_later_steps_by_exactly_its_days():
    case = case_with(line("o", product("oxycodone", "5 mg"), "3", "morning", "evening"))
    base = plan("oxycodone", ("o",), "30", strategy="fixed", amount=Decimal(5), interval_days=14)
    paused = type(base).model_validate({**base.model_dump(), "pauses": [
        Pause(days=21, start=START + timedelta(days=20), reason="daughter's wedding").model_dump()]})
    a, b = build(case, base), build(case, paused)
    assert b.stop - a.stop == timedelta(days=21)
    pause = [seg for seg in b.segments if seg.kind == "pause"]
    assert len(pause) == 1 and pause[0].start == START + timedelta(days=20) and pause[0].reason == "daughter's wedding"
    assert pause[0].dose == b.dose_on(pause[0].start - timedelta(days=1))


def test_setback_returns_to_last_tolerated_dose_then_smaller_steps():
    case = case_with(line("o", product("oxycodone", "5 mg"), "3", "morning", "evening"))
    base = plan("oxycodone", ("o",), "30", strategy="fixed", amount=Decimal(5), interval_days=14)
    on = START + timedelta(days=30)  # during step 3 (15 mg); step 2 (20 mg) was tolerated
    back = type(base).model_validate({**base.model_dump(), "setbacks": [
        Setback(on=on, hold_days=14, step_fraction=Decimal("0.5"), reason="withdrawal").model_dump()]})
    s = build(case, back)
    assert s.dose_on(on) == 20  # the last tolerated dose
    assert s.segment_on(on).kind == "setback" and s.segment_on(on).days == 14
    after = [seg.dose for seg in s.segments if seg.start > on]
    assert after[0] == Fraction(35, 2)  # steps now half as big: 2.5 mg
    assert after[-1] == 0


def test_dispensing_adds_up_to_the_daily_counts():
    case = case_with(line("g", product("gabapentin", "300 mg", "capsule"), "2", "morning", "noon", "bedtime"))
    s = build(case, plan("gabapentin", ("g",), "1800", strategy="fixed", amount=Decimal(300), interval_days=7))
    total = dispense_json(s)["total"]
    per_day = sum(sum((c for p in seg.split.portions for _, c in p.items), Fraction(0)) * (seg.days or 0)
                  for seg in s.segments)
    assert sum(t["quantity"] for t in total) == per_day
    fills = dispense_json(s)["fills"]
    assert sum(q["quantity"] for f in fills for q in f["products"]) >= per_day


def test_risk_falls_over_the_plans():
    from taper.adapters import risk_trajectory

    case = alprazolam_then_oxycodone()
    points = risk_trajectory(case, case_schedules(case), age=70)
    assert points[0]["mme_per_day"] == 45 and points[0]["diazepam_equivalent_mg_per_day"] == 5
    assert points[-1]["mme_per_day"] == 0 and points[-1]["diazepam_equivalent_mg_per_day"] == 0
    mme = [p["mme_per_day"] for p in points]
    assert mme == sorted(mme, reverse=True)
    assert points[0]["major_or_worse"] > points[-1]["major_or_worse"]


def test_dispensing_names_units_in_good_english():
    """Patches, not "patchs"; one tablet, not "1 tablets"."""
    from datetime import date
    from fractions import Fraction

    from regimens.formulary import get_formulary
    from taper.inputs import unit_of
    from taper.outputs import dispense_json
    from taper.schedule import PlanInput, build_schedule
    from taper.strategies import StrategySpec

    formulary = get_formulary()
    patch = next(p for p in formulary.get("fentanyl").products if p.form.value == "patch")
    plan = PlanInput("p", "fentanyl", formulary.classes_of("fentanyl"), "mcg/hr", (unit_of(patch, "fentanyl"),),
                     ("patch",), StrategySpec("fixed", Fraction(patch.ingredients[0].amount) * 2, Fraction(0),
                                              amount=Fraction(patch.ingredients[0].amount)),
                     date(2027, 1, 4), 14, patch_interval_hours=72)
    units = {item["unit"] for item in dispense_json(build_schedule(plan))["total"]}
    assert units == {"patches"}
