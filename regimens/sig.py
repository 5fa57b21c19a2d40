"""Free-text sigs ("1 tab po qd", "1-2 tabs q4-6h prn pain") read into dose and timing.

:func:`parse_sig` reads the shorthand and words of e-prescribing tables into a :class:`ParsedSig`;
:func:`normalised` writes the patient wording back with no abbreviations (``patient-output.md`` §3,
§5): Arabic numerals, "by mouth", the four UMS periods by name, "when needed" for PRN.

**Never guess silently.** The text is read as a sequence of known phrases. A word the parser does not
know, two doses, two routes, a schedule that contradicts itself, or any of the phrases that defer the
directions elsewhere ("as directed", "sliding scale", "taper", "then", "per protocol") make the whole
sig *unparsed*: ``parsed`` is False, every reading field is empty, ``problem`` says why and ``unread``
lists the words that were not understood, so the caller keeps the original text on an unparsed line
and shows it. No word is ever dropped from a parsed sig. The only inferences the parser makes are
these, and each one it makes for a sig is listed in ``assumptions`` for the pharmacist to confirm:

- a count per day with no named time ("qd", "bid", "3 times a day", "with meals") is placed on the
  UMS periods (1: morning; 2: morning, evening; 3: morning, noon, evening; 4: all four) and
  ``slots_assumed`` is True; the wording then keeps the count ("once a day") when it is one dose;
- "at night", "nightly", "every night" are read as bedtime;
- the eye and ear codes ``od``/``os``/``ou``/``ad``/``as``/``au`` are read as eyes and ears only when the
  dose is in drops (or an ointment application); otherwise ``od`` (British "once daily") is ambiguous and
  the sig is unparsed;
- a daily patch ("1 patch daily") is put on a 24-hour interval, since patches are never given at slots;
- words after "prn"/"as needed"/"for" are kept as the reason ("pain", "muscle spasm"), up to six plain
  words; a few shorthands are spelled out (SOB, HA, CP, N/V, GERD, UTI; "insomnia" -> "sleep"), and a
  word that looks like shorthand (two letters or fewer, no vowel, "q" not followed by "u") is never taken
  for a reason, so it leaves the sig unparsed;
- ISMP error-prone forms are read but listed: "u" as units, "1/2" as a half, Roman "i"/"ii"/"iii".

Not read on purpose (unparsed, with the reason): several steps ("then", "taper", "alternating"),
two doses in one sig ("1 tab qam and 2 tabs qhs"), counts a week or a month ("twice weekly",
"monthly"), weekdays, clock times ("at 8 am"), teaspoons, and months as durations.

Ranges keep both ends: ``units`` is the most per dose ("1-2 tabs" -> 2) and ``units_min`` the least;
``interval_hours`` is the longest interval and ``interval_min_hours`` the shortest, which as-needed
ceilings use.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from pydantic import BaseModel, ConfigDict

from regimens.forms import SLOT_ORDER, SLOT_PHRASES, Slot
from regimens.quantity import format_number

# ---------------------------------------------------------------------------------------------
# The result


class ParsedSig(BaseModel):
    """What a free-text sig says, field by field; ``parsed`` False when it cannot be read."""

    model_config = ConfigDict(frozen=True)

    text: str
    """The sig exactly as written."""
    parsed: bool
    problem: str | None = None
    """Why the sig could not be read (unparsed sigs only)."""
    unread: tuple[str, ...] = ()
    """The words that were not understood (unparsed sigs only)."""
    verb: str | None = None
    """The written verb, normalised ("take", "inhale", "apply", "chew"...)."""
    units: Decimal | None = None
    """Units per dose, the most of a range ("1-2 tabs" -> 2); None when no dose is stated."""
    units_min: Decimal | None = None
    """The least of a range ("1-2 tabs" -> 1); equal to ``units`` when no range was written."""
    unit: str | None = None
    """tablet, capsule, puff, mL, unit, drop, patch, spray, application, suppository, packet, mg...;
    None when the sig gives only a number ("1 bid")."""
    amount: Decimal | None = None
    """A strength per dose written beside the count ("1 tablet (5 mg)"): 5."""
    amount_unit: str | None = None
    amount_words: str | None = None
    """An amount in words, for creams: "a thin layer", "a small amount"."""
    route: str | None = None
    """by mouth, under the tongue, inhaled, by nebulizer, into the eye, into the ear, in the nose,
    on the skin, transdermal, subcutaneous, intramuscular, intravenous, rectal, vaginal, by feeding tube."""
    site: str | None = None
    """each eye, right eye, left ear, each nostril, affected area..."""
    slots: tuple[Slot, ...] = ()
    """UMS periods. With an interval of a day or more, the time of day of that dose ("weekly in the morning")."""
    slots_assumed: bool = False
    """True when ``slots`` were placed from a count per day ("bid") rather than named times."""
    times_per_day: int | None = None
    """The count per day as written ("3 times a day", "tid"; 1 for "daily")."""
    interval_hours: int | None = None
    """Every N hours (the longest of a range); 48 every other day, 168 weekly."""
    interval_min_hours: int | None = None
    """The shortest interval of a range ("q4-6h" -> 4); None when no range was written."""
    interval_minutes: int | None = None
    """Every N minutes, for repeats within the hour ("every 5 minutes as needed for chest pain")."""
    one_time: bool = False
    """A single dose ("x1", "once", "now")."""
    prn: bool = False
    prn_reason: str | None = None
    indication: str | None = None
    """What it is for when the sig says so without "as needed" ("for blood pressure")."""
    max_per_day: Decimal | None = None
    max_per_day_unit: str | None = None
    """The unit of ``max_per_day``: a unit word, "dose", or None when the sig gives only a number."""
    max_per_day_of: str | None = None
    """The ingredient a mass ceiling counts, as written ("3 g of acetaminophen a day")."""
    duration_days: int | None = None
    duration_doses: int | None = None
    notes: tuple[str, ...] = ()
    """Free notes in plain words: "with food", "before breakfast", "while awake", "shake well"."""
    assumptions: tuple[str, ...] = ()
    """Every reading the parser made that the text does not spell out, for the pharmacist to confirm:
    "'bid' placed in the morning and in the evening", "'at night' read as bedtime", "'u' read as units"."""

    @property
    def shortest_interval_hours(self) -> int | None:
        """The interval a ceiling uses: the shortest of a range."""
        return self.interval_min_hours if self.interval_min_hours is not None else self.interval_hours

    @property
    def max_units_per_day(self) -> Decimal | None:
        """The written maximum a day in the dose's unit, when it can be said in that unit."""
        if self.max_per_day is None:
            return None
        if self.max_per_day_unit == "dose":
            return None if self.units is None else self.max_per_day * self.units
        if self.max_per_day_unit is None or self.max_per_day_unit == self.unit:
            return self.max_per_day
        return None


# ---------------------------------------------------------------------------------------------
# Vocabulary

_NUMBER_WORDS = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
    "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12",
    "i": "1", "ii": "2", "iii": "3",
}
_NUM = r"(?:\d+(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|iii|ii|i)"
_HALF = r"(?:half(?: of)? an?|one half(?: of an?)?|a half|half)"
_QUARTER = r"(?:(?:a |one )?quarter(?: of an?)?)"
_THREE_QUARTERS = r"(?:three quarters?(?: of an?)?)"

