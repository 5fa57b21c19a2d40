"""The taper builder's fields, read into a validated TaperPlan (and its parts) with errors per field.

No Textual here: the builder screen and its dialogs hand over the text the pharmacist typed (read
with :mod:`taper.plan_values`, as the command line reads its options) and show the errors this
module returns next to each field, so the rules are tested without a screen.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from pydantic import BaseModel, ValidationError

from regimens.case import Case, FollowUp, Override, Pause, Setback, SupportUse, TaperPlan
from regimens.plain_errors import excerpt, plain_message
from regimens.regimen import Medication, Regimen
from taper.plan_values import LONG_PAUSE_DAYS, parse_date, parse_dose, parse_every, parse_percent

Errors = dict[str, str]

# Which parameter field each strategy needs (the others are hidden).
STRATEGY_FIELDS = {
    "fixed": ("amount",),
    "percent-current": ("percent",),
    "percent-original": ("percent",),
    "cdc-short": ("percent",),
    "hyperbolic": ("steps",),
    "custom": ("doses",),
}
STRATEGY_LABELS = {
    "percent-current": "Percent of the current dose",
    "percent-original": "Percent of the original dose",
    "fixed": "Fixed amount",
    "cdc-short": "CDC: 10% of original, then of current",
    "hyperbolic": "Hyperbolic (equal occupancy steps)",
    "custom": "Custom doses",
}
# Model field -> form field, for errors the model raises.
MODEL_FIELDS = {
    "amount": "amount", "percent": "percent", "steps": "steps", "custom_doses": "doses",
    "interval_days": "every", "target_dose": "target", "start_dose": "start-dose", "start_date": "start",
    "follows_gap_days": "gap", "days": "days", "start": "start", "after_step": "after-step", "reason": "reason",
    "on": "on", "hold_days": "hold", "step_fraction": "fraction", "weeks": "weeks", "baseline": "baseline",
    "support": "support", "kind": "kind", "note": "note",
}


@dataclass(frozen=True)
class PlanItems:
    """Everything on a plan besides the strategy: kept as models, edited through dialogs."""

    pauses: tuple[Pause, ...] = ()
    setbacks: tuple[Setback, ...] = ()
    supports: tuple[SupportUse, ...] = ()
    follow_ups: tuple[FollowUp, ...] = ()
    overrides: tuple[Override, ...] = ()

    @classmethod
    def of(cls, plan: TaperPlan) -> PlanItems:
        return cls(plan.pauses, plan.setbacks, plan.supports, plan.follow_ups, plan.overrides)

    def rows(self) -> list[tuple[str, int, str]]:
        """(kind, index, description) of every item, for the builder's list."""
        out = [("pause", i, pause_text(p)) for i, p in enumerate(self.pauses)]
        out += [("setback", i, f"{s.on.isoformat()}: back to the last tolerated dose for {s.hold_days} days, "
                 f"then steps {_num(Decimal(s.step_fraction) * 100)}% the size") for i, s in enumerate(self.setbacks)]
        out += [("support", i, support_text(s)) for i, s in enumerate(self.supports)]
        out += [("follow-up", i, f"{f.on.isoformat()} {f.kind}" + (f": {f.note}" if f.note else ""))
                for i, f in enumerate(self.follow_ups)]
        out += [("override", i, f"step {o.step or 'any'}, {o.rule if o.rule != '*' else 'every rule'}: {o.reason}")
                for i, o in enumerate(self.overrides)]
        return out

    def replace(self, kind: str, index: int | None, item: BaseModel | None) -> PlanItems:
        """A copy with item ``index`` of ``kind`` replaced (None index: appended; None item: removed)."""
        name = {"pause": "pauses", "setback": "setbacks", "support": "supports", "follow-up": "follow_ups",
                "override": "overrides"}[kind]
        items = list(getattr(self, name))
        if index is None:
            assert item is not None
            items.append(item)
        elif item is None:
            del items[index]
        else:
            items[index] = item
        if kind == "follow-up":
            items.sort(key=lambda f: f.on)
        return PlanItems(**{**self.__dict__, name: tuple(items)})

    def get(self, kind: str, index: int) -> BaseModel:
        name = {"pause": "pauses", "setback": "setbacks", "support": "supports", "follow-up": "follow_ups",
                "override": "overrides"}[kind]
        item: BaseModel = getattr(self, name)[index]
        return item


def _num(value: Decimal | Fraction | int) -> str:
    from regimens.quantity import format_number

    return format_number(value)


def pause_text(p: Pause) -> str:
    when = p.start.isoformat() if p.start else f"after step {p.after_step}"
    reason = f": {p.reason}" if p.reason else ""
    hidden = " (reason not printed)" if p.reason and not p.show_reason else ""
    return f"{when}, hold {p.days} days{reason}{hidden}"


