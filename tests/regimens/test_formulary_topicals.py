"""The topicals, hormones and other drugs of issue 14 (topicals-hormones-other.json) are found by name."""

from __future__ import annotations

import pytest

from regimens.forms import parse_strength
from regimens.formulary import IDENTIFYING, get_formulary

#: The top-300 (2023) names of this file's drugs, combinations joined by "/" in the list's order, with
#: the formulary drug each must find.
TOP300_QUERIES = {
    "Dextroamphetamine/Dextroamphetamine Saccharate/Amphetamine/Amphetamine Aspartate": "dextroamphetamine/amphetamine",
    "Estradiol": "estradiol",
    "Ethinyl Estradiol/Norethindrone": "norethindrone/ethinyl estradiol",
    "Ethinyl Estradiol/Norgestimate": "norgestimate/ethinyl estradiol",
    "Loratadine": "loratadine",
    "Triamcinolone": "triamcinolone",
    "Progesterone": "progesterone",
    "Clobetasol": "clobetasol",
    "Norethindrone": "norethindrone",
    "Ethinyl Estradiol/Levonorgestrel": "levonorgestrel/ethinyl estradiol",
    "Clindamycin": "clindamycin",
    "Drospirenone/Ethinyl Estradiol": "drospirenone/ethinyl estradiol",
    "Ethinyl Estradiol/Etonogestrel": "etonogestrel/ethinyl estradiol",
    "Mupirocin": "mupirocin",
    "Polyethylene Glycol 3350": "polyethylene glycol 3350",
    "Tretinoin": "tretinoin",
    "Mesalamine": "mesalamine",
    "Nitroglycerin": "nitroglycerin",
    "Desogestrel/Ethinyl Estradiol": "desogestrel/ethinyl estradiol",
    "Nystatin": "nystatin",
    "Betamethasone/Clotrimazole": "clotrimazole/betamethasone",
    "Dextromethorphan/Promethazine": "promethazine/dextromethorphan",
    "Pancrelipase Amylase/Pancrelipase Lipase/Pancrelipase Protease": "lipase/protease/amylase",
    "Clotrimazole": "clotrimazole",
    "Acetaminophen/Butalbital/Caffeine": "butalbital/acetaminophen/caffeine",
    "Sodium Fluoride": "sodium fluoride",
    "Fluorouracil": "fluorouracil",
    "Chlorhexidine": "chlorhexidine",
    "Polyethylene Glycol 3350 With Electrolytes": "polyethylene glycol 3350 with electrolytes",
    "Hydroquinone": "hydroquinone",
    "Lidocaine": "lidocaine",
    "Ciclopirox": "ciclopirox",
    "Betamethasone": "betamethasone",
    "Brompheniramine/Dextromethorphan/Pseudoephedrine": "brompheniramine/pseudoephedrine/dextromethorphan",
    "Ethinyl Estradiol/Norgestrel": "norgestrel/ethinyl estradiol",
    "Ethinyl Estradiol/Norelgestromin": "norelgestromin/ethinyl estradiol",
    "Lactate": "ammonium lactate",
    "Pseudoephedrine": "pseudoephedrine",
    "Loratadine/Pseudoephedrine": "loratadine/pseudoephedrine",
}


@pytest.mark.parametrize(("query", "drug"), sorted(TOP300_QUERIES.items()))
def test_top300_name_finds_the_drug_and_its_products(query, drug):
    match = get_formulary().lookup(query)
    assert match is not None and match.kind in IDENTIFYING, query
    assert match.drug.name == drug
    assert match.drug.products, drug


@pytest.mark.parametrize("query", ["Norethindrone/Ethinyl Estradiol", "Amphetamine/Dextroamphetamine",
                                   "Pancrelipase Lipase/Pancrelipase Protease/Pancrelipase Amylase",
                                   "Caffeine/Acetaminophen/Butalbital", "Adderall XR", "Creon", "NuvaRing"])
def test_combinations_are_found_in_any_order_and_by_brand(query):
    assert get_formulary().lookup(query) is not None, query


def test_mixed_amphetamine_salts_add_up_per_moiety():
    """Adderall's four salts are two ingredients written twice: a 20 mg tablet is 10 mg of each moiety's salts."""
    adderall = get_formulary().get("dextroamphetamine/amphetamine")
    tablet = next(p for p in adderall.products if p.form == "tablet" and p.strength == "5 mg/5 mg/5 mg/5 mg")
    assert [i.drug for i in tablet.ingredients] == ["dextroamphetamine", "amphetamine", "dextroamphetamine", "amphetamine"]
    assert {"stimulant"} <= adderall.classes


def test_a_combination_patch_or_ring_states_one_rate_per_hormone():
    """Xulane releases 150 mcg norelgestromin and 35 mcg ethinyl estradiol a day; NuvaRing 120 and 15 mcg."""
    assert parse_strength("150 mcg/24 hr/35 mcg/24 hr").amounts == ((150, "mcg/24 hr"), (35, "mcg/24 hr"))
    assert parse_strength("120 mcg/24hr/15 mcg/24 hr").amounts == ((120, "mcg/24 hr"), (15, "mcg/24 hr"))
    assert parse_strength("25 mcg/hr").amounts == ((25, "mcg/hr"),)
    ring = get_formulary().get("etonogestrel/ethinyl estradiol").products[0]
    assert ring.form == "vaginal-ring" and [i.drug for i in ring.ingredients] == ["etonogestrel", "ethinyl estradiol"]
    assert ring.interval_hours == 21 * 24


def test_a_lidocaine_patch_is_a_concentration_with_no_daily_amount():
    patches = [p for p in get_formulary().get("lidocaine").products if p.form == "patch"]
    assert {p.strength for p in patches} >= {"5%", "4%"}
    assert all(p.ingredients[0].unit == "%" and p.interval_hours for p in patches)
