"""Forms, release profiles, time slots and strength notation: the vocabulary products are written in."""

from __future__ import annotations

import functools
import re
from enum import StrEnum
from fractions import Fraction
from typing import NamedTuple

from regimens.plain_errors import excerpt
from regimens.quantity import QuantityError, parse_number


class Form(StrEnum):
    """How a product is taken or applied."""

    TABLET = "tablet"
    CAPSULE = "capsule"
    ODT = "odt"
    FILM = "film"
    SOLUTION = "solution"
    SUSPENSION = "suspension"
    CONCENTRATE = "concentrate"
    PATCH = "patch"
    GRANULES = "granules"
    NASAL_SPRAY = "nasal-spray"
    CHEWABLE = "chewable"
    SUBLINGUAL = "sublingual"
    INHALER = "inhaler"
    NEBULIZER_SOLUTION = "nebulizer-solution"
    INJECTION = "injection"
    PEN = "pen"
    EYE_DROPS = "eye-drops"
    EAR_DROPS = "ear-drops"
    CREAM = "cream"
    OINTMENT = "ointment"
    GEL = "gel"
    LOTION = "lotion"
    TOPICAL_SOLUTION = "topical-solution"
    FOAM = "foam"
    SUPPOSITORY = "suppository"
    ENEMA = "enema"
    VAGINAL_CREAM = "vaginal-cream"
    VAGINAL_INSERT = "vaginal-insert"
    VAGINAL_RING = "vaginal-ring"
    IMPLANT = "implant"
    RINSE = "rinse"
    POWDER = "powder"
    TROCHE = "troche"
    ORAL_SPRAY = "oral-spray"

    @property
    def is_liquid(self) -> bool:
        return self in LIQUID_FORMS

    @property
    def is_oral_liquid(self) -> bool:
        """Swallowed liquids, measured with an oral syringe."""
        return self in ORAL_LIQUID_FORMS

    @property
    def is_applied(self) -> bool:
        """Put on or into the body rather than swallowed ("Apply", "Use", "Inject" rather than "Take")."""
        return self in APPLIED_FORMS

    @property
    def is_interval_only(self) -> bool:
        """Worn or left in place and changed on an interval (patches, rings, implants), never at time slots."""
        return self in INTERVAL_FORMS

    @property
    def instruction(self) -> str:
        """How a dose is given, with ``{dose}`` for the dose: "Take {dose}", "Inhale {dose}"."""
        return FORM_VERBS.get(self, "Take {dose}")

    @property
    def unit_noun(self) -> str:
        """The word for one unit of this form on a label ("tablet", "mL", "patch")."""
        return UNIT_NOUNS[self]

    @property
    def label(self) -> str:
        """The form as printed in a product's description ("oral solution")."""
        return FORM_LABELS[self]


#: The forms taper has always planned tapers in, with or without a guideline rule set for the drug; any
#: other form is tapered only under a rule set that covers the drug's class.
CLASSIC_FORMS = frozenset({Form.TABLET, Form.CAPSULE, Form.ODT, Form.FILM, Form.SOLUTION, Form.SUSPENSION,
                           Form.CONCENTRATE, Form.PATCH, Form.GRANULES, Form.NASAL_SPRAY})