def support_text(s: SupportUse) -> str:
    parts = [s.support]
    if s.start:
        parts.append(f"from {s.start.isoformat()}")
    if s.weeks:
        parts.append(f"{s.weeks} weeks")
    if s.baseline is not None:
        parts.append(f"starting at {_num(s.baseline)}")
    return ", ".join(parts)


def taperable_drugs(regimen: Regimen) -> list[str]:
    """Drugs with a scheduled (not as-needed) medication, in list order."""
    out: list[str] = []
    for med in regimen.medications:
        if med.prn:
            continue
        for name in med.ingredient_names():
            if name not in out:
                out.append(name)
    return out


def medications_of(regimen: Regimen, drug: str) -> list[Medication]:
    return [m for m in regimen.medications if not m.prn and drug in m.ingredient_names()]


def current_dose(regimen: Regimen, drug: str) -> Decimal:
    total = Fraction(0)
    for med in medications_of(regimen, drug):
        for a in med.ingredient_amounts():
            if a.drug == drug:
                total += a.amount
    return Decimal(total.numerator) / Decimal(total.denominator)


def dose_unit(regimen: Regimen, drug: str) -> str:
    return "mcg/hr" if any(m.is_patch for m in medications_of(regimen, drug)) else "mg"


def new_plan_id(case: Case, drug: str) -> str:
    used = {p.id for p in case.plans}
    base = f"{drug}-plan"
    return next(i for i in [base, *(f"{base}-{n}" for n in range(2, len(used) + 3))] if i not in used)


def fields_of_plan(plan: TaperPlan) -> dict[str, str]:
    """The form's text for a saved plan (the reverse of :func:`plan_from_fields`)."""

    def text(value: Decimal | int | None) -> str:
        return "" if value is None else _num(value)

    return {
        "drug": plan.drug, "strategy": plan.strategy, "amount": text(plan.amount), "percent": text(plan.percent),
        "steps": text(plan.steps), "doses": ", ".join(_num(d) for d in plan.custom_doses),
        "every": str(plan.interval_days), "start-dose": text(plan.start_dose), "target": text(plan.target_dose),
        "start": plan.start_date.isoformat() if plan.start_date else "", "follows": plan.follows or "",
        "gap": str(plan.follows_gap_days), "products": "keep" if plan.keep_products else "switch",
    }


def default_fields(case: Case, drug: str, today: date) -> dict[str, str]:
    return {
        "drug": drug, "strategy": "percent-current", "amount": "", "percent": "10", "steps": "10", "doses": "",
        "every": "28", "start-dose": _num(current_dose(case.regimen, drug)), "target": "0",
        "start": today.isoformat(), "follows": "", "gap": "7", "products": "switch",
    }


def _parse(errors: Errors, field: str, text: str, parse: Callable[[str], Any]) -> Any:
    text = text.strip()
    if not text:
        return None
    try:
        return parse(text)
    except ValueError as exc:
        errors[field] = str(exc)
        return None


