"""Guideline rule sets per drug class and the checks a schedule must pass.

Loaded from ``taper/data/taper_rules.json``; each check names its source. A step whose actual cut
breaks a check gets a warning. Every cut is checked, the first against the patient's current dose;
the last step to zero answers to the class's stop rule: expected from the smallest dose the products
give after the class's time on it, warned from any higher dose.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

DATA = Path(__file__).parent / "data"


class Warning_(NamedTuple):
    """A guideline warning on one step, and its override when the pharmacist accepted it."""

    step: int
    rule: str
    message: str
    source: str
    evidence: str
    override: str | None = None


@cache
def rule_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA / "taper_rules.json").read_text("utf-8"))
    return data


def rule_sets() -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in rule_data()["rule_sets"]}


def default_rule_set(drug: str, classes: frozenset[str]) -> dict[str, Any] | None:
    """The drug's own rule set if one names it, else the first set that is the class default."""
    sets = rule_data()["rule_sets"]
    for r in sets:
        if drug in r["applies_to"].get("drugs", []):
            return r
    for r in sets:
        if classes & set(r.get("default_for", [])):
            return r
    return None


def largest_single_cut(rule_set: dict[str, Any] | None) -> Fraction:
    """The largest cut, as a fraction of the dose, the rule set accepts in one step (one half without a
    per-step rule): the per-step maximum, or the most a window rule allows at once."""
    limits = [Fraction(c["percent"], 100) for c in (rule_set or {}).get("checks", ())
              if c["kind"] == "cut_per_step" or (c["kind"] == "cut_rate" and c.get("measure") == "window")]
    return min(limits, default=Fraction(1, 2))


def source_text(ids: str) -> str:
    sources = rule_data()["sources"]
    return "; ".join(sources.get(s.strip(), s.strip()) for s in ids.split(","))


class Cut(NamedTuple):
    """One dose change and what the checks need to judge it.

    ``days_held`` is how long the previous dose was taken (None for the plan's first cut: the patient's
    current dose, taken for an unknown time); ``days_after`` how long the new dose is kept (None when
    it is the last). ``dose_on`` gives the dose in effect on any day (the current dose before the plan).
    """

    step: int
    on: date
    before: Fraction
    after: Fraction
    days_held: int | None
    days_after: int | None
    final_stop: bool
    lowest: Fraction
    unit: str
    dose_on: Callable[[date], Fraction]


def _dose_words(value: Fraction, unit: str) -> str:
    from regimens.quantity import format_number

    return f"{format_number(value)} {unit}"


def _pct(value: Fraction) -> str:
    from regimens.quantity import format_number

    return format_number(value * 100, places=1) + "%"


def check_cut(rule_set: dict[str, Any], drug: str, cut: Cut, original: Fraction) -> list[Warning_]:
    """The class's checks on one cut, the first included (measured against the current dose).

    A rule "X per D days" is read one of two ways, as its source words it: ``window`` (no D-day window
    may hold more than X: "usually not more than 25% every 2 weeks") or ``pace`` (the cut spread over
    the time on the dose before it, or for the first cut the time on the new dose, "10% a month or
    slower"). The last step to zero answers to the class's own stop rule where it has one.
    """
    if cut.before <= 0 or cut.after >= cut.before:
        return []
    checks = rule_set["checks"]
    stop = next((c for c in checks if c["kind"] == "stop_from_lowest"), None)
    if cut.final_stop and stop is not None:
        return _check_stop(stop, cut)
    out: list[Warning_] = []
    fraction = (cut.before - cut.after) / cut.before
    pace_days = max(cut.days_held if cut.days_held is not None else (cut.days_after or 1), 1)
    for check in checks:
        kind = check["kind"]
        text: str | None = None
        if kind == "min_interval":
            if cut.days_held is not None and cut.days_held < check["days"]:
                text = f"Step {cut.step} comes {cut.days_held} days after the previous cut"
        elif kind == "cut_per_step":
            if fraction * 100 > check["percent"]:
                text = f"Step {cut.step} cuts {_pct(fraction)} of {_base(cut)} at once"
        elif kind in ("cut_rate", "cut_amount_rate", "dose_band_cut", "cdc_short"):
            if kind == "cut_amount_rate" and drug != check["drug"]:
                continue
            text = _rate_problem(check, cut, original, fraction, pace_days)
        if text:
            out.append(Warning_(cut.step, check["id"], f"{text}: it {check['message']}.",
                                source_text(check["source"]), check["evidence"]))
    return out


