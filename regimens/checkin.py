"""A check-in: what the patient reports at a follow-up (the three anchors, withdrawal, mood).

Saved in the case, so a setback is data: the taper engine's suggestion rules read these and the
summary charts them against the dose steps. Every score is optional; a check-in records what was
asked. Scores and their ranges follow the instruments in ``checkins.md``: PEG (Krebs 2009, three
0-10 items), the single-item Sleep Quality Scale (0-10), PHQ-2 and GAD-2 (0-6 each).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Score10 = Annotated[int, Field(ge=0, le=10)]
Score6 = Annotated[int, Field(ge=0, le=6)]

#: Withdrawal scales a score may be on, and the top of each: the 0-10 self-rating, the
#: Subjective Opiate Withdrawal Scale (16 items rated 0-4, Handelsman 1987) and CIWA-B (20 items
#: rated 0-4, Busto 1989).
WITHDRAWAL_SCALES: dict[str, int] = {"self-0-10": 10, "SOWS": 64, "CIWA-B": 80}


class CheckIn(BaseModel):
    """One follow-up's answers; the check-in is the reason for any change it led to."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    on: date
    """Day of the check-in."""
    recorded_by: Annotated[str, Field(max_length=200)] = ""
    """Who recorded it (the pharmacist's name or initials)."""
    plan_id: Annotated[str, Field(max_length=200)] | None = None
    """The plan it concerns; None (or a plan since deleted) means the plan whose step came last before it."""
    pain: Score10 | None = None
    """PEG item 1: average pain in the past week (0 no pain, 10 worst imaginable)."""
    enjoyment: Score10 | None = None
    """PEG item 2: how pain interfered with enjoyment of life (0 not at all, 10 completely)."""
    activity: Score10 | None = None
    """PEG item 3: how pain interfered with general activity (0 not at all, 10 completely)."""
    sleep: Score10 | None = None
    """Sleep quality over the past 7 days (0 terrible, 10 excellent)."""
    goal: Score10 | None = None
    """Progress on the patient's own goal (0 none, 10 met)."""
    goal_status: Literal["met", "partly", "not"] | None = None
    """Progress on the goal in words, when asked that way."""
    walk_minutes: Annotated[int, Field(ge=0, le=1440)] | None = None
    """Minutes of the support practised (walking) on a typical day this week."""
    withdrawal: Annotated[Decimal, Field(ge=0, le=80, allow_inf_nan=False)] | None = None
    """Withdrawal score on ``withdrawal_scale``."""
    withdrawal_scale: Literal["self-0-10", "SOWS", "CIWA-B"] = "self-0-10"
    """The scale of ``withdrawal``: a 0-10 self-rating or the class's instrument."""
    phq2: Score6 | None = None
    """PHQ-2 total (0-6)."""
    gad2: Score6 | None = None
    """GAD-2 total (0-6)."""
    self_harm: bool | None = None
    """The explicit answer to the self-harm question; None when it was not asked."""
    note: Annotated[str, Field(max_length=10_000)] = ""
    """Anything else, in the pharmacist's words (never read for signals)."""
    accepted: Literal["hold", "slow"] | None = None
    """The suggestion the pharmacist accepted from this check-in (the plan changed with it as reason)."""

    @model_validator(mode="after")
    def _withdrawal_on_its_scale(self) -> CheckIn:
        top = WITHDRAWAL_SCALES[self.withdrawal_scale]
        if self.withdrawal is not None and self.withdrawal > top:
            raise ValueError(f"withdrawal {self.withdrawal} is above the top of the {self.withdrawal_scale} "
                             f"scale ({top})")
        return self

    @property
    def peg(self) -> Decimal | None:
        """PEG score: the mean of its three items, when all three were asked."""
        items = (self.pain, self.enjoyment, self.activity)
        if any(i is None for i in items):
            return None
        return (Decimal(sum(i for i in items if i is not None)) / 3).quantize(Decimal("0.1"))

    @property
    def withdrawal_fraction(self) -> Decimal | None:
        """The withdrawal score as a share of its scale's range (0-1), to compare scales."""
        if self.withdrawal is None:
            return None
        return self.withdrawal / WITHDRAWAL_SCALES[self.withdrawal_scale]