#: Forms an MME conversion factor written without a form applies to (the CDC factors are for opioids by
#: mouth; patches and other forms have factors of their own or none): never an injection or a suppository.
GENERAL_FACTOR_FORMS = frozenset(f.value for f in CLASSIC_FORMS | {Form.CHEWABLE})
#: Forms dosed in mL, whose strength is stated per volume.
LIQUID_FORMS = frozenset({Form.SOLUTION, Form.SUSPENSION, Form.CONCENTRATE, Form.NEBULIZER_SOLUTION})
#: Liquids that are swallowed (measured with an oral syringe; the tail of a taper may move to them).
ORAL_LIQUID_FORMS = frozenset({Form.SOLUTION, Form.SUSPENSION, Form.CONCENTRATE})
#: Forms that may state their strength per volume without being dosed in mL: injections and pens are
#: dosed in mL, in units (insulin "100 units/mL") or per injection; drops, sprays and rinses per drop,
#: spray or mL of a stated concentration.
VOLUME_OPTIONAL_FORMS = frozenset({
    Form.INJECTION, Form.PEN, Form.EYE_DROPS, Form.EAR_DROPS, Form.NASAL_SPRAY, Form.ORAL_SPRAY,
    Form.TOPICAL_SOLUTION, Form.LOTION, Form.RINSE, Form.ENEMA, Form.INHALER,
})
#: Forms whose doses may be counted in units (insulin): a "N units/mL" strength is dosed in units.
UNIT_DOSED_FORMS = frozenset({Form.INJECTION, Form.PEN})
#: Forms worn or left in place and changed on an interval, never at time slots.
INTERVAL_FORMS = frozenset({Form.PATCH, Form.VAGINAL_RING, Form.IMPLANT})
#: Forms whose strength may be a delivery rate (mcg/hr, mg/24 hr, mcg/24 hr).
RATE_FORMS = frozenset({Form.PATCH, Form.VAGINAL_RING, Form.IMPLANT})
#: Forms that are not swallowed.
APPLIED_FORMS = frozenset({
    Form.PATCH, Form.NASAL_SPRAY, Form.INHALER, Form.NEBULIZER_SOLUTION, Form.INJECTION, Form.PEN,
    Form.EYE_DROPS, Form.EAR_DROPS, Form.CREAM, Form.OINTMENT, Form.GEL, Form.LOTION,
    Form.TOPICAL_SOLUTION, Form.FOAM, Form.SUPPOSITORY, Form.ENEMA, Form.VAGINAL_CREAM,
    Form.VAGINAL_INSERT, Form.VAGINAL_RING, Form.IMPLANT, Form.RINSE, Form.ORAL_SPRAY,
})
#: The instruction for a dose of each form that is not simply taken by mouth ("Take {dose}").
FORM_VERBS = {
    Form.PATCH: "Apply {dose}", Form.CREAM: "Apply {dose}", Form.OINTMENT: "Apply {dose}",
    Form.GEL: "Apply {dose}", Form.LOTION: "Apply {dose}", Form.TOPICAL_SOLUTION: "Apply {dose}",
    Form.FOAM: "Apply {dose}",
    Form.INHALER: "Inhale {dose}", Form.NEBULIZER_SOLUTION: "Inhale {dose} by nebulizer",
    Form.INJECTION: "Inject {dose}", Form.PEN: "Inject {dose}",
    Form.SUPPOSITORY: "Insert {dose}", Form.VAGINAL_CREAM: "Insert {dose} into the vagina",
    Form.VAGINAL_INSERT: "Place {dose} in the vagina", Form.VAGINAL_RING: "Insert {dose} into the vagina",
    Form.NASAL_SPRAY: "Use {dose} in the nose", Form.EYE_DROPS: "Put {dose} in the eye",
    Form.EAR_DROPS: "Put {dose} in the ear", Form.ENEMA: "Use {dose}",
    Form.IMPLANT: "Have {dose} placed", Form.RINSE: "Rinse the mouth with {dose}",
    Form.ORAL_SPRAY: "Use {dose} in the mouth",
    Form.SUBLINGUAL: "Place {dose} under the tongue", Form.TROCHE: "Dissolve {dose} in the mouth",
    Form.CHEWABLE: "Chew {dose}",
}
FORM_LABELS = {
    Form.TABLET: "tablet",
    Form.CAPSULE: "capsule",
    Form.ODT: "orally disintegrating tablet",
    Form.FILM: "film",
    Form.SOLUTION: "oral solution",
    Form.SUSPENSION: "oral suspension",
    Form.CONCENTRATE: "oral concentrate",
    Form.PATCH: "patch",
    Form.GRANULES: "granules",
    Form.NASAL_SPRAY: "nasal spray",
    Form.CHEWABLE: "chewable tablet",
    Form.SUBLINGUAL: "sublingual tablet",
    Form.INHALER: "inhaler",
    Form.NEBULIZER_SOLUTION: "nebulizer solution",
    Form.INJECTION: "injection",
    Form.PEN: "prefilled pen",
    Form.EYE_DROPS: "eye drops",
    Form.EAR_DROPS: "ear drops",
    Form.CREAM: "cream",
    Form.OINTMENT: "ointment",
    Form.GEL: "gel",
    Form.LOTION: "lotion",
    Form.TOPICAL_SOLUTION: "topical solution",
    Form.FOAM: "foam",
    Form.SUPPOSITORY: "suppository",
    Form.ENEMA: "enema",
    Form.VAGINAL_CREAM: "vaginal cream",
    Form.VAGINAL_INSERT: "vaginal insert",
    Form.VAGINAL_RING: "vaginal ring",
    Form.IMPLANT: "implant",
    Form.RINSE: "oral rinse",
    Form.POWDER: "powder",
    Form.TROCHE: "troche",
    Form.ORAL_SPRAY: "oral spray",
}
UNIT_NOUNS = {
    Form.TABLET: "tablet",
    Form.CAPSULE: "capsule",
    Form.ODT: "tablet",
    Form.FILM: "film",
    Form.SOLUTION: "mL",
    Form.SUSPENSION: "mL",
    Form.CONCENTRATE: "mL",
    Form.PATCH: "patch",
    Form.GRANULES: "packet",
    Form.NASAL_SPRAY: "spray",
    Form.CHEWABLE: "tablet",
    Form.SUBLINGUAL: "tablet",
    Form.INHALER: "puff",
    Form.NEBULIZER_SOLUTION: "mL",
    Form.INJECTION: "injection",
    Form.PEN: "injection",
    Form.EYE_DROPS: "drop",
    Form.EAR_DROPS: "drop",
    Form.CREAM: "application",
    Form.OINTMENT: "application",
    Form.GEL: "application",
    Form.LOTION: "application",
    Form.TOPICAL_SOLUTION: "application",
    Form.FOAM: "application",
    Form.SUPPOSITORY: "suppository",
    Form.ENEMA: "enema",
    Form.VAGINAL_CREAM: "applicatorful",
    Form.VAGINAL_INSERT: "insert",
    Form.VAGINAL_RING: "ring",
    Form.IMPLANT: "implant",
    Form.RINSE: "mL",
    Form.POWDER: "dose",
    Form.TROCHE: "troche",
    Form.ORAL_SPRAY: "spray",
}
#: Dose nouns that count something (every noun but "mL"), with their plurals.
NOUN_PLURALS = {
    "tablet": "tablets", "capsule": "capsules", "patch": "patches", "film": "films", "packet": "packets",
    "spray": "sprays", "puff": "puffs", "injection": "injections", "drop": "drops",
    "application": "applications", "suppository": "suppositories", "enema": "enemas",
    "applicatorful": "applicatorfuls", "insert": "inserts", "ring": "rings", "implant": "implants",
    "dose": "doses", "troche": "troches", "unit": "units", "mL": "mL",
}


