"""`taper export`: the patient calendar, the prescriber summary, phone reminders and the CSV."""

from __future__ import annotations

import argparse
import io
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from regimens.errors import TaperInputError


def add_export_parser(sub: Any) -> None:
    p = sub.add_parser("export", help="print the calendar and summary, export reminders and CSV",
                       description="Export the taper plans of CASE: a dated calendar for the patient (PDF), a "
                       "summary for the prescriber (PDF), phone reminders (ICS) and the day-by-day schedule (CSV). "
                       "Files are written atomically and readable only by you.")
    p.add_argument("case", help="case file (.json) with at least one taper plan")
    p.add_argument("--calendar", metavar="PDF", help="patient calendar")
    p.add_argument("--summary", metavar="PDF", help="prescriber summary")
    p.add_argument("--ics", metavar="FILE", help="phone reminders (iCalendar)")
    p.add_argument("--csv", metavar="FILE", help="one row per day and drug")
    p.add_argument("--large-print", action="store_true", help="calendar in large print (16 pt, a week a page)")
    p.add_argument("--paper", choices=("letter", "a4"), default="letter")
    p.add_argument("--week-starts", choices=("sunday", "monday"), default="monday")
    p.add_argument("--private", action="store_true", help="keep drug names out of the reminders")
    p.add_argument("--daily-reminders", action="store_true", help="add a daily reminder for each time of day")


def _write(path: str, data: bytes) -> None:
    from regimens.casefile import write_atomic

    target = Path(path)
    if not target.parent.exists():
        raise TaperInputError("the folder does not exist", file=path)
    if target.is_dir():
        raise TaperInputError("is a folder", file=path)
    write_atomic(target, data, keep_backup=False)


def export(case: Any, args: argparse.Namespace, today: date, stamp: datetime) -> list[str]:
    """Write each requested file; the lines say where they went."""
    from taper.adapters import case_schedules, risk_trajectory
    from taper.schedule import PlanError
    from taper.supports import place

    try:
        schedules = case_schedules(case)
    except PlanError as exc:
        raise TaperInputError(str(exc), file=args.case) from None
    done = []
    if args.calendar:
        from taper.calendar_view import build_calendar
        from taper.pdf_render import render_calendar

        by_plan = {s.plan.plan_id: s for s in schedules}
        placed = [place(u, by_plan[p.id]) for p in case.plans for u in p.supports]
        placed += [place(u, schedules[0]) for u in case.supports]
        view = build_calendar(case, schedules, placed, week_starts=args.week_starts,
                              large_print=args.large_print, printed=today)
        buffer = io.BytesIO()
        render_calendar(view, buffer, args.paper)
        _write(args.calendar, buffer.getvalue())
        from regimens.datefmt import short_date

        first = min(s.first_day for s in schedules)
        last = max(s.stop for s in schedules)
        done.append(f"calendar: {args.calendar} ({short_date(first, True)} to {short_date(last, True)})")
    if args.summary:
        from interactions.review import review
        from regimens.facts import facts_from_regimen
        from taper.pdf_render import render_summary
        from taper.summary_view import build_summary

        age = case.patient.age_on(today)
        result = review(facts_from_regimen(case.regimen), age)
        summary = build_summary(case, schedules, result, risk_trajectory(case, schedules, age), today)
        buffer = io.BytesIO()
        render_summary(summary, buffer, args.paper)
        _write(args.summary, buffer.getvalue())
        done.append(f"summary: {args.summary}")
    if args.ics:
        from taper.ics import build_ics

        text = build_ics(case.patient.id, schedules, stamp, private=args.private, daily=args.daily_reminders)
        _write(args.ics, text.encode("utf-8"))
        done.append(f"reminders: {args.ics}")
    if args.csv:
        from taper.outputs import daily_csv

        _write(args.csv, daily_csv(schedules).encode("utf-8"))
        done.append(f"schedule CSV: {args.csv}")
    return done


def cmd_export(args: argparse.Namespace) -> int:
    from regimens.casefile import load_case

    if not (args.calendar or args.summary or args.ics or args.csv):
        raise TaperInputError("nothing to export: give --calendar, --summary, --ics or --csv")
    today = date.today()
    case = load_case(args.case, today=today)
    if not case.plans:
        raise TaperInputError("has no taper plans yet (add one with 'taper plan CASE ... --save')", file=args.case)
    for line in export(case, args, today, datetime.now(UTC)):
        print(f"Wrote {line}")
    return 0

