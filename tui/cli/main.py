"""The ``taper`` command line.

Kept light: it imports only the standard library and ``regimens`` at start-up; the Textual
app, pandas and ReportLab load only for the commands that use them. Bad input exits with
status 2 and one message on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from regimens.datefmt import parse_iso_date
from regimens.errors import TaperInputError
from tui.cli.common import EXIT_BAD_INPUT, EXIT_CONDITION, EXIT_OK, Parser, UsageError

if TYPE_CHECKING:
    from interactions.metrics import Options

SEVERITY_CHOICES = ("minor", "moderate", "major", "contraindicated")
SEVERITY_ABBR = (("contraindicated", "CI"), ("major", "maj"), ("moderate", "mod"), ("minor", "min"))


def _parse_age(text: str) -> int:
    if not text.isdigit() or not 0 <= int(text) <= 130:
        raise argparse.ArgumentTypeError(f"{text!r} is not an age in years (0 to 130)")
    return int(text)


def _parse_date(text: str) -> date:
    try:
        return parse_iso_date(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _add_open(sub: Any) -> None:
    p = sub.add_parser("open", help="open a case in the terminal UI",
                       description="Open a case file in the terminal UI.")
    p.add_argument("case", help="case file (.json)")


def _add_demo(sub: Any) -> None:
    p = sub.add_parser("demo", help="open a copy of a bundled example case",
                       description="Copy a bundled example case to your data folder and open "
                       "the copy in the terminal UI (the bundled file is never changed).")
    p.add_argument("--case", default="kowalski", help="example name (default: kowalski)")
    p.add_argument("--list", action="store_true", help="list the example cases and exit")
    p.add_argument("--print", action="store_true", dest="print_only",
                   help="print the path of the copy instead of opening the UI")


def _add_show(sub: Any) -> None:
    p = sub.add_parser("show", help="print a regimen with daily totals",
                       description="Print the regimen in FILE (a case file or a medication-list "
                       "CSV) with each ingredient's daily total.")
    p.add_argument("file", help="case file (.json) or medication list (.csv)")
    p.add_argument("--json", action="store_true", help="machine-readable output")


def _add_review(sub: Any) -> None:
    p = sub.add_parser("review", help="screen a regimen: interactions, MME, burden scores",
                       description="Review the regimen in FILE (a case file or a medication-list "
                       "CSV): interactions from the curated table, MME, diazepam equivalents, "
                       "anticholinergic burden and older-adult flags.")
    p.add_argument("file", help="case file (.json) or medication list (.csv)")
    p.add_argument("--age", type=_parse_age, help="age in years (overrides the case's birth date)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--fail-on", choices=SEVERITY_CHOICES, metavar="SEVERITY",
                   help="exit with status 1 when a finding is this severe or worse "
                   "(minor, moderate, major, contraindicated)")
    p.add_argument("--mme-set", metavar="ID", help="MME factor set (default CDC-2022-clinical; "
                   "also CDC-2016-clinical)")
    p.add_argument("--benzo-table", metavar="ID", help="diazepam-equivalent table (default "
                   "VA-DoD-2021; also Ashton-2002)")
    p.add_argument("--acb-scale", metavar="ID", help="anticholinergic scale (default ACB-2008; "
                   "also ACBcalc, ARS)")


def _add_panel(sub: Any) -> None:
    p = sub.add_parser("panel", help="review many patients in one CSV",
                       description="Review every patient in a medication CSV with a patient_id "
                       "column (optional age or birth_date columns): one summary row per patient. "
                       "Rows that fail validation are listed on stderr and skipped.")
    p.add_argument("file", help="medication list with a patient_id column (.csv)")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="JSON on stdout")
    out.add_argument("--csv", action="store_true", help="CSV on stdout")
    p.add_argument("--mme-set", metavar="ID", help="MME factor set (default CDC-2022-clinical)")
    p.add_argument("--benzo-table", metavar="ID", help="diazepam-equivalent table (default VA-DoD-2021)")
    p.add_argument("--acb-scale", metavar="ID", help="anticholinergic scale (default ACB-2008)")


def _add_formulary(sub: Any) -> None:
    p = sub.add_parser("formulary", help="look up drugs and their products",
                       description="List the drug QUERY names (generic, brand or other name), then "
                       "drugs with a name containing it, with their products. A name that matches "
                       "no drug lists spelling suggestions and drugs ISMP lists as confused with it, "
                       "and exits 1.")
    p.add_argument("query", help="part of a generic or brand name, e.g. 'oxy' or 'Cymbalta'")
    p.add_argument("--json", action="store_true", help="machine-readable output")


def _add_new(sub: Any) -> None:
    p = sub.add_parser("new", help="create a case from a medication-list CSV or FHIR file",
                       description="Create a new case file from a medication-list CSV, or from FHIR R4/R4B files "
                       "(a Bundle in JSON, or NDJSON) holding MedicationRequest, MedicationStatement, Medication and "
                       "Patient resources. Active and on-hold requests are imported; the others are listed as "
                       "skipped. The patient's name, birth date and language come from the Patient resource when "
                       "there is one (the flags override them).")
    p.add_argument("--from", dest="source", required=True, action="append", metavar="FILE",
                   help="medication list to import (.csv), or a FHIR Bundle or NDJSON file (repeat for several "
                   "FHIR files, e.g. one NDJSON file per resource type)")
    p.add_argument("--patient", metavar="ID", help="FHIR files with several patients: the Patient id to import")
    p.add_argument("--name", help="patient's name as it should be printed (required unless a FHIR Patient gives it)")
    p.add_argument("--birth-date", type=_parse_date, metavar="YYYY-MM-DD",
                   help="required unless a FHIR Patient gives it")
    p.add_argument("-o", "--output", required=True, metavar="CASE.json", help="case file to write")
    p.add_argument("--id", dest="patient_id", help="clinic patient id (default: derived)")
    p.add_argument("--prescriber-phone", default="")
    p.add_argument("--pharmacy-phone", default="")
    p.add_argument("--language", default=None, metavar="LANG",
                   help="the language the patient reads best, as a language tag (en, es, es-MX, vi): the calendar "
                   "and reminders are printed in it where taper has its catalogue (en, es), else in English")
    p.add_argument("--goal", action="append", default=[],
                   help="a goal in the patient's words (repeat for several)")
    p.add_argument("--force", action="store_true", help="replace an existing case file "
                   "(the old one is kept as .bak)")


def _add_plan(sub: Any) -> None:
    from tui.cli.plan import add_plan_parser

    add_plan_parser(sub)


def _add_export(sub: Any) -> None:
    from tui.cli.export import add_export_parser

    add_export_parser(sub)


def _add_checkin(sub: Any) -> None:
    from tui.cli.checkin import add_checkin_parser

    add_checkin_parser(sub)


def _add_schedule(sub: Any) -> None:
    from tui.cli.plan import add_schedule_parser

    add_schedule_parser(sub)


SUBCOMMANDS: dict[str, Callable[[Any], None]] = {
    "open": _add_open,
    "demo": _add_demo,
    "show": _add_show,
    "review": _add_review,
    "panel": _add_panel,
    "formulary": _add_formulary,
    "new": _add_new,
    "plan": _add_plan,
    "schedule": _add_schedule,
    "export": _add_export,
    "checkin": _add_checkin,
}


def build_parser(only: str | None = None) -> Parser:
    """The argument parser; with ``only``, just that subcommand (faster start-up)."""
    parser = Parser(
        prog="taper",
        description="Review medication lists and build safe, patient-centred tapers.",
        epilog="Run 'taper COMMAND --help' for the options of a command.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    for name, add in SUBCOMMANDS.items():
        if only is None or name == only:
            add(sub)
    return parser


def cmd_show(args: argparse.Namespace) -> int:
    from regimens.loading import load_regimen_file
    from tui.cli.report import regimen_json, render_regimen

    loaded = load_regimen_file(args.file, today=date.today())
    if args.json:
        print(json.dumps(regimen_json(loaded), indent=2))
    else:
        print(render_regimen(loaded, today=date.today(), name=args.file))
    return EXIT_OK


def cmd_review(args: argparse.Namespace) -> int:
    from interactions.metrics import Options
    from interactions.review import review, review_json
    from interactions.tables import benzo_tables, factor_set_ids
    from regimens.loading import load_regimen_file
    from tui.cli.review_text import render_review

    today = date.today()
    options = Options(mme_set=args.mme_set, benzo_table=args.benzo_table, acb_scale=args.acb_scale)
    _check_tables(options, factor_set_ids(), list(benzo_tables()["tables"]))
    loaded = load_regimen_file(args.file, today=today)
    patient = loaded.case.patient if loaded.case is not None else None
    name, birth = (patient.name, patient.birth_date) if patient is not None else (None, None)
    from regimens.datefmt import age_on

    age = args.age if args.age is not None else (age_on(birth, today) if birth else None)
    result = review(loaded.regimen, age, options)
    if args.json:
        print(json.dumps(review_json(result), indent=2, ensure_ascii=False))
    else:
        title = f"Review of {name} ({args.file})" if name else f"Review of {args.file}"
        sys.stdout.write(render_review(result, title))
    if args.fail_on and result.fails(args.fail_on):
        return EXIT_CONDITION
    return EXIT_OK


def _check_tables(options: Options, mme_sets: list[str], benzo: list[str]) -> None:
    from interactions.tables import acb_tables

    checks = [("--mme-set", options.mme_set, mme_sets),
              ("--benzo-table", options.benzo_table, benzo),
              ("--acb-scale", options.acb_scale, list(acb_tables()["scales"]))]
    for flag, value, allowed in checks:
        if value is not None and value not in allowed:
            raise UsageError(f"{flag} {value!r} is not a known table (choose from {', '.join(allowed)})")


@contextlib.contextmanager
def _panel_progress() -> Iterator[Callable[[Any], None] | None]:
    """A progress bar on stderr while a panel is reviewed, only when stderr is a terminal (rows read,
    patients reviewed, time left); nothing at all for pipes, files and tests."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    # Redrawn on each report, not by a thread of its own: the review may fork a reader process, which is
    # only safe while this process has a single thread.
    with Progress(TextColumn("{task.description}"), BarColumn(),
                  TextColumn("{task.fields[rows]:,} rows read, {task.fields[patients]:,} patients reviewed"),
                  TimeRemainingColumn(), console=Console(stderr=True), transient=True, auto_refresh=False) as bar:
        task = bar.add_task("reading", total=None, rows=0, patients=0)

        def update(state: Any) -> None:
            label = "regrouping by patient" if state.stage == "regrouping" else "reviewing"
            bar.update(task, total=state.total_bytes or None, completed=state.bytes_read, description=label,
                       rows=state.rows_read, patients=state.patients_reviewed, refresh=True)

        yield update