#: Written unit -> normalised unit word.
_UNITS = {
    "tab": "tablet", "tabs": "tablet", "tablet": "tablet", "tablets": "tablet", "tb": "tablet",
    "cap": "capsule", "caps": "capsule", "capsule": "capsule", "capsules": "capsule",
    "softgel": "capsule", "softgels": "capsule",
    "pill": "pill", "pills": "pill",
    "puff": "puff", "puffs": "puff", "inhalation": "puff", "inhalations": "puff",
    "actuation": "puff", "actuations": "puff",
    "ml": "mL", "mls": "mL", "milliliter": "mL", "milliliters": "mL", "millilitre": "mL",
    "millilitres": "mL", "cc": "mL", "ccs": "mL",
    "unit": "unit", "units": "unit", "u": "unit", "iu": "unit", "international units": "unit",
    "drop": "drop", "drops": "drop", "gtt": "drop", "gtts": "drop",
    "patch": "patch", "patches": "patch",
    "spray": "spray", "sprays": "spray",
    "application": "application", "applications": "application",
    "applicatorful": "applicatorful", "applicatorfuls": "applicatorful",
    "applicator": "applicatorful", "applicators": "applicatorful",
    "suppository": "suppository", "suppositories": "suppository", "supp": "suppository",
    "supps": "suppository",
    "packet": "packet", "packets": "packet", "pkt": "packet", "sachet": "packet", "sachets": "packet",
    "lozenge": "lozenge", "lozenges": "lozenge", "troche": "troche", "troches": "troche",
    "film": "film", "films": "film", "strip": "film", "strips": "film",
    "vial": "vial", "vials": "vial", "ampule": "vial", "ampules": "vial", "nebule": "vial", "nebules": "vial",
    "mg": "mg", "milligram": "mg", "milligrams": "mg",
    "mcg": "mcg", "microgram": "mcg", "micrograms": "mcg", "ug": "mcg",
    "g": "g", "gm": "g", "gram": "g", "grams": "g",
    "meq": "mEq",
}
_UNIT_RE = "(?:" + "|".join(sorted((re.escape(u) for u in _UNITS), key=len, reverse=True)) + ")"
_MASS_UNITS = frozenset({"mg", "mcg", "g", "mEq"})
_PLURALS = {"patch": "patches", "suppository": "suppositories", "mL": "mL", "mg": "mg", "mcg": "mcg",
            "g": "g", "mEq": "mEq"}

_VERBS = {
    "take": "take", "give": "give", "inhale": "inhale", "inject": "inject", "apply": "apply",
    "instill": "instill", "place": "place", "put": "put", "insert": "insert", "use": "use",
    "chew": "chew", "dissolve": "dissolve", "spray": "spray", "administer": "give", "swallow": "swallow",
    "rub": "apply", "massage": "apply", "inj": "inject",
}

#: Route phrases -> (route, site).
_ROUTES: dict[str, tuple[str, str | None]] = {}


def _route(route: str, site: str | None, *phrases: str) -> None:
    for phrase in phrases:
        _ROUTES[phrase] = (route, site)


_route("by mouth", None, "in mouth", "in the mouth",
       "po", "by mouth", "per mouth", "orally", "oral", "per os", "by mouth orally", "p o")
_route("under the tongue", None, "sl", "sublingual", "sublingually", "under the tongue", "under tongue",
       "under your tongue")
_route("between the cheek and gum", None, "buccal", "buccally", "between cheek and gum",
       "between the cheek and gum")
_route("inhaled", None, "into the lungs", "inh", "inhaled", "by inhalation", "via inhalation", "orally inhaled",
       "via inhaler", "by inhaler", "using inhaler", "with inhaler", "via mdi", "per mdi")
_route("by nebulizer", None, "via nebulizer", "via neb", "by nebulizer", "nebulized", "per neb",
       "per nebulizer", "neb", "via nebuliser", "by nebuliser", "in nebulizer")
_route("into the eye", None, "ophthalmic", "in eye", "in the eye", "into the eye", "into eye")
_route("into the eye", "each eye", "to each eye", "to the eyes",
       "in each eye", "in both eyes", "into each eye", "into both eyes",
       "to both eyes", "each eye", "both eyes", "in eyes", "in the eyes", "into eyes")
_route("into the eye", "right eye", "right eye", "in the right eye", "in right eye", "into the right eye",
       "into right eye")
_route("into the eye", "left eye", "left eye", "in the left eye", "in left eye", "into the left eye",
       "into left eye")
_route("into the eye", "affected eye", "to affected eye", "to the affected eye",
       "affected eye", "in the affected eye", "in affected eye",
       "into the affected eye", "into affected eye", "affected eyes", "in affected eyes",
       "in the affected eyes")
_route("into the ear", None, "otic", "in ear", "in the ear", "into the ear", "into ear")
_route("into the ear", "each ear", "to each ear", "to both ears",
       "in each ear", "in both ears", "into each ear", "into both ears",
       "each ear", "both ears", "in ears", "in the ears")
_route("into the ear", "right ear", "right ear", "in the right ear", "in right ear", "into the right ear",
       "into right ear")
_route("into the ear", "left ear", "left ear", "in the left ear", "in left ear", "into the left ear",
       "into left ear")
_route("into the ear", "affected ear", "affected ear", "in the affected ear", "in affected ear",
       "into the affected ear", "into affected ear", "affected ears", "in affected ears")
_route("in the nose", None, "intranasal", "intranasally", "nasally", "nasal", "in the nose", "in nose",
       "into the nose", "in nostril", "in the nostril", "into nostril", "per nostril")
_route("in the nose", "each nostril", "each nostril", "in each nostril", "into each nostril", "both nostrils",
       "in both nostrils", "into both nostrils", "each nare", "in each nare", "per nare", "each nares",
       "in each nares", "in each side of nose", "per each nostril")
_route("in the nose", "one nostril", "in one nostril", "one nostril", "into one nostril")
_route("on the skin", None, "top", "topical", "topically", "to skin", "to the skin", "on the skin",
       "on skin", "externally", "to clean dry skin", "to clean, dry skin", "onto the skin", "onto skin",
       "cutaneous")
_route("on the skin", "affected area", "to affected area", "to the affected area", "to affected areas",
       "to the affected areas", "to affected skin", "to the affected skin", "affected area", "affected areas",
       "to aa", "aa", "on affected area", "on the affected area", "to area", "to the area")
_BODY_SITES = ("face", "scalp", "hands", "hand", "feet", "foot", "legs", "leg", "arms", "arm", "back", "chest",
               "lips", "neck", "rash", "wound", "nails", "nail", "affected nails", "affected nail", "skin folds",
               "groin", "knees", "knee", "shoulder", "shoulders", "hips", "hip", "elbows", "elbow", "gums",
               "mouth sores")
for _site in _BODY_SITES:
    _route("on the skin", _site, f"to {_site}", f"to the {_site}", f"to both {_site}")
    if not _site.startswith("affected"):
        _route("on the skin", f"affected {_site}", f"to affected {_site}", f"to the affected {_site}")
_route("transdermal", None, "td", "transdermal", "transdermally", "transdermal patch")
_route("subcutaneous", None, "into the skin", "sq", "sc", "subq", "sub q", "subcut", "sub cut", "subcutaneous",
       "subcutaneously", "under the skin", "sqi", "sc injection", "subcutaneous injection")
_route("intramuscular", None, "im", "intramuscular", "intramuscularly", "into the muscle", "in the muscle",
       "im injection", "intramuscular injection")
_route("intravenous", None, "iv", "intravenous", "intravenously", "into a vein", "iv push", "ivp")
_route("rectal", None, "pr", "rectal", "rectally", "per rectum", "in the rectum", "into the rectum",
       "in rectum", "into rectum")
_route("vaginal", None, "pv", "vaginal", "vaginally", "per vagina", "in the vagina", "into the vagina",
       "intravaginally", "intravaginal", "in vagina", "into vagina")
_route("by feeding tube", None, "through the feeding tube", "through feeding tube",
       "per tube", "via tube", "via g tube", "per g tube", "via peg", "per peg",
       "via peg tube", "per peg tube", "via ng tube", "per ng tube", "via j tube", "per j tube",
       "per feeding tube", "via feeding tube", "per gt", "via gt", "per ngt", "via ngt", "via gtube",
       "per gtube")

#: The eye and ear codes read only for drops.
_EYE_EAR_CODES: dict[str, tuple[str, str]] = {
    "ou": ("into the eye", "each eye"), "od": ("into the eye", "right eye"), "os": ("into the eye", "left eye"),
    "au": ("into the ear", "each ear"), "ad": ("into the ear", "right ear"), "as": ("into the ear", "left ear"),
}

_SLOT_PHRASES: dict[str, tuple[Slot, str | None]] = {}


def _slot(slot: Slot, note: str | None, *phrases: str) -> None:
    for phrase in phrases:
        _SLOT_PHRASES[phrase] = (slot, note)


_slot(Slot.MORNING, None, "qam", "q am", "am", "in am", "in the am", "every morning", "each morning",
      "in the morning", "morning", "mornings", "qmorning", "q morning", "every am", "each am",
      "upon waking", "on waking", "upon rising", "on rising", "in the morning on waking", "every day in the morning",
      "every morning on waking", "daily in am", "qa m")