class Release(StrEnum):
    """Release profile; modified-release products are never split."""

    IMMEDIATE = "immediate"
    EXTENDED = "extended"
    DELAYED = "delayed"


#: Mass units and their size in mg.
MASS_UNITS = {"g": Fraction(1000), "mg": Fraction(1), "mcg": Fraction(1, 1000)}
#: Patch, ring and implant delivery rates and the mg they deliver in a day.
RATE_UNITS = {"mcg/hr": Fraction(24, 1000), "mg/24 hr": Fraction(1), "mcg/24 hr": Fraction(1, 1000)}
UNIT_ALIASES = {
    "mg": "mg",
    "milligram": "mg",
    "milligrams": "mg",
    "mcg": "mcg",
    "µg": "mcg",
    "μg": "mcg",
    "ug": "mcg",
    "microgram": "mcg",
    "micrograms": "mcg",
    "g": "g",
    "gram": "g",
    "grams": "g",
    "gm": "g",
    "mcg/hr": "mcg/hr",
    "mcg/h": "mcg/hr",
    "mcg/hour": "mcg/hr",
    "µg/h": "mcg/hr",
    "µg/hr": "mcg/hr",
    "ug/hr": "mcg/hr",
    "ug/h": "mcg/hr",
    "mg/24hr": "mg/24 hr",
    "mg/24 hr": "mg/24 hr",
    "mg/24h": "mg/24 hr",
    "mg/24 h": "mg/24 hr",
    "mg/day": "mg/24 hr",
    "mcg/24hr": "mcg/24 hr",
    "mcg/24 hr": "mcg/24 hr",
    "mcg/24h": "mcg/24 hr",
    "mcg/24 h": "mcg/24 hr",
    "mcg/day": "mcg/24 hr",
    "µg/24 hr": "mcg/24 hr",
    "ug/24 hr": "mcg/24 hr",
    "unit": "units",
    "units": "units",
    "iu": "units",
    "international units": "units",
    "usp units": "units",
    "meq": "mEq",
    "milliequivalent": "mEq",
    "milliequivalents": "mEq",
    "%": "%",
    "percent": "%",
}
#: Amounts that are counted in their own unit (insulin units, potassium mEq): summed per day, never
#: converted to mg.
COUNT_UNITS = frozenset({"units", "mEq"})
#: A concentration with no amount per dose (a 1% cream, 0.5% eye drops): no daily total exists.
PERCENT = "%"
#: Longest interval between doses or changes: an implant left in for 5 years.
MAX_INTERVAL_HOURS = 24 * 366 * 5
#: Most ingredients one product may have (Adderall's four amphetamine salts).
MAX_INGREDIENTS = 4