def cmd_panel(args: argparse.Namespace) -> int:
    from interactions.metrics import Options
    from interactions.panel import panel_records, review_panel, write_panel_csv
    from interactions.tables import benzo_tables, factor_set_ids

    options = Options(mme_set=args.mme_set, benzo_table=args.benzo_table, acb_scale=args.acb_scale)
    _check_tables(options, factor_set_ids(), list(benzo_tables()["tables"]))
    with _panel_progress() as progress:
        result = review_panel(args.file, options, today=date.today(), progress=progress)
    for err in result.skipped[:50]:
        print(f"taper: skipped {err.render()}", file=sys.stderr)
    if len(result.skipped) > 50:
        print(f"taper: ... and {len(result.skipped) - 50} more rows skipped", file=sys.stderr)
    if args.json:
        payload = {"patients": list(panel_records(result)), "rows_read": result.rows_read,
                   "skipped": [{"row": e.row, "column": e.column, "message": e.message}
                               for e in result.skipped]}
        print(json.dumps(payload, indent=2, ensure_ascii=False))
    elif args.csv:
        write_panel_csv(result, sys.stdout)
    else:
        from tui.cli.textout import table

        rows = []
        for rec in panel_records(result):
            sev = " ".join(f"{rec[k]} {abbr}" for k, abbr in SEVERITY_ABBR if rec[k])
            rows.append([str(rec["patient_id"]), "-" if rec["age"] is None else str(rec["age"]),
                         str(rec["medication_count"]), sev or "none", f"{rec['mme_per_day']:g}",
                         f"{rec['diazepam_equivalent_mg_per_day']:g}", str(rec["acb_score"]),
                         ", ".join(rec["flags"])])
        print(table(["Patient", "Age", "Meds", "Findings", "MME", "DE mg", "ACB", "Flags"], rows,
                    [10, 3, 4, 12, 6, 5, 3, 19]))
        unlisted = 0
        for rec in panel_records(result):
            if rec["age_conflict"]:
                print(f"{rec['patient_id']}: {rec['age_conflict']}")
            if rec["not_screened"]:
                unlisted += len(rec["not_screened"])
                names = ", ".join(item["drug"] for item in rec["not_screened"])
                print(f"{rec['patient_id']}: not screened ({rec['not_screened'][0]['reason']}): {names}")
        print(f"\n{len(rows)} patients; {result.rows_read} rows read, {len(result.skipped)} skipped"
              + (f", {unlisted} not screened" if unlisted else "") + ". "
              "Findings: CI contraindicated, maj major, mod moderate, min minor.")
    return EXIT_OK


