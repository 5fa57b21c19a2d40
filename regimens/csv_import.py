"""Importing a medication list from CSV (the contract in DESIGN.md) into :class:`Medication` models.

Columns: ``drug`` (generic or brand), ``strength``, ``form`` -- or instead ``product``, a product name as
RxNorm and pharmacies write it (:mod:`regimens.product_names`) --; ``dose`` and ``when`` -- or instead
``sig``, free text as prescribed (:mod:`regimens.sig`) --; and optionally ``prn``, ``max_per_day``,
``patient_id``, ``indication``, ``start_date``, ``rxcui`` (used first when it is a formulary product's
code), ``notes``. A sig is kept as written on the line (``AsWritten.dose``) beside what it was read as.
Each row's cells are read into the model's fields, and the model's own rules judge them; a rule
that fails is reported in the column its field came from. A strict import reports every bad row
by row number and column and imports nothing; the panel review uses the lenient form and skips them.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from regimens.datefmt import parse_iso_date
from regimens.dose_text import plural
from regimens.errors import TaperInputError, read_input
from regimens.forms import MAX_INTERVAL_HOURS, Form, Release, Slot, parse_strength
from regimens.formulary import Drug, Formulary, get_formulary, product_id
from regimens.plain_errors import plain_message
from regimens.products import Ingredient, Product
from regimens.quantity import QuantityError, decimal_text, parse_number
from regimens.regimen import UNLISTED_PREFIX, AsWritten, Medication, Regimen

if TYPE_CHECKING:  # the sig parser and the name matcher load only for the rows that need them
    from regimens.sig import ParsedSig

REQUIRED_COLUMNS = ("drug", "strength", "form", "dose", "when")
#: What a row may give instead of the required columns: ``product`` for drug/strength/form, ``sig`` for
#: dose/when.
PRODUCT_COLUMNS = ("drug", "strength", "form")
SCHEDULE_COLUMNS = ("dose", "when")
ALTERNATIVE_COLUMNS = ("product", "sig")
OPTIONAL_COLUMNS = (
    "prn", "max_per_day", "patient_id", "indication", "start_date", "rxcui", "notes", "age",
    "birth_date", *ALTERNATIVE_COLUMNS,
)
MAX_CSV_BYTES = 50 * 1024 * 1024
MAX_ROWS_SHOWN = 20
#: The column each :class:`Medication` field is read from, for reporting a model rule that fails.
COLUMN_OF_FIELD = {
    "id": "drug", "product": "strength", "units": "dose", "slots": "when", "interval_hours": "when",
    "prn": "prn", "max_units_per_day": "max_per_day", "indication": "indication",
    "start_date": "start_date", "rxcui": "rxcui",
}

FORM_WORDS = {
    "tablet": Form.TABLET, "tablets": Form.TABLET, "tab": Form.TABLET, "tabs": Form.TABLET,
    "caplet": Form.TABLET,
    "capsule": Form.CAPSULE, "capsules": Form.CAPSULE, "cap": Form.CAPSULE, "caps": Form.CAPSULE,
    "softgel": Form.CAPSULE, "softgels": Form.CAPSULE,
    "solution": Form.SOLUTION, "liquid": Form.SOLUTION, "syrup": Form.SOLUTION,
    "elixir": Form.SOLUTION,
    "suspension": Form.SUSPENSION,
    "concentrate": Form.CONCENTRATE, "drops": Form.CONCENTRATE,
    "patch": Form.PATCH, "transdermal": Form.PATCH, "patches": Form.PATCH,
    "odt": Form.ODT,
    "film": Form.FILM, "films": Form.FILM,
    "granules": Form.GRANULES,
    "spray": Form.NASAL_SPRAY, "nasal": Form.NASAL_SPRAY,
    "chewable": Form.CHEWABLE, "sublingual": Form.SUBLINGUAL,
    "inhaler": Form.INHALER, "inhalers": Form.INHALER, "hfa": Form.INHALER, "mdi": Form.INHALER,
    "dpi": Form.INHALER, "aerosol": Form.INHALER, "diskus": Form.INHALER, "respimat": Form.INHALER,
    "ellipta": Form.INHALER, "handihaler": Form.INHALER, "inhalation": Form.INHALER,
    "nebulizer": Form.NEBULIZER_SOLUTION, "nebuliser": Form.NEBULIZER_SOLUTION,
    "nebules": Form.NEBULIZER_SOLUTION, "respules": Form.NEBULIZER_SOLUTION,
    "injection": Form.INJECTION, "injectable": Form.INJECTION, "vial": Form.INJECTION,
    "syringe": Form.INJECTION, "prefilled": Form.INJECTION,
    "pen": Form.PEN, "pens": Form.PEN, "autoinjector": Form.PEN, "auto-injector": Form.PEN,
    "kwikpen": Form.PEN, "flexpen": Form.PEN, "flextouch": Form.PEN, "solostar": Form.PEN,
    "ophthalmic": Form.EYE_DROPS, "otic": Form.EAR_DROPS,
    "cream": Form.CREAM, "ointment": Form.OINTMENT, "gel": Form.GEL, "lotion": Form.LOTION,
    "topical": Form.TOPICAL_SOLUTION, "foam": Form.FOAM,
    "suppository": Form.SUPPOSITORY, "suppositories": Form.SUPPOSITORY, "rectal": Form.SUPPOSITORY,
    "enema": Form.ENEMA, "ring": Form.VAGINAL_RING, "implant": Form.IMPLANT,
    "rinse": Form.RINSE, "mouthwash": Form.RINSE, "powder": Form.POWDER, "troche": Form.TROCHE,
    "lozenge": Form.TROCHE, "troches": Form.TROCHE,
}
#: Phrases that name a form by two words ("eye drops", "vaginal cream"), read before single words; each
#: wins over the single-word forms around it ("tablet, chewable" is a chewable tablet).
FORM_PHRASES = (
    (r"\b(?:eye|ophthalmic)\s+(?:drops?|solution|suspension|emulsion|gel)\b", Form.EYE_DROPS),
    (r"\b(?:ear|otic)\s+(?:drops?|solution|suspension)\b", Form.EAR_DROPS),
    (r"\bnasal\s+(?:spray|solution|suspension|inhaler)\b", Form.NASAL_SPRAY),
    (r"\b(?:oral|buccal|sublingual)\s+spray\b", Form.ORAL_SPRAY),
    (r"\b(?:oral|dental)\s+rinse\b", Form.RINSE),
    (r"\bvaginal\s+(?:cream|gel)\b", Form.VAGINAL_CREAM),
    (r"\bvaginal\s+ring\b", Form.VAGINAL_RING),
    (r"\bvaginal\s+(?:insert|tablet|suppository|capsule)s?\b", Form.VAGINAL_INSERT),
    (r"\b(?:topical\s+solution|solution,?\s+topical)\b", Form.TOPICAL_SOLUTION),
    (r"\b(?:nebuli[sz]er|inhalation)\s+solution\b|\bsolution\s+for\s+nebuli[sz]ation\b",
     Form.NEBULIZER_SOLUTION),
    (r"\b(?:prefilled|pre-filled)\s+pen\b|\bpen[\s-]+injector\b|\bauto[\s-]?injector\b", Form.PEN),
    (r"\b(?:soft\s*gel|gel\s*cap)s?\b", Form.CAPSULE),
    (r"\b(?:dry\s+powder|inhalation\s+powder|powder\s+for\s+inhalation)\b", Form.INHALER),
    (r"\bsublingual\s+films?\b|\bbuccal\s+films?\b", Form.FILM),
    (r"\bsublingual\s+tablets?\b|\btablets?,?\s+sublingual\b", Form.SUBLINGUAL),
    (r"\bchewable\s+tablets?\b|\btablets?,?\s+chewable\b", Form.CHEWABLE),
)
#: Words that name a form only when no other form word does ("topical cream" is a cream, "rectal foam" a foam).
WEAK_FORM_WORDS = frozenset({"topical", "rectal", "inhalation", "nasal", "ophthalmic", "otic", "transdermal",
                             "prefilled", "aerosol"})
#: A form a list may name that the formulary writes as another: sublingual and chewable tablets that
#: the formulary lists as plain tablets.
FORM_FALLBACK = {Form.SUBLINGUAL: Form.TABLET, Form.CHEWABLE: Form.TABLET}
RELEASE_WORDS = {
    "er": Release.EXTENDED, "xr": Release.EXTENDED, "xl": Release.EXTENDED,
    "sr": Release.EXTENDED, "cr": Release.EXTENDED, "la": Release.EXTENDED,
    "extended": Release.EXTENDED, "sustained": Release.EXTENDED, "controlled": Release.EXTENDED,
    "ir": Release.IMMEDIATE, "immediate": Release.IMMEDIATE,
    "dr": Release.DELAYED, "ec": Release.DELAYED, "delayed": Release.DELAYED,
    "enteric": Release.DELAYED,
    # As taper itself prints them ("extended-release tablet"): never dropped, or an ER line reads as IR.
    "extended-release": Release.EXTENDED, "delayed-release": Release.DELAYED, "immediate-release": Release.IMMEDIATE,
}
FILLER_WORDS = {"release", "oral", "by", "mouth", "coated", "orally", "disintegrating",
                "buccal", "sprinkle", "hard", "soft", "film-coated", "for", "use", "in", "the", "eye",
                "eyes", "ear", "ears", "nose", "skin", "single", "dose", "multi", "multiple", "unit",
                "subcutaneous", "intramuscular", "im", "sc", "sq", "kit", "metered", "device",
                "emulsion", "drop", "each", "nostril", "dry"}
UNIT_WORDS = {
    "tablet": "tablet", "tablets": "tablet", "tab": "tablet", "tabs": "tablet",
    "capsule": "capsule", "capsules": "capsule", "cap": "capsule", "caps": "capsule",
    "patch": "patch", "patches": "patch", "film": "film", "films": "film",
    "ml": "mL", "packet": "packet", "packets": "packet", "spray": "spray", "sprays": "spray",
    "puff": "puff", "puffs": "puff", "inhalation": "puff", "inhalations": "puff",
    "actuation": "puff", "actuations": "puff",
    "unit": "unit", "units": "unit", "u": "unit", "iu": "unit",
    "drop": "drop", "drops": "drop", "gtt": "drop", "gtts": "drop",
    "application": "application", "applications": "application",
    "applicatorful": "applicatorful", "applicatorfuls": "applicatorful", "applicator": "applicatorful",
    "applicators": "applicatorful",
    "suppository": "suppository", "suppositories": "suppository", "enema": "enema", "enemas": "enema",
    "insert": "insert", "inserts": "insert", "ring": "ring", "rings": "ring",
    "implant": "implant", "implants": "implant", "injection": "injection", "injections": "injection",
    "pen": "injection", "dose": "dose", "doses": "dose", "troche": "troche", "troches": "troche",
    "lozenge": "troche", "lozenges": "troche",
}
#: Abbreviated units refused with a plain word to use instead (patient-output.md N8).
REFUSED_UNIT_WORDS = {"u": "units", "iu": "units", "gtt": "drops", "gtts": "drops", "cc": "mL"}
SLOT_WORDS = {"morning": Slot.MORNING, "noon": Slot.NOON, "midday": Slot.NOON,
              "evening": Slot.EVENING, "bedtime": Slot.BEDTIME}
FREQUENCIES = {
    "daily": (Slot.MORNING,), "once daily": (Slot.MORNING,), "once a day": (Slot.MORNING,),
    "twice daily": (Slot.MORNING, Slot.EVENING), "twice a day": (Slot.MORNING, Slot.EVENING),
    "three times daily": (Slot.MORNING, Slot.NOON, Slot.EVENING),
    "three times a day": (Slot.MORNING, Slot.NOON, Slot.EVENING),
    "four times daily": (Slot.MORNING, Slot.NOON, Slot.EVENING, Slot.BEDTIME),
    "four times a day": (Slot.MORNING, Slot.NOON, Slot.EVENING, Slot.BEDTIME),
}
ABBREVIATIONS = {"qd", "bid", "tid", "qid", "hs", "qhs", "qod", "prn", "q4h", "q6h", "q8h",
                 "q12h", "am", "pm"}
#: Classes whose once-daily dose belongs at bedtime, not in the morning.
BEDTIME_CLASSES = frozenset({"z-drug"})
#: Hours in one interval unit of the "when" column; a month is 30 days and a year 365 days
#: (a label's "every 3 months" for an injection is its 13-week interval, give it as "every 13 weeks").
INTERVAL_HOURS = {"h": 1, "d": 24, "w": 24 * 7, "m": 24 * 30, "y": 24 * 365}
LONG_INTERVAL_WORDS = {"monthly": "every 1 month", "once a month": "every 1 month", "every month": "every 1 month",
                       "yearly": "every 1 year", "once a year": "every 1 year", "every year": "every 1 year",
                       "annually": "every 1 year", "every other week": "every 2 weeks"}
TRUE_WORDS = {"yes", "y", "true", "1", "prn", "as needed"}
FALSE_WORDS = {"no", "n", "false", "0", ""}


class RowProblem(ValueError):
    """A bad cell: the column it is in and what is wrong."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


