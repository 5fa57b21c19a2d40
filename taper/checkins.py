"""Check-ins against the plan: the trend since the last step, and what the rules suggest.

The rules suggest and never act alone; the pharmacist accepts a hold or a slow-down with
:func:`accept`, which changes the plan with the check-in as its reason. Thresholds live in each
class rule set (``taper_rules.json``, key ``checkin``) with their sources; none is a validated
algorithm, so all are editable there.

Order of the rules, first match wins: a self-harm answer of yes (``urgent``), a positive mood
screen (``review``), a second rise after a step (``slow``), a first rise (``hold``).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any, NamedTuple

from regimens.case import Case, Pause, Setback, TaperPlan
from regimens.checkin import CheckIn
from regimens.datefmt import short_date
from regimens.quantity import format_number
from taper.adapters import case_schedules
from taper.guidelines import rule_data, source_text
from taper.schedule import Schedule, Segment


class Suggestion(NamedTuple):
    """What the rules suggest after a check-in; ``plan`` is the plan it concerns."""

    action: str
    """``hold``, ``slow``, ``review`` or ``urgent``."""
    days: int
    """hold: days to hold the dose; slow: days of each new, smaller step; review: days left before
    the next step; urgent: 0 (the same day)."""
    reason: str
    rule: str
    plan: str | None
    source: str

    def as_json(self) -> dict[str, Any]:
        return {"action": self.action, "days": self.days, "reason": self.reason, "rule": self.rule,
                "plan": self.plan, "source": self.source}


DEFAULT_THRESHOLDS: dict[str, Any] = {
    "hold_days": 14, "slow_fraction": 0.5, "withdrawal_rise_percent_of_scale": 20, "peg_rise_percent": 30,
    "peg_rise_min_points": 1, "mood_review_at": 3, "source": "S14", "evidence": "U",
}


def crisis_line() -> str:
    text: str = rule_data()["checkin_thresholds"]["crisis_line"]
    return text


def thresholds(schedule: Schedule | None) -> dict[str, Any]:
    """The check-in thresholds of the schedule's rule set (a default set when the class has none)."""
    rs = schedule.rule_set if schedule is not None else None
    return {**DEFAULT_THRESHOLDS, **((rs or {}).get("checkin") or {})}


def _rule_id(schedule: Schedule | None, name: str) -> str:
    rs = schedule.rule_set if schedule is not None else None
    return f"{rs['id'] if rs else 'default'}:checkin-{name}"


def _threshold_source(name: str) -> str:
    entry = rule_data()["checkin_thresholds"][name]
    return source_text(entry["source"])


def cuts(schedule: Schedule) -> list[Segment]:
    """The segments that begin with a lower dose (the dose steps), in order."""
    return schedule.cuts


def concerned_schedule(case: Case, checkin: CheckIn, schedules: list[Schedule] | None = None) -> Schedule | None:
    """The plan a check-in is about: its own ``plan_id``, else the plan whose step came last before it."""
    schedules = case_schedules(case) if schedules is None else schedules
    own = next((s for s in schedules if s.plan.plan_id == checkin.plan_id), None)
    if own is not None:
        return own
    best: tuple[date, Schedule] | None = None
    for s in schedules:
        started = [c.start for c in cuts(s) if c.start <= checkin.on]
        if started and (best is None or started[-1] > best[0]):
            best = (started[-1], s)
    if best is not None:
        return best[1]
    upcoming = sorted((s for s in schedules if s.first_day > checkin.on), key=lambda s: s.first_day)
    return upcoming[0] if upcoming else (schedules[0] if schedules else None)


def _of_plan(checkins: tuple[CheckIn, ...], plan_id: str, before: date, exclude: CheckIn) -> list[CheckIn]:
    return [c for c in checkins if c != exclude and c.on < before and c.plan_id in (None, plan_id)]


def reference(case: Case, checkin: CheckIn, schedule: Schedule) -> tuple[Segment | None, CheckIn | None]:
    """The last step on or before the check-in, and the last check-in before that step."""
    started = [c for c in cuts(schedule) if c.start <= checkin.on]
    if not started:
        return None, None
    step = started[-1]
    earlier = _of_plan(case.checkins, schedule.plan.plan_id, step.start, checkin)
    return step, (earlier[-1] if earlier else None)


def baseline(case: Case, schedule: Schedule, exclude: CheckIn | None = None) -> CheckIn | None:
    """The last check-in before step 1 of the plan."""
    steps = cuts(schedule)
    first = steps[0].start if steps else schedule.first_day
    earlier = [c for c in case.checkins if c != exclude and c.on < first
               and c.plan_id in (None, schedule.plan.plan_id)]
    return earlier[-1] if earlier else None


