"""A line of any dose form is screened by its ingredients and their classes, like a tablet."""

from __future__ import annotations

import pytest

from interactions.review import review
from regimens.formulary import get_formulary
from tests.helpers.forms import FORM_CASES, drug_name, form_drugs
from tests.helpers.plans import line, product


@pytest.fixture(autouse=True)
def with_form_drugs():
    with form_drugs():
        yield


@pytest.mark.parametrize("case", FORM_CASES, ids=[c.key for c in FORM_CASES])
def test_the_review_screens_every_form(case):
    """The made-up drugs are NSAIDs: each meets warfarin (R55), a 0.5% eye drop as much as a suppository."""
    from regimens.regimen import Regimen

    made_up = get_formulary().get(drug_name(case)).products[0]
    dose = case.dose.split()[0]
    new = line("m1", made_up, dose, interval=case.interval_hours or 24) if case.interval_hours else \
        line("m1", made_up, dose, "morning")
    warfarin = line("m2", product("warfarin", "5 mg"), "1", "evening")
    found = review(Regimen(medications=(new, warfarin)), 70)
    r55 = [f for f in found.findings if f.rule_id == "R55"]
    assert r55, [f.rule_id for f in found.findings]
    assert set(r55[0].drugs) & {i.drug for i in made_up.ingredients}


def test_an_oral_mme_factor_never_converts_an_injection():
    from interactions.metrics import compute_metrics
    from regimens.regimen import Regimen

    injection = line("m1", product("morphine", "10 mg/mL", form="injection"), "1", "morning")
    tablet = line("m2", product("morphine", "15 mg"), "1", "morning")
    metrics = compute_metrics(Regimen(medications=(injection, tablet)))
    assert metrics.mme_per_day == 15
    assert any("no CDC-2022-clinical factor for the injection form" in n for n in metrics.mme_notes)