@dataclass(frozen=True)
class ImportedRow:
    """A validated row: its number, the patient it belongs to, and the medication."""

    row: int
    patient_id: str | None
    medication: Medication
    notice: str = ""
    """Why the line is not a listed product: it is kept, marked, and reported (empty when listed)."""
    notice_column: str = "drug"


@dataclass
class CsvResult:
    """All rows of one CSV: those that passed and the problems of those that did not."""

    rows: list[ImportedRow] = field(default_factory=list)
    errors: list[TaperInputError] = field(default_factory=list)


@functools.lru_cache(maxsize=4096)  # a list or panel repeats the same few forms (immutable result)
def _parse_form(text: str) -> tuple[Form, Release | None]:
    lowered = text.strip().lower()
    if "disintegrating" in lowered:  # "orally disintegrating tablet", RxNorm's "Disintegrating Oral Tablet"
        return Form.ODT, None
    phrase_form: Form | None = None
    for pattern, named in FORM_PHRASES:
        found = re.search(pattern, lowered)
        if found:
            phrase_form = phrase_form or named
            lowered = lowered[:found.start()] + " " + lowered[found.end():]
    words = re.split(r"[\s,/()]+|(?<![a-z])-|-(?![a-z])", lowered)
    form: Form | None = None
    weak: Form | None = None
    release: Release | None = None
    for word in words:
        if not word:
            continue
        if word in RELEASE_WORDS:
            release = RELEASE_WORDS[word]
        elif word in WEAK_FORM_WORDS:
            weak = weak or FORM_WORDS[word]
        elif word in FORM_WORDS:
            form = FORM_WORDS[word] if form is None else form
        elif word not in FILLER_WORDS:
            raise RowProblem("form", f"{text.strip()!r} is not a form taper knows "
                             "(tablet, capsule, solution, suspension, patch, odt, film, inhaler, "
                             "injection, pen, eye drops, cream, suppository, ...; "
                             "add ER or DR for modified release)")
    form = phrase_form or form or weak
    if form is None:
        raise RowProblem("form", "the form is empty" if not lowered.strip() else
                         f"{text.strip()!r} does not name a form (tablet, capsule, solution, patch, ...)")
    return form, release


