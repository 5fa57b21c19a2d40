"""`taper checkin`: record what the patient reports at a follow-up, show the trend and the suggestion."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from regimens.datefmt import parse_iso_date
from tui.cli.common import UsageError

SCORES = ("pain", "enjoyment", "activity", "sleep", "goal", "withdrawal", "walk_minutes", "phq2", "gad2",
          "self_harm", "note")


def _whole(low: int, high: int) -> Callable[[str], int]:
    def whole(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{value} is outside {low}-{high}")
        return value

    return whole


def _score(text: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not value.is_finite() or value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a score of 0 or more")
    return value


def _yes_no(text: str) -> bool:
    answer = text.strip().lower()
    if answer not in ("yes", "no"):
        raise argparse.ArgumentTypeError(f"{text!r}: answer yes or no")
    return answer == "yes"


def _day(text: str) -> date:
    try:
        return parse_iso_date(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_checkin_parser(sub: Any) -> None:
    p = sub.add_parser(
        "checkin", help="record a check-in (the three anchors, withdrawal, mood) and see the trend",
        description="Record what the patient reports at a follow-up in CASE (the case is locked and saved "
        "atomically), print the trend since the last dose step and what the plan's rules suggest: hold, slow, "
        "review with the prescriber, or urgent. Suggestions never change the plan alone: --accept takes a hold "
        "or slow suggestion into the plan, the check-in as its reason. With --accept and no scores, the "
        "suggestion of the check-in already saved on --date is accepted.")
    p.add_argument("case", help="case file (.json)")
    p.add_argument("--date", required=True, type=_day, help="day of the check-in (YYYY-MM-DD)")
    ten = _whole(0, 10)
    six = _whole(0, 6)
    p.add_argument("--pain", type=ten, help="PEG 1: average pain in the past week, 0-10")
    p.add_argument("--enjoyment", type=ten, help="PEG 2: pain's interference with enjoyment of life, 0-10")
    p.add_argument("--activity", type=ten, help="PEG 3: pain's interference with general activity, 0-10")
    p.add_argument("--sleep", type=ten, help="sleep quality over the past 7 days, 0 terrible - 10 excellent")
    p.add_argument("--goal", type=ten, help="progress on the patient's own goal, 0-10")
    p.add_argument("--withdrawal", type=_score, help="withdrawal score (0-10 self-rating unless --withdrawal-scale)")
    p.add_argument("--withdrawal-scale", choices=("self-0-10", "SOWS", "CIWA-B"), default="self-0-10",
                   help="scale of --withdrawal (SOWS 0-64, CIWA-B 0-80)")
    p.add_argument("--walk-minutes", type=_whole(0, 1440), help="minutes walked on a typical day this week")
    p.add_argument("--phq2", type=six, help="PHQ-2 total, 0-6")
    p.add_argument("--gad2", type=six, help="GAD-2 total, 0-6")
    p.add_argument("--self-harm", type=_yes_no, metavar="yes|no", help="the answer to the self-harm question")
    p.add_argument("--note", help="anything else, in your words")
    p.add_argument("--by", default="", help="who recorded the check-in")
    p.add_argument("--plan", help="id of the plan the check-in concerns (default: the plan whose step came last)")
    p.add_argument("--accept", action="store_true", help="accept a hold or slow suggestion into the plan")
    p.add_argument("--json", action="store_true", help="JSON on stdout")


def cmd_checkin(args: argparse.Namespace) -> int:
    """Record (and with --accept, act on) a check-in, holding the case's lock from reading to writing."""
    from regimens.lock import writing

    path = Path(args.case)
    if not path.is_file():
        from regimens.errors import TaperInputError

        raise TaperInputError("no such case file", file=args.case)
    with writing(path):
        return _checkin(args, path)


def _checkin(args: argparse.Namespace, path: Path) -> int:
    from pydantic import ValidationError

    from regimens.casefile import format_validation_error, load_case, save_case
    from regimens.checkin import CheckIn
    from taper.adapters import case_schedules
    from taper.checkins import AcceptError, accept, suggest, trend_lines, with_checkin
    from taper.schedule import PlanError

    case = load_case(path, today=date.today())
    if args.plan is not None and args.plan not in {p.id for p in case.plans}:
        known = ", ".join(p.id for p in case.plans) or "none"
        raise UsageError(f"--plan {args.plan}: the case has no such plan (plans: {known})")
    given = {name: getattr(args, name) for name in SCORES if getattr(args, name) is not None}
    try:
        schedules = case_schedules(case)
    except PlanError as exc:
        raise UsageError(f"the case's plans cannot be scheduled: {exc}") from None
    if not given and args.accept:
        same_day = [c for c in case.checkins if c.on == args.date and (args.plan is None or c.plan_id in
                                                                         (None, args.plan))]
        if not same_day:
            raise UsageError(f"--accept with no scores accepts the check-in of --date, but there is none on "
                             f"{args.date.isoformat()}")
        checkin = same_day[-1]
        recorded = False
    else:
        if not given:
            raise UsageError("give at least one score or answer (--pain, --sleep, --withdrawal, ...) or a --note")
        try:
            checkin = CheckIn(on=args.date, recorded_by=args.by, plan_id=args.plan,
                              withdrawal_scale=args.withdrawal_scale, **given)
        except ValidationError as exc:
            where, msg, _ = format_validation_error(exc)
            raise UsageError(f"--{where.replace('_', '-') or 'withdrawal'}: {msg}") from None
        case = with_checkin(case, checkin)
        recorded = True
    suggestion = suggest(case, checkin, schedules)
    accepted = False
    if args.accept:
        if suggestion is None:
            raise UsageError("--accept: the rules suggest nothing for this check-in (the course is steady); "
                             "nothing was saved")
        try:
            case = accept(case, checkin, suggestion, schedules)
        except AcceptError as exc:
            raise UsageError(f"--accept: {exc}; nothing was saved") from None
        accepted = True
    if recorded or accepted:
        save_case(case, path)
    saved = next(c for c in reversed(case.checkins) if c.on == checkin.on)
    if args.json:
        out = {"checkin": {**json.loads(saved.model_dump_json()), "peg": _num(saved.peg),
                           "withdrawal": _num(saved.withdrawal)},
               "suggestion": suggestion.as_json() if suggestion else None, "accepted": accepted,
               "trend": trend_lines(case, saved)}
        print(json.dumps(out, indent=2))
    else:
        _print_text(case, saved, suggestion, accepted, str(path))
    if recorded:
        print(f"Saved the check-in of {checkin.on.isoformat()} in {path}.", file=sys.stderr)
    return 0


def _num(value: Decimal | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _print_text(case: Any, checkin: Any, suggestion: Any, accepted: bool, path: str) -> None:
    from taper.checkins import trend_lines

    if suggestion is not None and suggestion.action == "urgent":
        print(f"URGENT: {suggestion.reason}")
        print()
    for line in trend_lines(case, checkin):
        print(line)
    if suggestion is None:
        print("Steady: nothing in this check-in suggests changing the plan.")
    elif suggestion.action != "urgent":
        print(f"Suggestion ({suggestion.action}, rule {suggestion.rule}): {suggestion.reason}")
        print(f"Source: {suggestion.source}")
        if suggestion.action in ("hold", "slow") and not accepted:
            print(f"Accept it with: taper checkin {path} --date {checkin.on.isoformat()} --accept")
    if accepted:
        what = "a hold" if suggestion.action == "hold" else "a slower pace"
        print(f"Accepted: plan {suggestion.plan} now has {what}; later steps are re-dated.")
