"""Dose wording for labels, tables and calendars (``patient-output.md`` §3 and §5).

Arabic numerals, no trailing zeros, a leading zero, "half a tablet" rather than "1/2",
liquids in mL with the amount in brackets, and the four UMS periods by name.
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

from regimens.forms import NOUN_PLURALS, SLOT_PHRASES, Slot
from regimens.quantity import format_number

if TYPE_CHECKING:
    from regimens.products import Product
    from regimens.regimen import Medication


_PLURALS = NOUN_PLURALS
#: Nouns measured rather than counted: never "half a unit", always "0.5 units".
MEASURED_NOUNS = frozenset({"mL", "unit"})


def plural(noun: str, count: Fraction) -> str:
    return noun if count == 1 else _PLURALS.get(noun, noun + "s")


def count_text(units: Fraction, noun: str) -> str:
    """"1 tablet", "2 tablets", "half a tablet", "1 and a half tablets", "2.5 mL", "10 units", "1 drop"."""
    if noun == "mL":
        return f"{format_number(units)} mL"
    if noun in MEASURED_NOUNS:
        return f"{format_number(units)} {plural(noun, units)}"
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
    """What ``units`` of ``product`` contain: "5 mg", "10 mg/650 mg", "50 mcg/hr"; for a drop or an
    application of a concentration, the concentration ("0.5%", "0.3 mg/mL")."""
    if not product.has_amount_per_unit:
        return product.strength
    parts = []
    for ing in product.ingredients:
        value = units * (Fraction(ing.amount) if ing.is_rate else product.per_unit(ing))
        parts.append(f"{format_number(value)} {ing.unit}")
    return "/".join(parts)


def dose_text(product: Product, units: Fraction) -> str:
    """"1 tablet (5 mg)", "half a tablet (2.5 mg)", "2.5 mL (5 mg)", "1 patch (25 mcg/hr)", "10 units",
    "1 drop (0.5%)"."""
    counted = count_text(units, product.unit_noun)
    if product.dosed_in_units and not product.is_combination:
        return counted  # "10 units (10 units)" says nothing more
    return f"{counted} ({amount_in(product, units)})"


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


def sig_note(med: Medication) -> str:
    """'sig as written: "1-2 tabs q4-6h prn pain"' for a line read from a sig, shown beside its reading on the
    pharmacist's screens and the summary (never on the patient's calendar); "" for a line given a plain dose,
    and for one whose sig was not read (its dose cell already shows the sig as written)."""
    sig = med.sig_as_written
    return f'sig as written: "{sig}"' if sig and med.dose_known else ""


def per_day_text(med: Medication) -> str:
    """The "per day" cell of a regimen table: "20 mg", "up to 4,000 mg", "25 mcg/hr"; for a line given less
    often than every 4 weeks the amount each time ("150 mg each time"), and "-" when a concentration (a
    0.5% eye drop) has no amount to add up."""
    product = med.product
    rate = product is not None and any(i.is_rate for i in product.ingredients)  # a ring's rate is per day
    if product is not None and med.units is not None and med.interval_hours is not None \
            and med.interval_hours > 24 * 28 and product.has_amount_per_unit and not rate:
        return f"{amount_in(product, Fraction(med.units))} each time"
    text = " + ".join(a.text() for a in med.ingredient_amounts())
    if not text:
        return "-"
    return f"up to {text}" if med.prn else text


def join_words(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def long_interval_text(hours: int) -> str:
    """An interval of more than 4 weeks, in the largest whole calendar unit: "every 90 days (3 months)",
    "every 12 weeks", "every 3 years"."""
    days, rest = divmod(hours, 24)
    if rest:
        return f"every {hours} hours"
    if days % 365 == 0:
        years = days // 365
        return "once a year" if years == 1 else f"every {years} years"
    if days % 7 == 0:
        weeks = days // 7
        return f"every {weeks} weeks"
    if days % 30 == 0:
        months = days // 30
        return f"every {days} days ({months} {'month' if months == 1 else 'months'})"
    return f"every {days} days"


def interval_text(hours: int) -> str:
    if hours > 24 * 28:
        return long_interval_text(hours)
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
        text = ("weekly" if hours == 168 else long_interval_text(hours) if hours > 24 * 28
                else f"every {hours} hours")
    else:
        text = "not stated"
    if med.prn:
        text += ", as needed"
        if med.max_units_per_day is not None:
            text += f" (max {format_number(Fraction(med.max_units_per_day))}"
            noun = med.unit_noun
            text += f" {noun})" if noun == "mL" else " units)" if noun == "unit" else ")"
    return text


def sig(med: Medication) -> str:
    """The full instruction: "Take 1 tablet (10 mg) in the morning and in the evening."."""
    dose = line_dose_text(med)
    if med.product is None:
        return f"Take {dose} {when_text(med)}."
    # "Give 1 injection (1.5 mg)", never "Inject 1 injection".
    instruction = "Give {dose}" if med.product.unit_noun == "injection" else med.product.form.instruction
    text = f"{instruction.format(dose=dose)} {when_text(med)}."
    if med.product.form.is_oral_liquid:
        text += " Measure with the oral syringe."
    return text


def product_label(product: Product) -> str:
    """Short product name for tables: "oxycodone 10 mg ER tablet"."""
    return product.description()
