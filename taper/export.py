"""Exporting a case's plans: the patient calendar, the prescriber summary, reminders and the CSV.

Both front ends call :func:`export` with :class:`ExportOptions` (plain values): the command line
builds them from its arguments, the app's export dialog from its fields.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Literal

from regimens.case import Case
from regimens.errors import TaperInputError


@dataclass(frozen=True)
class ExportOptions:
    """What to write, where, and how the paper looks."""

    calendar: str | None = None
    """Patient calendar (PDF) path."""
    summary: str | None = None
    """Prescriber summary (PDF) path."""
    ics: str | None = None
    """Phone reminders (iCalendar) path."""
    csv: str | None = None
    """Day-by-day schedule (CSV) path."""
    large_print: bool = False
    paper: Literal["letter", "a4"] = "letter"
    week_starts: Literal["sunday", "monday"] = "monday"
    private: bool = False
    """Keep drug names out of the reminders."""
    daily_reminders: bool = False
    source: str = "case file"
    """The case's name in messages (its file name)."""

    @property
    def anything(self) -> bool:
        return bool(self.calendar or self.summary or self.ics or self.csv)


def _write(path: str, data: bytes) -> None:
    from regimens.casefile import write_atomic

    target = Path(path)
    if not target.parent.exists():
        raise TaperInputError("the folder does not exist", file=path)
    if target.is_dir():
        raise TaperInputError("is a folder", file=path)
    write_atomic(target, data, keep_backup=False)


def export(case: Case, options: ExportOptions, today: date, stamp: datetime) -> list[str]:
    """Write each requested file; the lines say where they went."""
    from taper.adapters import case_schedules, risk_trajectory
    from taper.schedule import PlanError
    from taper.supports import place

    try:
        schedules = case_schedules(case)
    except PlanError as exc:
        raise TaperInputError(str(exc), file=options.source) from None
    done = []
    if options.calendar:
        from regimens.datefmt import short_date
        from taper.calendar_view import build_calendar
        from taper.pdf_render import render_calendar

        by_plan = {s.plan.plan_id: s for s in schedules}
        placed = [place(u, by_plan[p.id]) for p in case.plans for u in p.supports]
        placed += [place(u, schedules[0]) for u in case.supports]
        view = build_calendar(case, schedules, placed, week_starts=options.week_starts,
                              large_print=options.large_print, printed=today)
        buffer = io.BytesIO()
        render_calendar(view, buffer, options.paper)
        _write(options.calendar, buffer.getvalue())
        first = min(s.first_day for s in schedules)
        last = max(s.stop for s in schedules)
        done.append(f"calendar: {options.calendar} ({short_date(first, True)} to {short_date(last, True)})")
    if options.summary:
        from interactions.review import review
        from taper.pdf_render import render_summary
        from taper.summary_view import build_summary

        age = case.patient.age_on(today)
        result = review(case.regimen, age)
        summary = build_summary(case, schedules, result, risk_trajectory(case, schedules, age), today)
        buffer = io.BytesIO()
        render_summary(summary, buffer, options.paper)
        _write(options.summary, buffer.getvalue())
        done.append(f"summary: {options.summary}")
    if options.ics:
        from taper.ics import build_ics

        text = build_ics(case.patient.id, schedules, stamp, private=options.private, daily=options.daily_reminders)
        _write(options.ics, text.encode("utf-8"))
        done.append(f"reminders: {options.ics}")
    if options.csv:
        from taper.outputs import daily_csv

        _write(options.csv, daily_csv(schedules).encode("utf-8"))
        done.append(f"schedule CSV: {options.csv}")
    return done
