"""The prescriber summary as data (tall-man names, findings, risk over time, steps, dispensing)."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

from interactions.metrics import assumed_ceiling_text
from regimens.datefmt import date_range, short_date
from regimens.dose_text import line_dose_text, per_day_text, sig_note, when_text
from regimens.quantity import format_number
from taper.outputs import daily_words, dispense_json, split_counts
from taper.schedule import Schedule, rule_set_title


@cache
def tall_man_names() -> dict[str, str]:
    data: dict[str, Any] = json.loads((Path(__file__).parent / "data" / "tallman.json").read_text("utf-8"))
    return dict(data["names"])


def tall_man(text: str) -> str:
    """Look-alike drug names in tall-man letters (ISMP/FDA), elsewhere unchanged."""
    names = tall_man_names()
    return re.sub(r"[A-Za-z]+", lambda m: names.get(m.group(0).lower(), m.group(0)), text)


def override_records(case: Any, plan_id: str) -> list[str]:
    """Who accepted which warnings, when and why: one line per recorded override of the plan."""
    plan = next((p for p in case.plans if p.id == plan_id), None)
    lines = []
    for o in plan.overrides if plan is not None else ():
        what = f"step {o.step}, {o.rule}" if o.step else (o.rule if o.rule != "*" else "every warning")
        who = f" by {o.by}" if o.by else ""
        when = f" on {short_date(o.recorded_on, True)}" if o.recorded_on else ""
        lines.append(f"Override recorded{who}{when} ({what}): {o.reason}")
    return lines


def calendar_language_line(language: str) -> str:
    """The summary stays in English and says which language the patient's calendar and reminders are in."""
    from taper.catalogue import SOURCE_LANGUAGE, languages, translation_status

    if language == SOURCE_LANGUAGE:
        return "Patient calendar and reminders in English."
    unreviewed, total = translation_status(language)
    name = languages()[language]["english_name"]
    review = (f" Translation not yet reviewed by a qualified medical translator ({unreviewed} of {total} sentences "
              "unreviewed); each dose line on the calendar is also printed in English." if unreviewed else
              " Translation reviewed by a qualified medical translator.")
    return f"Patient calendar and reminders in {name} ({language}).{review}"


def build_summary(case: Any, schedules: list[Schedule], review: Any, trajectory: list[dict[str, Any]],
                  today: date, calendar_language: str = "en") -> dict[str, Any]:
    p = case.patient
    regimen = []
    for med in case.regimen.medications:
        how = line_dose_text(med) + " " + when_text(med)
        if med.prn and med.max_units_per_day is None:
            how += f" ({assumed_ceiling_text(med)})"
        if sig_note(med):
            how += f" ({sig_note(med)})"
        regimen.append([tall_man(med.titled()), how, per_day_text(med)])
    findings = []
    for f in review.findings:
        names = " + ".join(f.drugs)
        also = "".join(f" Also {a.rule_id} ({a.severity})." for a in f.also)
        tag = " UNCONFIRMED rule." if f.unconfirmed else ""
        findings.append([f.severity.upper(), tall_man(names), f"{f.rule_id}: {f.effect} {f.management}{also}{tag}"])
    flags = [f"{g.kind.upper()}: {tall_man(g.message)}" for g in review.flags]
    not_screened = [n.text() for n in review.not_screened]
    plans = []
    for s in schedules:
        steps = []
        for seg in s.segments:
            products = "; ".join(f"{format_number(c)} x {tall_man(s.plan.units[i].label)}"
                                 for i, c in sorted(split_counts(s, seg.split).items())) or "none"
            when = date_range(seg.start, seg.end) if seg.end else f"from {short_date(seg.start, True)}"
            warned = ", ".join(sorted({w.rule for w in s.warnings if w.step == seg.step})) \
                if seg.cut_percent is not None else ""
            steps.append([seg.label, when,
                          f"{format_number(seg.dose)} {s.plan.unit}", products,
                          "" if seg.cut_percent is None else f"{format_number(seg.cut_percent * 100, places=1)}%",
                          warned])
        warnings = [f"Step {w.step}, {w.rule}: {w.message} Source: {w.source}"
                    + (f" OVERRIDDEN: {w.override}" if w.override else "") for w in s.warnings]
        warnings += override_records(case, s.plan.plan_id)
        switches = [f"Step {seg.label}, {short_date(seg.start, True)}: PRODUCT SWITCH to {tall_man(seg.switch[1])} "
                    f"instead of {tall_man(seg.switch[0])}." for seg in s.segments if seg.switch]
        dispense = dispense_json(s)
        fills = [[date_range(date.fromisoformat(f["start"]), date.fromisoformat(f["end"])),
                  "; ".join(f"{x['quantity']} {x['unit']} of {tall_man(x['product'])}" for x in f["products"])]
                 for f in dispense["fills"]]
        spec = s.plan.strategy
        parameter = (f", {format_number(spec.percent)}% a step" if spec.percent is not None else
                     f", {format_number(spec.amount)} {s.plan.unit} a step" if spec.amount is not None else "")
        plans.append({
            "title": f"Plan {s.plan.plan_id}: {tall_man(s.plan.drug)} {daily_words(spec.start, s.plan.unit)} "
                     f"to {format_number(spec.target)} {s.plan.unit}",
            "strategy": f"Strategy: {spec.name}{parameter}, a step every {s.plan.interval_days} days.",
            "rule_set": f"Guideline rule set: {rule_set_title(s)}."
                        + (f" Pace: {s.rule_set['pace']}" if s.rule_set else ""),
            "steps": steps,
            "switches": switches,
            "warnings": warnings,
            "follow_ups": [f"{short_date(f.on, True)} ({f.kind})" for f in s.follow_ups],
            "fills": fills,
            "checkins": checkin_view(case, s, schedules),
        })
    rows = [[short_date(date.fromisoformat(t["date"]), True), format_number(Fraction(str(t["mme_per_day"])), 1),
             format_number(Fraction(str(t["diazepam_equivalent_mg_per_day"])), 1), str(t["acb_score"]),
             str(t["major_or_worse"])] for t in trajectory]
    points = [{**t, "ordinal": date.fromisoformat(t["date"]).toordinal()} for t in trajectory]
    footer = " · ".join(x for x in (f"Prescriber {p.prescriber_name} {p.prescriber_phone}".strip(),
                                    f"Pharmacy {p.pharmacy_name} {p.pharmacy_phone}".strip(),
                                    f"Printed {short_date(today, True)}") if x)
    return {
        "patient": p.name,
        "patient_line": f"Born {short_date(p.birth_date, True)} (age {p.age_on(today)}); id {p.id}",
        "calendar_language": calendar_language_line(calendar_language),
        "regimen": regimen,
        "findings": findings,
        "flags": flags,
        "not_screened": not_screened,
        "metric_sets": f"MME {review.metrics.mme_factor_set}; diazepam equivalents {review.metrics.benzo_table}; "
                       f"ACB {review.metrics.acb_scale}",
        "trajectory": points,
        "trajectory_rows": rows,
        "plans": plans,
        "footer": footer,
    }


