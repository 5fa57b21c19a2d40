"""Guideline rule sets per drug class and the checks a schedule must pass.

Loaded from ``taper/data/taper_rules.json``; each check names its source. A step whose actual cut
breaks a check gets a warning; the end of a taper (from the smallest deliverable dose to 0) is
not a violation of the per-step limits, as the sources describe stopping once the smallest dose
is reached.
"""

from __future__ import annotations

import json
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


def source_text(ids: str) -> str:
    sources = rule_data()["sources"]
    return "; ".join(sources.get(s.strip(), s.strip()) for s in ids.split(","))


#: Days held before the first cut are unknown; the engine passes this so rate checks pass on them.
FIRST_CUT_DAYS = 10**6


class Cut(NamedTuple):
    """One dose change: step number, doses before and after, days the previous dose was held."""

    step: int
    before: Fraction
    after: Fraction
    days_held: int
    end_of_taper: bool


def check_cut(rule_set: dict[str, Any], drug: str, cut: Cut, original: Fraction) -> list[Warning_]:
    out: list[Warning_] = []
    if cut.before <= 0 or cut.after >= cut.before:
        return out
    days = max(cut.days_held, 1)
    fraction = (cut.before - cut.after) / cut.before
    for check in rule_set["checks"]:
        kind = check["kind"]
        broken = False
        if kind == "min_interval":
            broken = cut.days_held < check["days"]
        elif cut.end_of_taper:
            continue
        elif kind == "cut_rate":
            broken = fraction * 100 * Fraction(check["per_days"], days) > check["percent"]
        elif kind == "cut_per_step":
            broken = fraction * 100 > check["percent"]
        elif kind == "cut_amount_rate":
            rate = (cut.before - cut.after) * Fraction(check["per_days"], days)
            broken = drug == check["drug"] and rate > check["amount"]
        elif kind == "cdc_short":
            switch = original * Fraction(check["switch_at_percent_of_original"], 100)
            base = original if cut.before > switch else cut.before
            broken = (cut.before - cut.after) / base * 100 * Fraction(check["per_days"], days) > check["percent"]
        elif kind == "dose_band_cut":
            band = next(b for b in check["bands"] if cut.before > Fraction(str(b["above"])))
            broken = (cut.before - cut.after) * Fraction(check["per_days"], days) > Fraction(str(band["max_cut"]))
        if broken:
            out.append(Warning_(cut.step, check["id"], _message(check, cut, fraction, days),
                                source_text(check["source"]), check["evidence"]))
    return out


def _message(check: dict[str, Any], cut: Cut, fraction: Fraction, days: int) -> str:
    from regimens.quantity import format_number

    pct = format_number(fraction * 100, places=1)
    held = "of the current dose" if cut.days_held >= FIRST_CUT_DAYS else f"after {days} days on the previous dose"
    return f"Step {cut.step} cuts {pct}% {held}: it {check['message']}."


def check_total(rule_set: dict[str, Any], step: int, total_days: int) -> list[Warning_]:
    out = []
    for check in rule_set["checks"]:
        if check["kind"] == "min_total_days" and total_days < check["days"]:
            out.append(Warning_(step, check["id"],
                                f"The whole taper takes {total_days} days: it {check['message']}.",
                                source_text(check["source"]), check["evidence"]))
    return out