def _available(drug: Drug, form: Form | None = None) -> str:
    products = [p for p in drug.products if form is None or p.form is form]
    return "; ".join(
        f"{p.strength} {p.form.label}" + (f" ({p.release.value} release)" if p.release
                                          is not Release.IMMEDIATE else "")
        for p in products[:14]
    ) + ("; ..." if len(products) > 14 else "")


def match_product(
    formulary: Formulary, name: str, strength_text: str, form_text: str
) -> Product:
    """The one formulary product a row describes, or a :class:`RowProblem` saying why not."""
    line = match_line(formulary, name, strength_text, form_text)
    if line.product is None or not line.product.listed:
        raise RowProblem(line.column, line.notice)
    return line.product


@dataclass(frozen=True)
class LineMatch:
    """What the formulary makes of a row's drug, strength and form."""

    product: Product | None
    """The listed product; a product the row describes that the formulary does not list; or None
    when the strength or form cannot be read as a product (the line is kept as written)."""
    drug: str | None = None
    """The formulary drug, when known and there is no product."""
    notice: str = ""
    """Why the line is not a listed product (empty when it is)."""
    column: str = "strength"
    """The column the notice is about."""


def match_line(formulary: Formulary, name: str, strength_text: str, form_text: str) -> LineMatch:
    """Listed product, known drug in a product not listed, or unlisted medicine (DESIGN.md, CSV contract).

    Only what cannot be read at all is a :class:`RowProblem`: an empty name, or for a drug the
    formulary knows, an empty or unreadable strength. Anything else is kept.
    """
    return _match_line(formulary, name, strength_text, form_text)