def cmd_formulary(args: argparse.Namespace) -> int:
    """Drugs a name can mean. Exit 1 when the name matches no drug (nothing, or only suggestions)."""
    from regimens.formulary import MatchKind, get_formulary
    from tui.cli.report import match_json, render_matches

    if not args.query.strip():
        raise TaperInputError("the name is empty", field="QUERY")
    found = get_formulary().find(args.query)
    if not found:  # a documented condition, not bad input: the name is simply not one the formulary knows
        print(f"taper: no drug matches {args.query.strip()!r}: it is not a generic, brand or other name in the "
              "formulary, nor part of one", file=sys.stderr)
        if args.json:
            print("[]")
        return EXIT_CONDITION
    if args.json:
        print(json.dumps([match_json(m) for m in found], indent=2))
    else:
        print(render_matches(args.query, found))
    return EXIT_CONDITION if all(m.kind is MatchKind.SUGGESTION for m in found) else EXIT_OK


def is_fhir(source: str) -> bool:
    from regimens.fhir_import import is_fhir_file

    return is_fhir_file(source)


def cmd_new(args: argparse.Namespace) -> int:
    from pydantic import ValidationError

    from regimens.case import Case, Patient, new_patient_id
    from regimens.casefile import format_validation_error, save_case
    from regimens.csv_import import medication_list

    out = Path(args.output)
    if out.exists() and not args.force:
        raise TaperInputError("already exists; choose another name or add --force", file=args.output)
    if args.birth_date is not None and args.birth_date > date.today():
        raise UsageError("--birth-date is in the future")
    sources: list[str] = args.source
    name, birth_date, language = args.name, args.birth_date, args.language
    skipped: list[str] = []
    fhir_id = None
    if any(is_fhir(s) for s in sources):
        from regimens.fhir_import import import_fhir

        if not all(is_fhir(s) for s in sources):
            raise UsageError("--from: give either one medication-list CSV or FHIR files, not both")
        imported = import_fhir(sources, args.patient, today=date.today())
        regimen, notices, skipped = imported.regimen, imported.notices, imported.skipped
        fhir_id, name, birth_date, language = imported.filled(name, birth_date, language)
    else:
        if len(sources) > 1:
            raise UsageError("--from: one medication-list CSV at a time (several --from are for FHIR files)")
        if args.patient:
            raise UsageError("--patient picks a patient in FHIR files; a CSV has one patient")
        regimen, notices = medication_list(sources[0])
    if not name or not name.strip():
        raise UsageError("--name is required (the file has no Patient name)")
    if birth_date is None:
        raise UsageError("--birth-date is required (the file has no Patient birth date)")
    if birth_date > date.today():
        raise UsageError("--birth-date is in the future")
    pid = args.patient_id or new_patient_id(name, birth_date, fhir_id)
    try:
        case = Case(
            patient=Patient(
                id=pid, name=name.strip(), birth_date=birth_date,
                prescriber_phone=args.prescriber_phone, pharmacy_phone=args.pharmacy_phone,
                goals=tuple(args.goal), language=("en" if language is None else language).strip(),
            ),
            regimen=regimen,
        )
    except ValidationError as exc:
        path, msg, _ = format_validation_error(exc)
        raise UsageError(f"--{path.removeprefix('patient.').replace('_', '-')}: {msg}") from None
    if out.exists():  # replacing a case (--force): not while a taper window or command has it open
        from regimens.lock import writing

        with writing(out):
            save_case(case, out, force=args.force)
    else:
        save_case(case, out, force=args.force)
    print(f"Wrote {out} ({len(regimen.medications)} medications for {case.patient.name}).")
    for notice in notices:
        print(f"taper: note: {notice}", file=sys.stderr)
    for line in skipped:
        print(f"taper: skipped: {line}", file=sys.stderr)
    from taper.catalogue import UnknownLanguage, resolve

    try:
        resolve(case.patient.language)
    except UnknownLanguage:
        print(f"Note: taper has no calendar catalogue for {case.patient.language} yet; the calendar and reminders "
              "will print in English.")
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from taper.demo import demo_copy, example_names

    names = example_names()
    if args.list:
        print("\n".join(names))
        return EXIT_OK
    if args.case not in names:
        raise UsageError(f"no example called {args.case!r} (examples: {', '.join(names)})")
    target = demo_copy(args.case)
    if args.print_only:
        print(target)
        return EXIT_OK
    return start_app(target)


