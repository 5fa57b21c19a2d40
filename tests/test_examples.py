"""The bundled example cases: they load, match their lists, and total correctly."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from regimens.casefile import load_case
from regimens.csv_import import regimen_from_csv
from tests.conftest import EXAMPLES, LISTS

EXPECTED = {
    "kowalski": {("oxycodone", "mg"): (30, 15), ("alprazolam", "mg"): (Fraction(1, 2), 0),
                 ("cyclobenzaprine", "mg"): (10, 0), ("ibuprofen", "mg"): (1200, 0),
                 ("lisinopril", "mg"): (20, 0), ("hydrochlorothiazide", "mg"): (25, 0)},
    "okafor": {("duloxetine", "mg"): (60, 0), ("zolpidem", "mg"): (10, 0),
               ("acetaminophen", "mg"): (0, 3000), ("sumatriptan", "mg"): (0, 200)},
    "bell": {("gabapentin", "mg"): (1800, 0), ("prednisone", "mg"): (40, 0),
             ("oxycodone", "mg"): (0, 20), ("acetaminophen", "mg"): (0, 1300), ("naproxen", "mg"): (1000, 0)},
    "marsh": {("amitriptyline", "mg"): (25, 0), ("diphenhydramine", "mg"): (25, 0),
              ("tramadol", "mg"): (100, 100), ("sertraline", "mg"): (100, 0),
              ("acetaminophen", "mg"): (3000, 0), ("lisinopril", "mg"): (10, 0)},
    "nunez": {("fentanyl", "mcg/hr"): (25, 0), ("morphine", "mg"): (0, 30),
              ("clonazepam", "mg"): (Fraction(1, 2), 0), ("pregabalin", "mg"): (150, 0),
              ("sertraline", "mg"): (50, 0)},
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_case_totals(name):
    case = load_case(EXAMPLES / f"{name}.json", today=date(2026, 11, 26))
    totals = {(t.drug, t.unit): (t.scheduled, t.prn_max) for t in case.regimen.ingredient_totals()}
    assert totals == {k: (Fraction(a), Fraction(b)) for k, (a, b) in EXPECTED[name].items()}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_case_matches_its_list(name):
    case = load_case(EXAMPLES / f"{name}.json")
    assert case.regimen == regimen_from_csv(LISTS / f"{name}.csv")


def test_examples_cover_the_clinic_patients():
    assert sorted(p.stem for p in EXAMPLES.glob("*.json")) == sorted(EXPECTED)
    marsh = load_case(EXAMPLES / "marsh.json")
    assert marsh.patient.age_on(date(2026, 11, 26)) == 79
