"""A sig as written is shown beside its reading on the pharmacist's summary, never on the patient's calendar."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from decimal import Decimal
from typing import Any

from regimens.case import Case, Patient
from regimens.csv_import import regimen_from_csv_text
from taper.adapters import case_schedules
from taper.calendar_view import build_calendar, cell_text, other_medicines
from taper.summary_view import build_summary
from tests.helpers.plans import plan

TODAY = date(2027, 1, 2)
CSV = ("product,sig\n"
       "oxycodone hydrochloride 5 MG Oral Tablet,1 tab po q12h\n"
       "Acetaminophen 325 MG / Hydrocodone Bitartrate 5 MG Oral Tablet,1-2 tabs q4-6h prn pain\n"
       "atorvastatin 20 MG Oral Tablet [Lipitor],take as directed\n"
       "lisinopril 10 MG Oral Tablet,1 tab po qd\n")
SIGS = ("1 tab po q12h", "1-2 tabs q4-6h prn pain", "take as directed", "1 tab po qd")


def _case() -> Case:
    regimen = regimen_from_csv_text(CSV)
    oxycodone = regimen.medications[0]
    return Case(patient=Patient(id="T", name="Test Patient", birth_date=date(1950, 5, 1)), regimen=regimen,
                plans=(plan("oxycodone", (oxycodone.id,), "10", strategy="fixed", amount=Decimal("2.5"),
                            interval_days=14),))


def _strings(value: Any) -> list[str]:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _strings(dataclasses.asdict(value))
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in _strings(v)]
    return [value] if isinstance(value, str) else []


def test_summary_shows_each_sig_beside_its_reading() -> None:
    from interactions.review import review

    case = _case()
    schedules = case_schedules(case)
    view = build_summary(case, schedules, review(case.regimen, case.patient.age_on(TODAY)), [], TODAY)
    text = json.dumps(view["regimen"])
    for sig in SIGS:
        assert sig in text
    norco = next(row for row in view["regimen"] if "hydrocodone" in row[0].lower())
    assert 'sig as written: \\"1-2 tabs q4-6h prn pain\\"' in json.dumps(norco[1]) or \
        'sig as written: "1-2 tabs q4-6h prn pain"' in norco[1]


def test_calendar_never_prints_the_sig_as_written() -> None:
    case = _case()
    schedules = case_schedules(case)
    calendar = build_calendar(case, schedules, [], printed=TODAY)
    words = "\n".join(_strings(calendar))
    for week in getattr(calendar, "weeks", []) or []:
        for cell in getattr(week, "cells", []) or []:
            words += "\n".join(cell_text(cell))
    for sig in SIGS:
        assert sig not in words
    assert " po " not in words and "q12h" not in words and "prn" not in words
    others = "\n".join(other_medicines(case)["lines"])
    assert "atorvastatin" in others.lower() and "as directed" not in others
