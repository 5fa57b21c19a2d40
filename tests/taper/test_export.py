"""Exports read back as their users would: PDF text, the ICS parsed by icalendar, the CSV."""

from __future__ import annotations

import csv
import io
import re
import stat
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from dateutil.rrule import rrulestr
from icalendar import Calendar
from pypdf import PdfReader

from regimens.case import Case, FlarePlan, Pause, SupportUse
from regimens.casefile import save_case
from taper.adapters import case_schedules
from taper.calendar_view import build_calendar, cell_text
from taper.ics import SLOT_NAMES, SLOT_TIMES, build_ics
from taper.outputs import daily_csv, portion_text
from taper.pdf_render import render_calendar, render_summary
from taper.supports import place
from tests.helpers.cli import taper
from tests.helpers.plans import START, case_with, line, plan, product

NAME = "Zoë O'Brien & José Ñúñez <test>"
TODAY = date(2026, 12, 1)


def export_case() -> Case:
    alp = plan("alprazolam", ("a",), "0.5", id="first", strategy="percent-current", percent=Decimal(25),
               interval_days=14, pauses=(Pause(days=10, start=START + timedelta(days=20), reason="daughter's wedding"),),
               supports=(SupportUse(support="graded-walking", start=START, weeks=6, baseline=Decimal(10)),))
    oxy = plan("oxycodone", ("o",), "30", id="second", strategy="percent-current", percent=Decimal(10),
               interval_days=28, start_date=None, follows="first")
    base = case_with(line("a", product("alprazolam", "0.5 mg"), "1", "bedtime"),
                     line("o", product("oxycodone", "5 mg"), "3", "morning", "evening"), plans=(alp, oxy))
    patient = base.patient.model_copy(update={})
    return Case.model_validate({
        **base.model_dump(),
        "patient": {**patient.model_dump(), "name": NAME, "prescriber_name": "Dr. Zoë \"Zed\" Ärnbäck",
                    "prescriber_phone": "(555) 010-2000", "pharmacy_name": "Farmacia & Drug <One>",
                    "pharmacy_phone": "555-0199",
                    "goals": ["To walk my dog & not feel \"foggy\" " + "really " * 30 + "ever again."]},
        "flare_plan": FlarePlan(day1="Heat & rest; no extra doses.", call_if="Very sleepy: call 911.").model_dump(),
    })


def placed_supports(case: Case, schedules):
    by_plan = {s.plan.plan_id: s for s in schedules}
    return [place(u, by_plan[p.id]) for p in case.plans for u in p.supports]


@pytest.fixture(scope="module")
def built():
    case = export_case()
    schedules = case_schedules(case)
    view = build_calendar(case, schedules, placed_supports(case, schedules), printed=TODAY)
    buffer = io.BytesIO()
    render_calendar(view, buffer)
    return case, schedules, view, buffer.getvalue()


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text.replace("\u00a0", " "))


def pdf_text(data: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]


def test_every_day_of_the_calendar_prints_its_doses(built):
    case, schedules, view, data = built
    whole = squash("".join(pdf_text(data)))
    days = 0
    for page in view.pages:
        for week in page.weeks:
            for cell in week:
                if not cell.in_range:
                    continue
                days += 1
                label = f"{('Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun')[cell.day.weekday()]} {cell.day.day}"
                expected = squash(label + "".join(cell_text(cell)))
                assert expected in whole, (cell.day, cell_text(cell))
    first = min(s.first_day for s in schedules)
    last = max(s.stop for s in schedules)
    assert days >= (last - first).days + 1


