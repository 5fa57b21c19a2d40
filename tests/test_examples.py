"""The bundled example cases: they load, match their lists, and total correctly."""

from __future__ import annotations

import io
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
    "hughes": {("metformin", "mg"): (1000, 0), ("glipizide", "mg"): (5, 0), ("atorvastatin", "mg"): (40, 0),
               ("lisinopril", "mg"): (10, 0), ("omeprazole", "mg"): (20, 0), ("oxybutynin", "mg"): (10, 0),
               ("donepezil", "mg"): (10, 0), ("lorazepam", "mg"): (Fraction(1, 2), 0),
               ("acetaminophen", "mg"): (0, 3000), ("ashwagandha", "mg"): (500, 0)},
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


def test_an_older_adults_ten_line_list_with_a_medicine_the_formulary_lacks(tmp_path):
    """Issue 14, done when: Margaret Hughes's list (ten lines, one a supplement the formulary does not know)
    imports, reviews with the supplement under Not screened, prints it on the calendar and the summary,
    and round-trips through the case file."""
    from pypdf import PdfReader

    from interactions.review import review
    from regimens.casefile import save_case
    from tests.helpers.pdfs import calendar_and_summary

    case = load_case(EXAMPLES / "hughes.json")
    meds = case.regimen.medications
    assert len(meds) == 10 and [m.kind.value for m in meds].count("listed") == 9
    supplement = meds[-1]
    assert supplement.kind.value == "unlisted" and supplement.written is not None
    assert supplement.written.name == "Ashwagandha" and supplement.titled() == "Ashwagandha 500 mg capsule (unlisted)"
    r = review(case.regimen, case.patient.age_on(date(2026, 12, 2)))
    assert [(n.drug, n.reason) for n in r.not_screened] == [("Ashwagandha", "not in the formulary")]
    ids = {g.id for g in r.flags}
    # the older-adult review sees the rest of the list: a sulfonylurea, a strong anticholinergic with a
    # cholinesterase inhibitor, a benzodiazepine
    assert {"BEERS-BZD", "ACB-3"} <= ids and any("glipizide" in g.drugs for g in r.flags if g.kind == "beers")
    calendar, summary = calendar_and_summary(case, date(2026, 12, 2))
    cover = PdfReader(io.BytesIO(calendar)).pages[0].extract_text()
    assert "Your other medicines" in cover and "Ashwagandha 500 mg capsule" in " ".join(cover.split())
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(summary)).pages).split())
    assert "Ashwagandha 500 mg capsule (unlisted)" in text and "Not screened" in text
    save_case(case, tmp_path / "hughes.json")
    assert load_case(tmp_path / "hughes.json") == case