@functools.lru_cache(maxsize=16384)  # a panel repeats each product on many lines (frozen result)
def _match_line(formulary: Formulary, name: str, strength_text: str, form_text: str) -> LineMatch:
    if not name.strip():
        raise RowProblem("drug", "the drug name is empty")
    match = formulary.lookup(name)
    if match is None:
        return _unknown_drug(formulary, name, strength_text, form_text)
    drug, brand = match.drug, match.brand
    try:
        strength = parse_strength(strength_text)
    except QuantityError as exc:
        raise RowProblem("strength", str(exc)) from None
    if not form_text.strip():
        raise RowProblem("form", "the form is empty")
    try:
        form, release = _parse_form(form_text)
    except RowProblem as exc:
        return LineMatch(None, drug.name, f"{exc.message}; kept as written: product not in the formulary: confirm",
                         "form")
    listed = {p.form for p in drug.products}
    while form not in listed and form in FORM_FALLBACK:
        form = FORM_FALLBACK[form]
    candidates: list[Drug] = [drug]
    if not drug.is_combination and len(strength.amounts) > 1:
        candidates = [c for c in formulary.combinations_with(drug.name)
                      if len(c.ingredients) == len(strength.amounts)] or [drug]
    key = strength.key()
    found: list[Product] = []
    for cand in candidates:
        for product in cand.products:
            if product.form is not form:
                continue
            if release is not None and product.release is not release:
                continue
            if product.strength_key == key:
                found.append(product)
    if not found:
        if not any(p.form is form for c in candidates for p in c.products):
            forms = sorted({p.form.label for c in candidates for p in c.products})
            why = (f"{drug.name} is not listed as {form.label}"
                   + (f" (it comes as: {', '.join(forms)})" if forms else ""))
            column = "form"
        else:
            why = (f"{strength_text.strip()} is not a {form.label} of {drug.name} the formulary lists"
                   f" (listed: {_available(drug, form)})")
            column = "strength"
        target = next((c for c in candidates if len(c.ingredients) == len(strength.amounts)), None)
        described = _described(target.name, target.ingredients, form, release, strength_text) if target else None
        return LineMatch(described, None if described else drug.name,
                         f"{why}; kept: product not in the formulary: confirm", column)
    if len(found) > 1 and brand:
        branded = [p for p in found if p.brand == brand]
        found = branded or found
    if len(found) > 1:
        immediate = [p for p in found if p.release is Release.IMMEDIATE]
        found = immediate or found
    return LineMatch(found[0])


def _unknown_drug(formulary: Formulary, name: str, strength_text: str, form_text: str) -> LineMatch:
    """A medicine the formulary does not know: kept, with a product when its strength and form read as one."""
    notice = formulary.unknown_message(name) + "; kept as an unlisted medicine (not screened until it is resolved)"
    key = " ".join(name.strip().lower().split())
    try:
        form, release = _parse_form(form_text)
        strength = parse_strength(strength_text)
    except (RowProblem, QuantityError):
        return LineMatch(None, None, notice, "drug")
    if len(strength.amounts) != 1:
        return LineMatch(None, None, notice, "drug")
    return LineMatch(_described(key, (key,), form, release, strength_text), None, notice, "drug")


def _described(drug: str, ingredients: tuple[str, ...], form: Form, release: Release | None,
               strength_text: str) -> Product | None:
    """The product a row describes that the formulary does not list, or None when it is not a product
    taper can describe (a patch strength that is not a rate, an amount that is not plausible)."""
    release = release or Release.IMMEDIATE
    try:
        strength = parse_strength(strength_text)
        amounts = tuple(Ingredient(drug=ing, amount=Decimal(value.numerator) / Decimal(value.denominator), unit=unit)
                        for ing, (value, unit) in zip(ingredients, strength.amounts, strict=True))
        volume = strength.volume_ml
        listed_text = "/".join(i.text() for i in amounts)
        return Product(
            id=UNLISTED_PREFIX + product_id(drug, form, release, listed_text), drug=drug, form=form,
            release=release, ingredients=amounts,
            volume_ml=Decimal(volume.numerator) / Decimal(volume.denominator) if volume is not None else None,
            # The prescriber wrote the dose; halves of a plain tablet are taken as written, to confirm.
            split="half" if form is Form.TABLET and release is Release.IMMEDIATE else "none",
            source="as written", listed=False)
    except (QuantityError, ValidationError, ValueError):
        return None


