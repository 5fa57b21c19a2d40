"""The schedule as data: JSON for the command line, rows per step and per day, dispensing."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date, timedelta
from fractions import Fraction
from typing import Any

from regimens.csvsafe import safe_row
from regimens.dose_text import count_text, plural
from regimens.quantity import decimal_text
from taper.catalogue import ENGLISH, N_, NP_, Catalogue
from taper.rounding import Portion, Split
from taper.schedule import Schedule, Segment, rule_set_title

FILL_DAYS = 28


def daily_words(dose: Fraction, unit: str, tr: Catalogue = ENGLISH) -> str:
    """"10 mg a day"; a patch rate is already per hour: "25 mcg/hr"."""
    if unit == "mcg/hr":
        return f"{tr.number(dose)} {unit}"
    return tr.gettext("{dose} {unit} a day", dose=tr.number(dose), unit=unit)


#: How many of each unit, by the catalogue's plural rule ({n} is the count).
UNIT_COUNTS = {
    "tablet": NP_("{n} tablet", "{n} tablets"),
    "capsule": NP_("{n} capsule", "{n} capsules"),
    "patch": NP_("{n} patch", "{n} patches"),
    "film": NP_("{n} film", "{n} films"),
    "packet": NP_("{n} packet", "{n} packets"),
    "spray": NP_("{n} spray", "{n} sprays"),
    "puff": NP_("{n} puff", "{n} puffs"),
    "injection": NP_("{n} injection", "{n} injections"),
    "unit": NP_("{n} unit", "{n} units"),
    "drop": NP_("{n} drop", "{n} drops"),
    "application": NP_("{n} application", "{n} applications"),
    "applicatorful": NP_("{n} applicatorful", "{n} applicatorfuls"),
    "suppository": NP_("{n} suppository", "{n} suppositories"),
    "enema": NP_("{n} enema", "{n} enemas"),
    "insert": NP_("{n} insert", "{n} inserts"),
    "ring": NP_("{n} ring", "{n} rings"),
    "implant": NP_("{n} implant", "{n} implants"),
    "dose": NP_("{n} dose", "{n} doses"),
    "troche": NP_("{n} troche", "{n} troches"),
    "extended-release tablet": NP_("{n} extended-release tablet", "{n} extended-release tablets"),
    "extended-release capsule": NP_("{n} extended-release capsule", "{n} extended-release capsules"),
    "delayed-release tablet": NP_("{n} delayed-release tablet", "{n} delayed-release tablets"),
    "delayed-release capsule": NP_("{n} delayed-release capsule", "{n} delayed-release capsules"),
}
#: Parts of a tablet in words, never "1/2" (N7); {n} is the whole tablets before the half.
TABLET_PARTS = {
    Fraction(1, 2): N_("half a tablet"),
    Fraction(1, 4): N_("a quarter of a tablet"),
    Fraction(3, 4): N_("three quarters of a tablet"),
}
AND_A_HALF = {"tablet": NP_("{n} and a half tablets", "{n} and a half tablets")}


def units_text(count: Fraction, noun: str, tr: Catalogue = ENGLISH) -> str:
    """"1 tablet", "2 tablets", "half a tablet", "1 and a half tablets", "2.5 mL", in ``tr``'s language."""
    if noun == "mL":
        return f"{tr.number(count)} mL"
    whole, part = divmod(count, 1)
    if noun not in UNIT_COUNTS:
        return count_text(count, noun)  # a unit with no messages yet: English (a test lists the nouns)
    if part == 0:
        return tr.ngettext(*UNIT_COUNTS[noun], int(count))
    if noun == "tablet" and whole == 0 and part in TABLET_PARTS:
        return tr.gettext(TABLET_PARTS[part])
    if noun in AND_A_HALF and part == Fraction(1, 2):
        return tr.ngettext(*AND_A_HALF[noun], int(whole))
    # Other fractions of a unit: a decimal count; CLDR puts decimals in the "other" (plural) form.
    return tr.ngettext(*UNIT_COUNTS[noun], 2, shown=tr.number(count))


def join_text(items: list[str], tr: Catalogue = ENGLISH) -> str:
    """"a, b and c", with the catalogue's word for "and"."""
    if len(items) <= 1:
        return "".join(items)
    return tr.gettext("{items} and {last}", items=", ".join(items[:-1]), last=items[-1])