_slot(Slot.MORNING, "with breakfast", "with breakfast", "at breakfast", "breakfast")
_slot(Slot.MORNING, "before breakfast", "before breakfast", "prior to breakfast", "ac breakfast")
_slot(Slot.MORNING, "after breakfast", "after breakfast", "pc breakfast")
_slot(Slot.NOON, None, "noon", "at noon", "midday", "at midday", "qnoon", "q noon", "every noon", "at lunchtime",
      "lunchtime")
_slot(Slot.NOON, "with lunch", "with lunch", "at lunch", "lunch")
_slot(Slot.NOON, "before lunch", "before lunch", "prior to lunch")
_slot(Slot.NOON, "after lunch", "after lunch")
_slot(Slot.EVENING, None, "qpm", "q pm", "pm", "in pm", "in the pm", "every evening", "each evening",
      "in the evening", "evening", "evenings", "qevening", "q evening", "q eve", "every pm", "each pm",
      "qeve", "in the early evening")
_slot(Slot.EVENING, "with supper", "with supper", "at supper", "supper", "with evening meal",
      "with the evening meal")
_slot(Slot.EVENING, "with dinner", "with dinner", "at dinner", "dinner", "at dinnertime", "dinnertime")
_slot(Slot.EVENING, "before supper", "before supper", "prior to supper")
_slot(Slot.EVENING, "before dinner", "before dinner", "prior to dinner")
_slot(Slot.EVENING, "after supper", "after supper")
_slot(Slot.EVENING, "after dinner", "after dinner")
_slot(Slot.BEDTIME, None, "qhs", "hs", "at hs", "q hs", "at bedtime", "bedtime", "at bed time", "bed time",
      "before bed", "before bedtime", "every bedtime", "nightly", "every night", "at night", "qn", "qnoc",
      "each night", "every night at bedtime", "nightly at bedtime", "at bedtime nightly", "qbedtime",
      "q bedtime", "at sleep", "every evening at bedtime", "before sleep", "at night time", "at nighttime",
      "nighttime", "every nighttime", "qnight", "q night", "daily at bedtime in the evening")

#: Count-per-day phrases.
_TIMES: dict[str, int] = {}


def _times(count: int, *phrases: str) -> None:
    for phrase in phrases:
        _TIMES[phrase] = count


_times(1, "qd", "q d", "q day", "qday", "daily", "once daily", "once a day", "once per day", "once each day",
       "one time a day", "one time daily", "one time per day", "1 time a day", "1 time daily", "1 time per day",
       "every day", "each day", "1 x daily", "1 x day", "1 x a day", "1 x / day", "1 x per day", "x 1 daily",
       "daily once", "once daily every day", "every 1 day", "once a day every day")
_times(2, "bid", "twice daily", "twice a day", "twice per day", "twice each day", "2 times a day", "2 times daily",
       "2 times per day", "two times a day", "two times daily", "two times per day", "2 x daily", "2 x a day",
       "2 x / day", "2 x day", "2 x per day", "bd", "twice a day every day", "2 times each day")
_times(3, "tid", "three times daily", "three times a day", "three times per day", "3 times a day",
       "3 times daily", "3 times per day", "3 x daily", "3 x a day", "3 x / day", "3 x day", "3 x per day", "tds",
       "thrice daily", "3 times each day", "three times each day")
_times(4, "qid", "four times daily", "four times a day", "four times per day", "4 times a day", "4 times daily",
       "4 times per day", "4 x daily", "4 x a day", "4 x / day", "4 x day", "4 x per day", "qds",
       "4 times each day", "four times each day")

#: Phrases that send the reader elsewhere: the sig cannot be read.
_DEFERRED = re.compile(
    r"\b(?:as directed|as instructed|directed|instructed|as per|per protocol|protocol|sliding scale|"
    r"per ss|per scale|taper\w*|titrat\w*|then|alternat\w*\b(?! days?\b)|ud|per instructions|see instructions|"
    r"per package|package insert|per md|per doctor|per provider|per physician|as told|as discussed|"
    r"per label|per instruction|follow instructions|as prescribed)\b"
)

#: Reason shorthand -> words.
_REASONS = {
    "sob": "shortness of breath", "ha": "headache", "cp": "chest pain", "nv": "nausea and vomiting",
    "n&v": "nausea and vomiting", "h/a": "headache", "n/v": "nausea and vomiting", "n v": "nausea and vomiting",
    "insomnia": "sleep", "uti": "urinary infection",
    "gerd": "acid reflux", "abd": "abdominal",
}
#: Words that end a reason (the rest must be read by the rules or the sig is unparsed).
_REASON_STOP = frozenset({
    "may", "repeat", "then", "do", "not", "if", "take", "until", "every", "up", "no", "max", "maximum",
    "and", "or", "x", "for", "to", "with", "at", "in", "by", "as", "per", "q", "once", "twice", "but",
    "use", "give", "apply", "inhale", "inject", "while", "before", "after", "on", "of",
})
_TIME_WORDS = frozenset({"day", "days", "daily", "hour", "hours", "week", "weeks", "weekly", "minute", "minutes",
                         "min", "mins", "month", "months", "dose", "doses", "times", "time", "morning", "noon",
                         "evening", "bedtime", "night", "nightly", "breakfast", "lunch", "supper", "dinner"})
_REASON_WORD = re.compile(r"^[a-z][a-z']*$")

#: Abbreviations that must never appear in the patient wording (ISMP list and Latin shorthand).
BANNED_WORDS = frozenset({
    "po", "bid", "tid", "qid", "qd", "qod", "qhs", "hs", "prn", "sq", "sc", "subq", "subcut", "sl", "pr", "pv",
    "gtt", "gtts", "ou", "od", "os", "au", "ad", "cc", "iu", "u", "q4h", "qam", "qpm", "inh", "tab", "tabs",
    "cap", "caps", "sob", "ac", "pc", "mls", "hr", "hrs", "qwk", "qweek", "q", "im", "iv", "td", "bd", "tds",
    "qds", "qn", "qnoc", "stat", "nte", "supp", "pkt", "ud", "x", "d", "wk", "wks", "h", "tb",
})


# ---------------------------------------------------------------------------------------------
# Reading


class _Reject(Exception):
    """The sig contradicts itself or says something the parser does not read."""


@dataclass
class _State:
    verb: str | None = None
    units: Fraction | None = None
    units_min: Fraction | None = None
    unit: str | None = None
    unit_code: str | None = None
    amount: Fraction | None = None
    amount_unit: str | None = None
    amount_words: str | None = None
    route: str | None = None
    site: str | None = None
    eye_ear_code: str | None = None
    slots: list[Slot] = field(default_factory=list)
    times: int | None = None
    meals_times: bool = False
    interval: tuple[Fraction, Fraction] | None = None
    minutes: int | None = None
    after_duration: bool = False
    one_time: bool = False
    prn: bool = False
    prn_reason: list[str] | None = None
    indication: list[str] | None = None
    reason_target: list[str] | None = None
    max_per_day: Fraction | None = None
    max_unit: str | None = None
    max_of: str | None = None
    duration_days: int | None = None
    duration_doses: int | None = None
    notes: list[str] = field(default_factory=list)
    assumptions: list[str] = field(default_factory=list)
    times_written: str | None = None

    def assume(self, text: str) -> None:
        if text not in self.assumptions:
            self.assumptions.append(text)

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def set_dose(self, low: Fraction | None, high: Fraction, unit: str | None, code: str | None,
                 written: str = "") -> None:
        if low is not None and low > high:
            raise _Reject("a dose range runs backwards")
        if low is not None and low <= 0:
            raise _Reject("a dose range starting at 0")
        if self.units is not None:
            # "1 tablet (5 mg)": a count, then the strength it holds.
            if (unit in _MASS_UNITS and self.unit is not None and self.unit not in _MASS_UNITS
                    and self.amount is None and low is None):
                self.amount, self.amount_unit = high, unit
                return
            raise _Reject(f"a second dose or number is written ({written!r})" if written else "two doses are written")
        if self.amount_words is not None:
            raise _Reject("two doses are written")
        self.units, self.units_min, self.unit, self.unit_code = high, low, unit, code

    def set_route(self, route: str, site: str | None) -> None:
        pair = {self.route, route}
        if self.route is not None and self.route != route:
            if pair == {"on the skin", "transdermal"}:
                route = "transdermal"
            elif pair == {"into the eye", "into the ear"} and self.eye_ear_code:
                raise _Reject("the sig names both the eye and the ear")
            else:
                raise _Reject(f"two routes are written ({self.route}, {route})")
        if site is not None and self.site is not None and self.site != site:
            raise _Reject(f"two sites are written ({self.site}, {site})")
        self.route = route
        if site is not None:
            self.site = site

    def timing(self) -> None:
        if self.after_duration:
            raise _Reject("a time or frequency follows the duration (a second step?)")

    def set_interval(self, low: Fraction, high: Fraction) -> None:
        self.timing()
        if low > high:
            raise _Reject("an interval range runs backwards")
        if low <= 0:
            raise _Reject("an interval of 0 hours")
        if self.interval is not None and self.interval != (low, high):
            raise _Reject("two intervals are written")
        self.interval = (low, high)

    def set_times(self, count: int) -> None:
        self.timing()
        if self.times is not None and self.times != count:
            raise _Reject("two different counts a day are written")
        self.times = count


