"""Phone reminders as iCalendar (RFC 5545), written with the ``icalendar`` library.

One all-day event per dose change, pause and check-in, each with a reminder the evening before;
optional daily reminders per time of day as one repeating event per step (a dateutil ``rrule``,
daily until the step's last day, written as DTSTART and RRULE), never thousands of events. UIDs are
opaque and stable (a UUID from the case, plan and step), so a re-exported plan updates the events
instead of duplicating them; SEQUENCE is the plan's revision, which rises whenever the plan changes.
The library escapes and folds every text, so no typed text (a line break or a bare carriage return
in a pause reason) can start a property or an event. With ``private`` no drug name appears in
titles, descriptions or alarms.

In another language (``tr``) every title, description and alarm comes from the message catalogue, and each
description ends with the same text in English, so a carer or pharmacist can check it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any

from dateutil.rrule import DAILY, rrule
from icalendar import Alarm, Calendar, Event, vRecur

from taper.calendar_view import SLOT_TITLES
from taper.catalogue import ENGLISH, N_, Catalogue
from taper.outputs import daily_words, portion_text
from taper.schedule import Schedule

NAMESPACE = uuid.UUID("6f1d3c2e-6d0b-4c1e-9b7a-2d1f5c0e8a41")
SLOT_TIMES = {"morning": time(8), "noon": time(12), "evening": time(18), "bedtime": time(21), "patch": time(9)}
#: Daily reminders of an open-ended last step (a maintained dose) run for one fill period.
OPEN_ENDED_DAYS = 28
SLOT_NAMES = dict(SLOT_TITLES)
#: Daily reminders with ``private``: no drug name.
PRIVATE_SLOT = {"morning": N_("Morning medicines"), "noon": N_("Noon medicines"),
                "evening": N_("Evening medicines"), "bedtime": N_("Bedtime medicines"), "patch": N_("Patch medicines")}



#: What to bring to every check-in (the calendar holds the sleep, goal and withdrawal scores).
BRING = N_("Bring your medicine calendar pages since the last check-in (with your sleep, goal and "
           "withdrawal scores) and your medicines.")

def _uid(case_id: str, plan_id: str, *parts: object) -> str:
    return f"{uuid.uuid5(NAMESPACE, '/'.join([case_id, plan_id, *map(str, parts)]))}@taper"


def daily_rule(first: date, last: date, at: time) -> rrule:
    """Every day from ``first`` to ``last`` (inclusive) at ``at``, local (floating) time."""
    return rrule(DAILY, dtstart=datetime.combine(first, at), until=datetime.combine(last, time(23, 59, 59)))


def _alarm(text: str, trigger: timedelta, related_start: bool) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", text)
    alarm.add("trigger", trigger, parameters={"RELATED": "START"} if related_start else {})
    return alarm


def _event(uid: str, stamp: datetime, sequence: int, start: date, end: date, summary: str, description: str,
           alarm: str) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("sequence", sequence)
    event.add("dtstart", start)
    event.add("dtend", end + timedelta(days=1))  # DTEND of an all-day event is exclusive
    event.add("summary", summary)
    event.add("description", description)
    event.add("transp", "TRANSPARENT")
    event.add_component(_alarm(alarm, timedelta(hours=-5), related_start=True))
    return event


def _daily_event(uid: str, stamp: datetime, sequence: int, first: date, last: date, at: time, text: str,
                 description: str | None = None) -> Event:
    # str(rrule) is its RFC 5545 form: the DTSTART line, then the RRULE line.
    _, repeat = str(daily_rule(first, last, at)).splitlines()
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("sequence", sequence)
    event.add("dtstart", datetime.combine(first, at))  # floating local time, wherever the phone is
    event.add("duration", timedelta(minutes=15))
    event.add("rrule", vRecur.from_ical(repeat.removeprefix("RRULE:")))
    event.add("summary", text)
    if description:
        event.add("description", description)
    event.add_component(_alarm(text, timedelta(0), related_start=False))
    return event


def _doses(c: Catalogue, s: Schedule, seg: Any) -> str:
    return "; ".join(f"{c.gettext(SLOT_NAMES[slot])}: {portion_text(s, p, c)}" for slot, p in
                     zip(s.plan.slots, seg.split.portions, strict=True) if p.items)


def _stop_detail(c: Catalogue, s: Schedule, private: bool) -> str:
    return c.gettext("Today the plan stops this medicine.") if private else \
        c.gettext("No more {drug} from today.", drug=s.plan.drug)


def _new_detail(c: Catalogue, s: Schedule, seg: Any, private: bool) -> str:
    return c.gettext("See your paper calendar for the doses.") if private else _doses(c, s, seg)


def _stay_detail(c: Catalogue, s: Schedule, seg: Any, private: bool) -> str:
    if private:
        return c.gettext("Stay on this dose")
    reason = seg.reason if seg.show_reason else ""
    text = c.gettext("Stay on {drug} {dose}.", drug=s.plan.drug, dose=daily_words(seg.dose, s.plan.unit, c))
    return f"{text} {reason}".strip()


def _reminder(c: Catalogue, s: Schedule, slot: str, portion: Any, private: bool) -> str:
    if private:
        return c.gettext(PRIVATE_SLOT[slot])
    return f"{c.gettext(SLOT_NAMES[slot])}: {s.plan.drug} {portion_text(s, portion, c)}"


def _check_in(c: Catalogue, reason: str, private: bool) -> str:
    title = c.gettext("Check-in about your medicine plan")
    # The reason is the pharmacist's or the guideline's note, in English: only on the English line.
    text = title if private or not c.is_source else f"{title}: {reason}"
    return f"{text.rstrip('.')}. {c.gettext(BRING)}"


def _detail(tr: Catalogue, make: Any, *args: Any) -> str:
    """A description: ``make`` in the calendar's language, then "In English: ..." when that is another one."""
    text = make(tr, *args)
    if tr.is_source:
        return str(text)
    return f"{text}\n\n{tr.gettext('In English:')} {make(ENGLISH, *args)}"


