"""`taper export`: the patient calendar, the prescriber summary, phone reminders and the CSV."""

from __future__ import annotations

import argparse
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from regimens.errors import TaperInputError


def add_export_parser(sub: Any) -> None:
    p = sub.add_parser("export", help="print the calendar and summary, export reminders and CSV",
                       description="Export the taper plans of CASE: a dated calendar for the patient (PDF), a "
                       "summary for the prescriber (PDF), phone reminders (ICS), the day-by-day schedule (CSV) and a "
                       "FHIR Bundle. "
                       "Files are written atomically, all or none, and readable only by you; no output may "
                       "replace the case file, and a read-only file is replaced only with --force.")
    p.add_argument("case", help="case file (.json) with at least one taper plan")
    p.add_argument("--calendar", metavar="PDF", help="patient calendar")
    p.add_argument("--summary", metavar="PDF", help="prescriber summary")
    p.add_argument("--ics", metavar="FILE", help="phone reminders (iCalendar)")
    p.add_argument("--csv", metavar="FILE", help="one row per day and drug")
    p.add_argument("--fhir", metavar="FILE", help="FHIR R4B Bundle (JSON): the regimen as MedicationStatements, each "
                   "plan as one MedicationRequest with a dosage per step, and the products to dispense")
    p.add_argument("--large-print", action="store_true", help="calendar in large print (16 pt, a week a page)")
    p.add_argument("--paper", choices=("letter", "a4"), default="letter")
    p.add_argument("--week-starts", choices=("sunday", "monday"), default="monday")
    p.add_argument("--private", action="store_true", help="keep drug names out of the reminders")
    p.add_argument("--daily-reminders", action="store_true", help="add a daily reminder for each time of day")
    p.add_argument("--language", metavar="LANG", help="language of the calendar and reminders: en or es (default: "
                   "the patient's, from the case; the prescriber summary is always in English)")
    p.add_argument("--force", action="store_true", help="replace read-only output files")


def cmd_export(args: argparse.Namespace) -> int:
    from regimens.casefile import load_case
    from taper.export import ExportOptions, export

    options = ExportOptions(calendar=args.calendar, summary=args.summary, ics=args.ics, csv=args.csv, fhir=args.fhir,
                            large_print=args.large_print, paper=args.paper, week_starts=args.week_starts,
                            private=args.private, daily_reminders=args.daily_reminders, source=args.case,
                            case_path=Path(args.case), force=args.force, language=args.language)
    if not options.anything:
        raise TaperInputError("nothing to export: give --calendar, --summary, --ics, --csv or --fhir")
    today = date.today()
    case = load_case(args.case, today=today)
    if not case.plans:
        raise TaperInputError("has no taper plans yet (add one with 'taper plan CASE ... --save')", file=args.case)
    for line in export(case, options, today, datetime.now(UTC)):
        print(f"Wrote {line}")
    return 0