class Slot(StrEnum):
    """The four Universal Medication Schedule periods, in order."""

    MORNING = "morning"
    NOON = "noon"
    EVENING = "evening"
    BEDTIME = "bedtime"


SLOT_ORDER = (Slot.MORNING, Slot.NOON, Slot.EVENING, Slot.BEDTIME)
SLOT_PHRASES = {
    Slot.MORNING: "in the morning",
    Slot.NOON: "at noon",
    Slot.EVENING: "in the evening",
    Slot.BEDTIME: "at bedtime",
}


_RATE_ALIASES = "|".join(re.escape(a) for a in sorted((a for a in UNIT_ALIASES if "/" in a), key=len, reverse=True))
_RATE_PART = rf"\s*([0-9][0-9,]*(?:\.[0-9]+)?|\.[0-9]+)\s*({_RATE_ALIASES})\s*"
_RATES_RE = re.compile(rf"{_RATE_PART}(?:/{_RATE_PART})+", flags=re.IGNORECASE)
"""Two or more rates joined by "/" (each rate unit, longest first)."""
_RATE_EACH_RE = re.compile(rf"{_RATE_PART}(?:/|$)", flags=re.IGNORECASE)
_PART_RE = re.compile(r"^\s*(?P<num>[0-9][0-9,]*(?:\.[0-9]+)?|\.[0-9]+)\s*(?P<unit>[^\d\s].*?)?\s*$")


class ParsedStrength(NamedTuple):
    """A strength as typed by a user or written in the formulary."""

    amounts: tuple[tuple[Fraction, str], ...]
    volume_ml: Fraction | None = None

    def key(self) -> tuple[tuple[tuple[Fraction, str], ...], Fraction | None]:
        return (tuple(normalised(v, u) for v, u in self.amounts), self.volume_ml)


def normalised(value: Fraction, unit: str) -> tuple[Fraction, str]:
    """Masses compare in mg, so "0.1 mg" and "100 mcg" are the same strength."""
    if unit in MASS_UNITS:
        return (value * MASS_UNITS[unit], "mg")
    return (value, unit)


def canonical_unit(text: str) -> str:
    unit = " ".join(text.strip().lower().split())
    if unit in UNIT_ALIASES:
        return UNIT_ALIASES[unit]
    raise QuantityError(f"unknown unit {excerpt(text.strip())}")


