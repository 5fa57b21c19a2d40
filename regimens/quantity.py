"""Exact quantities and the printed notation for numbers.

Amounts are kept as :class:`fractions.Fraction` so that sums such as 0.1 + 0.2 stay exact and
a third of a patch per day is not rounded until it is shown. Printing follows the ISMP rules in
``patient-output.md`` §5: no trailing zeros, a leading zero, thousands separators.
"""

from __future__ import annotations

import functools
import math
import re
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from regimens.plain_errors import excerpt

_NUMBER_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_GROUPED_RE = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")

#: Largest number we accept anywhere a dose, strength or count is typed.
MAX_NUMBER = Fraction(1_000_000)


class QuantityError(ValueError):
    """A number or unit that cannot be read."""


def parse_number(text: str) -> Fraction:
    """Read a plain decimal number ("5", "0.5", "2.25") exactly.

    Fractions such as "1/2" are refused on purpose: ISMP lists them as error-prone.
    """
    cleaned = text.strip()
    if _GROUPED_RE.match(cleaned):
        cleaned = cleaned.replace(",", "")
    if not _NUMBER_RE.match(cleaned):
        raise QuantityError(f"{excerpt(text.strip())} is not a number")
    try:
        value = Fraction(Decimal(cleaned))
    except (InvalidOperation, ValueError) as exc:  # pragma: no cover - regex guards this
        raise QuantityError(f"{excerpt(text.strip())} is not a number") from exc
    if abs(value) > MAX_NUMBER:
        raise QuantityError(f"{text.strip()} is too large")
    return value


def to_fraction(value: object) -> Fraction:
    """Coerce ints, decimals, fractions and decimal strings (not floats) to a Fraction."""
    if isinstance(value, bool):
        raise QuantityError("a true/false value is not a number")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise QuantityError(f"{value} is not a finite number")
        return Fraction(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise QuantityError(f"{value} is not a finite number")
        return Fraction(Decimal(repr(value)))
    if isinstance(value, str):
        return parse_number(value)
    raise QuantityError(f"{value!r} is not a number")


def is_terminating(value: Fraction, places: int = 4) -> bool:
    """True when ``value`` is written exactly with at most ``places`` decimals."""
    return (value * 10**places).denominator == 1


#: The units and dose nouns that stay on the line of the number before them ("5 mg", "2 tablets"),
#: as a regular-expression alternation (longest first where one begins another).
UNITS_AFTER_NUMBERS = (r"mcg/24 hr|mg/24 hr|mcg/hr|mg|mcg|mL|g|mEq|tablets?|capsules?|patch(?:es)?|films?|"
                       r"packets?|sprays?|puffs?|injections?|units?|drops?|applications?|applicatorfuls?|"
                       r"suppositor(?:y|ies)|enemas?|inserts?|rings?|implants?|doses?|troches?")


def format_number(value: Fraction | int | Decimal, places: int = 3) -> str:
    """Format a number the ISMP way: "5", "0.5", "1,000", "2.25".

    Values that do not terminate within ``places`` decimals are rounded half-up to that many
    places; callers that must not hide rounding check :func:`is_terminating` first.
    """
    return _format_number(value, places)


@functools.lru_cache(maxsize=16384)  # the same doses and strengths, formatted again and again
def _format_number(value: Fraction | int | Decimal, places: int) -> str:
    frac = to_fraction(value)
    negative = frac < 0
    frac = abs(frac)
    scale = 10**places
    scaled = frac * scale
    rounded = int(scaled) + (1 if scaled - int(scaled) >= Fraction(1, 2) else 0)
    whole, part = divmod(rounded, scale)
    text = f"{whole:,}"
    if part:
        digits = f"{part:0{places}d}".rstrip("0")
        text = f"{text}.{digits}"
    if negative and rounded:
        text = "-" + text
    return text


def decimal_text(value: Fraction) -> str:
    """A machine form (no thousands separator) for JSON and CSV: "1000", "0.5"."""
    return format_number(value, places=6).replace(",", "")


def amount_text(amount: Fraction, unit: str) -> str:
    """"20 mg", "0.5 mg", "1,950 mg", "25 mcg/hr"; "about 2.143 mg" when it does not terminate."""
    prefix = "" if is_terminating(amount, 3) else "about "
    return f"{prefix}{format_number(amount)} {unit}"