def portion_text(schedule: Schedule, portion: Portion, tr: Catalogue = ENGLISH) -> str:
    """"1 tablet (5 mg) and half a tablet (2.5 mg)"; "2.5 mL (5 mg)"; "-" for none."""
    if not portion.items:
        return "-"
    parts = []
    units = schedule.plan.units
    several = len({u.amount for u in units}) > 1
    for index, count in portion.items:
        unit = units[index]
        # One unit is named as its label says ("12 mcg/hr"); several add up what they deliver (2 x 12 = 25).
        amount = f"{tr.number(unit.name_amount if count == 1 else unit.amount * count)} {schedule.plan.unit}"
        # "extended-release tablet" where the plan also has a plain tablet: two products never print alike.
        alike = any(u.noun == unit.noun and u.release_words != unit.release_words for u in units)
        noun = (unit.release_words if alike else "") + unit.noun
        if unit.liquid:
            parts.append(f"{tr.number(count)} mL ({amount})")
        elif several:
            strength = f"{tr.number(unit.name_amount)} {schedule.plan.unit}"
            text = tr.gettext("{units} of {strength}", units=units_text(count, noun, tr), strength=strength)
            parts.append(text if count == 1 else f"{text} ({amount})")
        else:
            parts.append(f"{units_text(count, noun, tr)} ({amount})")
    return join_text(parts, tr)


def split_counts(schedule: Schedule, split: Split) -> dict[int, Fraction]:
    out: dict[int, Fraction] = {}
    for portion in split.portions:
        for index, count in portion.items:
            out[index] = out.get(index, Fraction(0)) + count
    return out


def json_number(value: Fraction) -> float | int:
    """A whole number as an int, else the exact decimal as a float (for JSON and FHIR)."""
    return int(value) if value.denominator == 1 else float(decimal_text(value))


def schedule_json(schedule: Schedule) -> dict[str, Any]:
    plan = schedule.plan
    steps = []
    for seg in schedule.segments:
        products = []
        for index, count in sorted(split_counts(schedule, seg.split).items()):
            unit = plan.units[index]
            products.append({"product": unit.label, "product_id": unit.product_id,
                             "strength": json_number(unit.name_amount), "delivers": json_number(unit.amount),
                             "unit": plan.unit,
                             "per": unit.noun if not unit.liquid else "mL", "count": json_number(count)})
        steps.append({
            "step": seg.step,
            "kind": seg.kind,
            "start": seg.start.isoformat(),
            "end": seg.end.isoformat() if seg.end else None,
            "daily_dose": json_number(seg.dose),
            "planned_dose": json_number(seg.planned) if seg.planned is not None else None,
            "unit": plan.unit,
            "doses": {slot: portion_text(schedule, portion)
                      for slot, portion in zip(plan.slots, seg.split.portions, strict=True)},
            "products": products,
            "cut_percent": json_number(round(seg.cut_percent * 100, 1)) if seg.cut_percent is not None else None,
            "reason": seg.reason or None,
        })
        if seg.continued:
            steps[-1]["continued"] = True
        if seg.switch:
            steps[-1]["product_switch"] = {"from": seg.switch[0], "to": seg.switch[1]}
    return {
        "plan_id": plan.plan_id,
        "drug": plan.drug,
        "strategy": plan.strategy.name,
        "start_dose": json_number(plan.strategy.start),
        "target_dose": json_number(plan.strategy.target),
        "unit": plan.unit,
        "interval_days": plan.interval_days,
        "rule_set": rule_set_title(schedule),
        "steps": steps,
        "warnings": [{"step": w.step, "rule": w.rule, "message": w.message, "source": w.source,
                      "evidence": w.evidence, "override": w.override} for w in schedule.warnings],
        "notices": list(schedule.notices),
        "follow_ups": [{"date": f.on.isoformat(), "kind": f.kind, "reason": f.reason} for f in schedule.follow_ups],
        "dispense": dispense_json(schedule),
    }


def days(schedule: Schedule, until: date | None = None) -> Iterator[tuple[date, Any]]:
    """(day, segment) for every day from the first to ``until`` (default: the stop day)."""
    last = until or schedule.stop
    for seg in schedule.segments:
        end = seg.end or last
        day = seg.start
        while day <= min(end, last):
            yield day, seg
            day += timedelta(days=1)


def daily_rows(schedule: Schedule, until: date | None = None) -> list[dict[str, Any]]:
    """One row per day: the dose and, for each slot, what to take (text worked out once per step)."""
    plan = schedule.plan
    rows = []
    texts: dict[int, tuple[str, dict[str, str]]] = {}
    for day, seg in days(schedule, until):
        key = id(seg)
        if key not in texts:
            texts[key] = (decimal_text(seg.dose), {slot: portion_text(schedule, portion) for slot, portion in
                                                   zip(plan.slots, seg.split.portions, strict=True)})
        dose, slots = texts[key]
        row: dict[str, Any] = {"date": day.isoformat(), "plan_id": plan.plan_id, "drug": plan.drug,
                               "step": seg.step, "kind": seg.kind, "daily_dose": dose, "unit": plan.unit,
                               "new_dose": day == seg.start and seg.kind == "step"}
        row.update(slots)
        rows.append(row)
    return rows