def start_app(case_path: Path | None) -> int:
    """The one way from the command line into the Textual app (imported only here, only now)."""
    from tui.app.launch import run_app

    return run_app(case_path)


def cmd_open(args: argparse.Namespace) -> int:
    return start_app(Path(args.case))


COMMANDS = {
    "show": cmd_show,
    "review": cmd_review,
    "panel": cmd_panel,
    "formulary": cmd_formulary,
    "new": cmd_new,
    "demo": cmd_demo,
    "open": cmd_open,
    "plan": lambda args: _plan_command("cmd_plan", args),
    "schedule": lambda args: _plan_command("cmd_schedule", args),
    "export": lambda args: _export_command(args),
    "checkin": lambda args: _checkin_command(args),
}


def _checkin_command(args: argparse.Namespace) -> int:
    from tui.cli.checkin import cmd_checkin

    return cmd_checkin(args)


def _export_command(args: argparse.Namespace) -> int:
    from tui.cli.export import cmd_export

    return cmd_export(args)


def _plan_command(name: str, args: argparse.Namespace) -> int:
    from tui.cli import plan as plan_cli

    result: int = getattr(plan_cli, name)(args)
    return result


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``taper`` console script."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    command = next((a for a in args_list if not a.startswith("-")), None)
    parser = build_parser(command if command in SUBCOMMANDS else None)
    try:
        args = parser.parse_args(args_list)
        if args.command is None:
            return start_app(None)
        return COMMANDS[args.command](args)
    except TaperInputError as exc:
        print(f"taper: {exc.render()}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("taper: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"taper: {where}{exc.strerror or exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as exc:  # noqa: BLE001 - the user gets one line, never a traceback
        if os.environ.get("TAPER_DEBUG"):
            raise
        print(f"taper: internal error ({type(exc).__name__}: {exc}). Nothing was changed. "
              "Set TAPER_DEBUG=1 to see the details.", file=sys.stderr)
        return EXIT_CONDITION


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
