"""Building a dated taper schedule from a plan: round, merge, pause, set back, check, follow up.

The engine works on plain values (:class:`PlanInput`), so it is fast and easy to test; the
adapter in :mod:`taper.adapters` builds them from a saved case.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, timedelta
from fractions import Fraction
from typing import Any, NamedTuple

from taper.guidelines import Cut, Warning_, check_cut, check_total, rule_sets, source_text
from taper.rounding import Portion, Split, Unit, smallest_daily_dose, split_dose
from taper.strategies import MAX_STEPS, StrategySpec, planned_doses

#: Which slot keeps its dose longest when a dose must be dropped (0 = kept longest).
SLOT_KEEP_ORDER = {"bedtime": 0, "morning": 1, "evening": 2, "noon": 3, "patch": 0}
#: Clinic days by default: Monday to Friday (``date.weekday()`` numbers).
CLINIC_DAYS = frozenset(range(5))
#: A rounded step further than this from its planned dose is reported (and tries the next products).
ROUNDING_TOLERANCE = Fraction(1, 10)


class PauseIn(NamedTuple):
    days: int
    start: date | None = None
    after_step: int | None = None
    reason: str = ""
    show_reason: bool = True


class SetbackIn(NamedTuple):
    on: date
    hold_days: int
    step_fraction: Fraction
    reason: str = ""
    back_to_tolerated: bool = True


class FollowUpIn(NamedTuple):
    on: date
    kind: str = "visit"
    note: str = ""


class PlanInput(NamedTuple):
    """Everything the engine needs to build one plan's schedule, as exact plain values."""

    plan_id: str
    drug: str
    classes: frozenset[str]
    unit: str
    units: tuple[Unit, ...]
    slots: tuple[str, ...]
    strategy: StrategySpec
    start_date: date
    interval_days: int
    pauses: tuple[PauseIn, ...] = ()
    setbacks: tuple[SetbackIn, ...] = ()
    overrides: tuple[tuple[int | None, str | None, str], ...] = ()
    rule_set: str | None = None
    follow_ups: tuple[FollowUpIn, ...] = ()
    patch_interval_hours: int | None = None
    revision: int = 0
    """The saved plan's revision: phone reminders use it as SEQUENCE, so a changed plan replaces its events."""
    phases: tuple[tuple[int, ...], ...] = ()
    """Indices into ``units`` of the products used in turn: the products taken now, then the forms the
    taper may switch to when they cannot make a step (immediate-release tablets for a modified-release
    product, an oral solution for a liquid tail). Empty: one phase of every unit."""
    clinic_days: frozenset[int] = CLINIC_DAYS
    """Weekdays (0 = Monday) on which follow-ups the plan proposes may fall."""
    max_cut: Fraction = Fraction(1, 2)
    """The largest single cut the class's rules accept (a fraction of the dose): when the products in use
    cannot make any cut that small, the taper moves on to the next phase's products."""


class Segment(NamedTuple):
    """A run of days on one dose."""

    kind: str
    step: int
    start: date
    days: int | None
    dose: Fraction
    planned: Fraction | None
    split: Split
    cut_percent: Fraction | None = None
    reason: str = ""
    show_reason: bool = True
    phase: int = 0
    """Which of the plan's product phases this dose is made from."""
    continued: bool = False
    """The rest of a step that a pause split: printed "2 (continued)", never a second step 2."""
    switch: tuple[str, str] | None = None
    """On the first dose made from other products: (the products before, the products now)."""

    @property
    def label(self) -> str:
        """The step as printed: "3", "2 (continued)", "hold", "setback"."""
        if self.kind in ("pause", "hold"):
            return "hold"
        if self.kind == "setback":
            return "setback"
        return f"{self.step} (continued)" if self.continued else str(self.step)

    @property
    def end(self) -> date | None:
        return None if self.days is None else self.start + timedelta(days=self.days - 1)

    @property
    def final(self) -> bool:
        return self.days is None


class FollowUp(NamedTuple):
    on: date
    kind: str
    reason: str


