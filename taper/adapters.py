"""From a saved case and plan to the engine's plain inputs (and back to a regimen on a date)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

from regimens.case import WEEKDAYS, WORKING_WEEK, Case, TaperPlan
from regimens.forms import CLASSIC_FORMS
from regimens.formulary import get_formulary
from regimens.products import Product
from regimens.regimen import LineKind, Medication, Regimen, Slot
from taper.guidelines import default_rule_set, largest_single_cut, rule_sets
from taper.inputs import hyperbolic_defaults, products_like, slots_of, tail_phases, unit_of
from taper.schedule import FollowUpIn, PauseIn, PlanError, PlanInput, Schedule, SetbackIn, build_schedule
from taper.strategies import StrategySpec


def plan_medications(regimen: Regimen, plan: TaperPlan) -> list[Medication]:
    meds = [regimen.by_id(m) for m in plan.medication_ids]
    refuse_unlisted(meds)
    return [m for m in meds if not m.prn]


def refuse_unlisted(meds: list[Medication]) -> None:
    """A line that is not a listed product cannot be tapered: nothing says which doses exist."""
    for med in meds:
        if med.kind is not LineKind.LISTED:
            raise PlanError(f"{med.description()} cannot be tapered yet: {med.mark}. Give the line a product "
                            "the formulary lists (edit it in the medication list) and plan again")
        if not med.dose_known:
            raise PlanError(f"{med.description()} cannot be tapered yet: its dose is not stated. Give the dose and "
                            "times (edit it in the medication list) and plan again")


def plan_products(regimen: Regimen, plan: TaperPlan) -> list[Product]:
    meds = plan_medications(regimen, plan) or [regimen.by_id(m) for m in plan.medication_ids]
    return products_like([m.product for m in meds if m.product is not None], plan.drug, plan.product_ids)


def plan_slots(regimen: Regimen, plan: TaperPlan) -> tuple[tuple[str, ...], int | None]:
    return slots_of(plan_medications(regimen, plan))


def plan_input(regimen: Regimen, plan: TaperPlan, start: date | None = None,
               clinic_days: tuple[str, ...] = WORKING_WEEK) -> PlanInput:
    formulary = get_formulary()
    drug = formulary.by_name.get(plan.drug)
    classes = drug.classes if drug else frozenset()
    products = plan_products(regimen, plan)
    rules = rule_sets().get(plan.rule_set or "") or default_rule_set(plan.drug, classes)
    refuse_unruled_forms(plan.drug, products, rules)
    phases = [products] + ([] if plan.keep_products else
                           tail_phases(plan.drug, products, bool(rules and rules.get("liquid_tail"))))
    units = tuple(unit_of(p, plan.drug) for phase in phases for p in phase)
    bounds = [0]
    for phase in phases:
        bounds.append(bounds[-1] + len(phase))
    phase_index = tuple(tuple(range(a, b)) for a, b in zip(bounds, bounds[1:], strict=False))
    slots, patch_hours = plan_slots(regimen, plan)
    emax, ed50 = plan.emax_percent, plan.ed50
    if plan.strategy == "hyperbolic" and (emax is None or ed50 is None):
        e, d = hyperbolic_defaults(plan.drug)
        emax, ed50 = _decimal(e), _decimal(d)
    spec = StrategySpec(
        name=plan.strategy,
        start=Fraction(plan.start_dose),
        target=Fraction(plan.target_dose),
        amount=Fraction(plan.amount) if plan.amount is not None else None,
        percent=Fraction(plan.percent) if plan.percent is not None else None,
        steps=plan.steps,
        emax=Fraction(emax) if emax is not None else None,
        ed50=Fraction(ed50) if ed50 is not None else None,
        custom=tuple(Fraction(d) for d in plan.custom_doses),
        slowdown_below=Fraction(plan.slowdown_below) if plan.slowdown_below is not None else None,
        slowdown_factor=Fraction(plan.slowdown_factor) if plan.slowdown_factor is not None else None,
    )
    begin = start or plan.start_date
    if begin is None:
        raise PlanError(f"plan {plan.id} has no start date")
    return PlanInput(
        plan_id=plan.id, drug=plan.drug, classes=classes, unit=plan.dose_unit, units=units, slots=slots,
        strategy=spec, start_date=begin, interval_days=plan.interval_days,
        pauses=tuple(PauseIn(p.days, p.start, p.after_step, p.reason, p.show_reason) for p in plan.pauses),
        setbacks=tuple(SetbackIn(s.on, s.hold_days, Fraction(s.step_fraction), s.reason, s.back_to_tolerated)
                       for s in plan.setbacks),
        overrides=tuple((o.step if o.step > 0 else None, o.rule if o.rule != "*" else None, o.reason)
                        for o in plan.overrides),
        rule_set=plan.rule_set,
        follow_ups=tuple(FollowUpIn(f.on, f.kind, f.note) for f in plan.follow_ups),
        patch_interval_hours=patch_hours,
        revision=plan.revision,
        phases=phase_index if len(phase_index) > 1 else (),
        max_cut=largest_single_cut(rules),
        clinic_days=frozenset(WEEKDAYS.index(d) for d in clinic_days),
    )


def refuse_unruled_forms(drug: str, products: list[Product], rules: dict[str, Any] | None) -> None:
    """Tablets, capsules, oral liquids, patches and the other forms taper always knew may be tapered as
    before; any other form (an inhaler, an injection, eye drops, a cream, a ring, a chewable tablet) only
    under a rule set that covers the drug's class."""
    applied = [p for p in products if p.form not in CLASSIC_FORMS]
    if applied and rules is None:
        raise PlanError(f"no taper rule set covers {drug} ({applied[0].form.label}); taper cannot plan "
                        "a taper for it. Plan the change with the prescriber instead")
    unmeasured = [p for p in products if not p.has_amount_per_unit]
    if unmeasured:
        raise PlanError(f"{drug} {unmeasured[0].form.label} ({unmeasured[0].strength}) has no amount per dose "
                        "to lower step by step; taper cannot plan a taper for it. Plan the change with the "
                        "prescriber instead")


