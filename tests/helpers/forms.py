"""One made-up drug per dose form beyond tablets and capsules, added to the bundled formulary for a test.

The drugs are named ``formtest <form>`` so they never meet a real row; they are NSAIDs (a class with an
interaction rule, R55 with warfarin, and no taper rule set), so a review screens them and a taper refuses.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NamedTuple

from regimens import formulary


class FormCase(NamedTuple):
    """A product of one form, a CSV row's dose and when cells, and the dose text it prints."""

    key: str
    form: str
    strength: str
    dose: str
    when: str
    printed: str
    interval_hours: int | None = None


FORM_CASES = [
    FormCase("chewable", "chewable", "81 mg", "2", "morning", "2 tablets (162 mg)"),
    FormCase("sublingual", "sublingual", "0.4 mg", "1", "bedtime", "1 tablet (0.4 mg)"),
    FormCase("inhaler", "inhaler", "90 mcg", "2 puffs", "every 6 hours", "2 puffs (180 mcg)"),
    FormCase("nebulizer-solution", "nebulizer-solution", "2.5 mg/3 mL", "3 mL", "every 6 hours", "3 mL (2.5 mg)"),
    FormCase("injection", "injection", "10 mg/mL", "0.5 mL", "morning", "0.5 mL (5 mg)"),
    FormCase("injection-units", "injection", "100 units/mL", "10 units", "morning;evening", "10 units"),
    FormCase("pen", "pen", "100 units/mL", "12 units", "bedtime", "12 units"),
    FormCase("pen-dose", "pen", "1.5 mg", "1", "every 7 days", "1 injection (1.5 mg)"),
    FormCase("pen-70-30", "pen", "70 units/30 units/mL", "20 units", "morning", "20 units (14 units/6 units)"),
    FormCase("eye-drops", "eye-drops", "0.5%", "1 drop", "morning;evening", "1 drop (0.5%)"),
    FormCase("ear-drops", "ear-drops", "0.3%", "4 drops", "morning;evening", "4 drops (0.3%)"),
    FormCase("cream", "cream", "1%", "1", "morning;evening", "1 application (1%)"),
    FormCase("ointment", "ointment", "0.1%", "2 applications", "morning", "2 applications (0.1%)"),
    FormCase("gel", "gel", "1%", "4", "morning;noon;evening;bedtime", "4 applications (1%)"),
    FormCase("lotion", "lotion", "2%", "1", "bedtime", "1 application (2%)"),
    FormCase("topical-solution", "topical-solution", "1.5%", "1", "morning", "1 application (1.5%)"),
    FormCase("foam", "foam", "10%", "1", "bedtime", "1 application (10%)"),
    FormCase("suppository", "suppository", "25 mg", "1", "bedtime", "1 suppository (25 mg)"),
    FormCase("enema", "enema", "100 mg", "1", "bedtime", "1 enema (100 mg)"),
    FormCase("vaginal-cream", "vaginal-cream", "0.01%", "1", "bedtime", "1 applicatorful (0.01%)"),
    FormCase("vaginal-insert", "vaginal-insert", "10 mcg", "1", "bedtime", "1 insert (10 mcg)"),
    FormCase("vaginal-ring", "vaginal-ring", "7.5 mcg/24 hr", "1", "every 90 days", "1 ring (7.5 mcg/24 hr)",
             2160),
    FormCase("ring-combination", "vaginal-ring", "120 mcg/24 hr/15 mcg/24 hr", "1", "every 21 days",
             "1 ring (120 mcg/24 hr/15 mcg/24 hr)", 504),
    FormCase("implant", "implant", "68 mg", "1", "every 3 years", "1 implant (68 mg)", 26280),
    FormCase("injection-3-months", "injection", "150 mg/mL", "1 mL", "every 3 months", "1 mL (150 mg)"),
    FormCase("rinse", "rinse", "0.12%", "15 mL", "morning;evening", "15 mL (0.12%)"),
    FormCase("powder", "powder", "17 g", "1", "morning", "1 dose (17 g)"),
    FormCase("troche", "troche", "10 mg", "1", "morning;noon;evening", "1 troche (10 mg)"),
    FormCase("oral-spray", "oral-spray", "0.4 mg", "2 sprays", "morning", "2 sprays (0.8 mg)"),
]


#: The combinations, each ingredient a row of its own: a 70/30 insulin-like pen and a contraceptive-like ring.
COMBINATION = {"pen-70-30": ("formtest isophane", "formtest regular"),
               "ring-combination": ("formtest progestin", "formtest estrogen")}


def drug_name(case: FormCase) -> str:
    parts = COMBINATION.get(case.key)
    return "/".join(parts) if parts else f"formtest {case.key}"


#: An opioid injection: a class with a taper rule set, so a plan of it is built (in mL).
OPIOID_INJECTION = "formtest opioid injection"


def _rows() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = [{
        "name": OPIOID_INJECTION, "classes": ["opioid", "CNS-depressant"], "source": "FORMTEST", "evidence": "U",
        "products": [{"form": "injection", "strength": "10 mg/mL", "source": "FORMTEST", "evidence": "U"}]}]
    for case in FORM_CASES:
        product: dict[str, Any] = {"form": case.form, "strength": case.strength, "source": "FORMTEST",
                                   "evidence": "U"}
        if case.interval_hours:
            product["interval_hours"] = case.interval_hours
        row: dict[str, Any] = {"name": drug_name(case), "classes": ["NSAID"], "source": "FORMTEST",
                               "evidence": "U", "products": [product]}
        for part in COMBINATION.get(case.key, ()):
            rows.append({"name": part, "classes": ["NSAID"], "source": "FORMTEST", "evidence": "U", "products": []})
            row["ingredients"] = list(COMBINATION[case.key])
        rows.append(row)
    return rows


@contextmanager
def form_drugs() -> Iterator[None]:
    """The bundled formulary with one ``formtest`` drug per form, for the duration of the block."""
    real = formulary.read_formulary_data

    def with_forms() -> dict[str, Any]:
        data = real()
        return formulary.merge_formulary_files([
            ("bundled", data),
            ("forms-test", {"sources": {"FORMTEST": "made-up rows for the dose-form tests"}, "drugs": _rows()}),
        ])

    formulary.get_formulary.cache_clear()
    formulary.read_formulary_data = with_forms  # type: ignore[assignment]
    try:
        yield
    finally:
        formulary.read_formulary_data = real  # type: ignore[assignment]
        formulary.get_formulary.cache_clear()