def test_calendar_day_cells_match_the_schedule(built):
    _, schedules, view, _ = built
    alp, oxy = schedules
    for page in view.pages:
        for week in page.weeks:
            for cell in week:
                if not cell.in_range:
                    continue
                for s in (alp, oxy):
                    seg = s.segment_on(cell.day)
                    mine = [ln for ln in cell.lines if ln.text.startswith(s.plan.drug)]
                    if seg is None or seg.dose == 0:
                        assert not mine
                    else:
                        assert len(mine) == sum(1 for p in seg.split.portions if p.items)
                for s in (alp, oxy):
                    # NEW DOSE exactly when the dose differs from the day before (not when a step resumes
                    # at the same dose after a pause).
                    seg = s.segment_on(cell.day)
                    before = s.plan.strategy.start if cell.day <= s.first_day else s.dose_on(cell.day - timedelta(days=1))
                    expected = seg is not None and seg.start == cell.day and seg.kind == "step" and 0 < seg.dose != before
                    shown = any(s.plan.drug in b for b in cell.banners if b.startswith("NEW DOSE"))
                    assert shown == expected, (cell.day, s.plan.drug)


def test_pause_days_say_stay_on_this_dose_with_the_reason(built):
    _, schedules, view, _ = built
    pause = next(seg for seg in schedules[0].segments if seg.kind == "pause")
    cells = {c.day: c for p in view.pages for w in p.weeks for c in w if c.in_range}
    assert "Stay on this dose (daughter's wedding)" in cells[pause.start].banners


def test_cover_flare_page_names_and_special_characters_print_verbatim(built):
    _, _, _, data = built
    pages = pdf_text(data)
    text = re.sub(r"\s+", " ", "\n".join(pages).replace("\u00a0", " "))
    assert NAME in text
    assert "Farmacia & Drug <One>" in text
    assert 'Dr. Zoë "Zed" Ärnbäck' in text
    assert "ever again." in text
    assert "Heat & rest; no extra doses." in pages[-1] and "Very sleepy: call 911." in pages[-1]
    assert "ever again." in text
    assert all(NAME in p for p in pages), "the name is on every page"
    assert all(re.search(r"Page \d+ of \d+", p) for p in pages)
    assert "Walk 10 minutes" in text and "Walk 11 minutes" in text


NOTATION = [
    (re.compile(r"\d\.\d*0(?!\d)(?!\.)"), "trailing zero"),
    (re.compile(r"(?<![\d\w])\.\d"), "missing leading zero"),
    (re.compile(r"\b(QD|BID|TID|QID|HS|hs|qhs|QOD|cc|IU)\b"), "error-prone abbreviation"),
    (re.compile(r"µg|μg"), "µg"),
    (re.compile(r"\b\d+ U\b|\bunits? U\b"), "U for units"),
    (re.compile(r"1/2"), "slash fraction"),
]


def check_notation(text: str) -> None:
    text = text.replace("\u00a0", " ")
    for pattern, what in NOTATION:
        match = pattern.search(text)
        assert match is None, f"{what}: ...{text[max(0, match.start() - 40):match.end() + 40]}..."


def test_printed_text_follows_the_notation_rules(built, tmp_path):
    case, schedules, _, data = built
    check_notation("\n".join(pdf_text(data)))
    from interactions.review import review
    from taper.adapters import risk_trajectory
    from taper.summary_view import build_summary

    result = review(case.regimen, 70)
    view = build_summary(case, schedules, result, risk_trajectory(case, schedules, 70), TODAY)
    buffer = io.BytesIO()
    render_summary(view, buffer)
    summary = "\n".join(pdf_text(buffer.getvalue()))
    check_notation(summary.replace("(555) 010-2000", ""))
    assert "ALPRAZolam" in summary and "oxyCODONE" in summary  # tall-man lettering
    assert "MAJOR" in summary and "Reviewed with the patient by" in summary
    assert "Dispensing per fill" in summary
    ics = build_ics(case.patient.id, schedules, datetime(2026, 12, 1, tzinfo=UTC), daily=True)
    check_notation("\n".join(ln for ln in ics.replace("\r\n ", "").splitlines()
                             if ln.startswith(("SUMMARY", "DESCRIPTION"))))


