"""Beers 2023 rows added for the older-adult lists (issue 14): each fires from 65, cites its table."""

from __future__ import annotations

import pytest

from interactions.review import review
from interactions.tables import acb_tables, beers_table
from regimens.formulary import get_formulary
from regimens.regimen import Regimen
from tests.helpers.screening import facts, med


@pytest.mark.parametrize(("drug", "flag_id", "is_check"), [
    ("lansoprazole", "BEERS-PPI", True), ("glyburide", "BEERS-SULFONYLUREA", False),
    ("isoxsuprine", "BEERS-ERGOLOID-ISOXSUPRINE", False), ("hyoscyamine", "BEERS-ANTISPASMODIC", False),
    ("benztropine", "BEERS-ANTIPARKINSON-ANTICHOLINERGIC", False), ("dipyridamole", "BEERS-DIPYRIDAMOLE", True),
    ("methyldopa", "BEERS-CENTRAL-ALPHA", False), ("disopyramide", "BEERS-DISOPYRAMIDE", False),
    ("digoxin", "BEERS-DIGOXIN-FIRST-LINE", True), ("dronedarone", "BEERS-DRONEDARONE", True),
    ("meprobamate", "BEERS-MEPROBAMATE", False), ("megestrol", "BEERS-MEGESTROL", False),
    ("desmopressin", "BEERS-DESMOPRESSIN", True), ("conjugated estrogens", "BEERS-ESTROGEN", True),
    ("methyltestosterone", "BEERS-ANDROGEN", True), ("chlorpheniramine", "BEERS-ANTIHISTAMINE", False),
    ("clomipramine", "BEERS-TCA", False), ("piroxicam", "BEERS-NSAID-CHRONIC", True),
    ("secobarbital", "BEERS-BARBITURATE", False), ("canagliflozin", "BEERS-SGLT2", False),
    ("clozapine", "BEERS-SEIZURES", True), ("triazolam", "BEERS-FALLS-CNS", True),
    ("lurasidone", "BEERS-PARKINSON", True), ("enoxaparin", "BEERS-ENOXAPARIN-RENAL", True),
    ("tolterodine", "BEERS-LUTS", True), ("cilostazol", "BEERS-HEART-FAILURE", True)])
def test_new_beers_rows_fire_from_65(drug, flag_id, is_check):
    older = {g.id: g for g in review(facts(drug), 72).flags}
    assert flag_id in older
    assert (older[flag_id].check is not None) == is_check
    assert "doi:10.1111/jgs.18372" in older[flag_id].source
    assert flag_id not in {g.id for g in review(facts(drug), 50).flags}


def _digoxin(strength: str) -> Regimen:
    product = next(p for p in get_formulary().get("digoxin").products if p.strength == strength)
    return Regimen(medications=(med("digoxin", "d", product=product),))


def test_digoxin_above_0125_mg_a_day_is_flagged_and_0125_is_not():
    assert "BEERS-DIGOXIN-DOSE" in {g.id for g in review(_digoxin("0.25 mg"), 80).flags}
    assert "BEERS-DIGOXIN-DOSE" not in {g.id for g in review(_digoxin("0.125 mg"), 80).flags}


def test_every_added_row_is_graded_and_names_its_table():
    for flag in beers_table()["flags"]:
        assert flag["evidence"] in {"C", "S", "U"} and flag["table"] in {"2", "3", "4", "5", "6", "7"}
        assert f"Table {flag['table']}" in flag["source"], flag["id"]


@pytest.mark.parametrize(("drug", "score"), [
    ("benztropine", 3), ("trihexyphenidyl", 3), ("tolterodine", 3), ("chlorpromazine", 3), ("clozapine", 3),
    ("amantadine", 2), ("loxapine", 2), ("digoxin", 1), ("theophylline", 1), ("asenapine", 1), ("clidinium", 1),
    ("lansoprazole", 0), ("protriptyline", 0)])
def test_acb_scores_of_added_drugs(drug, score):
    scale = acb_tables()["scales"]["ACB-2008"]
    assert scale["scores"][drug] == score
    assert (drug in scale["not_listed"]) == (score == 0)


@pytest.mark.parametrize(("scale", "drug", "score"), [
    ("ARS", "fluphenazine", 3), ("ARS", "prochlorperazine", 2), ("ARS", "ziprasidone", 1), ("ARS", "benztropine", 3),
    ("ACBcalc", "theophylline", 2), ("ACBcalc", "maprotiline", 2), ("ACBcalc", "midazolam", 1),
    ("ACBcalc", "lansoprazole", 1), ("ACBcalc", "pyrilamine", 0)])
def test_other_scale_scores_of_added_drugs(scale, drug, score):
    assert acb_tables()["scales"][scale]["scores"][drug] == score
