"""`taper plan` and `taper schedule`: build, show and save taper schedules from the command line."""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import date
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from typing import Any

from regimens.datefmt import parse_iso_date
from regimens.errors import TaperInputError

STRATEGIES = ("fixed", "percent-current", "percent-original", "cdc-short", "hyperbolic", "custom")


class UsageError(TaperInputError):
    pass


def _decimal(text: str, what: str) -> Decimal:
    cleaned = re.sub(r"\s*(mg|mcg/hr|mcg)$", "", text.strip(), flags=re.I)
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"{what} {text!r} is not a number") from None
    if not value.is_finite() or value < 0 or value > 1_000_000:
        raise argparse.ArgumentTypeError(f"{what} {text!r} is out of range")
    return value


def dose_arg(text: str) -> Decimal:
    return _decimal(text, "dose")


def percent_arg(text: str) -> Decimal:
    value = _decimal(text.rstrip("%"), "percent")
    if not 0 < value < 100:
        raise argparse.ArgumentTypeError(f"percent {text!r} must be between 0 and 100")
    return value


def every_arg(text: str) -> int:
    """"14d", "2w", "1m" (a month is 28 days, one fill period) or a plain number of days."""
    m = re.fullmatch(r"\s*(\d+)\s*([dwm]?)\s*", text.lower())
    if not m or int(m.group(1)) < 1:
        raise argparse.ArgumentTypeError(f"--every {text!r}: write 14d, 2w or 1m")
    days = int(m.group(1)) * {"": 1, "d": 1, "w": 7, "m": 28}[m.group(2)]
    if days > 3650:
        raise argparse.ArgumentTypeError(f"--every {text!r} is too long")
    return days