def test_ics_parses_with_the_right_events_and_stable_uids(built):
    case, schedules, _, _ = built
    stamp = datetime(2026, 12, 1, 12, tzinfo=UTC)
    text = build_ics(case.patient.id, schedules, stamp)
    cal = Calendar.from_ical(text)
    events = [c for c in cal.walk("VEVENT")]
    changes = sum(1 for s in schedules for seg in s.segments if seg.kind == "step")
    pauses = sum(1 for s in schedules for seg in s.segments if seg.kind != "step")
    follow = sum(len(s.follow_ups) for s in schedules)
    assert len(events) == changes + pauses + follow
    for event in events:
        assert event.get("UID") and event.get("DTSTAMP")
        alarms = event.walk("VALARM")
        assert alarms and str(alarms[0]["TRIGGER"].to_ical().decode()) == "-PT5H"
        assert event.decoded("DTEND") > event.decoded("DTSTART")
    pause = next(seg for seg in schedules[0].segments if seg.kind == "pause")
    pause_event = next(e for e in events if str(e["SUMMARY"]) == "Stay on this dose")
    assert pause_event.decoded("DTSTART") == pause.start
    assert pause_event.decoded("DTEND") == pause.end + timedelta(days=1)  # DTEND is exclusive
    again = Calendar.from_ical(build_ics(case.patient.id, schedules, stamp + timedelta(days=3)))
    assert [str(e["UID"]) for e in again.walk("VEVENT")] == [str(e["UID"]) for e in events]
    assert not any("alprazolam" in str(e["UID"]) or NAME in str(e["UID"]) for e in events)


def test_private_ics_keeps_drug_names_out_and_daily_reminders_repeat(built):
    case, schedules, _, _ = built
    text = build_ics(case.patient.id, schedules, datetime(2026, 12, 1, tzinfo=UTC), private=True, daily=True)
    assert "alprazolam" not in text.lower() and "oxycodone" not in text.lower()
    cal = Calendar.from_ical(text)
    repeating = [e for e in cal.walk("VEVENT") if e.get("RRULE")]
    assert repeating and all(e["RRULE"]["FREQ"] == ["DAILY"] and e["RRULE"]["UNTIL"] for e in repeating)
    assert len(repeating) < 100  # one event per slot and step, not one per day


@pytest.mark.parametrize("private", [False, True])
def test_daily_reminders_recur_on_every_day_of_their_step(built, private):
    """Read back as a phone would: icalendar parses each event, dateutil expands its RRULE."""
    case, schedules, _, _ = built
    text = build_ics(case.patient.id, schedules, datetime(2026, 12, 1, tzinfo=UTC), private=private, daily=True)
    found = Counter()
    for event in Calendar.from_ical(text).walk("VEVENT"):
        if event.get("RRULE"):
            start = event["DTSTART"].dt
            assert isinstance(start, datetime) and start.tzinfo is None  # local time, wherever the phone is
            assert event["DURATION"].dt == timedelta(minutes=15)
            for when in rrulestr(event["RRULE"].to_ical().decode(), dtstart=start):
                found[(when, str(event["SUMMARY"]))] += 1
    expected = Counter()
    for s in schedules:
        for seg in s.segments:
            if seg.dose == 0:
                continue
            last = seg.end or seg.start + timedelta(days=27)
            for slot, portion in zip(s.plan.slots, seg.split.portions, strict=True):
                if not portion.items:
                    continue
                title = f"{SLOT_NAMES[slot]} medicines" if private else \
                    f"{SLOT_NAMES[slot]}: {s.plan.drug} {portion_text(s, portion)}"
                for n in range((last - seg.start).days + 1):
                    expected[(datetime.combine(seg.start + timedelta(days=n), SLOT_TIMES[slot]), title)] += 1
    assert found == expected and len(expected) > 300


