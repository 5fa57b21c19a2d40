"""The patient calendar as data: pages of weeks, and what each day cell says.

Pure and testable; :mod:`taper.pdf_render` only lays it out. Every dose line comes from the same
schedule the summary and the reminders use, so the copies always agree.
"""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction
from typing import Any, NamedTuple

from dateutil.relativedelta import relativedelta

from taper.catalogue import ENGLISH, N_, Catalogue, UnknownLanguage, catalogue
from taper.outputs import daily_words, join_text, patch_changes, portion_text
from taper.schedule import Schedule
from taper.supports import PlacedSupport, library, supports_on

SLOT_TITLES = {"morning": N_("Morning"), "noon": N_("Noon"), "evening": N_("Evening"), "bedtime": N_("Bedtime"),
               "patch": N_("Patch")}
FOLLOW_UP_TEXT = {"visit": N_("Clinic visit today"), "phone": N_("Phone check-in today"),
                  "video": N_("Video check-in today"), "lab": N_("Lab test today")}
CHECK_IN = N_("Check-in today")
PART = N_("{month} (week {n} of {total}, part {part})")
FLARE_KEYS = ("day1", "day2", "day3", "call_if")
#: On the cover while any sentence printed has not been reviewed by a qualified medical translator.
UNREVIEWED_NOTICE = N_("This translation has not yet been reviewed by a qualified medical translator. "
                       "Each dose is also printed in English: if the two differ, ask your pharmacist.")


class DoseLine(NamedTuple):
    """One dose to take (with a tick box), or a plain note when ``tick`` is False."""

    slot: str
    text: str
    tick: bool = True
    title: str = ""
    """The time of day it is taken, as printed ("Morning", "Mañana"); "" means the English title."""
    english: str = ""
    """The same line in English ("Morning: oxycodone 1 tablet (5 mg)") when the calendar is in another
    language: printed beside it (California B&P §4076.6; a carer or pharmacist can check the translation)."""


class DayCell(NamedTuple):
    day: date
    in_range: bool
    lines: tuple[DoseLine, ...]
    banners: tuple[str, ...]
    supports: tuple[str, ...]
    follow_up: str | None
    label: str = ""
    """The day's heading ("Mon 4", "lun 4")."""
    banners_english: tuple[str, ...] = ()
    """Each banner in English, when the calendar is in another language."""
    anchors: tuple[str, ...] = ()
    """The check-in lines the patient fills in: sleep, the goal, withdrawal on the week after a step."""
    walk_tick: bool = False
    """The first anchor is the walk, with a box to tick (no walking support is on the calendar that day)."""


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
    language: str = "en"
    labels: dict[str, str] = {}
    """Headings and fixed lines in the calendar's language (see :func:`calendar_labels`); {} means English."""
    weekdays: tuple[str, ...] = ()
    """Column headings, Monday first, in the calendar's language; () means English."""
    goal_line: str = ""
    """The patient's goal in their words, printed once under each page's title (each day rates it 0-10)."""


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


def _portion_words(s: Schedule, portion: Any, cache: dict[int, str], tr: Catalogue) -> str:
    key = id(portion)
    if key not in cache:
        cache[key] = portion_text(s, portion, tr)
    return cache[key]


#: The kinds of product a switch names ("oxycodone tablets instead of oxycodone extended-release tablets").
PRODUCT_KINDS = {
    "tablet": N_("{drug} tablets"), "capsule": N_("{drug} capsules"), "liquid": N_("{drug} liquid"),
    "patch": N_("{drug} patches"), "film": N_("{drug} films"), "spray": N_("{drug} spray"),
    "packet": N_("{drug} packets"), "puff": N_("{drug} inhaler"), "injection": N_("{drug} injections"),
    "unit": N_("{drug} injections"), "drop": N_("{drug} drops"), "application": N_("{drug} for the skin"),
    "applicatorful": N_("{drug} vaginal cream"), "suppository": N_("{drug} suppositories"),
    "enema": N_("{drug} enemas"), "insert": N_("{drug} vaginal inserts"), "ring": N_("{drug} vaginal ring"),
    "implant": N_("{drug} implant"), "dose": N_("{drug} powder"), "troche": N_("{drug} troches"),
    "extended-release tablet": N_("{drug} extended-release tablets"),
    "extended-release capsule": N_("{drug} extended-release capsules"),
    "delayed-release tablet": N_("{drug} delayed-release tablets"),
    "delayed-release capsule": N_("{drug} delayed-release capsules"),
}


def _kinds(s: Schedule, split: Any, tr: Catalogue) -> str:
    """The kinds of product a day is made from, short: "oxycodone tablets", "oxycodone extended-release tablets"."""
    units = s.plan.units
    kinds = dict.fromkeys("liquid" if units[i].liquid else units[i].release_words + units[i].noun
                          for p in split.portions for i, _ in p.items)
    return join_text([tr.gettext(PRODUCT_KINDS.get(k, "{drug} tablets"), drug=s.plan.drug) for k in kinds], tr)


