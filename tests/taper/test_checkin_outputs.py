"""Check-ins where people decide: the calendar's anchor lines, the summary's chart and table, the reminders."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar
from pypdf import PdfReader

from regimens.casefile import load_case
from taper.adapters import case_schedules
from taper.calendar_view import WITHDRAWAL_DAYS, build_calendar, cell_text
from taper.checkins import cuts
from taper.ics import BRING, build_ics
from taper.supports import place
from tests.conftest import EXAMPLES
from tests.helpers.pdfs import calendar_and_summary

TODAY = date(2026, 12, 2)


def _demo():
    case = load_case(EXAMPLES / "kowalski.json")
    return case, case_schedules(case)


def test_every_calendar_day_has_sleep_and_the_goal_in_the_patients_words_instead_of_how_i_feel():
    case, schedules = _demo()
    view = build_calendar(case, schedules, [], printed=TODAY)
    cells = [c for p in view.pages for w in p.weeks for c in w if c.in_range]
    assert cells
    # The goal's words head every page (once, whole); each day rates it.
    assert view.goal_line == f"My goal: “{case.patient.goals[0]}” Rate it every day, 0 to 10."
    for cell in cells:
        words = " ".join(cell_text(cell))
        assert "How I feel" not in words
        assert "Sleep (0-10): ___" in words
        assert "Goal (0-10): ___" in words
        assert "Walked: ___ minutes" in words  # no walking support on the calendar: a line to fill in
    assert not any("0 1 2 3" in line for line in view.cover["how_to_use"])
    assert any("withdrawal" in line for line in view.cover["how_to_use"])


def test_withdrawal_is_asked_on_the_week_after_each_step_and_not_otherwise():
    case, schedules = _demo()
    view = build_calendar(case, schedules, [], printed=TODAY)
    asked = {c.day for p in view.pages for w in p.weeks for c in w if c.in_range
             and any(a.startswith("Withdrawal") for a in c.anchors)}
    expected = {s.start + timedelta(days=i) for sch in schedules for s in cuts(sch) for i in range(WITHDRAWAL_DAYS)}
    assert asked == {d for d in expected if d in {c.day for p in view.pages for w in p.weeks for c in w
                                                  if c.in_range}}
    assert asked and len(asked) < 100


def test_a_walking_support_is_the_walk_tick_so_no_second_walk_line():
    case, schedules = _demo()
    by_plan = {s.plan.plan_id: s for s in schedules}
    placed = [place(u, by_plan[p.id]) for p in case.plans for u in p.supports]
    view = build_calendar(case, schedules, placed, printed=TODAY)
    first = next(c for p in view.pages for w in p.weeks for c in w if c.in_range)
    assert any("Walk" in s for s in first.supports)
    assert not any(a.startswith("Walked") for a in first.anchors)


def test_the_summary_charts_and_tables_the_check_ins_with_the_accepted_hold():
    case, _ = _demo()
    _, summary = calendar_and_summary(case, TODAY)
    text = " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(summary)).pages)
    assert "Check-ins against the dose" in text
    flat = "".join(text.split())
    for words in ("hold accepted", "Withdrawal", "PEG", "PHQ-2 / GAD-2", "Daily dose (mg); shaded: holds",
                  "Tue 24 Nov 2026", "Thu 10 Dec 2026", "Tue 22 Dec 2026"):
        assert "".join(words.split()) in flat


def test_a_case_without_check_ins_has_no_check_in_section():
    case, _ = _demo()
    bare = case.model_validate({**case.model_dump(), "checkins": []})
    _, summary = calendar_and_summary(bare, TODAY)
    text = " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(summary)).pages)
    assert "Check-ins against the dose" not in text


def test_each_follow_up_reminder_says_to_bring_the_calendar():
    case, schedules = _demo()
    data = build_ics(case.patient.id, schedules, stamp=datetime(2026, 12, 2, tzinfo=UTC))
    events = [e for e in Calendar.from_ical(data).walk("VEVENT") if "Check-in" in str(e["summary"])]
    assert events
    assert len(events) == sum(len(s.follow_ups) for s in schedules)
    for event in events:
        assert BRING in str(event["description"]) and "calendar" in str(event["description"])
        assert ".." not in str(event["description"])


def test_every_calendar_page_is_headed_by_the_patients_goal_in_their_words():
    case, _ = _demo()
    calendar, _ = calendar_and_summary(case, TODAY)
    pages = PdfReader(io.BytesIO(calendar)).pages
    day_pages = [text for text in (p.extract_text() or "" for p in pages) if "Sleep (0-10)" in text]
    assert day_pages
    goal = "".join(case.patient.goals[0].split())
    assert all(goal in "".join(text.split()) for text in day_pages)