def _num(text: str) -> Fraction:
    word = _NUMBER_WORDS.get(text, text)
    try:
        value = Fraction(Decimal(word))
    except (InvalidOperation, ValueError) as exc:  # pragma: no cover - the patterns only pass numbers
        raise _Reject(f"{text!r} is not a number") from exc
    if value > 100_000:
        raise _Reject(f"{text} is too large")
    return value


def _whole(value: Fraction, what: str) -> int:
    if value.denominator != 1 or value <= 0:
        raise _Reject(f"{format_number(value)} is not a whole number of {what}")
    return int(value)


_Handler = Callable[[_State, "re.Match[str]"], None]
_RULES: list[tuple[re.Pattern[str], _Handler]] = []


def _rule(pattern: str) -> Callable[[_Handler], _Handler]:
    compiled = re.compile(r"(?:" + pattern + r")(?= |$)")

    def register(handler: _Handler) -> _Handler:
        _RULES.append((compiled, handler))
        return handler

    return register


def _alternation(phrases: object) -> str:
    assert isinstance(phrases, dict)
    return "|".join(sorted((re.escape(p) for p in phrases), key=len, reverse=True))


# Dose: "1", "1 tab", "1-2 tabs", "1 to 2", "half a tablet", "1 and a half tablets", "i".
_DOSE = (rf"(?:(?P<low>{_NUM}) (?:-|to|or) )?(?P<high>{_THREE_QUARTERS}|{_QUARTER}|{_HALF}|{_NUM})"
         rf"(?: (?:and a half|and 0\.5|and one half))?(?: (?P<unit>{_UNIT_RE}))?")


@_rule(_DOSE)
def _dose(state: _State, m: re.Match[str]) -> None:
    high_text = m.group("high")
    if re.fullmatch(_THREE_QUARTERS, high_text):
        high = Fraction(3, 4)
    elif re.fullmatch(_QUARTER, high_text):
        high = Fraction(1, 4)
    elif re.fullmatch(_HALF, high_text):
        high = Fraction(1, 2)
    else:
        high = _num(high_text)
    whole = m.group(0)
    if re.search(r" and (?:a half|0\.5|one half)\b", whole):
        if high.denominator != 1 or m.group("low"):
            raise _Reject("a dose with two fractions")
        high += Fraction(1, 2)
    low = _num(m.group("low")) if m.group("low") else None
    code = m.group("unit")
    unit = _UNITS[code] if code else None
    if code == "u":
        state.assume("'u' read as units")
    for written in (m.group("low"), high_text):
        if written in ("i", "ii", "iii"):
            state.assume(f"{written!r} read as {_NUMBER_WORDS[written]}")
    if high <= 0:
        raise _Reject("a dose of 0")
    state.set_dose(low, high, unit, code, m.group(0))


@_rule(r"(?P<a>(?:apply )?(?:a )?(?:thin (?:layer|film|coat)|small amount|sparingly|light coat|thin coat|"
       r"generous amount|liberally))")
def _amount_words(state: _State, m: re.Match[str]) -> None:
    text = m.group("a")
    if text.startswith("apply "):
        state.verb = state.verb or "apply"
        text = text[len("apply "):]
    words = {"sparingly": "a small amount", "liberally": "a generous amount"}.get(text, text)
    if not words.startswith("a "):
        words = "a " + words
    if state.units is not None or state.amount_words is not None:
        raise _Reject("two doses are written")
    state.amount_words = words.replace("a light coat", "a thin layer").replace("a thin coat", "a thin layer")


@_rule("(?P<v>" + _alternation(_VERBS) + ")")
def _verb(state: _State, m: re.Match[str]) -> None:
    verb = _VERBS[m.group("v")]
    if state.verb is not None and state.verb != verb:
        raise _Reject("two verbs are written")
    state.verb = verb


@_rule("(?P<r>" + _alternation(_ROUTES) + ")")
def _route_rule(state: _State, m: re.Match[str]) -> None:
    route, site = _ROUTES[m.group("r")]
    state.set_route(route, site)


@_rule(r"(?P<c>ou|od|os|au|ad|as)")
def _eye_ear(state: _State, m: re.Match[str]) -> None:
    code = m.group("c")
    if state.eye_ear_code is not None and state.eye_ear_code != code:
        raise _Reject("two eye or ear codes are written")
    state.eye_ear_code = code


@_rule("(?P<s>" + _alternation(_SLOT_PHRASES) + ")")
def _slot_rule(state: _State, m: re.Match[str]) -> None:
    phrase = m.group("s")
    slot, note = _SLOT_PHRASES[phrase]
    state.timing()
    if slot is Slot.BEDTIME and re.search(r"night|qn|noc", phrase) and "bed" not in phrase:
        state.assume(f"{phrase!r} read as bedtime")
    if slot not in state.slots:
        state.slots.append(slot)
    if note is not None:
        state.note(note)


@_rule("(?P<t>" + _alternation(_TIMES) + ")")
def _times_rule(state: _State, m: re.Match[str]) -> None:
    state.set_times(_TIMES[m.group("t")])
    state.times_written = m.group("t")


@_rule(rf"(?P<n>{_NUM}) (?:times|x) (?:a |per |each |/ )?(?:day|daily)")
def _n_times(state: _State, m: re.Match[str]) -> None:
    state.set_times(_whole(_num(m.group("n")), "times a day"))
    state.times_written = m.group(0)


_HOURS = r"(?:h|hr|hrs|hour|hours)"
_DAYS = r"(?:d|day|days)"
_WEEKS = r"(?:w|wk|wks|week|weeks)"


@_rule(rf"(?:q|every|each) (?:(?P<low>{_NUM}) (?:-|to|or) )?(?P<high>{_NUM}) (?P<u>{_HOURS}|{_DAYS}|{_WEEKS})"
       r"(?: as needed| prn)?(?P<rest>)")
def _interval(state: _State, m: re.Match[str]) -> None:
    scale = {"h": 1, "d": 24, "w": 168}[m.group("u")[0]]
    high = _num(m.group("high")) * scale
    low = _num(m.group("low")) * scale if m.group("low") else high
    if m.group(0).endswith((" as needed", " prn")):
        state.prn = True
        state.reason_target = state.prn_reason = state.prn_reason or []
    state.set_interval(low, high)


@_rule(rf"(?:q|every|each) (?P<n>{_NUM}) (?:min|mins|minute|minutes)")
def _minutes(state: _State, m: re.Match[str]) -> None:
    state.timing()
    minutes = _whole(_num(m.group("n")), "minutes")
    if state.minutes is not None and state.minutes != minutes:
        raise _Reject("two intervals are written")
    state.minutes = minutes


@_rule(rf"(?:{_NUM}|twice|thrice) (?:times |x )?(?:a |per |each |/ )?(?:week|weekly|wk|month|monthly)")
def _per_week(state: _State, m: re.Match[str]) -> None:
    raise _Reject("a count a week or a month is not a fixed interval: name the days or the interval")


@_rule(r"(?:at )?(?P<n>\d{1,2})(?: (?P<mm>\d{2}))? (?:am|pm|o'clock|oclock)")
def _clock(state: _State, m: re.Match[str]) -> None:
    raise _Reject("a clock time: the schedule uses morning, noon, evening and bedtime")


@_rule(rf"(?:may )?repeat (?:dose )?(?:once )?(?:in|after|every) (?P<n>{_NUM}) "
       r"(?P<u>hours|hour|hrs|hr|h|minutes|minute|min|mins)(?: if needed| as needed| prn)?")
def _may_repeat(state: _State, m: re.Match[str]) -> None:
    n = _num(m.group("n"))
    word = "minute" if m.group("u").startswith("m") else "hour"
    state.note(f"may repeat after {format_number(n)} {word}{'' if n == 1 else 's'}")