DAILY_USER_TEXT = ("plan_id", "drug")
"""Columns of :func:`daily_rows` that hold text a user typed (the rest is computed)."""


def daily_csv(schedules: list[Schedule]) -> str:
    """The day-by-day schedule of every plan as CSV text: the columns of :func:`daily_rows` in order of first
    appearance (a slot one plan does not use is left empty in its rows)."""
    rows = [safe_row(r, DAILY_USER_TEXT) for s in schedules for r in daily_rows(s)]
    columns = list(dict.fromkeys(key for row in rows for key in row))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, restval="", lineterminator="\n")
    if columns:
        writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def is_patch_plan(schedule: Schedule) -> bool:
    return schedule.plan.slots == ("patch",)


def level_start(schedule: Schedule, index: int) -> date:
    """The first day of the run of segments at ``segments[index]``'s dose (a pause or a split step keeps
    the rate, and with it the patch-change cycle)."""
    segments = schedule.segments
    while index > 0 and segments[index - 1].dose == segments[index].dose:
        index -= 1
    return segments[index].start


def patch_changes(schedule: Schedule, first: date, last: date) -> list[tuple[date, Segment]]:
    """Days from ``first`` to ``last`` on which patches are changed, with the segment in effect.

    A rate is put on the day it starts (never left for the old patch's next change); from then on the
    patches are changed every interval (72 hours: every third day; 7 days: weekly)."""
    hours = schedule.plan.patch_interval_hours or 72
    out: list[tuple[date, Segment]] = []
    for i, seg in enumerate(schedule.segments):
        if seg.dose == 0:
            continue
        begin = level_start(schedule, i)
        end = min(seg.end or last, last)
        day = max(seg.start, first)
        while day <= end:
            if (day - begin).days * 24 % hours == 0:
                out.append((day, seg))
            day += timedelta(days=1)
    return out


def dispense_totals(schedule: Schedule, first: date, last: date) -> dict[int, Fraction]:
    """Units of each product used from ``first`` to ``last`` (inclusive): doses taken each day, or for
    patches, the patches put on at each change."""
    out: dict[int, Fraction] = {}
    if is_patch_plan(schedule):
        for _, seg in patch_changes(schedule, first, last):
            for index, count in split_counts(schedule, seg.split).items():
                out[index] = out.get(index, Fraction(0)) + count
        return out
    for seg in schedule.segments:
        start = max(seg.start, first)
        end = min(seg.end or last, last)
        if end < start:
            continue
        n = (end - start).days + 1
        for index, count in split_counts(schedule, seg.split).items():
            out[index] = out.get(index, Fraction(0)) + count * n
    return out


def dispense_json(schedule: Schedule, fill_days: int = FILL_DAYS) -> dict[str, Any]:
    """Units of each product for the whole plan (to the stop day) and per fill period."""
    plan = schedule.plan
    start, stop = schedule.first_day, schedule.stop
    # A maintained dose: one fill past the last change; a stop: up to the day before it.
    stop = stop + timedelta(days=fill_days - 1) if schedule.segments[-1].dose > 0 else stop - timedelta(days=1)

    def named(counts: dict[int, Fraction]) -> list[dict[str, Any]]:
        return [{"product": plan.units[i].label, "product_id": plan.units[i].product_id,
                 "quantity": json_number(_whole(c, plan.units[i].liquid)), "unit": "mL" if plan.units[i].liquid
                 else plural(plan.units[i].noun, _whole(c, False))} for i, c in sorted(counts.items())]

    fills = []
    day = start
    while day <= stop:
        end = min(day + timedelta(days=fill_days - 1), stop)
        fills.append({"start": day.isoformat(), "end": end.isoformat(),
                      "products": named(dispense_totals(schedule, day, end))})
        day = end + timedelta(days=1)
    return {"total": named(dispense_totals(schedule, start, stop)), "fill_days": fill_days, "fills": fills}


def _whole(count: Fraction, liquid: bool) -> Fraction:
    """Halves are dispensed as whole tablets; liquids to the next whole mL."""
    return Fraction(-(-count.numerator // count.denominator))