def _combination_rates(text: str) -> tuple[tuple[Fraction, str], ...] | None:
    """Two or more delivery rates joined by "/" ("150 mcg/24 hr/35 mcg/24 hr": a contraceptive patch or ring
    releasing two hormones); None for anything else."""
    if not _RATES_RE.fullmatch(text):
        return None
    found = _RATE_EACH_RE.findall(text)
    if len(found) > MAX_INGREDIENTS:
        raise QuantityError(f"{excerpt(text)} has more than {MAX_INGREDIENTS} ingredients")
    return tuple((parse_number(num), UNIT_ALIASES[unit.lower()]) for num, unit in found)


#: The unit aliases, longest first, so "mg/24 hr" is tried before "hr" (sorted once, not per strength).
_LONGEST_ALIASES_FIRST = tuple(sorted(UNIT_ALIASES.items(), key=lambda kv: -len(kv[0])))


def parse_strength(text: str) -> ParsedStrength:
    """Read "5 mg", "0.5mg", "25 mcg/hr", "5 mg/5 mL", "20 mg/mL", "10 mg/325 mg".

    The grammar is the one in the formulary and the CSV contract; anything else raises
    :class:`QuantityError` with a plain explanation.
    """
    return _parse_strength(text)


@functools.lru_cache(maxsize=8192)  # the same few hundred strengths, read over and over (immutable result)
def _parse_strength(text: str) -> ParsedStrength:
    raw = text.strip()
    if not raw:
        raise QuantityError("the strength is empty")
    lowered = " ".join(raw.split())
    rates = _combination_rates(lowered)
    if rates:
        return ParsedStrength(amounts=rates)
    # Rates first: "25 mcg/hr", "0.1 mg/24 hr" contain a slash that is part of the unit.
    for alias, unit in _LONGEST_ALIASES_FIRST:
        if "/" in alias and lowered.lower().endswith(alias):
            number = lowered[: -len(alias)].strip()
            return ParsedStrength(amounts=((parse_number(number), unit),))
    pieces = [p.strip() for p in lowered.split("/")]
    volume: Fraction | None = None
    last = pieces[-1].lower().replace(" ", "")
    if len(pieces) > 1 and last.endswith("ml"):
        vol_text = last[:-2]
        volume = parse_number(vol_text) if vol_text else Fraction(1)
        if volume <= 0:
            raise QuantityError("the volume must be more than 0 mL")
        pieces = pieces[:-1]
    if len(pieces) > MAX_INGREDIENTS:
        raise QuantityError(f"{excerpt(raw)} has more than {MAX_INGREDIENTS} ingredients")
    amounts: list[tuple[Fraction, str]] = []
    # "10/325 mg" is common shorthand for "10 mg/325 mg": a bare number takes the unit after it.
    tail_unit = ""
    for i in range(len(pieces) - 1, -1, -1):
        part = _PART_RE.match(pieces[i])
        if part and part.group("unit"):
            tail_unit = part.group("unit")
        elif tail_unit and re.fullmatch(r"[0-9.,]+", pieces[i]):
            pieces[i] = f"{pieces[i]} {tail_unit}"
    for piece in pieces:
        match = _PART_RE.match(piece)
        if not match or not match.group("unit"):
            raise QuantityError(
                f"{excerpt(raw)} is not a strength (write it like '5 mg', '5 mg/5 mL' or '10 mg/325 mg')"
            )
        unit = canonical_unit(match.group("unit"))
        if unit in RATE_UNITS:
            raise QuantityError(f"{excerpt(raw)} mixes a patch rate with other amounts")
        if unit == PERCENT and volume is not None:
            raise QuantityError(f"{excerpt(raw)}: a percentage is already a concentration (no '/mL')")
        value = parse_number(match.group("num"))
        if value <= 0:
            raise QuantityError(f"{excerpt(raw)}: a strength must be more than 0")
        amounts.append((value, unit))
    return ParsedStrength(amounts=tuple(amounts), volume_ml=volume)