def _decimal(value: Fraction) -> Decimal:
    return Decimal(value.numerator) / Decimal(value.denominator)


def case_schedules(case: Case) -> list[Schedule]:
    """Every plan of the case in order, with plans that follow another starting when it ends."""
    built: dict[str, Schedule] = {}
    pending = list(case.plans)
    for _ in range(len(pending) + 1):
        for plan in list(pending):
            if plan.follows is not None and plan.follows not in built:
                continue
            start = (built[plan.follows].stop + timedelta(days=plan.follows_gap_days)
                     if plan.follows is not None else None)
            built[plan.id] = build_schedule(plan_input(case.regimen, plan, start, case.clinic_days))
            pending.remove(plan)
    if pending:
        raise PlanError("plans follow each other in a circle: " + ", ".join(p.id for p in pending))
    return [built[p.id] for p in case.plans]


def regimen_on(case: Case, schedules: list[Schedule], day: date) -> Regimen:
    """The regimen as it will be on ``day``: each tapered medication replaced by that day's doses."""
    formulary = get_formulary()
    replaced: set[str] = set()
    added: list[Medication] = []
    for schedule in schedules:
        plan = next(p for p in case.plans if p.id == schedule.plan.plan_id)
        if day < schedule.first_day:
            continue
        replaced.update(m.id for m in plan_medications(case.regimen, plan))
        seg = schedule.segment_on(day)
        if seg is None:
            continue
        per_product: dict[tuple[int, Fraction], list[str]] = {}
        for slot, portion in zip(schedule.plan.slots, seg.split.portions, strict=True):
            for index, count in portion.items:
                per_product.setdefault((index, count), []).append(slot)
        for n, ((index, count), slots) in enumerate(sorted(per_product.items())):
            product = formulary.products[schedule.plan.units[index].product_id]
            if slots == ["patch"]:
                added.append(Medication(id=f"{plan.id}-{n}", product=product, units=_decimal(count),
                                        interval_hours=schedule.plan.patch_interval_hours or 72))
            else:
                added.append(Medication(id=f"{plan.id}-{n}", product=product, units=_decimal(count),
                                        slots=tuple(Slot(s) for s in slots)))
    kept = [m for m in case.regimen.medications if m.id not in replaced]
    return Regimen(medications=tuple(kept + added))


def same_week_changes(schedules: list[Schedule]) -> list[str]:
    """Warnings where two drugs change within 7 days of each other (change one at a time)."""
    cuts = [(seg.start, s.plan.drug) for s in schedules for seg in s.cuts]
    out = []
    for i, (day_a, drug_a) in enumerate(cuts):
        for day_b, drug_b in cuts[i + 1:]:
            if drug_a != drug_b and abs((day_a - day_b).days) < 7:
                first, second = sorted([(day_a, drug_a), (day_b, drug_b)])
                out.append(f"{first[1]} changes on {first[0].isoformat()} and {second[1]} on "
                           f"{second[0].isoformat()}, within the same week: change one drug at a time.")
    return out


def risk_trajectory(case: Case, schedules: list[Schedule], age: int | None = None) -> list[dict[str, Any]]:
    """The review figures (MME, diazepam equivalents, ACB, findings) the day before the first change and at
    the start of every change; none without a schedule."""
    from interactions.review import review

    if not schedules:
        return []
    days = sorted({seg.start for s in schedules for seg in s.segments}
                  | {min(s.first_day for s in schedules) - timedelta(days=1)})
    out = []
    for day in days:
        result = review(regimen_on(case, schedules, day), age)
        m = result.metrics
        out.append({"date": day.isoformat(), "mme_per_day": float(m.mme_per_day),
                    "diazepam_equivalent_mg_per_day": float(m.diazepam_equivalent_mg_per_day),
                    "acb_score": m.acb_score, "major_or_worse": result.count_of("major")
                    + result.count_of("contraindicated"), "findings": len(result.findings)})
    return out