def dose_cuts(start: Fraction, segments: Sequence[Segment]) -> list[Segment]:
    """The segments that begin with a lower dose than the one before (the first against ``start``): the
    changes the checks, follow-ups, check-ins and the calendar's withdrawal lines all count."""
    out = []
    previous = start
    for seg in segments:
        if seg.dose < previous:
            out.append(seg)
        previous = seg.dose
    return out


class Schedule(NamedTuple):
    plan: PlanInput
    segments: tuple[Segment, ...]
    warnings: tuple[Warning_, ...]
    notices: tuple[str, ...]
    follow_ups: tuple[FollowUp, ...]
    rule_set: dict[str, Any] | None
    start_split: Split

    @property
    def stop(self) -> date:
        """Day the final dose (the target) begins."""
        return self.segments[-1].start

    @property
    def first_day(self) -> date:
        return self.segments[0].start

    @property
    def cuts(self) -> list[Segment]:
        """The dose cuts, in order (see :func:`dose_cuts`)."""
        return dose_cuts(self.plan.strategy.start, self.segments)

    def segment_on(self, day: date) -> Segment | None:
        """The segment in effect on ``day`` (None before the plan starts)."""
        for seg in self.segments:
            if seg.start <= day and (seg.end is None or day <= seg.end):
                return seg
        return None

    def dose_on(self, day: date) -> Fraction:
        seg = self.segment_on(day)
        return self.plan.strategy.start if seg is None else seg.dose


class PlanError(ValueError):
    """A plan that cannot be scheduled, told plainly."""


def slot_order(slots: tuple[str, ...]) -> tuple[int, ...]:
    return tuple(SLOT_KEEP_ORDER.get(s, 4) for s in slots)


def _redate(segments: list[Segment], start: date) -> list[Segment]:
    out = []
    day = start
    for seg in segments:
        out.append(seg._replace(start=day))
        if seg.days is not None:
            day = day + timedelta(days=seg.days)
    return out


def phases_of(plan: PlanInput) -> tuple[tuple[int, ...], ...]:
    return plan.phases or (tuple(range(len(plan.units))),)


def phase_units(plan: PlanInput, phase: int) -> tuple[Unit, ...]:
    return tuple(plan.units[i] for i in phases_of(plan)[phase])


def _every_slot(plan: PlanInput, phase: int) -> bool:
    """Modified-release products keep their interval: every time of day keeps a dose."""
    return len(plan.slots) > 1 and all(u.modified for u in phase_units(plan, phase))


def split_in_phase(plan: PlanInput, phase: int, target: Fraction, ceiling: Fraction | None = None) -> Split:
    """The day closest to ``target`` made from one phase's products (portions index ``plan.units``)."""
    index = phases_of(plan)[phase]
    split = split_dose(phase_units(plan, phase), slot_order(plan.slots), target, ceiling, _every_slot(plan, phase))
    if index == tuple(range(len(index))):
        return split
    return Split(split.total, tuple(Portion(tuple((index[i], c) for i, c in p.items), p.amount)
                                    for p in split.portions))


def lowest_dose(plan: PlanInput, phase: int | None = None) -> Fraction:
    """The smallest day the products give (of one phase, or of any phase the plan may use)."""
    phases = range(len(phases_of(plan))) if phase is None else (phase,)
    return min(smallest_daily_dose(phase_units(plan, p), len(plan.slots) if _every_slot(plan, p) else 1)
               for p in phases)


def products_in(plan: PlanInput, split: Split) -> str:
    """The products a day is made from, by name: "oxycodone 10 mg extended-release tablet (OxyContin)"."""
    used = sorted({i for portion in split.portions for i, _ in portion.items})
    return " and ".join(plan.units[i].label for i in used)


def _best_split(plan: PlanInput, phase: int, target: Fraction, previous: Fraction) -> tuple[Split, int]:
    """Round ``target`` with the products in use; when they cannot make any cut the class accepts from
    here (a modified-release tablet at its lowest strength, a 5 mg tablet to 2.5 mg), move on to the
    next phase's products that can make the step. Never back."""
    split = split_in_phase(plan, phase, target, previous)
    if target == 0 or not _too_coarse(plan, phase, previous):
        return split, phase
    for later in range(phase + 1, len(phases_of(plan))):
        other = split_in_phase(plan, later, target, previous)
        if other.total < previous and (previous - other.total) / previous <= plan.max_cut:
            return other, later
    return split, phase