def rises(before: CheckIn, after: CheckIn, limits: dict[str, Any]) -> list[str]:
    """What rose by at least the thresholds from ``before`` to ``after``, in plain words."""
    out = []
    wb, wa = before.withdrawal_fraction, after.withdrawal_fraction
    needed_share = Decimal(str(limits["withdrawal_rise_percent_of_scale"]))
    if wb is not None and wa is not None and (wa - wb) * 100 >= needed_share:
        out.append(f"withdrawal went from {_num(before.withdrawal)} to {_num(after.withdrawal)} "
                   f"({after.withdrawal_scale})")
    pb, pa = before.peg, after.peg
    if pb is not None and pa is not None:
        needed = max(pb * Decimal(str(limits["peg_rise_percent"])) / 100, Decimal(str(limits["peg_rise_min_points"])))
        if pa - pb >= needed:
            out.append(f"pain (PEG) went from {_num(pb)} to {_num(pa)}")
    return out


def _num(value: Decimal | None) -> str:
    return "-" if value is None else format_number(Fraction(value), places=1)


def _rise_at(case: Case, checkin: CheckIn, schedule: Schedule, limits: dict[str, Any]) -> list[str]:
    step, ref = reference(case, checkin, schedule)
    if step is None or ref is None:
        return []
    return rises(ref, checkin, limits)


def suggest(case: Case, checkin: CheckIn, schedules: list[Schedule] | None = None) -> Suggestion | None:
    """The rules' suggestion after ``checkin`` (which may or may not be saved in ``case`` yet); None when steady."""
    schedules = case_schedules(case) if schedules is None else schedules
    schedule = concerned_schedule(case, checkin, schedules)
    plan_id = schedule.plan.plan_id if schedule is not None else None
    limits = thresholds(schedule)
    if checkin.self_harm:
        who = ", ".join(x for x in (case.patient.prescriber_name, case.patient.prescriber_phone) if x)
        prescriber = f"the prescriber ({who})" if who else "the prescriber"
        return Suggestion("urgent", 0, f"The patient answered yes to the self-harm question: contact {prescriber} "
                          f"today, before anything else. {crisis_line()}", _rule_id(schedule, "self-harm"),
                          plan_id, _threshold_source("self_harm"))
    at = limits["mood_review_at"]
    screens = [f"{name} {score}" for name, score in (("PHQ-2", checkin.phq2), ("GAD-2", checkin.gad2))
               if score is not None and score >= at]
    if screens:
        days = 0
        if schedule is not None:
            later = [c.start for c in cuts(schedule) if c.start > checkin.on]
            days = (later[0] - checkin.on).days if later else 0
        return Suggestion("review", days, f"A mood screen is positive ({' and '.join(screens)}; {at} or more): "
                          "review with the prescriber before the next step (and follow with the PHQ-9 or GAD-7).",
                          _rule_id(schedule, "mood"), plan_id, _threshold_source("mood_review_at"))
    if schedule is None:
        return None
    found = _rise_at(case, checkin, schedule, limits)
    if not found:
        return None
    step, _ = reference(case, checkin, schedule)
    assert step is not None
    earlier = [c for c in _of_plan(case.checkins, schedule.plan.plan_id, checkin.on, checkin)
               if c.on >= cuts(schedule)[0].start and (c.accepted is not None or _rise_at(case, c, schedule, limits))]
    source = source_text(limits["source"])
    after = f"after step {step.step} ({short_date(step.start, True)})"
    if earlier:
        fraction = Fraction(str(limits["slow_fraction"]))
        return Suggestion("slow", schedule.plan.interval_days,
                          f"A second rise {after}: {'; '.join(found)}. Suggest slowing: the remaining steps from "
                          f"the current dose, each {format_number(fraction * 100)}% of the cut planned.",
                          _rule_id(schedule, "slow"), plan_id, source)
    days = int(limits["hold_days"])
    return Suggestion("hold", days, f"Worse {after}: {'; '.join(found)}. Suggest holding the dose {days} days "
                      "before the next step.", _rule_id(schedule, "hold"), plan_id, source)


def with_checkin(case: Case, checkin: CheckIn) -> Case:
    """The case with ``checkin`` added in date order (after any of the same day)."""
    items = [c.model_dump() for c in case.checkins]
    at = sum(1 for c in case.checkins if c.on <= checkin.on)
    items.insert(at, checkin.model_dump())
    return Case.model_validate({**case.model_dump(), "checkins": items})


class AcceptError(ValueError):
    """A suggestion that cannot be accepted, told plainly."""