@_rule(r"qh|q hour|q 1 h|every hour|hourly|each hour")
def _hourly(state: _State, m: re.Match[str]) -> None:
    state.set_interval(Fraction(1), Fraction(1))


@_rule(r"qod|q other day|every other day|every 2nd day|every second day|on alternate days|alternate days|qad|"
       r"q 48 h|every 48 hours")
def _other_day(state: _State, m: re.Match[str]) -> None:
    state.set_interval(Fraction(48), Fraction(48))


@_rule(r"weekly|qweek|q week|qwk|q wk|once a week|once weekly|once per week|once each week|every week|each week|"
       r"1 x / week|1 x week|1 x weekly|1 x a week|one time a week|one time weekly|one time per week|"
       r"1 time a week|1 time weekly|1 time per week|q 7 days|q 7 d|every 7 days|once every week|q 1 week")
def _weekly(state: _State, m: re.Match[str]) -> None:
    state.set_interval(Fraction(168), Fraction(168))


@_rule(r"prn|as needed|when needed|if needed|as necessary|when necessary|if necessary|as required|when required|"
       r"if required|as needed for|prn for|when needed for|if needed for|as required for|as necessary for|"
       r"only as needed|only when needed|as needed only|only if needed")
def _prn(state: _State, m: re.Match[str]) -> None:
    state.prn = True
    if state.prn_reason is None:
        state.prn_reason = []
    state.reason_target = state.prn_reason


@_rule(r"for")
def _for(state: _State, m: re.Match[str]) -> None:
    # "for pain", "for blood pressure": an indication (durations are matched by a longer rule).
    if state.indication is not None:
        raise _Reject("two purposes are written")
    state.indication = []
    state.reason_target = state.indication


_PER_DAY = (r"(?:(?:/|per|in|a|each|every|in any|within|in a) )?(?:day|24 hours|24 hrs|24 hr|24 h|24 hour period|"
            r"24 hour|d|24 hours period|24 h period)|daily")
_MAX_PREFIX = (r"max|maximum|max dose|maximum dose|max of|maximum of|not to exceed|nte|do not exceed|dont exceed|"
               r"don't exceed|no more than|not more than|not exceeding|not over|no more then|max daily dose|"
               r"maximum daily dose|max daily|maximum daily|daily max|daily maximum|max dose of|max per day|"
               r"maximum per day")


@_rule(rf"(?:{_MAX_PREFIX}) (?P<n>{_NUM})(?: (?P<unit>{_UNIT_RE}|doses|dose|times))?(?: of (?P<of>[a-z]+))?"
       rf"(?: (?P<per>{_PER_DAY}))?")
def _max(state: _State, m: re.Match[str]) -> None:
    prefix_daily = re.match(r"(?:max|maximum) (?:daily|per day)|daily max|max daily|maximum daily",
                            m.group(0)) is not None
    if not m.group("per") and not prefix_daily:
        raise _Reject("a maximum without 'a day'")
    if state.max_per_day is not None:
        raise _Reject("two maximums are written")
    code = m.group("unit")
    state.max_per_day = _num(m.group("n"))
    if state.max_per_day <= 0:
        raise _Reject("a maximum of 0")
    if code in ("doses", "dose", "times"):
        state.max_unit = "dose"
    else:
        state.max_unit = _UNITS[code] if code else None
    if m.group("of"):
        # "not to exceed 3 g of acetaminophen a day": the ingredient the ceiling counts, kept as written.
        if state.max_unit not in _MASS_UNITS or m.group("of") in _UNITS or m.group("of") in _TIME_WORDS:
            raise _Reject("a maximum of something that is not an ingredient amount")
        state.max_of = m.group("of")


@_rule(rf"up to (?P<n>{_NUM}) (?:times|x|doses) (?:(?:a|per|each|in a|/) )?(?:day|24 hours|24 hrs|24 h)|"
       rf"up to (?P<n2>{_NUM}) (?:times|x|doses) daily")
def _up_to(state: _State, m: re.Match[str]) -> None:
    if state.max_per_day is not None:
        raise _Reject("two maximums are written")
    state.max_per_day = _num(m.group("n") or m.group("n2"))
    if state.max_per_day <= 0:
        raise _Reject("a maximum of 0")
    state.max_unit = "dose"


@_rule(rf"(?:x|for|times|during) (?P<n>{_NUM}) (?P<u>{_DAYS}|{_WEEKS})(?: in a row)?|"
       rf"(?:x|for) (?:a|one) week|(?:x|for) (?:1|one) day")
def _duration(state: _State, m: re.Match[str]) -> None:
    if m.group("n"):
        scale = 7 if m.group("u")[0] == "w" else 1
        days = _whole(_num(m.group("n")), "days") * scale
    else:
        days = 7 if "week" in m.group(0) else 1
    if state.duration_days is not None:
        raise _Reject("two durations are written")
    state.duration_days = days
    state.after_duration = True


@_rule(rf"(?P<n>{_NUM}) (?P<u>days|weeks)$")
def _bare_duration(state: _State, m: re.Match[str]) -> None:
    # Cerner-style "1 tablet orally once a day 30 day(s)": a duration closing the sig after its schedule.
    if state.times is None and state.interval is None and not state.slots:
        raise _Reject("a number of days with no schedule before it")
    _duration(state, m)


@_rule(rf"(?:x|for) (?P<n>{_NUM}) (?:doses|dose)")
def _doses(state: _State, m: re.Match[str]) -> None:
    count = _whole(_num(m.group("n")), "doses")
    if count == 1:
        state.one_time = True
    else:
        state.duration_doses = count
    state.after_duration = True


@_rule(r"x 1|x one|once|once only|one time|one time only|1 time only|1 time|stat|now|single dose|as a single dose|"
       r"once now|x 1 now|now x 1|one dose")
def _once(state: _State, m: re.Match[str]) -> None:
    state.one_time = True


_NOTES = {
    "with food": "with food", "with meals": "with meals", "with a meal": "with food", "with meal": "with food",
    "with each meal": "with meals", "with milk": "with food", "with snack": "with food",
    "with food or milk": "with food", "take with food": "with food", "after food": "after meals",
    "before meals": "before meals", "ac": "before meals", "before each meal": "before meals",
    "before a meal": "before meals", "before food": "before meals", "prior to meals": "before meals",
    "after meals": "after meals", "pc": "after meals", "after each meal": "after meals",
    "after a meal": "after meals",
    "on an empty stomach": "on an empty stomach", "on empty stomach": "on an empty stomach",
    "empty stomach": "on an empty stomach",
    "with water": "with water", "with a full glass of water": "with a full glass of water",
    "with full glass of water": "with a full glass of water", "with plenty of water": "with plenty of water",
    "with 8 oz of water": "with a full glass of water", "with 8 oz water": "with a full glass of water",
    "do not crush": "do not crush", "do not chew": "do not chew", "swallow whole": "swallow whole",
    "do not crush or chew": "do not crush or chew", "do not chew or crush": "do not crush or chew",
    "shake well": "shake well", "shake well before use": "shake well", "shake well before using": "shake well",
    "while awake": "while awake", "wa": "while awake", "when awake": "while awake",
    "until gone": "until finished", "until finished": "until finished", "until all taken": "until finished",
    "until complete": "until finished", "until completed": "until finished",
    "rinse mouth after use": "rinse your mouth after use", "rinse mouth after each use": "rinse your mouth after use",
    "rinse mouth": "rinse your mouth after use",
    "with spacer": "with a spacer", "using spacer": "with a spacer", "with a spacer": "with a spacer",
    "via spacer": "with a spacer",
    "remove old patch": "remove the old patch", "and remove old patch": "remove the old patch",
    "remove after 12 hours": "remove after 12 hours", "on for 12 hours off for 12 hours":
        "on for 12 hours, off for 12 hours",
    "12 hours on 12 hours off": "on for 12 hours, off for 12 hours",
    "in the same spot": "in the same place", "in divided doses": "in divided doses",
    "at the same time each day": "at the same time each day", "at same time each day": "at the same time each day",
    "at the same time every day": "at the same time each day",
    "with a glass of water": "with a glass of water", "with juice": "with juice", "mixed with water":
        "mixed with water", "in water": "mixed with water", "dissolved in water": "mixed with water",
    "in 8 oz of water": "mixed with a glass of water", "in 4 8 oz of liquid": "mixed with a glass of liquid",
    "for itching": None, "sitting upright": "sitting upright", "and remain upright for 30 minutes":
        "stay upright for 30 minutes", "remain upright for 30 minutes": "stay upright for 30 minutes",
    "stay upright for 30 minutes": "stay upright for 30 minutes",
}
_NOTES = {k: v for k, v in _NOTES.items() if v is not None}
# The wording reads back: every note is also a phrase.
_NOTES.update({str(v): str(v) for v in list(_NOTES.values())})
_NOTES["on for 12 hours off for 12 hours"] = "on for 12 hours, off for 12 hours"


