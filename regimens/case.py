"""The case: a patient, their regimen, and the taper plans built for them.

Everything here is saved in the case file. Plans are stored as inputs (strategy and its
parameters, pauses, supports, follow-ups); the ``taper`` package computes schedules from them,
so an engine change never breaks an old case file.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from regimens.casejson import SCHEMA_VERSION as SCHEMA_VERSION
from regimens.invariants import (
    birth_date_problem,
    pause_problem,
    plan_problem,
    plan_references_problem,
)
from regimens.regimen import Regimen, Slot

Text = Annotated[str, Field(max_length=10_000)]
ShortText = Annotated[str, Field(max_length=200)]
Phone = Annotated[str, Field(max_length=40, pattern=r"^[0-9+()\-. ]*(ext\.? ?[0-9]+)?$")]
Dose = Annotated[Decimal, Field(ge=0, le=1_000_000, allow_inf_nan=False)]
Days = Annotated[int, Field(ge=1, le=3650)]


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Patient(Frozen):
    """Who the plan is for; the numbers to call are printed on every calendar."""

    id: ShortText = Field(min_length=1)
    """Clinic identifier (not printed on phone reminders)."""
    name: ShortText = Field(min_length=1)
    """Name as the patient wants it printed."""
    birth_date: date
    """Date of birth; age-based flags (Beers, from 65) use it."""
    prescriber_name: ShortText = ""
    """Prescriber to call about the plan."""
    prescriber_phone: Phone = ""
    """Prescriber's phone number."""
    pharmacy_name: ShortText = ""
    """Pharmacy to call."""
    pharmacy_phone: Phone = ""
    """Pharmacy's phone number."""
    goals: tuple[Text, ...] = ()
    """Goals in the patient's own words ("to play with my grandchildren without the fog")."""

    @model_validator(mode="after")
    def _plausible(self) -> Patient:
        problem = birth_date_problem(self.birth_date, None)
        if problem:
            raise ValueError(problem)
        return self

    def age_on(self, day: date) -> int:
        from regimens.datefmt import age_on

        return age_on(self.birth_date, day)


class Pause(Frozen):
    """Hold the dose in effect for ``days`` days, from a date or after a step."""

    days: Days
    """Length of the hold."""
    start: date | None = None
    """First day of the hold, or None when it follows ``after_step``."""
    after_step: int | None = Field(default=None, ge=0)
    """Hold after this step (0 = before the first cut)."""
    reason: ShortText = ""
    """Why ("daughter's wedding", "flare"); printed if the patient agrees."""
    show_reason: bool = True
    """Whether the reason may appear on the patient's calendar."""

    @model_validator(mode="after")
    def _anchor(self) -> Pause:
        problem = pause_problem(self.start is not None, self.after_step is not None)
        if problem:
            raise ValueError(problem)
        return self


class Setback(Frozen):
    """Return to the last tolerated dose, hold, then resume with smaller steps."""

    on: date
    """Day the setback was reported."""
    hold_days: Days = 14
    """How long to hold the last tolerated dose."""
    step_fraction: Annotated[Decimal, Field(gt=0, le=1)] = Decimal("0.5")
    """Later steps become this fraction of their former size."""
    reason: ShortText = ""


class Override(Frozen):
    """A guideline warning the pharmacist accepted, with the reason, for the record."""

    step: int = Field(ge=0)
    rule: ShortText
    reason: Text = Field(min_length=3)
    recorded_on: date | None = None
    by: ShortText = ""


class SupportUse(Frozen):
    """A non-drug support placed on the calendar."""

    support: ShortText
    """Id in the support library ("paced-breathing", "graded-walking")."""
    start: date | None = None
    end: date | None = None
    after_step: int | None = Field(default=None, ge=0)
    weeks: int | None = Field(default=None, ge=1, le=520)
    slot: Slot | None = None
    """Calendar column it goes in."""
    baseline: Annotated[Decimal, Field(gt=0, le=10_000)] | None = None
    """Graded supports: the starting amount (minutes walked, say)."""