def next_lower(plan: PlanInput, phase: int, dose: Fraction) -> Split:
    """The largest day one phase's products give below ``dose`` (its total is ``dose`` or 0 when none is)."""
    return split_in_phase(plan, phase, dose, dose - Fraction(1, 10**9))


def _too_coarse(plan: PlanInput, phase: int, previous: Fraction) -> bool:
    """Whether the smallest cut these products can make from ``previous`` is larger than the class accepts
    (or no cut can be made while keeping a modified-release product's every dose)."""
    below = next_lower(plan, phase, previous)
    if below.total >= previous or below.total == 0:
        return True
    if _every_slot(plan, phase) and not all(p.items for p in below.portions):
        return True
    return (previous - below.total) / previous > plan.max_cut


def _at_the_bottom(plan: PlanInput, phase: int, previous: Fraction) -> bool:
    """Whether ``previous`` is the smallest dose of the products in use and no later products go lower."""
    if previous > lowest_dose(plan, phase):
        return False
    return all(next_lower(plan, later, previous).total in (0, previous)
               for later in range(phase + 1, len(phases_of(plan))))


class _Rounded(NamedTuple):
    segments: list[Segment]
    lead_days: int
    """Days the dose before the first new step is kept longer (planned cuts too small to make)."""
    merged: int
    """Planned steps the products could not make, merged into the next printed one."""
    far: list[tuple[int, Fraction]]
    """(index in segments, planned dose) of steps that round further than the tolerance."""


def _round_steps(plan: PlanInput, planned: list[Fraction], previous: Fraction, previous_split: Split,
                 phase: int) -> _Rounded:
    """Rounded steps for planned doses. A planned cut the products cannot make is merged into the next
    one: the dose before it is simply kept longer. Steps are numbered later, once pauses are in."""
    segments: list[Segment] = []
    lead = merged = 0
    far: list[tuple[int, Fraction]] = []
    for target in planned:
        split, now = _best_split(plan, phase, target, previous)
        if split.total >= previous and planned[-1] == 0 and _at_the_bottom(plan, phase, previous):
            # Already on the smallest dose any product gives: the next step is the stop, not months more
            # of the same dose while the plan's arithmetic creeps below it.
            split, now, target = split_in_phase(plan, phase, Fraction(0), previous), phase, Fraction(0)
        if split.total >= previous:
            merged += 1
            if segments:
                last = segments[-1]
                segments[-1] = last._replace(days=(last.days or 0) + plan.interval_days)
            else:
                lead += plan.interval_days
            continue
        switch = (products_in(plan, previous_split), products_in(plan, split)) if now != phase else None
        if target and abs(split.total - target) > target * ROUNDING_TOLERANCE:
            far.append((len(segments), target))
        cut = (previous - split.total) / previous if previous else None
        segments.append(Segment("step", 0, plan.start_date, plan.interval_days, split.total, target, split, cut,
                                phase=now, switch=switch))
        previous, previous_split, phase = split.total, split, now
    return _Rounded(segments, lead, merged, far)


def _rounding_notices(plan: PlanInput, rounded: _Rounded, notices: list[str]) -> None:
    """What rounding changed, in words that name only printed steps."""
    for index, target in rounded.far:
        seg = rounded.segments[index]
        notices.append(f"Step {seg.label}: planned {_fmt(target)} {plan.unit}, the nearest dose the products "
                       f"give is {_fmt(seg.dose)} {plan.unit}.")
    if rounded.merged:
        held = [seg.days for seg in rounded.segments if seg.days] + ([rounded.lead_days] if rounded.lead_days else [])
        longest = max(held, default=plan.interval_days)
        notices.append(f"The products cannot make {rounded.merged} of the planned cuts (each is smaller than the "
                       f"smallest change they allow), so those cuts are merged into the printed steps: the dose "
                       f"is kept longer between them, up to {longest} days.")
    if rounded.lead_days:
        notices.append(f"The first cut the products can make comes after {rounded.lead_days} days: the current "
                       f"dose is kept until then.")