@_rule("(?P<n>" + _alternation(_NOTES) + ")")
def _note_rule(state: _State, m: re.Match[str]) -> None:
    phrase = m.group("n")
    state.note(str(_NOTES[phrase]))
    if phrase in ("with meals", "with each meal", "before meals", "ac", "before each meal", "after meals", "pc",
                  "after each meal", "prior to meals"):
        state.meals_times = True


@_rule(rf"(?P<n>{_NUM}) (?P<u>minutes|minute|min|mins|hours|hour|hrs|hr|h) (?P<w>before|after|prior to) "
       r"(?P<m>breakfast|meals|a meal|each meal|food|eating|lunch|supper|dinner|bedtime|bed|first meal of the day|"
       r"the first meal of the day|first food of the day|the first food of the day|breakfast or first meal)")
def _timed_note(state: _State, m: re.Match[str]) -> None:
    n = _num(m.group("n"))
    unit = m.group("u")
    word = "minute" if unit.startswith("m") else "hour"
    if n != 1:
        word += "s"
    when = "before" if m.group("w") != "after" else "after"
    meal = {"a meal": "meals", "each meal": "meals", "food": "meals", "eating": "meals", "bed": "bedtime"}.get(
        m.group("m"), m.group("m"))
    if "first" in meal:
        meal = "breakfast"
    state.note(f"{format_number(n)} {word} {when} {meal}")
    slot = {"breakfast": Slot.MORNING, "lunch": Slot.NOON, "supper": Slot.EVENING, "dinner": Slot.EVENING,
            "bedtime": Slot.BEDTIME}.get(meal)
    if slot is not None and slot not in state.slots:
        state.slots.append(slot)
    if meal == "meals":
        state.meals_times = True


@_rule(r"and|&|plus|sig|please")
def _filler(state: _State, m: re.Match[str]) -> None:
    """Joining words carry nothing."""


# ---------------------------------------------------------------------------------------------


def _prepare(text: str) -> str:
    s = text.lower()
    # "1½" and "1 ½" are one and a half; a typed "1 0.5 mg tablet" is not, and is left alone.
    for char, digits in (("\u00bd", "5"), ("\u00bc", "25"), ("\u00be", "75")):
        s = re.sub(rf"(\d)\s*{char}", rf"\g<1>.{digits}", s)
        s = s.replace(char, f" 0.{digits} ")
    s = re.sub(r"\b(?:n/v|n & v|n&v|n\+v)\b", " nausea and vomiting ", s)
    s = re.sub(r"\bh/a\b", " headache ", s)
    s = re.sub(r"\bs\.o\.b\.?", " sob ", s)
    s = re.sub(r"\(s\)", "s", s)
    # Epic-style duplicates: "2 (two) times daily", "every 4 (four) hours"; "(10 mg total)".
    s = re.sub(r"\((?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\)", " ", s)
    s = re.sub(r"\b(mg|mcg|g|units?|ml|meq)\s+total\b", r"\1", s)
    s = re.sub(r"^\s*(?:sig|directions|instructions)\s*:", " ", s)
    s = re.sub(r"\b(\d+)\s+1/2\b", r"\1.5", s)
    s = re.sub(r"\b1/2\b", "0.5", s)
    s = re.sub(r"\b1/4\b", "0.25", s)
    s = re.sub(r"\b3/4\b", "0.75", s)
    s = re.sub(r"\b[a-z](?:\.[a-z])+\.?(?=[\s,;:)]|$)", lambda m: m.group(0).replace(".", ""), s)
    s = re.sub(r"(\d),(\d{3})\b", r"\1\2", s)
    s = re.sub(r"(?<!\d)\.(\d)", r"0.\1", s)
    s = re.sub(r"(?<!\d)\.|\.(?!\d)", " ", s)
    s = re.sub(r"(?<=[a-z])-(?=[a-z])", " ", s)
    s = s.replace("-", " - ").replace("/", " / ").replace("&", " & ").replace("+", " and ")
    s = re.sub(r"(?<=\d)(?=[a-z])|(?<=[a-z])(?=\d)", " ", s)
    s = re.sub(r"[,;:()\[\]\"!?*]", " ", s)
    s = s.replace("\u2013", " - ").replace("\u2014", " ")
    return " ".join(s.split())


def _reason_words(state: _State, text: str, pos: int) -> int:
    """Read reason words at ``pos`` ("pain", "shortness of breath"); return the new position."""
    target = state.reason_target
    assert target is not None
    while pos < len(text):
        rest = text[pos:]
        word = rest.split(" ", 1)[0]
        for phrase, meaning in sorted(_REASONS.items(), key=lambda kv: -len(kv[0])):
            if rest == phrase or rest.startswith(phrase + " "):
                target.extend(meaning.split())
                if phrase != meaning:
                    state.assume(f"{phrase!r} read as {meaning!r}")
                pos += len(phrase) + 1
                break
        else:
            joiner = word in ("and", "or", "/") and bool(target)
            if joiner:
                after = rest.split(" ", 2)
                if len(after) < 2 or not _is_reason_word(after[1], text, pos + len(word) + 1):
                    break
                target.append("or" if word == "/" else word)
                pos += len(word) + 1
                continue
            if word == "of" and target and pos + 3 < len(text):
                target.append(word)
                pos += len(word) + 1
                continue
            if not _is_reason_word(word, text, pos):
                break
            target.append(word)
            pos += len(word) + 1
        if len(target) > 6:
            raise _Reject("the reason is too long to be sure of")
    return min(pos, len(text) + 1)


def _is_reason_word(word: str, text: str, pos: int) -> bool:
    if (not _REASON_WORD.match(word) or word in _REASON_STOP or word in BANNED_WORDS or word in _NUMBER_WORDS
            or word in _UNITS or word in _VERBS or word in _TIME_WORDS):
        return False
    # Shorthand we do not know ("bp", "qowk", "tx") is not taken for a reason word.
    if len(word) <= 2 or not re.search(r"[aeiouy]", word) or re.match(r"q[^u]", word):
        return False
    return all(not pattern.match(text, pos) for pattern, _handler in _RULES)


def _scan(text: str) -> tuple[_State, list[str]]:
    state = _State()
    unread: list[str] = []
    pos = 0
    while pos < len(text):
        if state.reason_target is not None and not state.reason_target:
            new_pos = _reason_words(state, text, pos)
            state.reason_target = None
            if new_pos != pos:
                pos = new_pos
                continue
        state.reason_target = None
        best: tuple[int, int, _Handler, re.Match[str]] | None = None
        for index, (pattern, handler) in enumerate(_RULES):
            m = pattern.match(text, pos)
            if m and (best is None or m.end() > best[0]):
                best = (m.end(), index, handler, m)
        if best is None:
            end = text.find(" ", pos)
            end = len(text) if end < 0 else end
            unread.append(text[pos:end])
            pos = end + 1
            continue
        end, _index, handler, m = best
        handler(state, m)
        pos = end + 1
    return state, unread


def _unparsed(text: str, problem: str, unread: tuple[str, ...] = ()) -> ParsedSig:
    return ParsedSig(text=text, parsed=False, problem=problem, unread=unread)


def _dec(value: Fraction | None) -> Decimal | None:
    if value is None:
        return None
    if (value * 10**4).denominator != 1:
        raise _Reject(f"{float(value):g} has more than 4 decimals")
    return Decimal(value.numerator) / Decimal(value.denominator)


_DEFAULT_SLOTS = {
    1: (Slot.MORNING,), 2: (Slot.MORNING, Slot.EVENING), 3: (Slot.MORNING, Slot.NOON, Slot.EVENING),
    4: SLOT_ORDER,
}


