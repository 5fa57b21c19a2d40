"""Rounding a daily dose to what real products can deliver, spread over the day's slots.

A *unit* is one product of the drug the patient can use: tablets (halves only when scored),
capsules, patches and extended-release products whole, liquids in 0.1 mL steps. A *portion* is
what is taken at one time of day; a *split* is the day's portions. Every split adds up exactly to
its total, because totals are computed from the portions, never the other way round. Inside, amounts
are whole multiples of one common fraction, so the search runs on integers.
"""

from __future__ import annotations

import bisect
import math
from fractions import Fraction
from functools import lru_cache
from itertools import combinations, combinations_with_replacement
from typing import NamedTuple

#: Most pieces (tablets, capsules, patches) a patient is asked to take at one time.
MAX_PIECES_PER_DOSE = 4
#: Most mL of a liquid at one time.
MAX_ML_PER_DOSE = Fraction(20)


class Unit(NamedTuple):
    """One usable product: the drug amount in one unit (or in 1 mL) and how finely it divides.

    ``amount`` is what the unit delivers and every calculation uses it; ``labelled`` is the amount in
    the product's name when that differs (a fentanyl "12 mcg/hr" patch delivers 12.5 mcg/hr).
    ``modified`` marks extended- or delayed-release products, which keep their dosing interval.
    """

    product_id: str
    label: str
    amount: Fraction
    step: Fraction
    noun: str
    liquid: bool
    labelled: Fraction | None = None
    modified: bool = False
    release_words: str = ""
    """ "extended-release " or "delayed-release " before the noun, so that two products of one strength
    never print alike ("1 extended-release tablet of 10 mg" beside "1 tablet of 10 mg")."""

    @property
    def name_amount(self) -> Fraction:
        """The amount as the product's name prints it."""
        return self.amount if self.labelled is None else self.labelled


class Portion(NamedTuple):
    """What is taken at one time: (unit index, count) pairs and the drug amount they hold."""

    items: tuple[tuple[int, Fraction], ...]
    amount: Fraction

    @property
    def pieces(self) -> Fraction:
        return sum((count for _, count in self.items), Fraction(0))


class Split(NamedTuple):
    """A day's dose: one portion per slot (in the plan's slot order)."""

    total: Fraction
    portions: tuple[Portion, ...]


EMPTY = Portion((), Fraction(0))


class _Table(NamedTuple):
    scale: int  # amounts are integers in 1/scale of the dose unit
    amounts: tuple[int, ...]  # sorted, with 0
    portions: dict[int, Portion]
    pieces: dict[int, int]  # in half-pieces, for comparing


@lru_cache(maxsize=256)
def _table(units: tuple[Unit, ...]) -> _Table:
    scale = 1
    for u in units:
        scale = math.lcm(scale, (u.amount * u.step).denominator)
    per_step = [int(u.amount * u.step * scale) for u in units]
    halving = [u.step == Fraction(1, 2) for u in units]
    best: dict[int, tuple[tuple[int, int, int], tuple[tuple[int, int], ...]]] = {0: ((0, 0, 0), ())}

    def offer(items: tuple[tuple[int, int], ...], pieces: int) -> None:
        # items: (unit index, number of steps); pieces: physical pieces handled (a whole + a half = 2)
        amount = sum(per_step[i] * n for i, n in items)
        halves = sum(n % 2 for i, n in items if halving[i])
        key = (pieces, len(items), halves)
        known = best.get(amount)
        if known is None or key < known[0]:
            best[amount] = (key, items)

    def pieces_of(i: int, n: int) -> int:
        return 0 if units[i].liquid else (n + 1) // 2 if halving[i] else n

    solids = [i for i, u in enumerate(units) if not u.liquid]
    liquids = [i for i, u in enumerate(units) if u.liquid]
    steps = {i: range(1, int(MAX_PIECES_PER_DOSE / units[i].step) + 1) for i in solids}
    for i in solids:
        for n in steps[i]:
            offer(((i, n),), pieces_of(i, n))
    for i, j in combinations(solids, 2):
        for ni in steps[i]:
            for nj in steps[j]:
                if units[i].step * ni + units[j].step * nj <= MAX_PIECES_PER_DOSE:
                    offer(((i, ni), (j, nj)), pieces_of(i, ni) + pieces_of(j, nj))
    for i in liquids:
        for n in range(1, int(MAX_ML_PER_DOSE / units[i].step) + 1):
            offer(((i, n),), 0)
    portions = {a: Portion(tuple((i, units[i].step * n) for i, n in items), Fraction(a, scale))
                for a, (_, items) in best.items()}
    pieces = {a: key[0] for a, (key, _) in best.items()}
    return _Table(scale, tuple(sorted(best)), portions, pieces)


def smallest_daily_dose(units: tuple[Unit, ...], slots: int = 1) -> Fraction:
    """The smallest day the products give: one smallest portion, or one at each of ``slots`` times
    (modified-release products keep every dose of their interval)."""
    table = _table(units)
    return Fraction(table.amounts[1] * slots, table.scale) if len(table.amounts) > 1 else Fraction(0)


@lru_cache(maxsize=4096)
def split_dose(units: tuple[Unit, ...], slot_order: tuple[int, ...], target: Fraction,
               ceiling: Fraction | None = None, every_slot: bool = False) -> Split:
    """The deliverable day closest to ``target`` (never above ``ceiling``), spread over the slots.

    ``slot_order`` ranks the slots by which keeps a dose longest (0 = kept longest); larger
    portions go to slots kept longer. Preference: closest total (lower on a tie), then fewer empty
    slots, then the most even split, then fewer pieces. With ``every_slot`` (modified-release
    products, which keep their interval) a day with an empty slot is only chosen when no full one fits.
    """
    table = _table(units)
    k = len(slot_order)
    scaled = target * table.scale
    num, den = scaled.numerator, scaled.denominator
    cap = None if ceiling is None else math.floor(ceiling * table.scale)
    at = bisect.bisect_left(table.amounts, scaled / k)
    window = set(table.amounts[max(0, at - 3): at + 4])
    window.add(0)
    best_key: tuple[int, int, int, int, int, int] | None = None
    best: tuple[int, ...] = (0,) * k
    for combo in combinations_with_replacement(sorted(window), k):
        total = sum(combo)
        if cap is not None and total > cap:
            continue
        nonzero = [a for a in combo if a]
        gaps = 1 if every_slot and num and len(nonzero) < k else 0
        key = (gaps, abs(total * den - num), 0 if total * den <= num else 1, k - len(nonzero),
               (max(nonzero) - min(nonzero)) if nonzero else 0, sum(table.pieces[a] for a in combo))
        if best_key is None or key < best_key:
            best_key, best = key, combo
    ordered = sorted(best, reverse=True)
    portions = [EMPTY] * k
    for slot, amount in zip(sorted(range(k), key=lambda s: slot_order[s]), ordered, strict=True):
        portions[slot] = table.portions[amount]
    return Split(Fraction(sum(best), table.scale), tuple(portions))
