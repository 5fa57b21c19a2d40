"""The patient calendar as data: pages of weeks, and what each day cell says.

Pure and testable; :mod:`taper.pdf_render` only lays it out. Every dose line comes from the same
schedule the summary and the reminders use, so the copies always agree.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, NamedTuple

from dateutil.relativedelta import relativedelta

from regimens.datefmt import short_date
from taper.outputs import daily_words, portion_text
from taper.schedule import Schedule
from taper.supports import PlacedSupport, library, supports_on

SLOT_TITLES = {"morning": "Morning", "noon": "Noon", "evening": "Evening", "bedtime": "Bedtime",
               "patch": "Patch"}
FOLLOW_UP_TEXT = {"visit": "Clinic visit today", "phone": "Phone check-in today",
                  "video": "Video check-in today", "lab": "Lab test today"}
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


class DoseLine(NamedTuple):
    """One dose to take (with a tick box), or a plain note when ``tick`` is False."""

    slot: str
    text: str
    tick: bool = True


class DayCell(NamedTuple):
    day: date
    in_range: bool
    lines: tuple[DoseLine, ...]
    banners: tuple[str, ...]
    supports: tuple[str, ...]
    follow_up: str | None
    anchors: tuple[str, ...] = ()
    """The check-in lines the patient fills in: sleep, the goal, withdrawal on the week after a step."""


class CalendarPage(NamedTuple):
    title: str
    weeks: tuple[tuple[DayCell, ...], ...]


class CalendarView(NamedTuple):
    patient_name: str
    cover: dict[str, Any]
    pages: tuple[CalendarPage, ...]
    flare: dict[str, str]
    footer: str
    week_starts: str
    large_print: bool


#: A pause reason in a day cell is cut to this many characters ("…"): it must never push a dose off the page.
REASON_CHARS = 60


def shortened(text: str, limit: int) -> str:
    """``text`` cut at a word boundary (or mid-word if it has none) to at most ``limit`` characters, with "…"."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2:]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:") + "…"


def _drug_label(schedule: Schedule) -> str:
    return schedule.plan.drug


def _portion_words(s: Schedule, portion: Any, cache: dict[int, str]) -> str:
    key = id(portion)
    if key not in cache:
        cache[key] = portion_text(s, portion)
    return cache[key]


def _dose_before(s: Schedule, day: date) -> Any:
    """The daily dose the day before ``day`` (the start dose before the plan's first day)."""
    return s.plan.strategy.start if day <= s.first_day else s.dose_on(day - timedelta(days=1))


def _level_start(s: Schedule, seg: Any) -> date:
    """The first day of the run of segments at ``seg``'s dose (pauses and split steps keep the rate)."""
    start = seg.start
    for earlier in reversed([x for x in s.segments if x.start < seg.start]):
        if earlier.dose != seg.dose:
            break
        start = earlier.start
    return start


def day_lines(schedules: list[Schedule], day: date, cache: dict[int, str] | None = None
              ) -> tuple[list[DoseLine], list[str]]:
    """Dose lines and banners ("New dose starts today", "Stay on this dose") for one day.

    ``cache`` holds each portion's words for one calendar build (the schedules outlive it).
    """
    texts: dict[int, str] = {} if cache is None else cache
    lines: list[DoseLine] = []
    banners: list[str] = []
    for s in schedules:
        seg = s.segment_on(day)
        if seg is None:
            continue
        drug = _drug_label(s)
        if seg.dose == 0:
            if day == seg.start:
                banners.append(f"Stop {drug} today: no more {drug}")
            continue
        for slot, portion in zip(s.plan.slots, seg.split.portions, strict=True):
            if not portion.items:
                continue
            if slot == "patch":
                # Patches are changed every N hours from the day the current rate began, so a new
                # rate is put on the day it starts (never left for the old patch's next change).
                hours = s.plan.patch_interval_hours or 72
                if (day - _level_start(s, seg)).days * 24 % hours != 0:
                    lines.append(DoseLine("patch", f"{drug} patch stays on", tick=False))
                    continue
                lines.append(DoseLine("patch", f"{drug}: take off the old patch; put on "
                                               f"{_portion_words(s, portion, texts)}"))
                continue
            lines.append(DoseLine(slot, f"{drug} {_portion_words(s, portion, texts)}"))
        if day == seg.start and seg.kind == "step" and seg.dose != _dose_before(s, day):
            banners.append(f"NEW DOSE starts today: {drug} {daily_words(seg.dose, s.plan.unit)}")
        if seg.kind in ("pause", "setback"):
            text = "Stay on this dose"
            if seg.reason and seg.show_reason:
                text += f" ({shortened(seg.reason, REASON_CHARS)})"
            banners.append(text)
    return lines, banners


