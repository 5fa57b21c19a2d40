"""The curated tables: valid, sourced, known to the formulary, and complete enough."""

from __future__ import annotations

from collections import Counter

from interactions.tables import (
    acb_tables,
    beers_table,
    benzo_tables,
    factor_set,
    factor_set_ids,
    rule_table,
    validate_tables,
)
from regimens.formulary import CLASS_TAGS


def known_ingredients() -> frozenset[str]:
    """Single-ingredient drugs of the formulary (the names tables may use)."""
    from regimens.formulary import get_formulary

    return frozenset(d.name for d in get_formulary().drugs if not d.is_combination)


def test_tables_validate():
    assert validate_tables(known_ingredients(), CLASS_TAGS) == []


def test_rule_table_is_big_enough_and_has_each_kind():
    rules = rule_table().rules
    assert len(rules) >= 100
    kinds = Counter(r.kind for r in rules)
    assert kinds["triple"] >= 2 and kinds["count"] >= 2 and kinds["duplicate"] >= 5
    ids = {r.id for r in rules}
    assert {"R06", "R64", "R08", "R77", "R10", "R11", "R12", "R25", "R61"} <= ids


def test_required_rules_have_the_right_sides():
    rules = {r.id: r for r in rule_table().rules}
    r64 = rules["R64"]
    assert r64.kind == "triple"
    assert {"NSAID"} <= r64.sides[0].classes and {"RAS-inhibitor"} <= r64.sides[1].classes
    r06 = rules["R06"]
    assert r06.kind == "triple" and "carisoprodol" in r06.sides[2].drugs
    r08 = rules["R08"]
    assert r08.kind == "count" and r08.min_count == 3 and r08.min_age == 65


def test_unconfirmed_rules_are_marked():
    rules = {r.id: r for r in rule_table().rules}
    assert rules["R12"].evidence == "U"
    assert all(r.evidence in {"C", "S", "U"} for r in rules.values())


def test_every_table_names_its_source():
    for set_id in factor_set_ids():
        assert factor_set(set_id).source
    for table in benzo_tables()["tables"].values():
        assert table["source"]
    for scale in acb_tables()["scales"].values():
        assert scale["source"]
    known = known_ingredients()
    for flag in beers_table()["flags"]:
        assert flag["source"] and flag["message"]
        assert set(flag["drugs"]) <= known
        assert set(flag["classes"]) <= CLASS_TAGS
    for scale in acb_tables()["scales"].values():
        assert set(scale["scores"]) <= known
