"""`taper plan` and `taper schedule`: build, show and save taper schedules from the command line."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from regimens.errors import TaperInputError
from taper import plan_values
from taper.plan_values import STRATEGIES
from tui.cli.common import UsageError


def _arg(parse: Callable[[str], Any]) -> Callable[[str], Any]:
    """An argparse type from a plain parser (its ValueError message becomes argparse's)."""

    def convert(text: str) -> Any:
        try:
            return parse(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    convert.__name__ = parse.__name__.removeprefix("parse_")
    return convert


dose_arg = _arg(plan_values.parse_dose)
percent_arg = _arg(plan_values.parse_percent)
every_arg = _arg(plan_values.parse_every)
date_arg = _arg(plan_values.parse_date)
pause_arg = _arg(plan_values.parse_pause)
setback_arg = _arg(plan_values.parse_setback)
support_arg = _arg(plan_values.parse_support)


def add_plan_parser(sub: Any) -> None:
    p = sub.add_parser("plan", help="build a taper schedule for one drug",
                       description="Build a taper for one drug of the regimen in FILE (a case file or a "
                       "medication-list CSV), rounded to real products and checked against the guideline "
                       "for the drug's class.")
    p.add_argument("file", help="case file (.json) or medication list (.csv)")
    p.add_argument("--drug", required=True, help="generic or brand name of the drug to taper")
    p.add_argument("--strategy", required=True, choices=STRATEGIES)
    p.add_argument("--amount", type=dose_arg, help="fixed: amount cut each step (mg)")
    p.add_argument("--percent", type=percent_arg, help="percent strategies: percent cut each step")
    p.add_argument("--steps", type=int, help="hyperbolic: number of equal occupancy steps")
    p.add_argument("--doses", help="custom: daily doses of the steps, e.g. 25,20,15,10,5,0")
    p.add_argument("--every", type=every_arg, default=28, help="time between steps: 14d, 2w, 1m (28 days)")
    p.add_argument("--target", type=dose_arg, default=Decimal(0), help="target daily dose (default 0: stop)")
    p.add_argument("--start-dose", type=dose_arg, help="current daily dose (default: from the regimen)")
    p.add_argument("--start", type=date_arg, help="first day of step 1 (default: today)")
    p.add_argument("--pause", type=pause_arg, action="append", default=[], metavar="DATE:DAYS[:REASON]",
                   help="hold the dose in effect for DAYS from DATE (repeat for several)")
    p.add_argument("--setback", type=setback_arg, action="append", default=[], metavar="DATE[:DAYS[:FRACTION]]",
                   help="from DATE go back to the last tolerated dose for DAYS (14), then steps of FRACTION (0.5)")
    p.add_argument("--support", type=support_arg, action="append", default=[], metavar="ID[:WEEKS[:BASELINE]]",
                   help="put a non-drug support on the calendar from the plan's start (e.g. graded-walking:12:10; "
                   "ids: sleep-routine, paced-breathing, graded-walking, pacing, heat, topical, cbt-act, mindfulness)")
    p.add_argument("--products", help="product ids to build doses from, comma-separated (see 'taper formulary')")
    p.add_argument("--keep-products", action="store_true",
                   help="keep to the products taken now to the end (by default a modified-release product's "
                   "tail moves to immediate-release tablets, or a liquid, when it cannot make a step)")
    p.add_argument("--rule-set", help="guideline rule set (default: the drug class's)")
    p.add_argument("--slowdown-below", type=dose_arg, help="below this daily dose, cut more slowly")
    p.add_argument("--slowdown-factor", type=percent_arg, help="percent of the usual cut used below it")
    p.add_argument("--emax", type=dose_arg, help="hyperbolic: Emax in percent (default: table value)")
    p.add_argument("--ed50", type=dose_arg, help="hyperbolic: ED50 in mg (default: table value)")
    p.add_argument("--override", metavar="REASON", help="accept the guideline warnings, with the reason recorded")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--save", action="store_true", help="save the plan into the case file")


def add_schedule_parser(sub: Any) -> None:
    p = sub.add_parser("schedule", help="show every plan of a case",
                       description="Show the schedules of every taper plan saved in CASE, in order.")
    p.add_argument("case", help="case file (.json)")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="JSON on stdout")
    out.add_argument("--csv", action="store_true", help="one row per day and drug on stdout")


def cmd_plan(args: argparse.Namespace) -> int:
    """Build (and with --save, keep) a plan; a save holds the case's lock from reading to writing."""
    from regimens.loading import is_csv

    path = Path(args.file)
    if not (args.save and path.is_file() and not is_csv(path)):
        return _plan(args)
    from regimens.lock import writing

    with writing(path):
        return _plan(args)


def _plan(args: argparse.Namespace) -> int:
    from pydantic import ValidationError

    from regimens.case import Override, Pause, Setback, SupportUse, TaperPlan
    from regimens.casefile import format_validation_error, save_case
    from regimens.formulary import get_formulary
    from regimens.loading import load_regimen_file
    from taper.adapters import plan_input
    from taper.plan_fields import case_with_plan, current_dose, dose_unit, medications_of
    from taper.schedule import PlanError, build_schedule
    from taper.strategies import StrategyError
    from taper.supports import support

    path = Path(args.file)
    today = date.today()
    loaded = load_regimen_file(path, today=today)
    if args.save and loaded.case is None:
        raise UsageError("--save needs a case file; create one with 'taper new' first")
    regimen = loaded.regimen
    match = get_formulary().lookup(args.drug)
    if match is None:
        raise UsageError(get_formulary().unknown_message(args.drug).replace("is not", "(--drug) is not"))
    drug = match.drug.ingredients[0] if match.drug.is_combination else match.drug.name
    meds = medications_of(regimen, drug)
    if not meds:
        raise UsageError(f"--drug {args.drug}: the {'regimen' if loaded.case else 'list'} has no scheduled {drug}")
    doses: tuple[Decimal, ...] = ()
    if args.doses:
        try:
            doses = tuple(dose_arg(d) for d in args.doses.split(","))
        except argparse.ArgumentTypeError as exc:
            raise UsageError(f"--doses: {exc}") from None
    for support_id, _, _ in args.support:
        try:
            support(support_id)
        except KeyError as exc:
            raise UsageError(f"--support: {exc.args[0]}") from None
    start = args.start or today
    start_dose = args.start_dose if args.start_dose is not None else current_dose(regimen, drug)
    if args.target > start_dose:
        raise UsageError("--target is above the current daily dose")
    try:
        plan = TaperPlan(
            id=f"{drug}-plan", medication_ids=tuple(m.id for m in meds), drug=drug,
            start_dose=start_dose,
            dose_unit=dose_unit(regimen, drug),
            target_dose=args.target, start_date=start, interval_days=args.every,
            strategy=args.strategy, amount=args.amount, percent=args.percent, steps=args.steps,
            emax_percent=args.emax, ed50=args.ed50, custom_doses=doses,
            slowdown_below=args.slowdown_below,
            slowdown_factor=args.slowdown_factor / 100 if args.slowdown_factor is not None else None,
            product_ids=tuple(p.strip() for p in args.products.split(",")) if args.products else (),
            keep_products=args.keep_products,
            rule_set=args.rule_set,
            pauses=tuple(Pause(days=days, start=day, reason=reason) for day, days, reason in args.pause),
            overrides=(Override(step=0, rule="*", reason=args.override, recorded_on=today),) if args.override else (),
            setbacks=tuple(Setback(on=day, hold_days=hold, step_fraction=fraction)
                           for day, hold, fraction in args.setback),
            supports=tuple(SupportUse(support=sid, start=start, weeks=weeks, baseline=baseline)
                           for sid, weeks, baseline in args.support),
        )
    except ValidationError as exc:
        where, msg, _ = format_validation_error(exc)
        raise UsageError(f"{where.replace('_', '-')}: {msg}") from None
    try:
        schedule = build_schedule(plan_input(regimen, plan, clinic_days=loaded.case.clinic_days)
                                  if loaded.case else plan_input(regimen, plan))
    except (PlanError, StrategyError) as exc:
        raise UsageError(str(exc)) from None
    _print_schedule(args, schedule)
    if args.save:
        assert loaded.case is not None
        save_case(case_with_plan(loaded.case, plan), path)
        print(f"Saved plan {plan.id} in {path}.", file=sys.stderr)
    return 0


def _print_schedule(args: argparse.Namespace, schedule: Any) -> None:
    if args.json:
        from taper.outputs import schedule_json

        print(json.dumps(schedule_json(schedule), indent=2, ensure_ascii=False))
    else:
        from tui.cli.plan_text import render_schedule

        sys.stdout.write(render_schedule(schedule))


def cmd_schedule(args: argparse.Namespace) -> int:
    from regimens.casefile import load_case
    from taper.adapters import case_schedules, same_week_changes
    from taper.schedule import PlanError

    case = load_case(args.case, today=date.today())
    if not case.plans:
        raise TaperInputError("has no taper plans yet (add one with 'taper plan CASE ... --save')", file=args.case)
    try:
        schedules = case_schedules(case)
    except PlanError as exc:
        raise TaperInputError(str(exc), file=args.case) from None
    overlaps = same_week_changes(schedules)
    if args.json:
        from taper.outputs import schedule_json

        print(json.dumps({"plans": [schedule_json(s) for s in schedules], "sequencing_warnings": overlaps},
                         indent=2, ensure_ascii=False))
    elif args.csv:
        from taper.outputs import daily_csv

        sys.stdout.write(daily_csv(schedules))
    else:
        from tui.cli.plan_text import render_schedule

        for s in schedules:
            sys.stdout.write(render_schedule(s))
            sys.stdout.write("\n")
        for line in overlaps:
            print(f"WARNING: {line}")
    return 0