@functools.lru_cache(maxsize=16384)
def _parse_dose(text: str, product: Product | None) -> Fraction:
    raw = text.strip()
    if not raw:
        raise RowProblem("dose", "the dose is empty")
    m = re.fullmatch(r"([+-]?[0-9][0-9,]*(?:\.[0-9]*)?|[+-]?\.[0-9]+)\s*([A-Za-z]*)", raw)
    if not m:
        if raw.lower() in {"half", "1/2", "½"}:
            raise RowProblem("dose", "write half a tablet as 0.5")
        raise RowProblem("dose", f"{raw!r} is not a number of units (write 1, 0.5 or 2.5 mL)")
    try:
        units = parse_number(m.group(1))
    except QuantityError as exc:
        raise RowProblem("dose", str(exc)) from None
    word = m.group(2).lower()
    if product is None:
        return units  # a line kept as written: its unit word stays in the written dose
    noun = product.unit_noun
    nouns = plural(noun, Fraction(2))
    if word in {"mg", "mcg", "g", "ug"}:
        raise RowProblem("dose", f"{raw!r}: the dose is how many {nouns}, not an amount in {word} "
                         f"(the strength column holds the {word})")
    if word in REFUSED_UNIT_WORDS:
        raise RowProblem("dose", f"{raw!r}: write {REFUSED_UNIT_WORDS[word]!r} in full, not "
                         f"{m.group(2)!r} (it is misread)")
    if word:
        if UNIT_WORDS.get(word) is None:
            raise RowProblem("dose", f"{raw!r}: unknown unit {m.group(2)!r}")
        if UNIT_WORDS[word] != noun:
            raise RowProblem("dose", f"{raw!r} does not fit a {product.form.label} "
                             f"of {product.strength} (dose it in {nouns})")
    elif noun == "mL":
        raise RowProblem("dose", f"{raw!r}: give a liquid dose in mL, for example '2.5 mL'")
    elif noun == "unit":
        raise RowProblem("dose", f"{raw!r}: give a dose of {product.strength} in units, "
                         "for example '10 units'")
    return units


@functools.lru_cache(maxsize=16384)
def _parse_when(text: str, product: Product | None, classes: frozenset[str]) -> tuple[tuple[Slot, ...], int | None]:
    raw = " ".join(text.strip().lower().split())
    if not raw:
        raise RowProblem("when", "empty; give slots (morning;noon;evening;bedtime) or a frequency")
    if raw in ABBREVIATIONS or any(w in ABBREVIATIONS for w in re.split(r"[;,\s]+", raw)):
        raise RowProblem("when", f"{text.strip()!r}: abbreviations such as BID or HS are not "
                         "accepted; write 'morning;bedtime' or 'twice daily'")
    raw = raw.removeprefix("at ").removeprefix("in the ")
    if raw in FREQUENCIES:
        planned = FREQUENCIES[raw]
        if product is not None and product.form.is_interval_only:
            return (), 24 // len(planned)
        if planned == (Slot.MORNING,) and classes & BEDTIME_CLASSES:
            return (Slot.BEDTIME,), None
        return planned, None
    if raw in {"weekly", "once a week", "every week"}:
        return (), 168
    if raw == "every other day":
        return (), 48
    if raw.startswith("every ") or raw in LONG_INTERVAL_WORDS:
        try:
            hours = interval_hours(raw)
        except ValueError as exc:
            raise RowProblem("when", f"{text.strip()!r}: {exc}") from None
        if hours is not None:
            return (), hours
    slots: list[Slot] = []
    for part in re.split(r"\s*[;,+]\s*|\s+and\s+", raw):
        word = part.removeprefix("at ").removeprefix("in the ").strip()
        if word not in SLOT_WORDS:
            raise RowProblem("when", f"{part.strip()!r} is not a time slot (use morning, noon, "
                             "evening, bedtime) or a frequency (daily, twice daily, every 8 hours)")
        slots.append(SLOT_WORDS[word])
    return tuple(slots), None


def interval_hours(text: str) -> int | None:
    """Hours in "every 8 hours", "every 90 days", "every 12 weeks", "every 3 months", "every 3 years",
    "monthly", or a bare "72" / "90 days" (the editor's field); None when the text is not an interval.
    A month is 30 days and a year 365: a label's "every 3 months" written as "every 13 weeks" is exact."""
    raw = " ".join(text.strip().lower().split())
    raw = LONG_INTERVAL_WORDS.get(raw, raw).removeprefix("every ").strip()
    m = re.fullmatch(r"(\d{1,6}) ?(hours?|hrs?|h|days?|d|weeks?|wks?|w|months?|mo|years?|yrs?|y)?", raw)
    if not m:
        return None
    word = (m.group(2) or "h")[0]
    hours = int(m.group(1)) * INTERVAL_HOURS["m" if m.group(2) == "mo" else word]
    if not 1 <= hours <= MAX_INTERVAL_HOURS:
        raise ValueError("not a usable interval (from 1 hour to 5 years)")
    return hours