def test_csv_matches_the_schedule(built):
    _, schedules, _, _ = built
    text = daily_csv(schedules)
    records = list(csv.DictReader(io.StringIO(text)))
    assert text.splitlines()[0] == "date,plan_id,drug,step,kind,daily_dose,unit,new_dose,bedtime,morning,evening"
    for s in schedules:
        rows = [r for r in records if r["plan_id"] == s.plan.plan_id]
        assert len(rows) == (s.stop - s.first_day).days + 1
        for rec in rows:
            dose = s.dose_on(date.fromisoformat(rec["date"]))
            assert Decimal(rec["daily_dose"]) == Decimal(dose.numerator) / Decimal(dose.denominator)
            assert rec["new_dose"] in {"True", "False"}
            unused = {"bedtime", "morning", "evening"} - set(s.plan.slots)
            assert all(rec[slot] == "" for slot in unused)  # a slot this plan does not use is left empty


def test_large_print_a4_sunday(built):
    case, schedules, _, _ = built
    view = build_calendar(case, schedules, [], week_starts="sunday", large_print=True, printed=TODAY)
    assert all(len(p.weeks) == 1 and len(p.weeks[0]) <= 4 for p in view.pages)
    assert view.pages[0].weeks[0][0].day.weekday() == 6
    buffer = io.BytesIO()
    render_calendar(view, buffer, "a4")
    reader = PdfReader(io.BytesIO(buffer.getvalue()))
    box = reader.pages[1].mediabox
    assert round(float(box.width)) == 842 and round(float(box.height)) == 595  # A4 landscape
    first_grid = next(p.extract_text() for p in reader.pages if "(week 1 of" in (p.extract_text() or ""))
    assert re.search(r"Sun\s", first_grid)


def test_export_command_writes_owner_only_files(tmp_path: Path):
    case = export_case()
    path = tmp_path / "case.json"
    save_case(case, path)
    out = {k: tmp_path / f"out.{k}" for k in ("pdf", "sum.pdf", "ics", "csv")}
    proc = taper("export", str(path), "--calendar", str(out["pdf"]), "--summary", str(out["sum.pdf"]),
                 "--ics", str(out["ics"]), "--csv", str(out["csv"]), "--large-print", "--paper", "a4")
    assert proc.returncode == 0, proc.stderr
    for file in out.values():
        assert file.exists() and stat.S_IMODE(file.stat().st_mode) == 0o600
    meta = PdfReader(str(out["pdf"])).metadata
    assert NAME not in str(meta) and "Zoë" not in str(meta)
    bad = taper("export", str(path))
    assert bad.returncode == 2 and "nothing to export" in bad.stderr


def test_a_private_pause_reason_stays_off_the_patient_calendar(built):
    case, _, _, _ = built
    alp = case.plans[0]
    hidden = alp.model_validate({**alp.model_dump(), "pauses": [
        Pause(days=10, start=START + timedelta(days=20), reason="hospital stay", show_reason=False).model_dump()]})
    private = Case.model_validate({**case.model_dump(), "plans": [hidden.model_dump(), case.plans[1].model_dump()]})
    schedules = case_schedules(private)
    view = build_calendar(private, schedules, [], printed=TODAY)
    banners = [b for p in view.pages for w in p.weeks for c in w for b in c.banners]
    assert "Stay on this dose" in banners and not any("hospital" in b for b in banners)
    assert "hospital" not in build_ics(private.patient.id, schedules, datetime(2026, 12, 1, tzinfo=UTC))


def test_the_summary_records_who_overrode_which_warning_and_when():
    from taper.summary_view import override_records

    case = export_case()
    first = case.plans[0]
    overridden = first.model_validate({**first.model_dump(), "overrides": [
        {"step": 2, "rule": "BZD-25PCT", "reason": "patient's informed choice", "recorded_on": "2026-12-01",
         "by": "J. Smith, PharmD"}]})
    case = Case.model_validate({**case.model_dump(), "plans": [overridden.model_dump(), case.plans[1].model_dump()]})
    assert override_records(case, "first") == [
        "Override recorded by J. Smith, PharmD on Tue 1 Dec 2026 (step 2, BZD-25PCT): patient's informed choice"]
    assert override_records(case, "second") == []