def _range(schedules: list[Schedule]) -> tuple[date, date]:
    first = min(s.first_day for s in schedules)
    last = first
    for s in schedules:
        end = s.stop if s.segments[-1].dose == 0 else s.stop + timedelta(days=27)
        last = max(last, end)
    return first, last


def build_calendar(case: Any, schedules: list[Schedule], placed: list[PlacedSupport], *,
                   week_starts: str = "monday", large_print: bool = False, printed: date
                   ) -> CalendarView:
    """The whole calendar: cover, month pages split into weeks, flare-plan page, footer."""
    if not schedules:
        raise ValueError("the case has no taper plans to print")
    first, last = _range(schedules)
    follow = {f.on: f for s in schedules for f in s.follow_ups}
    for f in getattr(case, "follow_ups", ()):
        follow.setdefault(f.on, f)
    offset = 0 if week_starts == "monday" else 1
    texts: dict[int, str] = {}
    pages: list[CalendarPage] = []
    month_start = first.replace(day=1)
    while month_start <= last:
        next_month = month_start + relativedelta(months=1)
        month_end = next_month - timedelta(days=1)
        start = max(month_start, first)
        end = min(month_end, last)
        grid_start = start - timedelta(days=(start.weekday() + offset) % 7)
        weeks = []
        day = grid_start
        while day <= end:
            week = []
            for i in range(7):
                d = day + timedelta(days=i)
                inside = start <= d <= end
                lines, banners = day_lines(schedules, d, texts) if inside else ([], [])
                sups = tuple(s.text for s in supports_on(placed, d)) if inside else ()
                f = follow.get(d) if inside else None
                fu = None if f is None else FOLLOW_UP_TEXT.get(f.kind, "Check-in today")
                marks = anchor_lines(case, schedules, d, sups) if inside else ()
                week.append(DayCell(d, inside, tuple(lines), tuple(banners), sups, fu, marks))
            weeks.append(tuple(week))
            day += timedelta(days=7)
        title = f"{MONTHS[month_start.month - 1]} {month_start.year}"
        if large_print:
            # Large print: half a week a page (4 then 3 days), so 16 pt text has room.
            for n, full in enumerate(weeks, start=1):
                for half, cells in enumerate((full[:4], full[4:])):
                    if any(c.in_range for c in cells):
                        pages.append(CalendarPage(f"{title} (week {n} of {len(weeks)}, part {half + 1})",
                                                  (tuple(cells),)))
        else:
            # A month; the renderer puts as many of its weeks on a page as fit.
            pages.append(CalendarPage(title, tuple(weeks)))
        month_start = next_month
    patient = case.patient
    flare_source = case.flare_plan.model_dump() if case.flare_plan else library()["flare_plan_default"]
    flare = {k: flare_source.get(k, "") for k in ("day1", "day2", "day3", "call_if")}
    footer = " · ".join(x for x in (
        f"Prescriber: {patient.prescriber_name} {patient.prescriber_phone}".strip() if patient.prescriber_phone
        else "", f"Pharmacy: {patient.pharmacy_name} {patient.pharmacy_phone}".strip() if patient.pharmacy_phone
        else "", f"Printed {short_date(printed, True)}") if x)
    return CalendarView(patient.name, cover_view(case, schedules, first, last), tuple(pages), flare, footer,
                        week_starts, large_print)


#: The patient's goal in a day cell is cut to this many characters (the cover prints it whole).
GOAL_CHARS = 40
#: Withdrawal is rated on the days after each step: symptoms can take about a week to appear (S14).
WITHDRAWAL_DAYS = 7