def _parse_bool(text: str, column: str) -> bool:
    word = text.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise RowProblem(column, f"{text.strip()!r}: write yes or no")


def _parse_date(text: str, column: str) -> date | None:
    if not text.strip():
        return None
    try:
        return parse_iso_date(text)
    except ValueError as exc:
        raise RowProblem(column, str(exc)) from None


def row_fields(cells: dict[str, str], row: int, formulary: Formulary) -> ImportedRow:
    """Read one row's cells into a :class:`Medication`; :class:`RowProblem` names the column if bad."""
    for column, value in cells.items():
        if "\x00" in value:
            raise RowProblem(column, "contains a NUL byte")
        if len(value) > 500:
            raise RowProblem(column, "is longer than 500 characters")
    rxcui = cells.get("rxcui", "").strip()
    product_text = cells.get("product", "").strip()
    uses_columns = any(cells.get(c, "").strip() for c in PRODUCT_COLUMNS)
    if product_text and uses_columns:
        raise RowProblem("product", "give the product name or drug, strength and form, not both")
    if product_text or (not uses_columns and "product" in cells):
        line = _product_line(formulary, product_text, rxcui)
        name, strength_text, form_text = product_text, "", ""
    else:
        line = _coded_line(formulary, match_line(formulary, cells["drug"], cells["strength"], cells["form"]),
                           cells["drug"], cells["strength"], cells["form"], rxcui)
        name, strength_text, form_text = cells["drug"].strip(), cells["strength"].strip(), cells["form"].strip()
    product = line.product
    names = [i.drug for i in product.ingredients] if product is not None else [line.drug or ""]
    classes = frozenset().union(*(formulary.classes_of(n) for n in names))
    sig_text = cells.get("sig", "").strip()
    uses_schedule = any(cells.get(c, "").strip() for c in SCHEDULE_COLUMNS)
    if sig_text and uses_schedule:
        raise RowProblem("sig", "give the sig or dose and when, not both")
    prn = _parse_bool(cells.get("prn", ""), "prn")
    max_text = cells.get("max_per_day", "").strip()
    max_units = _parse_dose(max_text, product) if max_text else None
    indication = cells.get("indication", "").strip() or None
    notice, notice_column = line.notice, line.column
    if sig_text or (not uses_schedule and "sig" in cells):
        reading = read_sig(sig_text, product, classes)
        units, slots, interval = reading.units, reading.slots, reading.interval
        prn = prn or reading.prn
        if max_units is None:
            max_units = reading.max_units
        indication = indication or reading.indication
        if reading.notice:
            notice = f"{notice}; {reading.notice}" if notice else reading.notice
            notice_column = notice_column if line.notice else "sig"
        dose_written = sig_text
    else:
        units = _parse_dose(cells["dose"], product)
        slots, interval = _parse_when(cells["when"], product, classes)
        dose_written = cells["dose"].strip()
    listed = product is not None and product.listed
    written = None if listed and not sig_text else AsWritten(
        name=name or (product.drug if product is not None else "?"), strength=strength_text, form=form_text,
        dose=dose_written)
    try:
        medication = Medication(
            id=f"m{row}", product=product, written=written, drug=line.drug if product is None else None,
            units=decimal_text(units) if units is not None else None, slots=slots, interval_hours=interval,
            prn=prn, max_units_per_day=decimal_text(max_units) if max_units is not None else None,
            indication=indication,
            start_date=_parse_date(cells.get("start_date", ""), "start_date"),
            rxcui=rxcui or None, notes=cells.get("notes", "").strip() or None,
        )
    except ValidationError as exc:
        problem = _row_problem(exc)
        if sig_text and problem.column in ("dose", "when", "max_per_day"):
            problem = RowProblem("sig", f"{sig_text!r}: {problem.message}")
        raise problem from None
    return ImportedRow(row, cells.get("patient_id", "").strip() or None, medication, notice, notice_column)


def _product_line(formulary: Formulary, text: str, rxcui: str) -> LineMatch:
    """The ``product`` column (with ``rxcui`` first): a listed product, or a line kept as its name says."""
    from regimens.product_names import NameMatchKind, match_product_name

    if not text and not rxcui:
        raise RowProblem("product", "the product name is empty")
    found = match_product_name(text, rxcui or None, formulary)
    if found.product is not None:
        column = "rxcui" if found.kind is NameMatchKind.RXCUI and found.notice else "product"
        return LineMatch(found.product, None, found.notice, column)
    if not text:
        raise RowProblem("rxcui", f"RxNorm code {rxcui} is not a formulary product; give the product name")
    if found.drug is not None and "code was used" in found.notice:  # an ingredient code naming another drug
        return LineMatch(None, found.drug.name, f"{found.notice}; kept: product not in the formulary: confirm",
                         "rxcui")
    parsed = found.parsed
    if parsed.ingredients:
        try:
            line = match_line(formulary, parsed.name_text, parsed.strength_text, parsed.form_text or "?")
        except RowProblem:
            line = None
        if line is not None and line.product is not None and line.product.listed:
            return line
        if line is not None:
            return LineMatch(line.product, line.drug, f"{text!r}: {line.notice}", "product")
    drug = found.drug.name if found.drug is not None else None
    why = found.notice or "the name was not read as a product"
    kept = ("kept: product not in the formulary: confirm" if drug
            else "kept as an unlisted medicine (not screened until it is resolved)")
    return LineMatch(None, drug, f"{text!r}: {why}; {kept}", "product")