def _fmt(value: Fraction, places: int | None = None) -> str:
    from regimens.quantity import format_number

    return format_number(value) if places is None else format_number(value, places=places)


def build_schedule(plan: PlanInput) -> Schedule:
    """The dated schedule of one plan, with warnings, notices and follow-ups."""
    if not plan.units:
        raise PlanError(f"no products of {plan.drug} to build doses from")
    if plan.interval_days < 1:
        raise PlanError("the interval between steps must be at least 1 day")
    notices: list[str] = []
    spec = plan.strategy
    start_split = split_in_phase(plan, 0, spec.start)
    if start_split.total != spec.start:
        notices.append(f"The current dose {_fmt(spec.start)} {plan.unit} cannot be made exactly from the chosen "
                       f"products; the nearest is {_fmt(start_split.total)} {plan.unit}.")
    smallest = lowest_dose(plan)
    # How far the strategy is followed: ten years, or with an override on the length, many more steps
    # (never endlessly: a cut of 1e-9% a step would never end).
    longest = LONGEST_PLAN_DAYS * (5 if _length_override(plan) is not None else 1)
    steps = longest // plan.interval_days + 1
    planned = planned_doses(spec, smallest, max_steps=max(steps, MAX_STEPS) if longest > LONGEST_PLAN_DAYS
                            else steps)
    rounded = _round_steps(plan, planned, spec.start, start_split, 0)
    segments = rounded.segments
    if planned[-1] != spec.target:
        raise PlanError(_too_slow(plan, segments, longest))
    if not segments:
        raise PlanError("no step lowers the dose with these products; choose other products or a larger cut")
    if segments[-1].dose != spec.target:
        notices.append(f"The last step reaches {_fmt(segments[-1].dose)} {plan.unit}; the products cannot give "
                       f"exactly {_fmt(spec.target)} {plan.unit}.")
    segments[-1] = segments[-1]._replace(days=None)
    if rounded.lead_days:
        segments.insert(0, Segment("hold", 0, plan.start_date, rounded.lead_days, spec.start, None, start_split,
                                   None, "the first planned cuts are smaller than the products can make",
                                   show_reason=False))
    segments = _redate(_renumber(segments), plan.start_date)
    rounded = rounded._replace(segments=[s for s in segments if s.kind == "step"])
    _rounding_notices(plan, rounded, notices)
    for pause in sorted(plan.pauses, key=lambda p: (p.start or date.min, p.after_step or 0)):
        segments = _apply_pause(plan, segments, pause, start_split, notices)
    for setback in sorted(plan.setbacks, key=lambda s: s.on):
        segments = _apply_setback(plan, segments, setback, notices)
    _check_length(plan, segments, notices)
    warnings = _check(plan, segments)
    follow_ups = _follow_ups(plan, segments)
    rule_set = _rule_set(plan)
    return Schedule(plan, tuple(segments), tuple(warnings), tuple(notices), tuple(follow_ups), rule_set, start_split)


def smallest_cut(plan: PlanInput) -> Fraction:
    """The smallest reduction from the current dose that the products can make (0 when none can)."""
    start = plan.strategy.start
    below = [next_lower(plan, p, start).total for p in range(len(phases_of(plan)))]
    best = max((b for b in below if b < start), default=None)
    return Fraction(0) if best is None else start - best


