"""Dose wording for labels, tables and calendars (``patient-output.md`` §3 and §5).

Arabic numerals, no trailing zeros, a leading zero, "half a tablet" rather than "1/2",
liquids in mL with the amount in brackets, and the four UMS periods by name.
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

from regimens.forms import SLOT_PHRASES, Slot
from regimens.quantity import format_number

if TYPE_CHECKING:
    from regimens.products import Product
    from regimens.regimen import Medication


_PLURALS = {"tablet": "tablets", "capsule": "capsules", "patch": "patches", "film": "films",
            "packet": "packets", "spray": "sprays", "mL": "mL"}


def plural(noun: str, count: Fraction) -> str:
    return noun if count == 1 else _PLURALS.get(noun, noun + "s")


def count_text(units: Fraction, noun: str) -> str:
    """"1 tablet", "2 tablets", "half a tablet", "1 and a half tablets", "2.5 mL"."""
    if noun == "mL":
        return f"{format_number(units)} mL"
    whole, part = divmod(units, 1)
    words = {Fraction(1, 2): "half", Fraction(1, 4): "a quarter of", Fraction(3, 4): "three quarters of"}
    if part == 0:
        return f"{format_number(units)} {plural(noun, units)}"
    if part in words and whole == 0:
        article = "an" if noun[0] in "aeiou" else "a"
        return f"{words[part]} {article} {noun}"
    if part == Fraction(1, 2):
        return f"{int(whole)} and a half {plural(noun, Fraction(2))}"
    return f"{format_number(units)} {plural(noun, units)}"


def amount_in(product: Product, units: Fraction) -> str:
    """What ``units`` of ``product`` contain: "5 mg", "10 mg/650 mg", "50 mcg/hr"."""
    parts = []
    for ing in product.ingredients:
        value = units * (Fraction(ing.amount) if ing.is_rate else product.per_unit(ing))
        parts.append(f"{format_number(value)} {ing.unit}")
    return "/".join(parts)


def dose_text(product: Product, units: Fraction) -> str:
    """"1 tablet (5 mg)", "half a tablet (2.5 mg)", "2.5 mL (5 mg)", "1 patch (25 mcg/hr)"."""
    return f"{count_text(units, product.unit_noun)} ({amount_in(product, units)})"


def line_dose_text(med: Medication) -> str:
    """One dose of a line: its product's dose text, or for a line without a product the count as
    written ("1 dose"), since nothing says what one unit holds."""
    if med.units is None:
        written = med.written.dose.strip() if med.written is not None else ""
        return f"as written: {written}" if written else "dose not stated"
    units = Fraction(med.units)
    if med.product is not None:
        return dose_text(med.product, units)
    return count_text(units, med.unit_noun)


def join_words(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def interval_text(hours: int) -> str:
    if hours == 168:
        return "once a week"
    if hours % 24 == 0 and hours > 24:
        days = hours // 24
        return f"every {hours} hours (every {days} days)"
    if hours == 24:
        return "once a day"
    return f"every {hours} hours"


def when_text(med: Medication) -> str:
    """"in the morning and at bedtime", "every 72 hours (every 3 days)", plus PRN limits."""
    if med.slots:
        text = join_words([SLOT_PHRASES[s] for s in med.slots])
    elif med.interval_hours is not None:
        text = interval_text(med.interval_hours)
    else:
        text = "when: not stated"
    if med.prn:
        text += " when needed"
        if med.max_units_per_day is not None:
            most = Fraction(med.max_units_per_day)
            text += f", no more than {count_text(most, med.unit_noun)} a day"
    return text


def slot_names(slots: tuple[Slot, ...]) -> str:
    return ", ".join(s.value for s in slots)


def when_short(med: Medication) -> str:
    """Compact timing for tables: "morning, bedtime", "every 6 hours, as needed (max 3)"."""
    if med.slots:
        text = slot_names(med.slots)
    elif med.interval_hours is not None:
        hours = med.interval_hours
        text = "weekly" if hours == 168 else f"every {hours} hours"
    else:
        text = "not stated"
    if med.prn:
        text += ", as needed"
        if med.max_units_per_day is not None:
            text += f" (max {format_number(Fraction(med.max_units_per_day))}"
            text += " mL)" if med.unit_noun == "mL" else ")"
    return text


def sig(med: Medication) -> str:
    """The full instruction: "Take 1 tablet (10 mg) in the morning and in the evening."."""
    verb = "Apply" if med.is_patch else "Take"
    text = f"{verb} {line_dose_text(med)} {when_text(med)}."
    if med.product is not None and med.product.form.is_liquid:
        text += " Measure with the oral syringe."
    return text


def product_label(product: Product) -> str:
    """Short product name for tables: "oxycodone 10 mg ER tablet"."""
    return product.description()