def _score(value: Any) -> str:
    return "" if value is None else format_number(Fraction(str(value)), places=1)


def checkin_view(case: Any, schedule: Schedule, schedules: list[Schedule]) -> dict[str, Any]:
    """The plan's check-ins as a table and as chart points (0-10 scores by day), with the dose steps and holds."""
    from taper.checkins import concerned_schedule

    mine = [c for c in getattr(case, "checkins", ())
            if (found := concerned_schedule(case, c, schedules)) is not None and found.plan.plan_id ==
            schedule.plan.plan_id]
    first = schedule.first_day
    if mine:
        first = min(first, mine[0].on)
    rows = []
    points: dict[str, list[tuple[int, float]]] = {"PEG": [], "Sleep": [], "Goal": [], "Withdrawal": []}
    for c in mine:
        withdrawal = "" if c.withdrawal is None else f"{_score(c.withdrawal)}" + (
            "" if c.withdrawal_scale == "self-0-10" else f" ({c.withdrawal_scale})")
        harm = "" if c.self_harm is None else ("YES" if c.self_harm else "no")
        rows.append([short_date(c.on, True), _score(c.peg), _score(c.sleep), _score(c.goal), withdrawal,
                     _score(c.walk_minutes), f"{_score(c.phq2) or '-'} / {_score(c.gad2) or '-'}", harm,
                     {"hold": "hold accepted", "slow": "slower pace accepted"}.get(c.accepted or "", "")])
        x = (c.on - first).days
        for name, value in (("PEG", c.peg), ("Sleep", c.sleep), ("Goal", c.goal)):
            if value is not None:
                points[name].append((x, float(value)))
        if c.withdrawal_fraction is not None:
            points["Withdrawal"].append((x, float(c.withdrawal_fraction * 10)))
    dose: list[tuple[int, float]] = [(0, float(schedule.plan.strategy.start))] if first < schedule.first_day else []
    holds = []
    for seg in schedule.segments:
        x = (seg.start - first).days
        dose.append((x, float(seg.dose)))
        if seg.kind in ("pause", "setback") and seg.days:
            holds.append((x, x + seg.days))
    # The chart spans the check-ins and the eight weeks after the last one (the plan may run for years).
    seen = [x for series in points.values() for x, _ in series]
    end = max(dose[-1][0] + 14, 1)
    span = min(end, max(seen) + 56) if seen else end
    shown = [(x, d) for x, d in dose if x <= span]
    shown.append((span, float(schedule.dose_on(first + timedelta(days=span)))))
    holds = [(a, min(b, span)) for a, b in holds if a < span]
    return {"rows": rows, "points": points, "dose": shown, "holds": holds,
            "unit": schedule.plan.unit, "first": short_date(first, True), "span": span}