def _whole(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        if not text.isdigit() or not low <= int(text) <= high:
            raise ValueError(f"{excerpt(text)}: a whole number from {low} to {high}")
        return int(text)
    return parse


def _model_errors(exc: ValidationError, default: str) -> Errors:
    errors: Errors = {}
    for error in exc.errors():
        loc = error["loc"][0] if error["loc"] else ""
        field = MODEL_FIELDS.get(str(loc), default)
        errors.setdefault(field, plain_message(error))
    return errors


def plan_from_fields(case: Case, plan_id: str, fields: Mapping[str, str], items: PlanItems
                     ) -> tuple[TaperPlan | None, Errors]:
    """A validated plan from the builder's fields, or None and a message for each field that is wrong."""
    errors: Errors = {}
    drug = fields.get("drug", "")
    meds = medications_of(case.regimen, drug)
    if not meds:
        return None, {"drug": "Choose a drug the patient takes on a schedule."}
    taken = next((p.id for p in case.plans if p.id != plan_id and set(p.medication_ids) & {m.id for m in meds}),
                 None)
    if taken is not None:
        return None, {"drug": f"Plan {taken} already tapers {drug}; change that plan instead."}
    strategy = fields.get("strategy", "")
    if strategy not in STRATEGY_FIELDS:
        return None, {"strategy": "Choose a strategy."}
    needed = STRATEGY_FIELDS[strategy]
    values: dict[str, Any] = {}
    if "amount" in needed:
        values["amount"] = _parse(errors, "amount", fields.get("amount", ""), parse_dose)
        if values["amount"] is None and "amount" not in errors:
            errors["amount"] = "How much to cut each step."
    if "percent" in needed:
        values["percent"] = _parse(errors, "percent", fields.get("percent", ""), parse_percent)
        if values["percent"] is None and "percent" not in errors:
            errors["percent"] = "The percent cut each step, e.g. 10."
    if "steps" in needed:
        values["steps"] = _parse(errors, "steps", fields.get("steps", ""), _whole(1, 200))
        if values["steps"] is None and "steps" not in errors:
            errors["steps"] = "How many steps, e.g. 10."
    if "doses" in needed:
        doses = [_parse(errors, "doses", d, parse_dose) for d in fields.get("doses", "").split(",") if d.strip()]
        if not doses and "doses" not in errors:
            errors["doses"] = "The daily dose of each step, e.g. 25, 20, 15, 10, 5, 0."
        values["custom_doses"] = tuple(doses)
    interval = _parse(errors, "every", fields.get("every", ""), parse_every)
    if interval is None and "every" not in errors:
        errors["every"] = "Days between steps, e.g. 28, 2w or 1m."
    start_dose = _parse(errors, "start-dose", fields.get("start-dose", ""), parse_dose)
    if start_dose is None and "start-dose" not in errors:
        errors["start-dose"] = "The current daily dose."
    target = _parse(errors, "target", fields.get("target", "") or "0", parse_dose)
    follows = fields.get("follows", "") or None
    start = gap = None
    if follows is None:
        start = _parse(errors, "start", fields.get("start", ""), parse_date)
        if start is None and "start" not in errors:
            errors["start"] = "The first day of step 1 (YYYY-MM-DD)."
    else:
        gap = _parse(errors, "gap", fields.get("gap", "") or "7", _whole(0, 365))
        if follows == plan_id or follows not in {p.id for p in case.plans}:
            errors["follows"] = "Choose another plan of this case."
    if errors:
        return None, errors
    # What the builder has no field for is kept from the saved plan, never dropped by an edit.
    saved = next((p for p in case.plans if p.id == plan_id and p.drug == drug), None)
    if saved is not None:
        values.update(keep_products=saved.keep_products, product_ids=saved.product_ids, rule_set=saved.rule_set)
    if "products" in fields:  # the builder's choice of products for the tail
        values["keep_products"] = fields["products"] == "keep"
    try:
        plan = TaperPlan(
            id=plan_id, medication_ids=tuple(m.id for m in meds), drug=drug, start_dose=start_dose,
            dose_unit=dose_unit(case.regimen, drug), target_dose=target or Decimal(0), start_date=start,
            follows=follows, follows_gap_days=gap if gap is not None else 7, interval_days=interval,
            strategy=strategy, **values, pauses=items.pauses, setbacks=items.setbacks, overrides=items.overrides,
            supports=items.supports, follow_ups=items.follow_ups,
            revision=next((p.revision for p in case.plans if p.id == plan_id), 0))
    except ValidationError as exc:
        return None, _model_errors(exc, "target")
    return plan, {}


def case_with_plan(case: Case, plan: TaperPlan, replaces: str | None = None) -> Case:
    """The case with ``plan`` added, or in place of plan ``replaces`` (validated as a whole).

    A plan that replaces one with other content gets the next revision, and so does every plan that
    follows it (their dates move with it), so re-exported reminders replace the old events.
    """
    plans = [p.model_dump() for p in case.plans if p.id not in {replaces, plan.id}]
    at = next((i for i, p in enumerate(case.plans) if p.id in {replaces, plan.id}), len(plans))
    old = case.plans[at] if at < len(case.plans) and case.plans[at].id in {replaces, plan.id} else None
    new = plan.model_dump()
    if old is not None:
        changed = _content(old.model_dump()) != _content(new)
        new["revision"] = old.revision + 1 if changed else old.revision
        if changed:
            moved = _followers(plans, {old.id, plan.id})
            plans = [{**p, "revision": p["revision"] + 1} if p["id"] in moved else p for p in plans]
    plans.insert(at, new)
    checkins = [{**c.model_dump(), "plan_id": plan.id} if replaces is not None and c.plan_id == replaces
                else c.model_dump() for c in case.checkins]
    return Case.model_validate({**case.model_dump(), "plans": plans, "checkins": checkins})


def _content(dumped: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in dumped.items() if k != "revision"}


def _followers(plans: list[dict[str, Any]], ids: set[str]) -> set[str]:
    """Ids of the plans that follow one of ``ids``, directly or through others."""
    found: set[str] = set()
    while True:
        more = {p["id"] for p in plans if p["follows"] in ids | found} - found - ids
        if not more:
            return found
        found |= more


def case_without_plan(case: Case, plan_id: str) -> Case:
    """The case without the plan; its check-ins stay, no longer tied to a plan."""
    checkins = [{**c.model_dump(), "plan_id": None} if c.plan_id == plan_id else c.model_dump()
                for c in case.checkins]
    return Case.model_validate({**case.model_dump(), "plans": [p.model_dump() for p in case.plans
                                                                if p.id != plan_id], "checkins": checkins})


# --- the item dialogs' fields ----------------------------------------------------------------------

def _model(cls: type[BaseModel], values: dict[str, Any], default: str) -> tuple[Any, Errors]:
    try:
        return cls(**values), {}
    except ValidationError as exc:
        return None, _model_errors(exc, default)


def pause_from(fields: Mapping[str, str]) -> tuple[Pause | None, Errors]:
    """A pause from a date ("start") or after a step ("after-step"), for some days."""
    errors: Errors = {}
    start = _parse(errors, "start", fields.get("start", ""), parse_date)
    after = _parse(errors, "after-step", fields.get("after-step", ""), _whole(0, 200))
    days = _parse(errors, "days", fields.get("days", ""), _whole(1, 3650))
    if days is None and "days" not in errors:
        errors["days"] = "How many days to hold the dose."
    if start is None and after is None and not errors.keys() & {"start", "after-step"}:
        errors["start"] = "A date, or a step number to pause after."
    if start is not None and after is not None:
        errors["start"] = "A date or a step number, not both."
    if days is not None and days > LONG_PAUSE_DAYS and not fields.get("reason", "").strip():
        errors["reason"] = f"A pause longer than a year ({days} days) needs a reason."
    if errors:
        return None, errors
    return _model(Pause, {"days": days, "start": start, "after_step": after,
                          "reason": fields.get("reason", "").strip(),
                          "show_reason": fields.get("show-reason", "yes") == "yes"}, "start")


def setback_from(fields: Mapping[str, str]) -> tuple[Setback | None, Errors]:
    errors: Errors = {}
    on = _parse(errors, "on", fields.get("on", ""), parse_date)
    if on is None and "on" not in errors:
        errors["on"] = "The day the setback was reported."
    hold = _parse(errors, "hold", fields.get("hold", "") or "14", _whole(1, 3650))
    fraction = _parse(errors, "fraction", fields.get("fraction", "") or "50", parse_percent)
    if errors:
        return None, errors
    return _model(Setback, {"on": on, "hold_days": hold, "step_fraction": (fraction or Decimal(50)) / 100,
                            "reason": fields.get("reason", "").strip()}, "on")


def support_from(fields: Mapping[str, str]) -> tuple[SupportUse | None, Errors]:
    from taper.supports import support

    errors: Errors = {}
    support_id = fields.get("support", "")
    try:
        support(support_id)
    except KeyError:
        errors["support"] = "Choose a support."
    start = _parse(errors, "start", fields.get("start", ""), parse_date)
    weeks = _parse(errors, "weeks", fields.get("weeks", ""), _whole(1, 520))
    baseline = _parse(errors, "baseline", fields.get("baseline", ""), parse_dose)
    if errors:
        return None, errors
    return _model(SupportUse, {"support": support_id, "start": start, "weeks": weeks,
                               "baseline": baseline}, "support")


def follow_up_from(fields: Mapping[str, str]) -> tuple[FollowUp | None, Errors]:
    errors: Errors = {}
    on = _parse(errors, "on", fields.get("on", ""), parse_date)
    if on is None and "on" not in errors:
        errors["on"] = "The date of the check-in (YYYY-MM-DD)."
    if errors:
        return None, errors
    return _model(FollowUp, {"on": on, "kind": fields.get("kind", "visit") or "visit",
                             "note": fields.get("note", "").strip()}, "note")


def overrides_from(fields: Mapping[str, str], warnings: list[tuple[int, str]], today: date
                   ) -> tuple[tuple[Override, ...] | None, Errors]:
    """One override per (step, rule) warning, all with the pharmacist's reason."""
    reason = fields.get("reason", "").strip()
    if len(reason) < 3:
        return None, {"reason": "Write why the warning is accepted (it is printed on the summary)."}
    by = fields.get("by", "").strip()
    try:
        return tuple(Override(step=step, rule=rule, reason=reason, recorded_on=today, by=by)
                     for step, rule in warnings), {}
    except ValidationError as exc:
        return None, _model_errors(exc, "reason")


def item_fields(kind: str, item: BaseModel | None) -> dict[str, str]:
    """The dialog's text for an existing item (empty fields for a new one)."""
    if item is None:
        return {}
    raw = item.model_dump()
    out = {}
    for key, value in raw.items():
        field = MODEL_FIELDS.get(key, key)
        if isinstance(value, bool):
            out["show-reason" if key == "show_reason" else field] = "yes" if value else "no"
        elif isinstance(value, Decimal) and key == "step_fraction":
            out[field] = _num(value * 100)
        elif isinstance(value, Decimal):
            out[field] = _num(value)
        elif isinstance(value, date):
            out[field] = value.isoformat()
        elif value is not None:
            out[field] = str(value)
    return out
