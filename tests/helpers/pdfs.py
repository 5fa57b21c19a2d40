"""A case's calendar and prescriber summary as PDF bytes, rendered the way `taper export` does."""

from __future__ import annotations

import io
from datetime import date

from interactions.review import review
from regimens.case import Case
from taper.adapters import case_schedules, risk_trajectory
from taper.calendar_view import build_calendar
from taper.pdf_render import render_calendar, render_summary
from taper.summary_view import build_summary


def calendar_and_summary(case: Case, today: date) -> tuple[bytes, bytes]:
    schedules = case_schedules(case)
    calendar, summary = io.BytesIO(), io.BytesIO()
    render_calendar(build_calendar(case, schedules, [], printed=today), calendar)
    age = case.patient.age_on(today)
    render_summary(build_summary(case, schedules, review(case.regimen, age), risk_trajectory(case, schedules, age),
                                 today), summary)
    return calendar.getvalue(), summary.getvalue()