def _base(cut: Cut) -> str:
    return "the current dose" if cut.days_held is None else "the previous dose"


def _rate_problem(check: dict[str, Any], cut: Cut, original: Fraction, fraction: Fraction,
                  pace_days: int) -> str | None:
    """Why a cut breaks a rate rule, in words, or None."""
    per = check["per_days"]
    kind = check["kind"]
    if check.get("measure") == "window":
        before = cut.dose_on(cut.on - timedelta(days=per))
        if before <= cut.after:
            return None
        drop = before - cut.after
        within = f"within {per} days" if before != cut.before else "at once"
        if kind == "cut_amount_rate":
            if drop > Fraction(str(check["amount"])):
                return (f"Step {cut.step} lowers the dose by {_dose_words(drop, cut.unit)} {within} "
                        f"({_dose_words(before, cut.unit)} to {_dose_words(cut.after, cut.unit)})")
            return None
        if kind == "dose_band_cut":
            band = next(b for b in check["bands"] if before > Fraction(str(b["above"])))
            if drop > Fraction(str(band["max_cut"])):
                return f"Step {cut.step} lowers the dose by {_dose_words(drop, cut.unit)} {within}"
            return None
        if drop / before * 100 > check["percent"]:
            return (f"Step {cut.step} takes the dose from {_dose_words(before, cut.unit)} to "
                    f"{_dose_words(cut.after, cut.unit)} {within}, a cut of {_pct(drop / before)}")
        return None
    scale = Fraction(per, pace_days)
    held = (f"after {pace_days} days on the previous dose" if cut.days_held is not None
            else f"of the current dose, kept {pace_days} days")
    drop = cut.before - cut.after
    if kind == "cut_amount_rate":
        broken = drop * scale > Fraction(str(check["amount"]))
    elif kind == "dose_band_cut":
        band = next(b for b in check["bands"] if cut.before > Fraction(str(b["above"])))
        broken = drop * scale > Fraction(str(band["max_cut"]))
    elif kind == "cdc_short":
        switch = original * Fraction(check["switch_at_percent_of_original"], 100)
        base = original if cut.before > switch else cut.before
        broken = drop / base * 100 * scale > check["percent"]
    else:
        broken = fraction * 100 * scale > check["percent"]
    if not broken:
        return None
    if kind in ("cut_amount_rate", "dose_band_cut"):
        return f"Step {cut.step} lowers the dose by {_dose_words(drop, cut.unit)} {held}"
    return f"Step {cut.step} cuts {_pct(fraction)} {held}"


def _check_stop(check: dict[str, Any], cut: Cut) -> list[Warning_]:
    """The last step to zero: expected from the smallest dose after the class's time on it; else warned."""
    if cut.before > cut.lowest:
        text = (f"Step {cut.step} stops from {_dose_words(cut.before, cut.unit)}, above the smallest dose the "
                f"products give ({_dose_words(cut.lowest, cut.unit)})")
    elif cut.days_held is not None and cut.days_held < check["days"]:
        text = (f"Step {cut.step} stops after only {cut.days_held} days on the smallest dose "
                f"({_dose_words(cut.lowest, cut.unit)}; keep it at least {check['days']} days)")
    else:
        return []
    return [Warning_(cut.step, check["id"], f"{text}: {check['message']}.", source_text(check["source"]),
                     check["evidence"])]


def check_total(rule_set: dict[str, Any], step: int, total_days: int) -> list[Warning_]:
    out = []
    for check in rule_set["checks"]:
        if check["kind"] == "min_total_days" and total_days < check["days"]:
            out.append(Warning_(step, check["id"],
                                f"The whole taper takes {total_days} days: it {check['message']}.",
                                source_text(check["source"]), check["evidence"]))
    return out