def parse_sig(text: str) -> ParsedSig:
    """Read a free-text sig; never raises. See the module docstring for what makes it unparsed."""
    try:
        return _parse(text)
    except _Reject as exc:
        return _unparsed(text, str(exc))
    except Exception as exc:  # pragma: no cover - a last guard: a list is never refused for one sig
        return _unparsed(text, f"the sig could not be read ({exc.__class__.__name__})")


def _parse(text: str) -> ParsedSig:
    if len(text) > 500:
        return _unparsed(text, "the sig is too long to read")
    prepared = _prepare(text)
    if not prepared:
        return _unparsed(text, "the sig is empty")
    deferred = _DEFERRED.search(prepared)
    if deferred:
        word = deferred.group(0)
        if re.match(r"then|taper|titrat|alternat", word):
            return _unparsed(text, f"the sig has several steps or changing doses ({word!r}): enter them as steps")
        return _unparsed(text, f"the sig says {word!r}: the directions are elsewhere")
    state, unread = _scan(prepared)
    if unread:
        return _unparsed(text, "some words were not understood", tuple(unread))
    return _build(text, state)


#: Routes each written verb can go with (a verb not listed goes with any route).
_VERB_ROUTES = {
    "inject": {"subcutaneous", "intramuscular", "intravenous"},
    "inhale": {"inhaled", "by nebulizer", "by mouth", "in the nose"},
    "insert": {"rectal", "vaginal"},
    "instill": {"into the eye", "into the ear", "in the nose"},
    "chew": {"by mouth"}, "swallow": {"by mouth"}, "dissolve": {"by mouth", "under the tongue",
                                                                "between the cheek and gum"},
    "apply": {"on the skin", "transdermal", "into the eye", "into the ear", "in the nose", "rectal", "vaginal"},
}
#: Routes an amount in words ("a thin layer") can go with.
_WORDS_ROUTES = {"on the skin", "into the eye", "into the ear", "in the nose", "rectal", "vaginal"}


def _slot_words(slots: list[Slot] | tuple[Slot, ...]) -> str:
    phrases = [SLOT_PHRASES[s] for s in slots]
    return phrases[0] if len(phrases) == 1 else ", ".join(phrases[:-1]) + " and " + phrases[-1]


def _build(text: str, state: _State) -> ParsedSig:
    for written, meaning in (("1/2", "a half"), ("1/4", "a quarter"), ("3/4", "three quarters")):
        if re.search(rf"(?<![\d/]){written}(?![\d/])", text):
            state.assume(f"{written!r} read as {meaning}")
    # The eye and ear codes, read only for drops (and ointment applications).
    if state.eye_ear_code is not None:
        code = state.eye_ear_code
        if state.unit not in ("drop", "application") and state.route not in ("into the eye", "into the ear"):
            raise _Reject(f"{code!r} is ambiguous here (an eye or ear, or 'once daily')")
        route, site = _EYE_EAR_CODES[code]
        state.set_route(route, site)
        state.assume(f"{code!r} read as the {site}")
    if state.verb in _VERB_ROUTES and state.route is not None and state.route not in _VERB_ROUTES[state.verb]:
        raise _Reject(f"'{state.verb}' does not go with {state.route}")
    if state.amount_words is not None and state.route is not None and state.route not in _WORDS_ROUTES:
        raise _Reject(f"{state.amount_words} does not go with {state.route}")
    # Timing.
    slots = [s for s in SLOT_ORDER if s in state.slots]
    slots_assumed = False
    if state.meals_times and slots == [Slot.BEDTIME] and state.interval is None:
        # "ac and hs": the meals are morning, noon and evening, and the named time is added to them.
        slots = [s for s in SLOT_ORDER if s in slots or s in _DEFAULT_SLOTS[3]]
        slots_assumed = True
        state.assume("the meals placed in the morning, at noon and in the evening")
    times = state.times
    interval_hours: int | None = None
    interval_min: int | None = None
    if state.interval is not None:
        low, high = state.interval
        if low.denominator != 1 or high.denominator != 1:
            raise _Reject("an interval that is not a whole number of hours")
        interval_hours = int(high)
        interval_min = int(low) if low != high else None
        if times is not None and not (times == 1 and interval_hours == 24):
            raise _Reject("both a count a day and an interval are written")
        if times == 1 and interval_hours == 24:
            times = None
        if slots and (interval_hours < 24 or len(slots) > 1):
            raise _Reject("both times of day and an interval are written")
    elif times is not None:
        if slots:
            if len(slots) != times:
                named = "1 time of day is" if len(slots) == 1 else f"{len(slots)} times of day are"
                raise _Reject(f"{times} times a day, but {named} named")
        elif times == 1 and state.unit == "patch":
            # A daily patch is changed every 24 hours: patches go on an interval, never at a time slot.
            interval_hours = 24
            state.assume("a daily patch read as every 24 hours")
        elif times in _DEFAULT_SLOTS:
            slots = list(_DEFAULT_SLOTS[times])
            slots_assumed = True
            state.assume(f"{state.times_written!r} placed {_slot_words(slots)}")
    if state.minutes is not None and (interval_hours is not None or times is not None or slots):
        raise _Reject("an interval in minutes and another schedule are both written")
    if not slots and state.meals_times and times is None and interval_hours is None and state.minutes is None:
        times = 3
        slots = list(_DEFAULT_SLOTS[3])
        slots_assumed = True
        state.assume(f"the meals placed {_slot_words(slots)}")
    if state.one_time and (slots or interval_hours is not None or times is not None or state.minutes is not None
                           or state.duration_days is not None or state.duration_doses is not None):
        raise _Reject("a single dose and a repeating schedule are both written")
    if not (slots or interval_hours is not None or times is not None or state.minutes is not None or state.prn
            or state.one_time):
        raise _Reject("the sig says no time or frequency")
    if state.duration_doses is not None and state.duration_days is not None:
        raise _Reject("both a number of doses and a number of days are written")
    reason = " ".join(state.prn_reason) if state.prn_reason else None
    indication = " ".join(state.indication) if state.indication else None
    if state.indication is not None and not state.indication:
        raise _Reject("'for' is not followed by a reason or a duration")
    if state.prn and reason is None and indication is not None:
        reason, indication = indication, None
    elif state.prn and reason is not None and indication is not None:
        raise _Reject("two reasons are written")
    units = _dec(state.units)
    units_min = _dec(state.units_min) if state.units_min is not None else units
    if (state.max_per_day is not None and state.units is not None and state.max_unit in (None, state.unit)
            and state.max_per_day < state.units):
        raise _Reject("the maximum a day is less than one dose")
    return ParsedSig(
        text=text, parsed=True, verb=state.verb, units=units, units_min=units_min, unit=state.unit,
        amount=_dec(state.amount), amount_unit=state.amount_unit, amount_words=state.amount_words,
        route=state.route, site=state.site, slots=tuple(slots), slots_assumed=slots_assumed,
        times_per_day=times, interval_hours=interval_hours, interval_min_hours=interval_min,
        interval_minutes=state.minutes,
        one_time=state.one_time, prn=state.prn, prn_reason=reason, indication=indication,
        max_per_day=_dec(state.max_per_day), max_per_day_unit=state.max_unit, max_per_day_of=state.max_of,
        duration_days=state.duration_days, duration_doses=state.duration_doses, notes=tuple(state.notes),
        assumptions=tuple(state.assumptions),
    )


# ---------------------------------------------------------------------------------------------
# Writing


def _plural(unit: str, count: Fraction) -> str:
    if count <= 1:
        return unit
    return _PLURALS.get(unit, unit + "s")


def _count(value: Fraction, unit: str | None) -> str:
    """"1 tablet", "half a tablet", "1 and a half tablets", "2.5 mL", "2" (no unit)."""
    if unit is None:
        return format_number(value)
    if unit in _MASS_UNITS or unit == "mL":
        return f"{format_number(value)} {unit}"
    whole, part = divmod(value, 1)
    words = {Fraction(1, 2): "half", Fraction(1, 4): "a quarter of", Fraction(3, 4): "three quarters of"}
    if whole == 0 and part in words:
        article = "an" if unit[0] in "aeiou" else "a"
        return f"{words[part]} {article} {unit}"
    if part == Fraction(1, 2):
        return f"{int(whole)} and a half {_plural(unit, Fraction(2))}"
    return f"{format_number(value)} {_plural(unit, value)}"


