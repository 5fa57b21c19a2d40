"""Building a dated taper schedule from a plan: round, merge, pause, set back, check, follow up.

The engine works on plain values (:class:`PlanInput`), so it is fast and easy to test; the
adapter in :mod:`taper.adapters` builds them from a saved case.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from fractions import Fraction
from typing import Any, NamedTuple

from taper.guidelines import FIRST_CUT_DAYS, Cut, Warning_, check_cut, check_total, rule_sets, source_text
from taper.rounding import Split, Unit, smallest_daily_dose, split_dose
from taper.strategies import StrategySpec, planned_doses

#: Which slot keeps its dose longest when a dose must be dropped (0 = kept longest).
SLOT_KEEP_ORDER = {"bedtime": 0, "morning": 1, "evening": 2, "noon": 3, "patch": 0}


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


def _round_steps(plan: PlanInput, planned: list[Fraction], first_step: int, previous: Fraction,
                 notices: list[str]) -> list[Segment]:
    order = slot_order(plan.slots)
    segments: list[Segment] = []
    for offset, target in enumerate(planned):
        number = first_step + offset
        split = split_dose(plan.units, order, target, previous)
        if split.total >= previous:
            notices.append(f"Step {number} (planned {_fmt(target)} {plan.unit}) rounds to "
                           f"{_fmt(split.total)} {plan.unit}, no lower than the step before with these "
                           f"products; the dose is held {plan.interval_days} days longer instead.")
            if segments:
                last = segments[-1]
                segments[-1] = last._replace(days=(last.days or 0) + plan.interval_days)
            continue
        if target != split.total:
            tolerance = abs(split.total - target) / target if target else Fraction(0)
            if tolerance > Fraction(1, 10):
                notices.append(f"Step {number}: planned {_fmt(target)} {plan.unit}, the nearest dose the "
                               f"products give is {_fmt(split.total)} {plan.unit}.")
        cut = (previous - split.total) / previous if previous else None
        segments.append(Segment("step", number, plan.start_date, plan.interval_days, split.total, target, split, cut))
        previous = split.total
    return segments


def _fmt(value: Fraction) -> str:
    from regimens.quantity import format_number

    return format_number(value)


def build_schedule(plan: PlanInput) -> Schedule:
    """The dated schedule of one plan, with warnings, notices and follow-ups."""
    if not plan.units:
        raise PlanError(f"no products of {plan.drug} to build doses from")
    if plan.interval_days < 1:
        raise PlanError("the interval between steps must be at least 1 day")
    notices: list[str] = []
    order = slot_order(plan.slots)
    spec = plan.strategy
    start_split = split_dose(plan.units, order, spec.start)
    if start_split.total != spec.start:
        notices.append(f"The current dose {_fmt(spec.start)} {plan.unit} cannot be made exactly from the chosen "
                       f"products; the nearest is {_fmt(start_split.total)} {plan.unit}.")
    smallest = smallest_daily_dose(plan.units)
    planned = planned_doses(spec, smallest)
    segments = _round_steps(plan, planned, 1, spec.start, notices)
    if not segments:
        raise PlanError("no step lowers the dose with these products; choose other products or a larger cut")
    if segments[-1].dose != spec.target:
        notices.append(f"The last step reaches {_fmt(segments[-1].dose)} {plan.unit}; the products cannot give "
                       f"exactly {_fmt(spec.target)} {plan.unit}.")
    segments[-1] = segments[-1]._replace(days=None)
    segments = _redate(_renumber(segments), plan.start_date)
    for pause in sorted(plan.pauses, key=lambda p: (p.start or date.min, p.after_step or 0)):
        segments = _apply_pause(plan, segments, pause, start_split, notices)
    for setback in sorted(plan.setbacks, key=lambda s: s.on):
        segments = _apply_setback(plan, segments, setback, notices)
    _check_length(plan, segments, notices)
    warnings = _check(plan, segments, smallest)
    follow_ups = _follow_ups(plan, segments)
    rule_set = _rule_set(plan)
    return Schedule(plan, tuple(segments), tuple(warnings), tuple(notices), tuple(follow_ups), rule_set, start_split)


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
        reason = next((r for _, rule, r in plan.overrides if rule in (None, LENGTH_RULE)), None)
        if reason is None:
            raise PlanError(f"the plan would run {span}: a plan longer than ten years is refused unless the "
                            "override gives a reason (--override REASON); check the interval and the pauses")
        notices.append(f"This plan runs {span}, past ten years; accepted with the override: {reason}")
        return
    notices.append(f"This plan runs {span}: past five years, check that so slow a taper is intended.")


def _renumber(segments: list[Segment]) -> list[Segment]:
    """Number the dose changes 1, 2, 3 ... (planned steps that merged leave no gaps)."""
    return [seg._replace(step=i) for i, seg in enumerate(segments, start=1)]


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
        paused = hold._replace(step=seg.step, dose=seg.dose, split=seg.split)
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
        if seg.days is None:
            notices.append(f"A pause from {pause.start.isoformat()} falls on the last dose; it changes nothing.")
            return segments
        before_days = (pause.start - seg.start).days
        paused = Segment("pause", seg.step, pause.start, pause.days, seg.dose, None, seg.split, None, pause.reason,
                         pause.show_reason)
        parts = []
        if before_days > 0:
            parts.append(seg._replace(days=before_days))
            rest = seg._replace(days=seg.days - before_days, cut_percent=None)
            parts.extend([paused, rest])
        else:
            parts.extend([paused, seg])
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
    hold_split = split_dose(plan.units, slot_order(plan.slots), tolerated)
    kept.append(Segment("setback", current.step, setback.on, setback.hold_days, tolerated, None, hold_split, None,
                        setback.reason))
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
    new = _round_steps(plan._replace(start_date=setback.on), planned, current.step + 1, tolerated, notices)
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


def _check(plan: PlanInput, segments: list[Segment], smallest: Fraction) -> list[Warning_]:
    rule_set = _rule_set(plan)
    if rule_set is None:
        return []
    warnings: list[Warning_] = []
    previous = plan.strategy.start
    held = 0
    for seg in segments:
        if seg.dose < previous:
            end = seg.dose == 0 and previous <= smallest
            cut = Cut(seg.step, previous, seg.dose, held or FIRST_CUT_DAYS, end)
            warnings.extend(check_cut(rule_set, plan.drug, cut, plan.strategy.start))
            held = 0
        previous = seg.dose
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


def _follow_ups(plan: PlanInput, segments: list[Segment]) -> list[FollowUp]:
    rule_set = _rule_set(plan)
    found: dict[date, FollowUp] = {}

    def add(day: date, kind: str, reason: str) -> None:
        if day not in found:
            found[day] = FollowUp(day, kind, reason)

    for f in plan.follow_ups:
        add(f.on, f.kind, f.note or "check-in")
    cuts = [s for i, s in enumerate(segments) if s.kind == "step" and s.cut_percent is not None
            and (i == 0 or s.dose < segments[i - 1].dose)]
    spec = (rule_set or {}).get("follow_up") or {}
    note = spec.get("note") or ""
    before = spec.get("before_each_step_days")
    after = spec.get("after_cut_days")
    for seg in cuts:
        if before:
            add(seg.start - timedelta(days=before), "phone", f"before step {seg.step}")
        if after:
            add(seg.start + timedelta(days=after), "phone", f"{after} days after step {seg.step}. {note}".strip())
    gap = spec.get("max_gap_days")
    if gap:
        day = segments[0].start
        last = segments[-1].start + timedelta(days=gap)
        while day < last:
            upcoming = [d for d in found if day < d <= day + timedelta(days=gap)]
            if not upcoming:
                day = day + timedelta(days=gap)
                add(day, "visit", f"at least every {gap} days during the taper. {note}".strip())
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