def _coded_line(formulary: Formulary, line: LineMatch, name: str, strength: str, form: str, rxcui: str) -> LineMatch:
    """``rxcui`` first: a code that is a formulary product's wins over drug/strength/form, with a notice
    when they say something else."""
    if not rxcui:
        return line
    from regimens.product_names import match_product_name

    found = match_product_name("", rxcui, formulary)
    if found.product is None or (line.product is not None and line.product.id == found.product.id):
        return line
    said = " ".join(p for p in (name.strip(), strength.strip(), form.strip()) if p)
    return LineMatch(found.product, None, f"RxNorm code {rxcui} is {found.product.description()} but the row says "
                     f"{said}: the code was used", "rxcui")


@dataclass(frozen=True)
class SigReading:
    """What a ``sig`` cell gives the line: units None when it could not be read (kept, never tapered)."""

    units: Fraction | None
    slots: tuple[Slot, ...] = ()
    interval: int | None = None
    prn: bool = False
    max_units: Fraction | None = None
    indication: str | None = None
    notice: str = ""


def read_sig(text: str, product: Product | None, classes: frozenset[str]) -> SigReading:
    """A sig's dose and timing for this product; a unit that does not fit it is an error in ``sig``."""
    from regimens.sig import parse_sig

    if not text:
        raise RowProblem("sig", "the sig is empty; give the directions as prescribed, or dose and when")
    sig = parse_sig(text)
    if not sig.parsed:
        unread = f" ({', '.join(sig.unread)})" if sig.unread else ""
        return SigReading(None, notice=f"sig {text!r} was not read: {sig.problem}{unread}; kept as written, "
                          "dose not stated, not tapered until it is given")
    units = _sig_units(sig, sig.units, product, text) if sig.units is not None else None
    interval = sig.shortest_interval_hours
    slots = sig.slots if interval is None else ()
    notes = list(sig.assumptions)
    if sig.slots_assumed and slots == (Slot.MORNING,) and classes & BEDTIME_CLASSES:
        slots = (Slot.BEDTIME,)
        notes = [n for n in notes if "placed in the morning" not in n]
        notes.append("once a day placed at bedtime (a sleep medicine)")
    if product is not None and product.form.is_interval_only and slots:
        slots, interval = (), 24 // len(slots)
    if units is None or (not slots and interval is None):
        why = "it gives no dose" if units is None else "it gives no time of day or interval"
        return SigReading(None, prn=sig.prn, indication=sig.prn_reason or sig.indication,
                          notice=f"sig {text!r}: {why}; kept as written, dose not stated, not tapered "
                          "until it is given")
    most = None
    if sig.max_per_day is not None:
        if sig.max_per_day_unit == "dose":
            most = Fraction(sig.max_per_day) * units
        elif sig.max_per_day_unit is None or sig.max_per_day_unit == sig.unit:
            most = _sig_units(sig, sig.max_per_day, product, text)
        else:
            of = f" of {sig.max_per_day_of}" if sig.max_per_day_of else ""
            notes.append(f"the ceiling of {sig.max_per_day} {sig.max_per_day_unit}{of} a day is not in doses: "
                         "give max_per_day")
    if sig.duration_days or sig.duration_doses:
        length = f"{sig.duration_days} days" if sig.duration_days else f"{sig.duration_doses} doses"
        notes.append(f"the sig is for {length}: the line has no end date")
    return SigReading(units, slots, interval, sig.prn, most, sig.prn_reason or sig.indication,
                      ("sig read; confirm: " + "; ".join(notes)) if notes else "")


def _sig_units(sig: ParsedSig, amount: Decimal, product: Product | None, text: str) -> Fraction:
    """A count from the sig in the product's dose units; an amount in mg is divided by the strength."""
    units = Fraction(amount)
    if product is None:
        return units
    noun = product.unit_noun
    nouns = plural(noun, Fraction(2))
    unit = sig.unit
    if unit is None:
        if noun in ("mL", "unit"):
            raise RowProblem("sig", f"{text!r}: give a dose of {product.strength} in {nouns}")
        return units
    scale = {"mg": Fraction(1), "mcg": Fraction(1, 1000), "g": Fraction(1000)}
    if unit in scale and len(product.ingredients) == 1 and product.ingredients[0].unit in scale:
        ing = product.ingredients[0]
        per_unit = Fraction(ing.amount) * scale[ing.unit]
        if product.volume_ml is not None:
            per_unit /= Fraction(product.volume_ml)
        return units * scale[unit] / per_unit
    if unit != noun and UNIT_WORDS.get(unit.lower()) != noun:
        raise RowProblem("sig", f"{text!r}: a dose in {plural(unit, Fraction(2))} does not fit a "
                         f"{product.form.label} of {product.strength} (dose it in {nouns})")
    return units


def _row_problem(exc: ValidationError) -> RowProblem:
    """The first rule the model refused, in the column its field was read from."""
    error = exc.errors()[0]
    loc = [str(p) for p in error["loc"]]
    column = COLUMN_OF_FIELD.get(loc[0], "when") if loc else "when"
    return RowProblem(column, plain_message(error))