def build_ics(case_id: str, schedules: Iterable[Schedule], stamp: datetime, *, private: bool = False,
              daily: bool = False, tr: Catalogue = ENGLISH) -> str:
    """The calendar file's text (CRLF line ends, folded), its words in ``tr``'s language."""
    cal = Calendar()
    for name, value in (("version", "2.0"), ("prodid", "-//taper//medication taper//EN"), ("calscale", "GREGORIAN"),
                        ("method", "PUBLISH"), ("x-wr-calname", tr.gettext("Medication plan"))):
        cal.add(name, value)
    for s in schedules:
        plan = s.plan
        sequence = plan.revision
        drug = tr.gettext("medicine") if private else plan.drug
        for i, seg in enumerate(s.segments):
            if seg.kind == "step":
                if seg.dose == 0:
                    summary = tr.gettext("Stop today") if private else tr.gettext("Stop {drug} today", drug=drug)
                    detail = _detail(tr, _stop_detail, s, private)
                else:
                    summary = tr.gettext("New dose starts today") if private else \
                        tr.gettext("New dose: {drug} {dose}", drug=drug, dose=daily_words(seg.dose, plan.unit, tr))
                    detail = _detail(tr, _new_detail, s, seg, private)
                alarm = tr.gettext("Tomorrow a new dose starts") if seg.dose else tr.gettext("Tomorrow the plan stops")
                cal.add_component(_event(_uid(case_id, plan.plan_id, "change", i), stamp, sequence, seg.start,
                                         seg.start, summary, detail, alarm))
            else:
                end = seg.end or seg.start
                cal.add_component(_event(_uid(case_id, plan.plan_id, seg.kind, i), stamp, sequence, seg.start, end,
                                         tr.gettext("Stay on this dose"), _detail(tr, _stay_detail, s, seg, private),
                                         tr.gettext("Tomorrow: stay on this dose")))
            if daily and seg.dose > 0:
                last = seg.end or seg.start + timedelta(days=OPEN_ENDED_DAYS - 1)
                for slot, portion in zip(plan.slots, seg.split.portions, strict=True):
                    if not portion.items:
                        continue
                    cal.add_component(_daily_event(
                        _uid(case_id, plan.plan_id, "daily", i, slot), stamp, sequence, seg.start, last,
                        SLOT_TIMES[slot], _reminder(tr, s, slot, portion, private),
                        None if tr.is_source else _detail(tr, _reminder, s, slot, portion, private)))
        for j, f in enumerate(s.follow_ups):
            cal.add_component(_event(_uid(case_id, plan.plan_id, "follow-up", j), stamp, sequence, f.on, f.on,
                                     tr.gettext("Check-in about your medicine plan"),
                                     _detail(tr, _check_in, f.reason, private),
                                     tr.gettext("Tomorrow: check-in about your medicine plan")))
    return cal.to_ical().decode("utf-8")