class FollowUp(Frozen):
    """A check-in with the patient."""

    on: date
    kind: Literal["visit", "phone", "video", "lab"] = "visit"
    note: ShortText = ""


class TaperPlan(Frozen):
    """Inputs of one taper; the schedule is computed from these, never stored."""

    id: ShortText = Field(min_length=1)
    medication_ids: tuple[ShortText, ...] = Field(min_length=1)
    """Medications (of one drug) the plan reduces."""
    drug: ShortText
    """Generic name of the drug tapered."""
    start_dose: Dose
    """Current total daily dose, in ``dose_unit``."""
    dose_unit: Literal["mg", "mcg", "mcg/hr"] = "mg"
    target_dose: Dose = Decimal(0)
    """0 to stop, or a maintenance dose."""
    start_date: date | None = None
    """Day step 1 begins; None when ``follows`` another plan."""
    follows: ShortText | None = None
    """Id of the plan after whose end this one starts."""
    follows_gap_days: int = Field(default=7, ge=0, le=365)
    """Days from the followed plan's last change to this plan's first step (7: one change a week)."""
    interval_days: Days = 28
    strategy: Literal[
        "fixed", "percent-current", "percent-original", "cdc-short", "hyperbolic", "custom"
    ] = "percent-current"
    amount: Dose | None = None
    """``fixed``: amount cut each step."""
    percent: Annotated[Decimal, Field(gt=0, le=100)] | None = None
    """Percent strategies: percent cut each step."""
    steps: int | None = Field(default=None, ge=1, le=200)
    """``hyperbolic``: number of equal occupancy steps."""
    emax_percent: Annotated[Decimal, Field(gt=0, le=150)] | None = None
    ed50: Annotated[Decimal, Field(gt=0)] | None = None
    custom_doses: tuple[Dose, ...] = ()
    """``custom``: the daily dose of each step."""
    slowdown_below: Dose | None = None
    """Below this daily dose, cut more slowly."""
    slowdown_factor: Annotated[Decimal, Field(gt=0, le=1)] | None = None
    product_ids: tuple[ShortText, ...] = ()
    """Products to build doses from; empty means every product of the drug."""
    rule_set: ShortText | None = None
    """Guideline rule set to check against; None picks the drug's class default."""
    pauses: tuple[Pause, ...] = ()
    setbacks: tuple[Setback, ...] = ()
    overrides: tuple[Override, ...] = ()
    supports: tuple[SupportUse, ...] = ()
    follow_ups: tuple[FollowUp, ...] = ()

    @model_validator(mode="after")
    def _start(self) -> TaperPlan:
        problem = plan_problem(self.start_date is not None, self.follows is not None,
                               Fraction(self.start_dose), Fraction(self.target_dose))
        if problem:
            raise ValueError(problem)
        return self


class FlarePlan(Frozen):
    """What to do on days 1, 2 and 3 of a pain or withdrawal spike."""

    day1: Text = ""
    day2: Text = ""
    day3: Text = ""
    call_if: Text = ""


class Case(Frozen):
    """Everything saved about one patient."""

    schema_version: Literal[1] = 1
    """Case-file format version."""
    patient: Patient
    regimen: Regimen = Regimen()
    notes: Text = ""
    plans: tuple[TaperPlan, ...] = ()
    supports: tuple[SupportUse, ...] = ()
    """Supports not tied to one plan."""
    follow_ups: tuple[FollowUp, ...] = ()
    flare_plan: FlarePlan | None = None

    @model_validator(mode="after")
    def _references(self) -> Case:
        problem = plan_references_problem(
            [(p.id, p.medication_ids, p.follows) for p in self.plans],
            {m.id for m in self.regimen.medications},
        )
        if problem:
            raise ValueError(problem)
        return self