def _decode(raw: bytes, name: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise TaperInputError(
            f"is not UTF-8 text (byte {exc.start}, line {line}); save it as 'CSV UTF-8'",
            file=name,
        ) from None


def parse_csv_text(text: str, name: str = "medication list", formulary: Formulary | None = None) -> CsvResult:
    """Check every row; file-level problems (no header, missing column) raise at once."""
    formulary = formulary or get_formulary()
    if "\x00" in text:
        raise TaperInputError("contains NUL bytes; it is not a text CSV", file=name)
    if not text.strip():
        raise TaperInputError(
            "is empty; expected a header row: " + ",".join(REQUIRED_COLUMNS)
            + " (or product,sig)", file=name
        )
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except csv.Error as exc:
        raise TaperInputError(f"cannot be read as CSV: {exc}", file=name) from None
    columns = [h.strip().lower() for h in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in columns
               and not (c in PRODUCT_COLUMNS and "product" in columns)
               and not (c in SCHEDULE_COLUMNS and "sig" in columns)]
    if missing:
        raise TaperInputError(
            f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
            f"(found: {', '.join(c for c in columns if c) or 'none'}; a list may give product instead of "
            "drug, strength and form, and sig instead of dose and when)",
            file=name,
        )
    unknown = [c for c in columns if c not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    if unknown:
        raise TaperInputError(
            f"unknown column {unknown[0]!r}; columns are "
            + ", ".join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS),
            file=name,
        )
    dupes = {c for c in columns if columns.count(c) > 1}
    if dupes:
        raise TaperInputError(f"column {sorted(dupes)[0]!r} appears twice", file=name)
    result = CsvResult()
    row = 0
    try:
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            row += 1
            if len(values) != len(columns):
                result.errors.append(TaperInputError(
                    f"has {len(values)} cells but the header has {len(columns)} columns",
                    file=name, row=row))
                continue
            cells = dict(zip(columns, values, strict=True))
            for column in REQUIRED_COLUMNS:
                cells.setdefault(column, "")
            try:
                imported = row_fields(cells, row, formulary)
            except RowProblem as exc:
                result.errors.append(
                    TaperInputError(exc.message, file=name, row=row, column=exc.column))
                continue
            result.rows.append(imported)
    except csv.Error as exc:
        raise TaperInputError(f"cannot be read as CSV after row {row}: {exc}", file=name) from None
    if row == 0:
        raise TaperInputError("has a header but no medication rows", file=name)
    return result


def read_csv_file(path: str | Path) -> tuple[str, str]:
    """(text, name) of a CSV file, with size and encoding checked."""
    name = str(path)
    raw = read_input(path, MAX_CSV_BYTES, "CSV file")
    return _decode(raw, name), name


def strict_errors(errors: list[TaperInputError]) -> None:
    """Raise one error listing every bad row; nothing is imported when any row is bad."""
    if errors:
        first = errors[0]
        more = [e.render() for e in errors[1:MAX_ROWS_SHOWN]]
        if len(errors) > MAX_ROWS_SHOWN:
            more.append(f"... and {len(errors) - MAX_ROWS_SHOWN} more")
        n = len(errors)
        raise TaperInputError(
            first.message + (f" ({n} rows have problems; nothing was imported)" if n > 1
                             else " (nothing was imported)"),
            file=first.file, row=first.row, column=first.column, details=more,
        )


def strict_result(result: CsvResult, name: str) -> CsvResult:
    """Raise one error listing every bad row; nothing is imported when any row is bad."""
    strict_errors(result.errors)
    return result


def single_patient(rows: list[ImportedRow], name: str) -> None:
    patients = sorted({r.patient_id for r in rows if r.patient_id})
    if len(patients) > 1:
        raise TaperInputError(
            f"holds {len(patients)} patients (patient_id {', '.join(patients[:3])}...); "
            "use 'taper panel' for several patients",
            file=name,
        )


def rows_from_csv(path: str | Path) -> list[ImportedRow]:
    """One patient's checked rows from a CSV file (strict: an error if any row is bad)."""
    text, name = read_csv_file(path)
    result = parse_csv_text(text, name)
    strict_errors(result.errors)
    single_patient(result.rows, name)
    return result.rows


def regimen_from_csv_text(text: str, name: str = "medication list") -> Regimen:
    """A single patient's regimen from CSV text (strict)."""
    rows = parse_csv_text(text, name)
    strict_errors(rows.errors)
    single_patient(rows.rows, name)
    return Regimen(medications=tuple(r.medication for r in rows.rows))


def regimen_from_csv(path: str | Path) -> Regimen:
    """A single patient's regimen from a CSV file (strict: nothing imported if a row is bad)."""
    return medication_list(path)[0]


def medication_list(path: str | Path) -> tuple[Regimen, list[str]]:
    """A single patient's regimen from a CSV file (strict), with a notice per line it keeps that is not
    a listed product ("row 3, drug: 'Ashwagandha' is not in the formulary; kept as an unlisted ...")."""
    text, name = read_csv_file(path)
    result = parse_csv_text(text, name)
    strict_errors(result.errors)
    single_patient(result.rows, name)
    notices = [TaperInputError(r.notice, file=name, row=r.row, column=r.notice_column).render()
               for r in result.rows if r.notice]
    return Regimen(medications=tuple(r.medication for r in result.rows)), notices
