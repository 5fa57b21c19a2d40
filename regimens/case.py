"""The case: a patient, their regimen, and the taper plans built for them.

Everything here is saved in the case file. Plans are stored as inputs (strategy and its
parameters, pauses, supports, follow-ups); the ``taper`` package computes schedules from them,
so an engine change never breaks an old case file.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from regimens.checkin import CheckIn
from regimens.regimen import Regimen, Slot

#: The case-file format written today; older ones are migrated on load (:func:`regimens.casefile.migrate`).
SCHEMA_VERSION = 5

Text = Annotated[str, Field(max_length=10_000)]
ShortText = Annotated[str, Field(max_length=200)]
Phone = Annotated[str, Field(max_length=40, pattern=r"^[0-9+()\-. ]*(ext\.? ?[0-9]+)?$")]
Dose = Annotated[Decimal, Field(ge=0, le=1_000_000, allow_inf_nan=False)]
Days = Annotated[int, Field(ge=1, le=3650)]
Language = Annotated[str, Field(max_length=35)]


Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
WEEKDAYS: tuple[Weekday, ...] = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
WORKING_WEEK: tuple[Weekday, ...] = WEEKDAYS[:5]


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def new_patient_id(name: str, birth_date: date, source_id: str | None = None) -> str:
    """A new case's patient id: the source file's (a FHIR identifier, cut to 64 characters), else one made
    from the name and birth date ("P-" and 8 hex digits), the same each time for the same patient."""
    import hashlib

    if source_id:
        return source_id[:64]
    return "P-" + hashlib.sha256(f"{name}|{birth_date}".encode()).hexdigest()[:8]


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
    language: Language = "en"
    """The language the patient reads best, as a BCP 47 tag ("en", "es", "es-MX"): the calendar and reminders
    are printed in it when taper has its catalogue (schema 4; FHIR ``Patient.communication``)."""

    @field_validator("birth_date")
    @classmethod
    def _plausible(cls, birth: date) -> date:
        if birth < date(1900, 1, 1):
            raise ValueError("birth_date is before 1900")
        return birth

    @field_validator("language")
    @classmethod
    def _language_tag(cls, tag: str) -> str:
        from regimens.language import is_language_tag

        if not is_language_tag(tag):
            from regimens.plain_errors import excerpt

            raise ValueError(f"{excerpt(tag)} is not a language tag; write a code such as en, es or es-MX")
        return tag

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
        if (self.start is None) == (self.after_step is None):
            raise ValueError("a pause needs either a start date or a step to follow")
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
    back_to_tolerated: bool = True
    """Return to the last tolerated dose; False holds the current dose (a slow-down after a check-in)."""


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
    keep_products: bool = False
    """Keep to the products above to the end. By default, when they cannot make a step (a
    modified-release tablet at its lowest strength), the rest of the taper moves to the drug's
    immediate-release tablets or oral solution."""
    rule_set: ShortText | None = None
    """Guideline rule set to check against; None picks the drug's class default."""
    pauses: tuple[Pause, ...] = ()
    setbacks: tuple[Setback, ...] = ()
    overrides: tuple[Override, ...] = ()
    supports: tuple[SupportUse, ...] = ()
    follow_ups: tuple[FollowUp, ...] = ()
    revision: int = Field(default=0, ge=0)
    """Raised each time the plan's content changes; phone reminders carry it as SEQUENCE."""

    @model_validator(mode="after")
    def _start(self) -> TaperPlan:
        if (self.start_date is None) == (self.follows is None):
            raise ValueError("a plan needs either a start_date or a plan it follows")
        if self.target_dose > self.start_dose:
            raise ValueError("target_dose is above start_dose")
        return self


class FlarePlan(Frozen):
    """What to do on days 1, 2 and 3 of a pain or withdrawal spike."""

    day1: Text = ""
    day2: Text = ""
    day3: Text = ""
    call_if: Text = ""


class Case(Frozen):
    """Everything saved about one patient."""

    schema_version: Literal[5] = 5
    """Case-file format version."""
    patient: Patient
    regimen: Regimen = Regimen()
    notes: Text = ""
    plans: tuple[TaperPlan, ...] = ()
    supports: tuple[SupportUse, ...] = ()
    """Supports not tied to one plan."""
    follow_ups: tuple[FollowUp, ...] = ()
    flare_plan: FlarePlan | None = None
    clinic_days: tuple[Weekday, ...] = Field(default=WORKING_WEEK, min_length=1, max_length=7)
    """The days the clinic sees patients: the follow-ups a plan proposes fall on them."""

    @field_validator("clinic_days")
    @classmethod
    def _each_day_once(cls, days: tuple[str, ...]) -> tuple[str, ...]:
        if len(set(days)) != len(days):
            raise ValueError("a clinic day is listed twice")
        return tuple(d for d in WEEKDAYS if d in days)

    checkins: tuple[CheckIn, ...] = ()
    """What the patient reported at each follow-up, oldest first."""

    @model_validator(mode="after")
    def _references(self) -> Case:
        plan_ids = [p.id for p in self.plans]
        if len(set(plan_ids)) != len(plan_ids):
            raise ValueError("two plans share an id")
        medication_ids = {m.id for m in self.regimen.medications}
        for plan in self.plans:
            missing = [m for m in plan.medication_ids if m not in medication_ids]
            if missing:
                raise ValueError(f"plan {plan.id} refers to unknown medication {missing[0]}")
            if plan.follows is not None and plan.follows not in plan_ids:
                raise ValueError(f"plan {plan.id} follows unknown plan {plan.follows}")
        return self