def _too_slow(plan: PlanInput, segments: list[Segment], longest: int) -> str:
    """Why a plan that cannot reach its target in the longest plan allowed is refused, with what would work."""
    start = plan.strategy.start
    cut = smallest_cut(plan)
    years = "ten" if longest == LONGEST_PLAN_DAYS else f"{round(longest / 365.25)}"
    possible = (f"the smallest cut these products can make from {_fmt(start)} {plan.unit} is {_fmt(cut)} "
                f"{plan.unit} ({_fmt(cut / start * 100, 1)}%)" if cut else "these products cannot make any cut")
    if not segments:
        return (f"no reduction at all can be made within {years} years at this pace: {possible}; "
                "ask for at least that much a step")
    if longest == LONGEST_PLAN_DAYS:
        return (f"at this pace the plan would be longer than ten years (it would still be at "
                f"{_fmt(segments[-1].dose)} {plan.unit} then): a plan longer than ten years is refused unless the "
                f"override gives a reason (--override REASON); or choose a larger cut ({possible})")
    return (f"at this pace the taper would not reach {_fmt(plan.strategy.target)} {plan.unit} within {years} "
            f"years (it would still be at {_fmt(segments[-1].dose)} {plan.unit}): choose a larger cut; {possible}")


def _length_override(plan: PlanInput) -> str | None:
    return next((r for _, rule, r in plan.overrides if rule in (None, LENGTH_RULE)), None)


#: Past five years a plan gets a notice; past ten it is refused unless overridden with a reason.
LONG_PLAN_DAYS = 5 * 365 + 1
LONGEST_PLAN_DAYS = 10 * 365 + 2
LENGTH_RULE = "PLAN-LENGTH"


def _check_length(plan: PlanInput, segments: list[Segment], notices: list[str]) -> None:
    """Slow tapers over years are legitimate; decades are a typing slip (``--every 3650d``)."""
    from regimens.datefmt import short_date

    days = (segments[-1].start - segments[0].start).days
    if days <= LONG_PLAN_DAYS:
        return
    years = f"{days / 365.25:.1f}".removesuffix(".0")
    span = f"{years} years, from {short_date(segments[0].start, True)} to {short_date(segments[-1].start, True)}"
    if days > LONGEST_PLAN_DAYS:
        reason = _length_override(plan)
        if reason is None:
            raise PlanError(f"the plan would run {span}: a plan longer than ten years is refused unless the "
                            "override gives a reason (--override REASON); check the interval and the pauses")
        notices.append(f"This plan runs {span}, past ten years; accepted with the override: {reason}")
        return
    notices.append(f"This plan runs {span}: past five years, check that so slow a taper is intended.")


def _renumber(segments: list[Segment]) -> list[Segment]:
    """Number the dose changes 1, 2, 3 ... (planned steps that merged leave no gaps; a hold keeps 0)."""
    out, number = [], 0
    for seg in segments:
        if seg.kind == "step":
            number += 1
            seg = seg._replace(step=number)
        out.append(seg)
    return out


def _apply_pause(plan: PlanInput, segments: list[Segment], pause: PauseIn, start_split: Split,
                 notices: list[str]) -> list[Segment]:
    first = segments[0].start
    hold = Segment("pause", 0, first, pause.days, plan.strategy.start, None, start_split, None, pause.reason,
                   pause.show_reason)
    if pause.after_step is not None:
        if pause.after_step == 0:
            return _redate([hold, *segments], first)
        idx = max((i for i, s in enumerate(segments) if s.step == pause.after_step and s.kind != "pause"),
                  default=None)
        if idx is None:
            raise PlanError(f"there is no step {pause.after_step} to pause after")
        seg = segments[idx]
        if seg.days is None:
            notices.append(f"A pause after step {pause.after_step}, the last step, changes nothing.")
            return segments
        paused = hold._replace(step=seg.step, dose=seg.dose, split=seg.split, phase=seg.phase)
        return _redate([*segments[: idx + 1], paused, *segments[idx + 1:]], first)
    assert pause.start is not None
    if pause.start < first:
        start = pause.start + timedelta(days=pause.days)
        extra = (start - first).days
        if extra <= 0:
            notices.append(f"A pause from {pause.start.isoformat()} ends before the plan starts; it changes nothing.")
            return segments
        return _redate([hold._replace(days=extra), *segments], first)
    for i, seg in enumerate(segments):
        if seg.end is not None and seg.end < pause.start:
            continue
        before_days = (pause.start - seg.start).days
        if seg.days is None and not (before_days == 0 and seg.kind == "step"):
            notices.append(f"A pause from {pause.start.isoformat()} falls on the last dose; it changes nothing.")
            return segments
        paused = Segment("pause", seg.step, pause.start, pause.days, seg.dose, None, seg.split, None, pause.reason,
                         pause.show_reason, phase=seg.phase)
        parts = []
        if before_days > 0:
            assert seg.days is not None
            parts.append(seg._replace(days=before_days))
            rest = seg._replace(days=seg.days - before_days, cut_percent=None, continued=True, switch=None)
            parts.extend([paused, rest])
        elif i > 0 or seg.kind != "step":
            # A pause from the day a step would start holds the dose before it: the step waits.
            held = segments[i - 1] if i > 0 else None
            if held is not None and seg.kind == "step":
                paused = paused._replace(step=held.step, dose=held.dose, split=held.split, phase=held.phase)
            parts.extend([paused, seg])
        else:
            parts.extend([paused._replace(step=0, dose=plan.strategy.start, split=start_split, phase=0), seg])
        return _redate([*segments[:i], *parts, *segments[i + 1:]], first)
    return segments