def after_step(schedules: list[Schedule], day: date) -> bool:
    """True on the first :data:`WITHDRAWAL_DAYS` days of a lower dose."""
    for s in schedules:
        previous = s.plan.strategy.start
        for seg in s.segments:
            if seg.dose < previous and 0 <= (day - seg.start).days < WITHDRAWAL_DAYS:
                return True
            previous = seg.dose
    return False


def anchor_lines(case: Any, schedules: list[Schedule], day: date, supports: tuple[str, ...]) -> tuple[str, ...]:
    """The three anchors to fill in each day (a walk tick when no walking support is placed, sleep 0-10,
    the goal in the patient's words 0-10), and withdrawal 0-10 on the days after each step."""
    out = []
    if not any("walk" in text.lower() for text in supports):
        out.append("Walked today: ___ minutes")
    out.append("Sleep last night (0-10): ___")
    goals = getattr(case.patient, "goals", ())
    if goals:
        out.append(f"“{shortened(goals[0], GOAL_CHARS)}” (0-10): ___")
    if after_step(schedules, day):
        out.append("Withdrawal (0-10): ___")
    return tuple(out)


def cover_view(case: Any, schedules: list[Schedule], first: date, last: date) -> dict[str, Any]:
    patient = case.patient
    meds = []
    for s in schedules:
        plan_meds = [m for m in case.regimen.medications if m.id in _plan_med_ids(case, s.plan.plan_id)]
        purpose = next((m.indication for m in plan_meds if m.indication), None)
        used = sorted({i for seg in s.segments for portion in seg.split.portions for i, _ in portion.items})
        products = "; ".join(f"{s.plan.units[i].label}" + (" (you may break it in half along the line)"
                                                           if s.plan.units[i].step.denominator == 2 else "")
                             for i in used)
        end = s.segments[-1]
        if end.dose == 0:
            goal = f"Lower {s.plan.drug} step by step and stop on {short_date(end.start, True)}."
        else:
            goal = (f"Lower {s.plan.drug} step by step to {daily_words(end.dose, s.plan.unit)} "
                    f"from {short_date(end.start, True)}, then keep taking that dose.")
        meds.append({"drug": s.plan.drug, "purpose": purpose, "products": products, "goal": goal})
    return {
        "name": patient.name,
        "dates": f"{short_date(first, True)} to {short_date(last, True)}",
        "goals": list(patient.goals),
        "medicines": meds,
        "how_to_use": [
            "Each day shows what to take in the morning, at noon, in the evening and at bedtime.",
            "Tick the box when you have taken that dose.",
            "A day marked NEW DOSE starts a lower dose. Read it carefully.",
            "Days marked Stay on this dose keep the same dose as the day before.",
            "Each evening write down how you slept (0 = terrible, 10 = excellent) and how close you came to "
            "your goal (0 = not at all, 10 = fully), and tick your walk.",
            "For a week after each new dose, also write down how strong any withdrawal feels (0 = none, "
            "10 = the worst you can imagine).",
            "Bring this calendar to every check-in.",
        ],
        "do_not": [
            "Do not stop suddenly.",
            "Do not take extra doses or double up after a missed dose.",
            "Do not go back to an old, higher dose without calling first: your body can lose its "
            "tolerance in about a week, and an old dose can then be too strong.",
        ],
        "call": [x for x in (
            f"Prescriber: {patient.prescriber_name} {patient.prescriber_phone}".strip(),
            f"Pharmacy: {patient.pharmacy_name} {patient.pharmacy_phone}".strip()) if x.split(":", 1)[1].strip()],
    }


def _plan_med_ids(case: Any, plan_id: str) -> set[str]:
    for p in case.plans:
        if p.id == plan_id:
            return set(p.medication_ids)
    return set()


def cell_text(cell: DayCell) -> list[str]:
    """The words of a day cell in print order (the PDF prints exactly these)."""
    out = list(cell.banners)
    for line in cell.lines:
        out.append(f"{SLOT_TITLES.get(line.slot, line.slot)}: {line.text}")
    out.extend(cell.supports)
    if cell.follow_up:
        out.append(cell.follow_up)
    out.extend(cell.anchors)
    return out
