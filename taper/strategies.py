"""Planned (unrounded) daily doses of each step, by strategy.

Step 1 is the first reduced dose. Every sequence ends on the target; a sequence towards 0 ends
once the planned dose falls below half the smallest deliverable dose (the last step is then 0).
"""

from __future__ import annotations

from fractions import Fraction
from typing import NamedTuple

MAX_STEPS = 200


class StrategySpec(NamedTuple):
    """The strategy and its parameters, exact (taken from a saved plan)."""

    name: str
    start: Fraction
    target: Fraction
    amount: Fraction | None = None
    percent: Fraction | None = None
    steps: int | None = None
    emax: Fraction | None = None
    ed50: Fraction | None = None
    custom: tuple[Fraction, ...] = ()
    slowdown_below: Fraction | None = None
    slowdown_factor: Fraction | None = None


class StrategyError(ValueError):
    """Parameters a strategy cannot work with."""


def _slow(spec: StrategySpec, dose: Fraction) -> Fraction:
    """Factor applied to the cut size once the dose is below the slowdown threshold."""
    if spec.slowdown_below is not None and spec.slowdown_factor is not None and dose <= spec.slowdown_below:
        return spec.slowdown_factor
    return Fraction(1)


def planned_doses(spec: StrategySpec, smallest: Fraction, max_steps: int = MAX_STEPS) -> list[Fraction]:
    """The planned daily dose of every step, ending with the target.

    A fixed or percent plan whose cuts are so small that it has not reached the target after
    ``max_steps`` steps returns what it planned so far, without the target: the caller refuses it
    (a slow taper never ends in one stop from wherever it has got to)."""
    if spec.target < 0 or spec.target > spec.start:
        raise StrategyError("the target must be between 0 and the start dose")
    floor = smallest / 2 if spec.target == 0 else spec.target
    name = spec.name
    doses: list[Fraction] = []
    dose = spec.start
    if name == "custom":
        if not spec.custom:
            raise StrategyError("a custom plan needs its doses (--doses)")
        previous = spec.start
        for d in spec.custom:
            if d > previous:
                raise StrategyError("custom doses must not rise")
            previous = d
        doses = list(spec.custom)
        if doses[-1] != spec.target:
            doses.append(spec.target)
        return doses
    if name == "hyperbolic":
        return _hyperbolic(spec)
    for _ in range(max_steps):
        slow = _slow(spec, dose)
        if name == "fixed":
            if not spec.amount or spec.amount <= 0:
                raise StrategyError("a fixed plan needs the amount cut each step (--amount)")
            dose = dose - spec.amount * slow
        elif name == "percent-current":
            dose = dose * (1 - _percent(spec) * slow)
        elif name == "percent-original":
            dose = dose - spec.start * _percent(spec) * slow
        elif name == "cdc-short":
            if dose > spec.start * Fraction(3, 10):
                dose = dose - spec.start * _percent(spec) * slow
            else:
                dose = dose * (1 - _percent(spec) * slow)
        else:
            raise StrategyError(f"unknown strategy {name!r}")
        if dose <= floor:
            break
        doses.append(dose)
    else:
        return doses
    doses.append(spec.target)
    return doses


def _percent(spec: StrategySpec) -> Fraction:
    if spec.percent is None or not 0 < spec.percent < 100:
        raise StrategyError("a percent plan needs a percent between 0 and 100 (--percent)")
    return spec.percent / 100


def occupancy(dose: Fraction, emax: Fraction, ed50: Fraction) -> Fraction:
    return emax * dose / (ed50 + dose)


def _hyperbolic(spec: StrategySpec) -> list[Fraction]:
    """Equal steps of receptor occupancy (Emax model) from the start dose down to the target."""
    if not spec.steps or spec.emax is None or spec.ed50 is None:
        raise StrategyError("a hyperbolic plan needs --steps and the drug's Emax and ED50")
    top = occupancy(spec.start, spec.emax, spec.ed50)
    bottom = occupancy(spec.target, spec.emax, spec.ed50)
    delta = (top - bottom) / spec.steps
    doses = []
    for k in range(1, spec.steps + 1):
        occ = top - delta * k
        doses.append(spec.ed50 * occ / (spec.emax - occ) if occ > 0 else Fraction(0))
    doses[-1] = spec.target
    return doses