def _dose_text(sig: ParsedSig, default_unit: str | None) -> str:
    unit = sig.unit or default_unit
    if sig.amount_words is not None:
        return sig.amount_words
    if sig.units is None:
        return ""
    high = Fraction(sig.units)
    if sig.units_min is not None and sig.units_min != sig.units:
        low = Fraction(sig.units_min)
        text = f"{_count(low, None)} to {_count(high, unit)}"
        if unit is not None and unit not in _MASS_UNITS and unit != "mL" and high.denominator != 1:
            text = f"{format_number(low)} to {format_number(high)} {_plural(unit, high)}"
    else:
        text = _count(high, unit)
    if sig.amount is not None and sig.amount_unit is not None:
        text += f" ({format_number(Fraction(sig.amount))} {sig.amount_unit})"
    return text


_ROUTE_VERB = {
    "by mouth": "Take", "under the tongue": "Place", "between the cheek and gum": "Place", "inhaled": "Inhale",
    "by nebulizer": "Inhale", "into the eye": "Put", "into the ear": "Put", "in the nose": "Use",
    "on the skin": "Apply", "transdermal": "Apply", "subcutaneous": "Inject", "intramuscular": "Inject",
    "intravenous": "Give", "rectal": "Insert", "vaginal": "Insert", "by feeding tube": "Give",
}
_UNIT_VERB = {"puff": "Inhale", "drop": "Put", "patch": "Apply", "application": "Apply", "spray": "Use",
              "suppository": "Insert", "applicatorful": "Insert"}
_KEEP_VERBS = {"chew": "Chew", "dissolve": "Dissolve", "swallow": "Swallow"}


def _route_text(sig: ParsedSig) -> str:
    route, site = sig.route, sig.site
    if route is None:
        return ""
    if route == "into the eye":
        return {"each eye": "in each eye", "right eye": "in the right eye", "left eye": "in the left eye",
                "affected eye": "in the affected eye"}.get(site or "", "in the eye")
    if route == "into the ear":
        return {"each ear": "in each ear", "right ear": "in the right ear", "left ear": "in the left ear",
                "affected ear": "in the affected ear"}.get(site or "", "in the ear")
    if route == "in the nose":
        return {"each nostril": "in each nostril", "one nostril": "in one nostril"}.get(site or "", "in the nose")
    if route == "on the skin":
        if site is None:
            return "to the skin"
        return f"to the {site}"
    return {
        "by mouth": "by mouth", "under the tongue": "under the tongue",
        "between the cheek and gum": "between the cheek and gum", "inhaled": "", "by nebulizer": "by nebulizer",
        "transdermal": "to the skin", "subcutaneous": "under the skin", "intramuscular": "into the muscle",
        "intravenous": "into a vein", "rectal": "into the rectum", "vaginal": "into the vagina",
        "by feeding tube": "through the feeding tube",
    }[route]


def _interval_text(hours: int) -> str:
    if hours == 24:
        return "every 24 hours"
    if hours == 48:
        return "every other day"
    if hours == 168:
        return "once a week"
    if hours % 168 == 0:
        return f"every {hours // 168} weeks"
    if hours % 24 == 0:
        return f"every {hours // 24} days"
    if hours == 1:
        return "every hour"
    return f"every {hours} hours"


def _timing_text(sig: ParsedSig) -> str:
    parts: list[str] = []
    if sig.interval_hours is not None:
        low = sig.interval_min_hours
        if low is not None and low != sig.interval_hours:
            high = sig.interval_hours
            if high % 24 == 0 and low % 24 == 0:
                parts.append(f"every {low // 24} to {high // 24} days")
            else:
                parts.append(f"every {low} to {high} hours")
        else:
            parts.append(_interval_text(sig.interval_hours))
        if sig.interval_hours == 24 and sig.times_per_day == 1 and not sig.slots:
            parts[-1] = "once a day"
        if sig.slots:
            parts.append(" and ".join(SLOT_PHRASES[s] for s in sig.slots))
    elif sig.slots:
        if sig.slots_assumed and sig.times_per_day == 1:
            parts.append("once a day")
        elif sig.slots == (Slot.BEDTIME,) and any(n.endswith(" before bedtime") for n in sig.notes):
            pass  # "1 hour before bedtime" says the time
        else:
            parts.append(_slot_words(sig.slots))
    elif sig.times_per_day is not None:
        parts.append("once a day" if sig.times_per_day == 1 else f"{sig.times_per_day} times a day")
    if sig.interval_minutes is not None:
        parts.append(f"every {sig.interval_minutes} minutes")
    if sig.one_time:
        parts.append("once")
    return " ".join(parts)


def normalised(sig: ParsedSig, default_unit: str | None = None) -> str:
    """The patient wording, with no abbreviations: "Take 1 tablet by mouth in the morning and in the evening.".

    ``default_unit`` names the unit when the sig gives only a number ("1 bid" with a tablet product).
    An unparsed sig has no patient wording (its text may hold the very abbreviations the calendar must
    not print), so asking for one raises :class:`ValueError`; the caller shows ``sig.text`` to the
    pharmacist instead.
    """
    if not sig.parsed:
        raise ValueError(f"the sig {sig.text!r} was not read ({sig.problem}); it has no patient wording")
    unit = sig.unit or default_unit
    if sig.verb in _KEEP_VERBS and sig.route in (None, "by mouth", "under the tongue"):
        verb = _KEEP_VERBS[sig.verb]
    elif unit == "puff" or sig.verb == "inhale":
        verb = "Inhale"
    elif sig.amount_words is not None and sig.route in (None, "on the skin"):
        verb = "Apply"
    elif sig.route is not None:
        verb = _ROUTE_VERB[sig.route]
    elif unit in _UNIT_VERB:
        verb = _UNIT_VERB[unit]
    elif sig.verb is not None:
        verb = sig.verb.capitalize()
    else:
        verb = "Take"
    timing = _timing_text(sig)
    notes = [n for n in sig.notes if not _is_sentence(n) and n != "until finished"]
    meal_notes = [n for n in notes if n in _MEAL_NOTES]
    if sig.slots == SLOT_ORDER and len(meal_notes) == 1:
        # "ac and hs": the meal note belongs to the meals, not to bedtime.
        timing = f"in the morning, at noon and in the evening {meal_notes[0]}, and at bedtime"
        notes.remove(meal_notes[0])
    words = [verb, _dose_text(sig, default_unit), _route_text(sig), timing]
    words.extend(_joined_notes(notes))
    if sig.prn:
        words.append("when needed")
        if sig.prn_reason:
            words.append(f"for {sig.prn_reason}")
    elif sig.indication:
        words.append(f"for {sig.indication}")
    if sig.duration_days is not None:
        words.append("for 1 day" if sig.duration_days == 1 else f"for {sig.duration_days} days")
    if sig.duration_doses is not None:
        words.append(f"for {sig.duration_doses} doses")
    if "until finished" in sig.notes:
        words.append("until finished")
    sentences = [" ".join(w for w in words if w)]
    if sig.max_per_day is not None:
        most = Fraction(sig.max_per_day)
        if sig.max_per_day_unit == "dose":
            what = f"{format_number(most)} {'dose' if most == 1 else 'doses'}"
        else:
            what = _count(most, sig.max_per_day_unit or unit)
            if sig.max_per_day_of:
                what += f" of {sig.max_per_day_of}"
        sentences.append(f"No more than {what} a day")
    sentences.extend(n[0].upper() + n[1:] for n in sig.notes if _is_sentence(n))
    return ". ".join(sentences) + "."


#: Notes that are instructions of their own, printed as separate sentences.
_SENTENCE_NOTES = frozenset({
    "do not crush", "do not chew", "swallow whole", "do not crush or chew", "shake well", "rinse your mouth after use",
    "remove the old patch", "remove after 12 hours", "on for 12 hours, off for 12 hours", "stay upright for 30 minutes",
})


_MEAL_NOTES = frozenset({"with meals", "before meals", "after meals"})


def _is_sentence(note: str) -> bool:
    return note in _SENTENCE_NOTES or note.startswith("may repeat")


def _joined_notes(notes: list[str]) -> list[str]:
    """"with breakfast", "with supper" -> "with breakfast and supper"."""
    out: list[str] = []
    for note in notes:
        first, _, rest = note.partition(" ")
        if out and rest and out[-1].split(" ", 1)[0] == first and first in ("with", "before", "after"):
            out[-1] = f"{out[-1]} and {rest}"
        else:
            out.append(note)
    return out


__all__ = ["BANNED_WORDS", "ParsedSig", "normalised", "parse_sig"]