def accept(case: Case, checkin: CheckIn, suggestion: Suggestion, schedules: list[Schedule] | None = None) -> Case:
    """Change the concerned plan as a hold or slow ``suggestion`` says, the check-in as its reason.

    A hold is a pause from the check-in's day (every later step moves by its days); a slow-down is
    a setback that keeps the current dose (never back to an older one) for ``days`` and then takes
    the remaining steps in cuts of ``slow_fraction`` of their size. ``checkin`` must already be in ``case``.
    """
    if suggestion.action not in ("hold", "slow"):
        raise AcceptError(f"a {suggestion.action} suggestion is for the prescriber; only a hold or a slow-down "
                          "is accepted here")
    if checkin not in case.checkins:
        raise AcceptError("the check-in is not in the case")
    schedules = case_schedules(case) if schedules is None else schedules
    schedule = next((s for s in schedules if s.plan.plan_id == suggestion.plan), None)
    plan = next((p for p in case.plans if p.id == suggestion.plan), None)
    if schedule is None or plan is None:
        raise AcceptError(f"there is no plan {suggestion.plan} to change")
    data = plan.model_dump()
    if suggestion.action == "hold":
        # The reason is printed on the patient's calendar: the date as the calendar writes dates.
        reason = f"hold after the check-in of {short_date(checkin.on, True)}"
        data["pauses"] = [*data["pauses"], Pause(days=suggestion.days, start=checkin.on, reason=reason).model_dump()]
    else:
        if not [c for c in cuts(schedule) if c.start > checkin.on]:
            raise AcceptError("no step is left after the check-in to slow")
        fraction = Decimal(str(thresholds(schedule)["slow_fraction"]))
        setback = Setback(on=checkin.on, hold_days=suggestion.days, step_fraction=fraction,
                          reason=f"slower after the check-in of {short_date(checkin.on, True)}",
                          back_to_tolerated=False)
        data["setbacks"] = [*data["setbacks"], setback.model_dump()]
    data["revision"] = plan.revision + 1
    new_plan = TaperPlan.model_validate(data)
    plans = [new_plan.model_dump() if p.id == plan.id else p.model_dump() for p in case.plans]
    at = case.checkins.index(checkin)
    checkins = [{**c.model_dump(), "accepted": suggestion.action, "plan_id": plan.id} if i == at
                else c.model_dump() for i, c in enumerate(case.checkins)]
    return Case.model_validate({**case.model_dump(), "plans": plans, "checkins": checkins})


class TrendRow(NamedTuple):
    """One check-in's scores for tables and charts."""

    on: date
    peg: Decimal | None
    sleep: int | None
    goal: int | None
    withdrawal: Decimal | None
    withdrawal_scale: str
    walk_minutes: int | None
    phq2: int | None
    gad2: int | None
    self_harm: bool | None
    accepted: str | None


def trend_rows(case: Case, plan_id: str | None = None) -> list[TrendRow]:
    return [TrendRow(c.on, c.peg, c.sleep, c.goal, c.withdrawal, c.withdrawal_scale, c.walk_minutes, c.phq2,
                     c.gad2, c.self_harm, c.accepted)
            for c in case.checkins if plan_id is None or c.plan_id in (None, plan_id)]


def _compare(label: str, before: Decimal | int | None, after: Decimal | int | None, better: str) -> str | None:
    if after is None:
        return None
    if before is None:
        return f"{label} {_num(Decimal(after))}"
    change = Decimal(after) - Decimal(before)
    if change == 0:
        return f"{label} {_num(Decimal(after))} (same)"
    way = "up" if change > 0 else "down"
    good = (change > 0) == (better == "up")
    return f"{label} {_num(Decimal(before))} to {_num(Decimal(after))} ({way}, {'better' if good else 'worse'})"


def compare_text(before: CheckIn | None, after: CheckIn) -> str:
    """Scores of ``after`` against ``before`` in plain words."""
    parts = [
        _compare("pain (PEG)", before.peg if before else None, after.peg, "down"),
        _compare("sleep", before.sleep if before else None, after.sleep, "up"),
        _compare("goal", before.goal if before else None, after.goal, "up"),
        _compare(f"withdrawal ({after.withdrawal_scale})",
                 before.withdrawal if before and before.withdrawal_scale == after.withdrawal_scale else None,
                 after.withdrawal, "down"),
        _compare("walking minutes", before.walk_minutes if before else None, after.walk_minutes, "up"),
        _compare("PHQ-2", before.phq2 if before else None, after.phq2, "down"),
        _compare("GAD-2", before.gad2 if before else None, after.gad2, "down"),
        None if after.self_harm is None else f"self-harm question: {'yes' if after.self_harm else 'no'}",
    ]
    text = "; ".join(p for p in parts if p)
    return text or "no scores recorded"


def trend_lines(case: Case, checkin: CheckIn, schedules: list[Schedule] | None = None) -> list[str]:
    """The check-in against the last check-in before the last step, and against the baseline."""
    schedules = case_schedules(case) if schedules is None else schedules
    schedule = concerned_schedule(case, checkin, schedules)
    if schedule is None:
        return [f"Check-in {short_date(checkin.on, True)}: {compare_text(None, checkin)}."]
    lines = [f"Check-in {short_date(checkin.on, True)} for plan {schedule.plan.plan_id} ({schedule.plan.drug})."]
    step, ref = reference(case, checkin, schedule)
    if step is None:
        lines.append(f"Before step 1 (baseline): {compare_text(None, checkin)}.")
        return lines
    if ref is not None:
        lines.append(f"Since step {step.step} ({short_date(step.start, True)}), against "
                     f"{short_date(ref.on, True)}: {compare_text(ref, checkin)}.")
    else:
        lines.append(f"Since step {step.step} ({short_date(step.start, True)}): no check-in before that step to "
                     f"compare with; {compare_text(None, checkin)}.")
    base = baseline(case, schedule, exclude=checkin)
    if base is not None and base != ref:
        lines.append(f"Against the baseline ({short_date(base.on, True)}): {compare_text(base, checkin)}.")
    return lines
