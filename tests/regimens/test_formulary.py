"""The bundled formulary: the table is valid, sourced and complete enough for a pain clinic."""

from __future__ import annotations

import json
import re

import pytest

from regimens.formulary import (
    CLASS_TAGS,
    formulary_files,
    get_formulary,
    load_formulary_data,
    merge_formulary_files,
    read_formulary_data,
    validate_products,
)
from regimens.formulary_tidy import layout
from regimens.products import Form, Release

RAW = read_formulary_data()

#: Drugs named in ../shared/reference that a pain clinic sees.
REFERENCE_DRUGS = """
morphine oxycodone hydrocodone hydromorphone oxymorphone fentanyl methadone buprenorphine tramadol
tapentadol codeine meperidine naltrexone naloxone alprazolam clonazepam diazepam lorazepam temazepam
oxazepam chlordiazepoxide zolpidem eszopiclone zaleplon gabapentin pregabalin sertraline citalopram
escitalopram fluoxetine paroxetine fluvoxamine duloxetine venlafaxine desvenlafaxine milnacipran
amitriptyline nortriptyline imipramine desipramine doxepin bupropion mirtazapine trazodone phenelzine
selegiline ibuprofen naproxen diclofenac meloxicam indomethacin ketorolac celecoxib aspirin
acetaminophen sumatriptan rizatriptan zolmitriptan ergotamine cyclobenzaprine carisoprodol
methocarbamol metaxalone baclofen tizanidine orphenadrine clonidine lofexidine diphenhydramine
hydroxyzine promethazine quetiapine olanzapine haloperidol carbamazepine topiramate lithium warfarin
apixaban clopidogrel lisinopril losartan hydrochlorothiazide furosemide spironolactone propranolol
metoprolol prednisone methylprednisolone dexamethasone diltiazem verapamil amlodipine ondansetron
ciprofloxacin clarithromycin fluconazole
""".split()


def test_table_builds():
    formulary = load_formulary_data(RAW)
    assert len(formulary.drugs) >= 80
    assert validate_products(formulary) == []


def test_names_unique_and_lowercase():
    names = [d["name"] for d in RAW["drugs"]]
    assert len(names) == len(set(names))
    assert all(n == n.lower().strip() for n in names)


def test_no_name_points_at_two_drugs():
    assert get_formulary().conflicts == []


def test_every_class_is_in_the_vocabulary():
    for drug in get_formulary().drugs:
        assert drug.classes <= CLASS_TAGS, (drug.name, drug.classes - CLASS_TAGS)


def test_every_row_is_sourced_with_a_known_source():
    sources = RAW["sources"]
    for drug in get_formulary().drugs:
        assert drug.source, drug.name
        for product in drug.products:
            for sid in (product.source or drug.source).split(","):
                assert sid.strip() in sources, (drug.name, sid)


def test_no_duplicate_products_and_stable_ids():
    ids = [p.id for d in get_formulary().drugs for p in d.products]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z0-9\-]+", i) for i in ids)


def test_split_rules():
    for drug in get_formulary().drugs:
        for p in drug.products:
            never = {Form.CAPSULE, Form.PATCH, Form.FILM, Form.ODT}
            if p.form in never or p.release is not Release.IMMEDIATE:
                assert p.split == "none", p.id
            if p.form is Form.PATCH:
                assert p.interval_hours, p.id


def test_combinations_reference_real_ingredients():
    formulary = get_formulary()
    combos = [d for d in formulary.drugs if d.is_combination]
    names = {c.name for c in combos}
    assert {"hydrocodone/acetaminophen", "oxycodone/acetaminophen"} <= names
    for combo in combos:
        for ing in combo.ingredients:
            assert ing in formulary.by_name and not formulary.by_name[ing].is_combination
            assert formulary.by_name[ing].classes <= combo.classes


@pytest.mark.parametrize("name", REFERENCE_DRUGS)
def test_reference_drugs_are_present(name):
    assert get_formulary().lookup(name) is not None, name