def _apply_setback(plan: PlanInput, segments: list[Segment], setback: SetbackIn,
                   notices: list[str]) -> list[Segment]:
    first = segments[0].start
    at = next((i for i, s in enumerate(segments) if s.start <= setback.on and (s.end is None or setback.on <= s.end)),
              None)
    if at is None:
        notices.append(f"A setback on {setback.on.isoformat()} is before the plan starts; it changes nothing.")
        return segments
    current = segments[at]
    doses_before = [plan.strategy.start] + [s.dose for s in segments[:at]]
    tolerated = current.dose
    if setback.back_to_tolerated:
        tolerated = next((d for d in reversed(doses_before) if d > current.dose), current.dose)
    kept = list(segments[:at])
    if setback.on > current.start:
        kept.append(current._replace(days=(setback.on - current.start).days))
    # The products now in use stay: a switch to other products is never undone.
    hold_split = split_in_phase(plan, current.phase, tolerated)
    kept.append(Segment("setback", current.step, setback.on, setback.hold_days, tolerated, None, hold_split, None,
                        setback.reason, phase=current.phase))
    remaining = [s.dose for s in segments if s.kind == "step" and s.dose < tolerated]
    remaining = sorted(set(remaining), reverse=True)
    if not remaining:
        remaining = [plan.strategy.target]
    substeps = max(1, math.ceil(1 / setback.step_fraction))
    planned: list[Fraction] = []
    previous = tolerated
    for dose in remaining:
        for t in range(1, substeps + 1):
            planned.append(previous - (previous - dose) * t / substeps)
        previous = dose
    rounded = _round_steps(plan._replace(start_date=setback.on), planned, tolerated, hold_split, current.phase)
    new = [seg._replace(step=current.step + i) for i, seg in enumerate(rounded.segments, start=1)]
    _rounding_notices(plan, rounded._replace(segments=new, lead_days=0), notices)
    if new:
        new[-1] = new[-1]._replace(days=None)
    else:
        kept[-1] = kept[-1]._replace(days=None)
    return _redate(kept + new, first)


def _rule_set(plan: PlanInput) -> dict[str, Any] | None:
    from taper.guidelines import default_rule_set

    if plan.rule_set:
        sets = rule_sets()
        if plan.rule_set not in sets:
            raise PlanError(f"unknown rule set {plan.rule_set!r} (known: {', '.join(sets)})")
        return sets[plan.rule_set]
    return default_rule_set(plan.drug, plan.classes)


