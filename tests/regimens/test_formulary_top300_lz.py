"""The top-300 drugs (ClinCalc 2023) assigned to top300-l-z.json: each is found by its list name and has products."""

import pytest

from regimens.formulary import MatchKind, get_formulary

#: The list's names, "; " written as "/" (any ingredient order must find a combination).
TOP300_LZ = [
    "Metformin", "Levothyroxine", "Omeprazole", "Rosuvastatin", "Pantoprazole", "Montelukast", "Simvastatin",
    "Tamsulosin", "Potassium Chloride", "Methylphenidate", "Pravastatin", "Lisdexamfetamine", "Olmesartan",
    "Valacyclovir", "Levetiracetam", "Oxybutynin", "Nifedipine", "Sitagliptin", "Lovastatin", "Pioglitazone",
    "Thyroid", "Nitrofurantoin", "Memantine", "Sildenafil", "Levocetirizine", "Nirmatrelvir/Ritonavir", "Melatonin",
    "Phentermine", "Risperidone", "Linaclotide", "Telmisartan", "Nebivolol", "Tadalafil", "Sacubitril/Valsartan",
    "Pramipexole", "Rimegepant", "Ropinirole", "Mirabegron", "Liothyronine", "Omega-3-acid Ethyl Esters",
    "Labetalol", "Sucralfate", "Solifenacin", "Penicillin V", "Oseltamivir", "Terbinafine", "Linagliptin",
    "Methimazole", "Metoclopramide", "Lactulose", "Nabumetone", "Phenazopyridine", "Loperamide", "Niacin",
    "Vitamin E", "Riboflavin",
]
#: Combinations asked for besides the list's own (the list names only the single drug).
EXTRA_COMBINATIONS = ["Olmesartan/Hydrochlorothiazide", "Sitagliptin/Metformin"]
#: Co-packaged tablets (Paxlovid: nirmatrelvir 150 mg tablets with ritonavir 100 mg tablets), not one dose unit:
#: the combination names the pack and its ingredients' own rows carry the tablets.
CO_PACKAGED = {"nirmatrelvir/ritonavir"}


def _reversed(name: str) -> str:
    return "/".join(reversed(name.split("/")))


@pytest.mark.parametrize("name", TOP300_LZ + EXTRA_COMBINATIONS)
def test_found_by_the_top300_name_and_has_products(name):
    formulary = get_formulary()
    match = formulary.lookup(name)
    assert match is not None, name
    assert match.kind is MatchKind.EXACT, (name, match.kind)
    drug = match.drug
    if "/" in name:
        assert drug.is_combination
        assert formulary.lookup(_reversed(name)).drug is drug
    if drug.name in CO_PACKAGED:
        for ingredient in drug.ingredients:
            assert formulary.by_name[ingredient].products, ingredient
    else:
        assert drug.products, name


def test_every_drug_of_the_file_is_sourced_and_graded():
    formulary = get_formulary()
    for name in ("thyroid", "vitamin e", "riboflavin", "penicillin v", "potassium chloride"):
        drug = formulary.by_name[name]
        assert drug.source and drug.evidence in ("C", "S", "U")
        assert all(p.source and p.evidence in ("C", "S", "U") for p in drug.products)


@pytest.mark.parametrize(("typed", "generic"), [
    ("levothyroxine sodium", "levothyroxine"), ("metformin hydrochloride", "metformin"), ("tocopherol", "vitamin e"),
    ("vitamin B2", "riboflavin"), ("Armour Thyroid", "thyroid"), ("Paxlovid", "nirmatrelvir/ritonavir"),
    ("Entresto", "sacubitril/valsartan"), ("Janumet", "sitagliptin/metformin"), ("Benicar HCT", "olmesartan/hydrochlorothiazide"),
    ("valaciclovir", "valacyclovir"), ("phenoxymethylpenicillin", "penicillin v"), ("KCl", "potassium chloride"),
])
def test_brands_and_synonyms(typed, generic):
    match = get_formulary().lookup(typed)
    assert match is not None and match.drug.name == generic, typed


def test_montelukast_chewables_and_granules_and_potassium_meq():
    formulary = get_formulary()
    montelukast = {p.id for p in formulary.by_name["montelukast"].products}
    assert {"montelukast-tablet-4mg", "montelukast-tablet-5mg", "montelukast-granules-4mg"} <= montelukast
    potassium = {p.id for p in formulary.by_name["potassium chloride"].products}
    assert {"potassium-chloride-tablet-er-20meq", "potassium-chloride-solution-20meq15ml"} <= potassium