@pytest.mark.parametrize(
    ("typed", "generic"),
    [("Cymbalta", "duloxetine"), (" OxyCODONE ", "oxycodone"), ("oxycontin", "oxycodone"),
     ("XANAX", "alprazolam"), ("Norco", "hydrocodone/acetaminophen"),
     ("acetaminophen / hydrocodone", "hydrocodone/acetaminophen"), ("paracetamol", "acetaminophen")],
)
def test_lookup_is_case_and_space_insensitive_and_knows_brands(typed, generic):
    match = get_formulary().lookup(typed)
    assert match is not None and match.drug.name == generic


def test_unknown_name_suggests_close_matches():
    message = get_formulary().unknown_message("oxycodine")
    assert "oxycodone" in message


def test_key_products_exist():
    formulary = get_formulary()
    strengths = {(p.drug, p.form.value, p.release.value, p.strength) for p in formulary.products.values()}
    for expected in [
        ("hydrocodone/acetaminophen", "tablet", "immediate", "10 mg/325 mg"),
        ("oxycodone/acetaminophen", "tablet", "immediate", "5 mg/325 mg"),
        ("fentanyl", "patch", "immediate", "25 mcg/hr"),
        ("duloxetine", "capsule", "delayed", "60 mg"),
        ("oxycodone", "solution", "immediate", "5 mg/5 mL"),
        ("gabapentin", "solution", "immediate", "250 mg/5 mL"),
        ("prednisone", "tablet", "immediate", "5 mg"),
    ]:
        assert expected in strengths, expected


def test_every_product_row_names_its_source_and_grade():
    for drug in RAW["drugs"]:
        for product in drug.get("products", []):
            assert product.get("source") and product.get("evidence") in ("C", "S", "U"), (drug["name"], product)


def test_no_two_products_of_a_drug_collide():
    for drug in get_formulary().drugs:
        seen: dict[tuple[object, ...], str] = {}
        for product in drug.products:
            key = (product.form, product.release, product.strength_key)
            assert key not in seen, (drug.name, product.strength, seen.get(key))
            seen[key] = product.strength
        assert len({p.id for p in drug.products}) == len(drug.products), drug.name


def test_product_codes_are_unique_across_the_formulary():
    codes: dict[str, str] = {}
    for product in get_formulary().products.values():
        if product.rxcui:
            assert product.rxcui not in codes, (product.id, codes.get(product.rxcui))
            codes[product.rxcui] = product.id


def test_a_drug_defined_in_two_files_is_refused():
    one = {"version": "1", "sources": {"S": "a"}, "drugs": [{"name": "x", "source": "S", "products": []}]}
    with pytest.raises(ValueError, match="'x' is defined in both a.json and b.json"):
        merge_formulary_files([("a.json", one), ("b.json", one)])
    other = {"version": "2", "sources": {"S": "b"}, "drugs": []}
    with pytest.raises(ValueError, match="source 'S' is given two different texts"):
        merge_formulary_files([("a.json", one), ("b.json", other)])
    assert merge_formulary_files([("a.json", one), ("c.json", {"version": "2", "drugs": []})])["version"] == "2"


def test_every_file_is_laid_out_as_the_tidy_tool_writes_it():
    for path in formulary_files():
        assert layout(json.loads(path.read_text("utf-8"))) == path.read_text("utf-8"), path.name


def test_strength_grammar_takes_units_counts_and_percentages():
    from regimens.forms import parse_strength
    assert parse_strength("100 units/mL").amounts[0][1] == "units"
    assert parse_strength("20 mEq").amounts[0][1] == "mEq"
    assert parse_strength("0.5%").amounts[0][1] == "%"
    four = parse_strength("1.25/1.25/1.25/1.25 mg")
    assert [u for _, u in four.amounts] == ["mg"] * 4
    with pytest.raises(ValueError, match="more than 4 ingredients"):
        parse_strength("1 mg/1 mg/1 mg/1 mg/1 mg")


def test_the_readme_counts_are_the_formularys():
    """The README says what the formulary covers; `python -m regimens.formulary_tidy` keeps it current."""
    from regimens.formulary_tidy import README, readme_with_coverage
    text = README.read_text("utf-8")
    assert readme_with_coverage(text) == text