def _check(plan: PlanInput, segments: list[Segment]) -> list[Warning_]:
    """Every cut against the class's rules: the first against the current dose, the last to zero by the
    class's stop rule."""
    rule_set = _rule_set(plan)
    if rule_set is None:
        return []
    start = plan.strategy.start
    first = segments[0].start

    def dose_on(day: date) -> Fraction:
        if day < first:
            return start
        seg = next((s for s in segments if s.start <= day and (s.end is None or day <= s.end)), segments[-1])
        return seg.dose

    warnings: list[Warning_] = []
    previous = start
    held: int | None = None  # days on the dose before; None while it is the patient's current dose
    for i, seg in enumerate(segments):
        if seg.dose < previous:
            # The smallest dose of the products the patient takes just before this cut.
            lowest = lowest_dose(plan, segments[i - 1].phase if i else 0)
            cut = Cut(seg.step, seg.start, previous, seg.dose, held, _days_on(segments, i),
                      seg.dose == 0 and seg.final, lowest, plan.unit, dose_on)
            warnings.extend(check_cut(rule_set, plan.drug, cut, start))
            held = 0
        elif seg.dose > previous:
            held = 0
        previous = seg.dose
        if held is not None:
            held += seg.days or 0
    if plan.strategy.target == 0:
        total = (segments[-1].start - segments[0].start).days
        warnings.extend(check_total(rule_set, segments[-1].step, total))
    out = []
    for w in warnings:
        reason = next((r for step, rule, r in plan.overrides
                       if (step is None or step == w.step) and (rule is None or rule == w.rule)), None)
        out.append(w._replace(override=reason))
    return out


def _days_on(segments: list[Segment], index: int) -> int | None:
    """Days the dose that starts at ``segments[index]`` is kept (None: to the end)."""
    total = 0
    for seg in segments[index:]:
        if seg.dose != segments[index].dose:
            return total
        if seg.days is None:
            return None
        total += seg.days
    return total


def clinic_day(plan: PlanInput, day: date, earlier: bool, not_before: date) -> date:
    """The clinic day nearest ``day``: the one before it when a contact must come no later (before a step,
    or to keep the longest gap), else the next; never before ``not_before``."""
    if not plan.clinic_days:
        return max(day, not_before)
    step = timedelta(days=-1 if earlier else 1)
    moved = day
    while moved.weekday() not in plan.clinic_days:
        moved += step
    if moved < not_before:
        moved = not_before
        while moved.weekday() not in plan.clinic_days:
            moved += timedelta(days=1)
    return moved


def _follow_ups(plan: PlanInput, segments: list[Segment]) -> list[FollowUp]:
    """Contacts the rule set asks for, on clinic days from the plan's first day, and the ones entered."""
    rule_set = _rule_set(plan)
    found: dict[date, FollowUp] = {}
    first = segments[0].start

    def add(day: date, kind: str, reason: str, earlier: bool = False, entered: bool = False) -> date:
        if not entered:
            day = clinic_day(plan, day, earlier, first)
        if day not in found:
            found[day] = FollowUp(day, kind, reason)
        return day

    for f in plan.follow_ups:
        add(f.on, f.kind, f.note or "check-in", entered=True)
    cuts = dose_cuts(plan.strategy.start, segments)
    spec = (rule_set or {}).get("follow_up") or {}
    note = spec.get("note") or ""
    before = spec.get("before_each_step_days")
    after = spec.get("after_cut_days")
    for seg in cuts:
        if before:
            add(seg.start - timedelta(days=before), "phone", f"before step {seg.label}", earlier=True)
        if after:
            add(seg.start + timedelta(days=after), "phone", f"{after} days after step {seg.label}. {note}".strip())
    gap = spec.get("max_gap_days")
    if gap:
        day = first
        last = segments[-1].start + timedelta(days=gap)
        while day < last:
            upcoming = [d for d in found if day < d <= day + timedelta(days=gap)]
            if not upcoming:
                reason = f"at least every {gap} days during the taper. {note}".strip()
                moved = add(day + timedelta(days=gap), "visit", reason, earlier=True)
                day = moved if moved > day else add(day + timedelta(days=gap), "visit", reason)
            else:
                day = min(upcoming)
    return sorted(found.values())


def rule_set_title(schedule: Schedule) -> str:
    rs = schedule.rule_set
    return f"{rs['title']} ({rs['id']})" if rs else "no guideline rule set for this drug"


def rule_sources(schedule: Schedule) -> str:
    rs = schedule.rule_set
    if not rs:
        return ""
    return source_text(",".join(sorted({c["source"] for c in rs["checks"]})))
