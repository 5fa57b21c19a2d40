"""Issue 14: the top-300 drugs assigned to top300-a-k.json are found by their top-300 name and have products."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from regimens.formulary import get_formulary

TOP300 = Path(__file__).resolve().parents[1] / "fixtures" / "lists" / "top300-2023.tsv"
FILE = Path(__file__).resolve().parents[2] / "regimens" / "data" / "formulary" / "top300-a-k.json"

#: The top-300 entries (ClinCalc 2023 names, "; " between a combination's ingredients) this file covers.
ASSIGNED = [
    "Atorvastatin", "Amoxicillin", "Famotidine", "Empagliflozin", "Buspirone", "Glipizide", "Allopurinol",
    "Ergocalciferol", "Cetirizine", "Amoxicillin; Clavulanate", "Cholecalciferol", "Ezetimibe", "Doxycycline",
    "Glimepiride", "Fenofibrate", "Cephalexin", "Ferrous Sulfate", "Finasteride", "Dapagliflozin", "Folic Acid",
    "Aripiprazole", "Cyanocobalamin", "Hydralazine", "Alendronate", "Benzonatate", "Isosorbide", "Donepezil",
    "Dexmethylphenidate", "Hydroxychloroquine", "Esomeprazole", "Docusate", "Acyclovir", "Atomoxetine",
    "Cefdinir", "Amlodipine; Benazepril", "Dicyclomine", "Anastrozole", "Calcium", "Emtricitabine; Tenofovir",
    "Colchicine", "Fexofenadine", "Bisoprolol", "Flecainide", "Ascorbic Acid", "Cyproheptadine", "Dutasteride",
    "Senna; Docusate", "Icosapent Ethyl", "Calcitriol", "Calcium Phosphate; Cholecalciferol",
    "Codeine; Guaifenesin", "Cefuroxime", "Atropine; Diphenoxylate", "Guaifenesin", "Bisacodyl", "Ivermectin",
    "Etodolac",
]


#: Entries found by name but without a product row yet, and why (the report of issue 14 lists them).
NO_PRODUCT_YET = {
    "Calcium Phosphate; Cholecalciferol": "no primary source seen for the strengths of a US calcium phosphate + D3 product",
}


def query(entry: str) -> str:
    """The name a user types for a top-300 entry: a combination's ingredients joined by "/"."""
    return "/".join(part.strip() for part in entry.split(";"))


def test_assigned_entries_are_on_the_top300_list():
    listed = {line.split("\t", 1)[1].strip() for line in TOP300.read_text().splitlines() if "\t" in line}
    assert set(ASSIGNED) <= listed, set(ASSIGNED) - listed


@pytest.mark.parametrize("entry", ASSIGNED)
def test_top300_name_finds_a_drug(entry):
    assert get_formulary().lookup(query(entry)) is not None, entry


@pytest.mark.parametrize("entry", [e for e in ASSIGNED if e not in NO_PRODUCT_YET])
def test_top300_drug_has_products(entry):
    match = get_formulary().lookup(query(entry))
    assert match is not None and match.drug.products, entry


@pytest.mark.parametrize("entry", [e for e in ASSIGNED if ";" in e])
def test_combination_found_in_either_ingredient_order(entry):
    formulary = get_formulary()
    forward = formulary.lookup(query(entry))
    backward = formulary.lookup("/".join(reversed(query(entry).split("/"))))
    assert forward is not None and backward is not None and forward.drug.name == backward.drug.name
    assert forward.drug.is_combination


@pytest.mark.parametrize(
    ("typed", "generic"),
    [("isosorbide", "isosorbide mononitrate"), ("Isordil", "isosorbide dinitrate"), ("calcium", "calcium carbonate"),
     ("senna", "senna"), ("aciclovir", "acyclovir"), ("colecalciferol", "cholecalciferol"),
     ("vitamin D2", "ergocalciferol"), ("vitamin D3", "cholecalciferol"), ("vitamin C", "ascorbic acid"),
     ("vitamin B12", "cyanocobalamin"), ("Lotrel", "amlodipine/benazepril"), ("Truvada", "emtricitabine/tenofovir disoproxil"),
     ("Descovy", "emtricitabine/tenofovir alafenamide"), ("Lomotil", "diphenoxylate/atropine"),
     ("Augmentin", "amoxicillin/clavulanate")],
)
def test_synonyms_and_brands(typed, generic):
    match = get_formulary().lookup(typed)
    assert match is not None and match.drug.name == generic


def test_every_drug_of_the_file_is_oral_or_an_ingredient_row():
    """Products here are oral (and the cyanocobalamin nasal spray); rows without products are combination parts or known gaps."""
    formulary = get_formulary()
    rows = json.loads(FILE.read_text())["drugs"]
    parts = {ing for row in rows for ing in row.get("ingredients", [])}
    gaps = {query(e).lower() for e in NO_PRODUCT_YET}
    for row in rows:
        assert row["products"] or row["name"] in parts | gaps, row["name"]
        drug = formulary.by_name[row["name"]]
        assert {p.form.value for p in drug.products} <= {
            "tablet", "capsule", "odt", "solution", "suspension", "granules", "nasal-spray"}, row["name"]
