"""Phone reminders as iCalendar (RFC 5545), written by hand: small and exact.

One all-day event per dose change, pause and check-in, each with a reminder the evening before;
optional daily reminders per time of day as one repeating event per step (a dateutil ``rrule``,
daily until the step's last day, written as DTSTART and RRULE), never thousands of events. UIDs are
opaque and stable (a UUID from the case, plan and step), so a re-exported plan updates the events
instead of duplicating them. With ``private`` no drug name appears in titles, descriptions or alarms.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from dateutil.rrule import DAILY, rrule

from taper.outputs import daily_words, portion_text
from taper.schedule import Schedule

NAMESPACE = uuid.UUID("6f1d3c2e-6d0b-4c1e-9b7a-2d1f5c0e8a41")
SLOT_TIMES = {"morning": time(8), "noon": time(12), "evening": time(18), "bedtime": time(21), "patch": time(9)}
#: Daily reminders of an open-ended last step (a maintained dose) run for one fill period.
OPEN_ENDED_DAYS = 28
SLOT_NAMES = {"morning": "Morning", "noon": "Noon", "evening": "Evening", "bedtime": "Bedtime", "patch": "Patch"}


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Fold at 75 octets without splitting a UTF-8 character."""
    out: list[str] = []
    current = b""
    for ch in line:
        encoded = ch.encode("utf-8")
        if len(current) + len(encoded) > (75 if not out else 74):
            out.append(current.decode("utf-8"))
            current = b""
        current += encoded
    out.append(current.decode("utf-8"))
    return "\r\n ".join(out)


def _uid(case_id: str, plan_id: str, *parts: object) -> str:
    return f"{uuid.uuid5(NAMESPACE, '/'.join([case_id, plan_id, *map(str, parts)]))}@taper"


def _d(day: date) -> str:
    return day.strftime("%Y%m%d")


def daily_rule(first: date, last: date, at: time) -> rrule:
    """Every day from ``first`` to ``last`` (inclusive) at ``at``, local (floating) time."""
    return rrule(DAILY, dtstart=datetime.combine(first, at), until=datetime.combine(last, time(23, 59, 59)))


def _event(uid: str, stamp: str, sequence: int, start: date, end: date, summary: str, description: str,
           alarm: str) -> list[str]:
    return ["BEGIN:VEVENT", f"UID:{uid}", f"DTSTAMP:{stamp}", f"SEQUENCE:{sequence}",
            f"DTSTART;VALUE=DATE:{_d(start)}", f"DTEND;VALUE=DATE:{_d(end + timedelta(days=1))}",
            f"SUMMARY:{_escape(summary)}", f"DESCRIPTION:{_escape(description)}", "TRANSP:TRANSPARENT",
            "BEGIN:VALARM", "ACTION:DISPLAY", f"DESCRIPTION:{_escape(alarm)}",
            "TRIGGER;RELATED=START:-PT5H", "END:VALARM", "END:VEVENT"]


def build_ics(case_id: str, schedules: Iterable[Schedule], stamp: datetime, *, private: bool = False,
              daily: bool = False) -> str:
    """The calendar file's text (CRLF line ends, folded)."""
    when = stamp.strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//taper//medication taper//EN", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", "X-WR-CALNAME:Medication plan"]
    for s in schedules:
        plan = s.plan
        sequence = len(plan.pauses) + len(plan.setbacks)
        drug = "medicine" if private else plan.drug
        for i, seg in enumerate(s.segments):
            doses = "; ".join(f"{SLOT_NAMES[slot]}: {portion_text(s, p)}" for slot, p in
                              zip(plan.slots, seg.split.portions, strict=True) if p.items)
            if seg.kind == "step":
                if seg.dose == 0:
                    summary = "Stop today" if private else f"Stop {drug} today"
                    detail = "Today the plan stops this medicine." if private else f"No more {drug} from today."
                else:
                    summary = "New dose starts today" if private else \
                        f"New dose: {drug} {daily_words(seg.dose, plan.unit)}"
                    detail = "See your paper calendar for the doses." if private else doses
                alarm = "Tomorrow a new dose starts" if seg.dose else "Tomorrow the plan stops"
                lines += _event(_uid(case_id, plan.plan_id, "change", i), when, sequence, seg.start, seg.start,
                                summary, detail, alarm)
            else:
                end = seg.end or seg.start
                summary = "Stay on this dose"
                reason = seg.reason if seg.show_reason else ""
                detail = summary if private else f"Stay on {drug} {daily_words(seg.dose, plan.unit)}. " \
                    + reason
                lines += _event(_uid(case_id, plan.plan_id, seg.kind, i), when, sequence, seg.start, end, summary,
                                detail.strip(), "Tomorrow: stay on this dose")
            if daily and seg.dose > 0:
                last = seg.end or seg.start + timedelta(days=OPEN_ENDED_DAYS - 1)
                for slot, portion in zip(plan.slots, seg.split.portions, strict=True):
                    if not portion.items:
                        continue
                    text = f"{SLOT_NAMES[slot]} medicines" if private else \
                        f"{SLOT_NAMES[slot]}: {drug} {portion_text(s, portion)}"
                    # str(rrule) is its RFC 5545 form: the DTSTART line, then the RRULE line.
                    dtstart, repeat = str(daily_rule(seg.start, last, SLOT_TIMES[slot])).splitlines()
                    lines += ["BEGIN:VEVENT", f"UID:{_uid(case_id, plan.plan_id, 'daily', i, slot)}",
                              f"DTSTAMP:{when}", f"SEQUENCE:{sequence}", dtstart, "DURATION:PT15M", repeat,
                              f"SUMMARY:{_escape(text)}",
                              "BEGIN:VALARM", "ACTION:DISPLAY", f"DESCRIPTION:{_escape(text)}", "TRIGGER:PT0M",
                              "END:VALARM", "END:VEVENT"]
        for j, f in enumerate(s.follow_ups):
            summary = "Check-in about your medicine plan"
            detail = summary if private else f"{summary}: {f.reason}"
            lines += _event(_uid(case_id, plan.plan_id, "follow-up", j), when, sequence, f.on, f.on, summary, detail,
                            "Tomorrow: check-in about your medicine plan")
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