def date_arg(text: str) -> date:
    try:
        return parse_iso_date(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def pause_arg(text: str) -> tuple[date, int, str]:
    parts = text.split(":", 2)
    if len(parts) < 2:
        raise argparse.ArgumentTypeError(f"--pause {text!r}: write YYYY-MM-DD:DAYS[:REASON]")
    day = date_arg(parts[0])
    if not parts[1].isdigit() or not 1 <= int(parts[1]) <= 3650:
        raise argparse.ArgumentTypeError(f"--pause {text!r}: DAYS must be a whole number from 1 to 3650")
    return day, int(parts[1]), parts[2] if len(parts) == 3 else ""


def setback_arg(text: str) -> tuple[date, int, Decimal]:
    """DATE[:HOLD_DAYS[:FRACTION]]: back to the last tolerated dose, hold, then smaller steps."""
    parts = text.split(":")
    day = date_arg(parts[0])
    hold = parts[1] if len(parts) > 1 and parts[1] else "14"
    if not hold.isdigit() or not 1 <= int(hold) <= 3650:
        raise argparse.ArgumentTypeError(f"--setback {text!r}: HOLD_DAYS must be a whole number from 1 to 3650")
    fraction = _decimal(parts[2], "fraction") if len(parts) > 2 and parts[2] else Decimal("0.5")
    if not 0 < fraction <= 1:
        raise argparse.ArgumentTypeError(f"--setback {text!r}: FRACTION must be more than 0 and at most 1")
    return day, int(hold), fraction


def support_arg(text: str) -> tuple[str, int | None, Decimal | None]:
    """ID[:WEEKS[:BASELINE]], e.g. graded-walking:12:10."""
    parts = text.split(":")
    weeks = parts[1] if len(parts) > 1 and parts[1] else None
    if weeks is not None and (not weeks.isdigit() or not 1 <= int(weeks) <= 520):
        raise argparse.ArgumentTypeError(f"--support {text!r}: WEEKS must be a whole number from 1 to 520")
    baseline = _decimal(parts[2], "baseline") if len(parts) > 2 and parts[2] else None
    return parts[0], int(weeks) if weeks else None, baseline


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
    from regimens.casejson import is_csv

    path = Path(args.file)
    if not path.exists():
        raise TaperInputError("no such file", file=args.file)
    csv = is_csv(path)
    if args.save and csv:
        raise UsageError("--save needs a case file; create one with 'taper new' first")
    if csv:
        return _plan_from_csv(args, path)
    from pydantic import ValidationError

    from regimens.case import Override, Pause, TaperPlan
    from regimens.casefile import format_validation_error, load_case, save_case
    from regimens.formulary import get_formulary
    from taper.adapters import plan_input
    from taper.schedule import PlanError, build_schedule
    from taper.strategies import StrategyError
    from tui.plan_form import case_with_plan, current_dose, dose_unit, medications_of

    case = load_case(path, today=date.today())
    regimen = case.regimen
    match = get_formulary().lookup(args.drug)
    if match is None:
        raise UsageError(get_formulary().unknown_message(args.drug).replace("is not", "(--drug) is not"))
    drug = match.drug.ingredients[0] if match.drug.is_combination else match.drug.name
    meds = medications_of(regimen, drug)
    if not meds:
        raise UsageError(f"--drug {args.drug}: the regimen has no scheduled {drug}")
    plan_id = f"{drug}-plan"
    doses: tuple[Decimal, ...] = ()
    if args.doses:
        try:
            doses = tuple(dose_arg(d) for d in args.doses.split(","))
        except argparse.ArgumentTypeError as exc:
            raise UsageError(f"--doses: {exc}") from None
    pauses = tuple(Pause(days=days, start=day, reason=reason) for day, days, reason in args.pause)
    from regimens.case import Setback, SupportUse
    from taper.supports import support

    for support_id, _, _ in args.support:
        try:
            support(support_id)
        except KeyError as exc:
            raise UsageError(f"--support: {exc.args[0]}") from None
    setbacks = tuple(Setback(on=day, hold_days=hold, step_fraction=fraction) for day, hold, fraction in args.setback)
    supports = tuple(SupportUse(support=sid, start=args.start or date.today(), weeks=weeks, baseline=baseline)
                     for sid, weeks, baseline in args.support)
    overrides = (Override(step=0, rule="*", reason=args.override, recorded_on=date.today()),) if args.override else ()
    try:
        plan = TaperPlan(
            id=plan_id, medication_ids=tuple(m.id for m in meds), drug=drug,
            start_dose=args.start_dose if args.start_dose is not None else current_dose(regimen, drug),
            dose_unit=dose_unit(regimen, drug),
            target_dose=args.target, start_date=args.start or date.today(), interval_days=args.every,
            strategy=args.strategy, amount=args.amount, percent=args.percent, steps=args.steps,
            emax_percent=args.emax, ed50=args.ed50, custom_doses=doses,
            slowdown_below=args.slowdown_below,
            slowdown_factor=args.slowdown_factor / 100 if args.slowdown_factor is not None else None,
            product_ids=tuple(p.strip() for p in args.products.split(",")) if args.products else (),
            rule_set=args.rule_set, pauses=pauses, overrides=overrides, setbacks=setbacks, supports=supports,
        )
    except ValidationError as exc:
        where, msg, _ = format_validation_error(exc)
        raise UsageError(f"{where.replace('_', '-')}: {msg}") from None
    try:
        schedule = build_schedule(plan_input(regimen, plan))
    except (PlanError, StrategyError) as exc:
        raise UsageError(str(exc)) from None
    _print_schedule(args, schedule)
    if args.save:
        from tui.lock import holder

        other = holder(path)
        if other is not None:
            raise TaperInputError(f"is open in a taper window (process {other.pid}); close it there first, "
                                  "so neither save loses the other's changes (nothing was saved)", file=str(path))

        save_case(case_with_plan(case, plan), path)
        print(f"Saved plan {plan.id} in {path}.", file=sys.stderr)
    return 0


def _print_schedule(args: argparse.Namespace, schedule: Any) -> None:
    if args.json:
        from taper.outputs import schedule_json

        print(json.dumps(schedule_json(schedule), indent=2, ensure_ascii=False))
    else:
        from tui.plan_text import render_schedule

        sys.stdout.write(render_schedule(schedule))


def _fraction(value: Decimal | None) -> Fraction | None:
    return None if value is None else Fraction(value)


def _plan_from_csv(args: argparse.Namespace, path: Path) -> int:
    """The fast path: a medication-list CSV to a schedule without building pydantic models."""
    from regimens.csv_rows import rows_from_csv
    from regimens.formulary import get_formulary
    from taper.inputs import hyperbolic_defaults, products_like, slots_of, unit_of
    from taper.schedule import PauseIn, PlanError, PlanInput, SetbackIn, build_schedule
    from taper.strategies import StrategyError, StrategySpec

    rows = rows_from_csv(path)
    formulary = get_formulary()
    match = formulary.lookup(args.drug)
    if match is None:
        raise UsageError(formulary.unknown_message(args.drug).replace("is not", "(--drug) is not"))
    drug = match.drug.ingredients[0] if match.drug.is_combination else match.drug.name
    lines = [r for r in rows if not r.prn and any(i.drug == drug for i in r.product.ingredients)]
    if not lines:
        raise UsageError(f"--drug {args.drug}: the list has no scheduled {drug}")
    chosen = tuple(p.strip() for p in args.products.split(",")) if args.products else ()
    doses: tuple[Fraction, ...] = ()
    if args.doses:
        try:
            doses = tuple(Fraction(dose_arg(d)) for d in args.doses.split(","))
        except argparse.ArgumentTypeError as exc:
            raise UsageError(f"--doses: {exc}") from None
    try:
        units = tuple(unit_of(p, drug) for p in products_like([r.product for r in lines], drug, chosen))
        slots, patch_hours = slots_of(lines)
        start = (Fraction(args.start_dose) if args.start_dose is not None else
                 sum((a.amount for r in lines for a in r.ingredient_amounts() if a.drug == drug), Fraction(0)))
        if Fraction(args.target) > start:
            raise UsageError("--target is above the current daily dose")
        emax, ed50 = _fraction(args.emax), _fraction(args.ed50)
        if args.strategy == "hyperbolic" and (emax is None or ed50 is None):
            emax, ed50 = hyperbolic_defaults(drug)
        spec = StrategySpec(args.strategy, start, Fraction(args.target), _fraction(args.amount),
                            _fraction(args.percent), args.steps, emax, ed50, doses,
                            _fraction(args.slowdown_below),
                            Fraction(args.slowdown_factor) / 100 if args.slowdown_factor is not None else None)
        plan = PlanInput(
            plan_id=f"{drug}-plan", drug=drug, classes=formulary.classes_of(drug),
            unit="mcg/hr" if slots == ("patch",) else "mg", units=units, slots=slots, strategy=spec,
            start_date=args.start or date.today(), interval_days=args.every,
            pauses=tuple(PauseIn(days, start=day, reason=reason) for day, days, reason in args.pause),
            setbacks=tuple(SetbackIn(day, hold, Fraction(fraction)) for day, hold, fraction in args.setback),
            overrides=((None, None, args.override),) if args.override else (), rule_set=args.rule_set,
            patch_interval_hours=patch_hours,
        )
        schedule = build_schedule(plan)
    except (PlanError, StrategyError) as exc:
        raise UsageError(str(exc)) from None
    _print_schedule(args, schedule)
    return 0


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
        from tui.plan_text import render_schedule

        for s in schedules:
            sys.stdout.write(render_schedule(s))
            sys.stdout.write("\n")
        for line in overlaps:
            print(f"WARNING: {line}")
    return 0