def _worn(s: Schedule, day: date) -> Fraction:
    """Patches worn on ``day`` (before the plan: the ones the patient wears now)."""
    seg = s.segment_on(day)
    split = s.start_split if seg is None else seg.split
    return sum((c for p in split.portions for _, c in p.items), Fraction(0))


def _take_off(s: Schedule, day: date, tr: Catalogue) -> str:
    """ "take off the old patch", "take off the 2 old patches" (the ones worn the day before)."""
    if day <= s.first_day:
        return tr.gettext("take off every patch you wear now")
    return tr.ngettext("take off the old patch", "take off the {n} old patches", int(_worn(s, day - timedelta(days=1))))


def _dose_before(s: Schedule, day: date) -> Any:
    """The daily dose the day before ``day`` (the start dose before the plan's first day)."""
    return s.plan.strategy.start if day <= s.first_day else s.dose_on(day - timedelta(days=1))


def day_lines(schedules: list[Schedule], day: date, cache: dict[int, str] | None = None,
              tr: Catalogue = ENGLISH) -> tuple[list[DoseLine], list[str]]:
    """Dose lines and banners ("New dose starts today", "Stay on this dose") for one day, in ``tr``'s language.

    ``cache`` holds each portion's words for one calendar build and language (the schedules outlive it).
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
                banners.append(tr.gettext("Stop {drug} today: no more {drug}", drug=drug))
            continue
        for slot, portion in zip(s.plan.slots, seg.split.portions, strict=True):
            if not portion.items:
                continue
            if slot == "patch":
                if not patch_changes(s, day, day):
                    lines.append(DoseLine("patch", tr.ngettext("{drug} patch stays on", "{drug} patches stay on",
                                                               int(_worn(s, day)), drug=drug),
                                          tick=False, title=tr.gettext(SLOT_TITLES["patch"])))
                    continue
                lines.append(DoseLine("patch", tr.gettext("{drug}: {take_off}; put on {dose}", drug=drug,
                                                          take_off=_take_off(s, day, tr),
                                                          dose=_portion_words(s, portion, texts, tr)),
                                      title=tr.gettext(SLOT_TITLES["patch"])))
                continue
            lines.append(DoseLine(slot, f"{drug} {_portion_words(s, portion, texts, tr)}",
                                  title=tr.gettext(SLOT_TITLES.get(slot, slot))))
        if day == seg.start and seg.switch:
            before = s.segment_on(day - timedelta(days=1))
            banners.append(tr.gettext("NEW MEDICINE from today: {new} instead of {old}",
                                      new=_kinds(s, seg.split, tr),
                                      old=_kinds(s, before.split if before else s.start_split, tr)))
        if day == seg.start and seg.kind == "step" and seg.dose != _dose_before(s, day):
            banners.append(tr.gettext("NEW DOSE starts today: {drug} {dose}", drug=drug,
                                      dose=daily_words(seg.dose, s.plan.unit, tr)))
        if seg.kind in ("pause", "hold", "setback"):
            text = tr.gettext("Stay on this dose")
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


def _day_cell(case: Any, schedules: list[Schedule], placed: list[PlacedSupport], follow: dict[date, Any], d: date,
              inside: bool, tr: Catalogue, texts: dict[int, str], english: dict[int, str]) -> DayCell:
    if not inside:
        return DayCell(d, False, (), (), (), None, tr.cell_date(d))
    lines, banners = day_lines(schedules, d, texts, tr)
    banners_en: list[str] = []
    if not tr.is_source:
        # The same day in English, line for line (built by the same code, so the two always pair up).
        en_lines, banners_en = day_lines(schedules, d, english, ENGLISH)
        lines = [line._replace(english=f"{en.title}: {en.text}")
                 for line, en in zip(lines, en_lines, strict=True)]
    placed_today = supports_on(placed, d, tr)
    sups = tuple(s.text for s in placed_today)
    f = follow.get(d)
    fu = None if f is None else tr.gettext(FOLLOW_UP_TEXT.get(f.kind, CHECK_IN))
    walking = any(s.support == "graded-walking" for s in placed_today)
    return DayCell(d, True, tuple(lines), tuple(banners), sups, fu, tr.cell_date(d), tuple(banners_en),
                   anchor_lines(case, schedules, d, walking, tr), not walking)


def calendar_labels(tr: Catalogue) -> dict[str, str]:
    """Headings and fixed lines of the printed calendar ({fields} are filled in by the renderer)."""
    return {
        "document": tr.gettext("Medication calendar"),
        "page": tr.gettext("Page {number} of {total}"),
        "weeks": tr.gettext("{title} (weeks {first}-{last} of {total})"),
        "week": tr.gettext("{title} (week {first} of {total})"),
        "your_medicine": tr.gettext("Your medicine: {products}"),
        "goals": tr.gettext("Your goals, in your words"),
        "how_to_use": tr.gettext("How to use this calendar"),
        "unwell": tr.gettext("If you feel unwell or have withdrawal symptoms"),
        "flare": tr.gettext("If pain or withdrawal flares up"),
        "day1": tr.gettext("Day {n}", n=1), "day2": tr.gettext("Day {n}", n=2), "day3": tr.gettext("Day {n}", n=3),
        "call_if": tr.gettext("Get help now"),
        "english": tr.gettext("In English:"),
        "missing": tr.gettext("Note: some letters (for example Chinese, Japanese or Korean) cannot be printed with "
                           "this document's font and are shown as {missing}. Check names against the record."),
    }


def build_calendar(case: Any, schedules: list[Schedule], placed: list[PlacedSupport], *,
                   week_starts: str = "monday", large_print: bool = False, printed: date,
                   language: str | None = None) -> CalendarView:
    """The whole calendar: cover, month pages split into weeks, flare-plan page, footer.

    In ``language`` (default: the patient's, or English when taper cannot print that one yet), every dose line
    with its English line beside it.
    """
    if not schedules:
        raise ValueError("the case has no taper plans to print")
    tr = catalogue(language) if language else _patient_catalogue(case)
    first, last = _range(schedules)
    follow = {f.on: f for s in schedules for f in s.follow_ups}
    for f in getattr(case, "follow_ups", ()):
        follow.setdefault(f.on, f)
    offset = 0 if week_starts == "monday" else 1
    texts: dict[int, str] = {}
    english: dict[int, str] = {}
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
                week.append(_day_cell(case, schedules, placed, follow, d, start <= d <= end, tr, texts, english))
            weeks.append(tuple(week))
            day += timedelta(days=7)
        title = tr.month_title(month_start)
        if large_print:
            # Large print: half a week a page (4 then 3 days), so 16 pt text has room.
            for n, full in enumerate(weeks, start=1):
                for half, cells in enumerate((full[:4], full[4:])):
                    if any(c.in_range for c in cells):
                        pages.append(CalendarPage(tr.gettext(PART, month=title, n=n, total=len(weeks), part=half + 1),
                                                  (tuple(cells),)))
        else:
            # A month; the renderer puts as many of its weeks on a page as fit.
            pages.append(CalendarPage(title, tuple(weeks)))
        month_start = next_month
    patient = case.patient
    if case.flare_plan:  # the pharmacist's own words, printed as typed
        flare_source = case.flare_plan.model_dump()
    else:
        default = library()["flare_plan_default"]
        flare_source = {k: tr.gettext(default[k]) for k in FLARE_KEYS if default.get(k)}
    flare = {k: flare_source.get(k, "") for k in FLARE_KEYS}
    printed_on = tr.gettext("Printed {date}", date=tr.long_date(printed))
    footer = " · ".join(x for x in (*_call_lines(patient, tr), printed_on))
    cover = cover_view(case, schedules, first, last, tr)
    labels = calendar_labels(tr)
    weekdays = tuple(tr.weekday(i, short=True) for i in range(7))
    cover["notice"] = [tr.gettext(UNREVIEWED_NOTICE), ENGLISH.gettext(UNREVIEWED_NOTICE)] if tr.unreviewed() else []
    goals = getattr(patient, "goals", ())
    goal_line = tr.gettext("My goal: “{goal}” Rate it every day, 0 to 10.", goal=goals[0]) if goals else ""
    return CalendarView(patient.name, cover, tuple(pages), flare, footer, week_starts, large_print, tr.language,
                        labels, weekdays, goal_line)


#: Withdrawal is rated on the days after each step: symptoms can take about a week to appear (S14).
WITHDRAWAL_DAYS = 7


def after_step(schedules: list[Schedule], day: date) -> bool:
    """True on the first :data:`WITHDRAWAL_DAYS` days of a lower dose."""
    return any(0 <= (day - seg.start).days < WITHDRAWAL_DAYS for s in schedules for seg in s.cuts)


def anchor_lines(case: Any, schedules: list[Schedule], day: date, walking: bool,
                 tr: Catalogue = ENGLISH) -> tuple[str, ...]:
    """The three anchors to fill in each day, short (every day of a long calendar prints them): a walk tick
    when no walking support is placed, sleep 0-10, the goal 0-10 (its words head every page), and
    withdrawal 0-10 on the days after each step."""
    out = []
    if not walking:
        out.append(tr.gettext("Walked: ___ minutes"))
    out.append(tr.gettext("Sleep (0-10): ___"))
    if getattr(case.patient, "goals", ()):
        out.append(tr.gettext("Goal (0-10): ___"))
    if after_step(schedules, day):
        out.append(tr.gettext("Withdrawal (0-10): ___"))
    return tuple(out)


def _patient_catalogue(case: Any) -> Catalogue:
    """The patient's language, or English while taper has no catalogue for it (``taper export`` says so)."""
    try:
        return catalogue(getattr(case.patient, "language", None))
    except UnknownLanguage:
        return ENGLISH


def _call_lines(patient: Any, tr: Catalogue, need_phone: bool = True) -> list[str]:
    """Whom to call: every page's footer names those with a phone number, the cover's box anyone named."""
    out = []
    if patient.prescriber_phone or (not need_phone and patient.prescriber_name):
        out.append(tr.gettext("Prescriber: {name} {phone}", name=patient.prescriber_name,
                           phone=patient.prescriber_phone).replace("  ", " ").strip())
    if patient.pharmacy_phone or (not need_phone and patient.pharmacy_name):
        out.append(tr.gettext("Pharmacy: {name} {phone}", name=patient.pharmacy_name,
                           phone=patient.pharmacy_phone).replace("  ", " ").strip())
    return out


HOW_TO_USE = (
    N_("Each day shows what to take in the morning, at noon, in the evening and at bedtime."),
    N_("Tick the box when you have taken that dose."),
    N_("A day marked NEW DOSE starts a lower dose. Read it carefully."),
    N_("Days marked Stay on this dose keep the same dose as the day before."),
    N_("Each evening write down how you slept (0 = terrible, 10 = excellent) and how close you came to "
       "your goal (0 = not at all, 10 = fully), and tick your walk."),
    N_("For a week after each new dose, also write down how strong any withdrawal feels (0 = none, "
       "10 = the worst you can imagine)."),
    N_("Bring this calendar to every check-in."),
)
DO_NOT = (
    N_("Do not stop suddenly."),
    N_("Do not take extra doses or double up after a missed dose."),
    N_("Do not go back to an old, higher dose without calling first: your body can lose its "
       "tolerance in about a week, and an old dose can then be too strong."),
)


def cover_view(case: Any, schedules: list[Schedule], first: date, last: date, tr: Catalogue = ENGLISH
               ) -> dict[str, Any]:
    patient = case.patient
    meds = []
    for s in schedules:
        plan_meds = [m for m in case.regimen.medications if m.id in _plan_med_ids(case, s.plan.plan_id)]
        purpose = next((m.indication for m in plan_meds if m.indication), None)
        used = sorted({i for seg in s.segments for portion in seg.split.portions for i, _ in portion.items})
        products = "; ".join(f"{s.plan.units[i].label}" + (tr.gettext(" (you may break it in half along the line)")
                                                           if s.plan.units[i].step.denominator == 2 else "")
                             for i in used)
        end = s.segments[-1]
        if end.dose == 0:
            goal = tr.gettext("Lower {drug} step by step and stop on {date}.", drug=s.plan.drug,
                           date=tr.long_date(end.start))
        else:
            goal = tr.gettext("Lower {drug} step by step to {dose} from {date}, then keep taking that dose.",
                           drug=s.plan.drug, dose=daily_words(end.dose, s.plan.unit, tr), date=tr.long_date(end.start))
        meds.append({"drug": s.plan.drug, "purpose": purpose, "products": products, "goal": goal})
    return {
        "name": patient.name,
        "title": tr.gettext("Medication calendar for {name}", name=patient.name),
        "dates": tr.gettext("{first} to {last}", first=tr.long_date(first), last=tr.long_date(last)),
        "from": tr.gettext("From {first} to {last}", first=tr.long_date(first), last=tr.long_date(last)),
        "goals": list(patient.goals),
        "medicines": meds,
        "how_to_use": [tr.gettext(line) for line in HOW_TO_USE],
        "do_not": [tr.gettext(line) for line in DO_NOT],
        "call": _call_lines(patient, tr, need_phone=False),
    }


def _plan_med_ids(case: Any, plan_id: str) -> set[str]:
    for p in case.plans:
        if p.id == plan_id:
            return set(p.medication_ids)
    return set()


def cell_text(cell: DayCell, english_label: str = "In English:") -> list[str]:
    """The words of a day cell in print order (the PDF prints exactly these): each banner and dose line is
    followed by its English line when the calendar is in another language."""
    out: list[str] = []
    for i, banner in enumerate(cell.banners):
        out.append(banner)
        if i < len(cell.banners_english):
            out.append(f"{english_label} {cell.banners_english[i]}")
    for line in cell.lines:
        out.append(f"{line.title or SLOT_TITLES.get(line.slot, line.slot)}: {line.text}")
        if line.english:
            out.append(f"{english_label} {line.english}")
    out.extend(cell.supports)
    if cell.follow_up:
        out.append(cell.follow_up)
    out.extend(cell.anchors)
    return out
