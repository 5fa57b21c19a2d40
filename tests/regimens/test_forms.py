"""Dose forms beyond the mouth and skin: every form's strength parses, its dose prints in its own words,
and a CSV row of it imports (issue 14, item 1)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from regimens.csv_import import interval_hours, regimen_from_csv_text
from regimens.dose_text import count_text, dose_text, interval_text, sig, when_text
from regimens.errors import TaperInputError
from regimens.forms import FORM_LABELS, UNIT_NOUNS, Form, parse_strength
from regimens.formulary import get_formulary
from tests.helpers.forms import FORM_CASES, FormCase, drug_name, form_drugs

HEADER = "drug,strength,form,dose,when,prn\n"
NEW_FORMS = ("chewable", "sublingual", "inhaler", "nebulizer-solution", "injection", "pen", "eye-drops",
             "ear-drops", "cream", "ointment", "gel", "lotion", "topical-solution", "foam", "suppository", "enema",
             "vaginal-cream", "vaginal-insert", "vaginal-ring", "implant", "rinse", "powder", "troche",
             "oral-spray")
IDS = [c.key for c in FORM_CASES]


@pytest.fixture(autouse=True)
def with_form_drugs():
    with form_drugs():
        yield


def _product(case: FormCase):
    return get_formulary().get(drug_name(case)).products[0]


def test_every_new_form_has_a_value_a_label_and_a_dose_noun():
    assert {f.value for f in Form} >= set(NEW_FORMS)
    for form in Form:
        assert FORM_LABELS[form] and UNIT_NOUNS[form]
    assert {c.form for c in FORM_CASES} == set(NEW_FORMS)


@pytest.mark.parametrize("case", FORM_CASES, ids=IDS)
def test_the_strength_parses_and_prints_back(case):
    parsed = parse_strength(case.strength)
    product = _product(case)
    assert product.strength == case.strength
    assert product.strength_key == parsed.key()


@pytest.mark.parametrize("case", FORM_CASES, ids=IDS)
def test_the_dose_prints_in_the_forms_own_words(case):
    product = _product(case)
    units = Fraction(case.dose.split()[0])
    assert dose_text(product, units) == case.printed


@pytest.mark.parametrize("case", FORM_CASES, ids=IDS)
def test_a_csv_row_of_the_form_imports(case):
    label = FORM_LABELS[Form(case.form)]
    text = HEADER + f"{drug_name(case)},{case.strength},{label},{case.dose},{case.when},no\n"
    med = regimen_from_csv_text(text).medications[0]
    assert med.product.form.value == case.form
    assert Fraction(med.units) == Fraction(case.dose.split()[0])
    assert case.printed in sig(med)
    if case.when.startswith("every"):
        assert med.interval_hours == interval_hours(case.when)
        assert not med.slots


@pytest.mark.parametrize(("noun", "one", "two"), [
    ("puff", "1 puff", "2 puffs"), ("drop", "1 drop", "2 drops"), ("application", "1 application", "2 applications"),
    ("unit", "1 unit", "2 units"), ("suppository", "1 suppository", "2 suppositories"),
    ("spray", "1 spray", "2 sprays"), ("injection", "1 injection", "2 injections"), ("ring", "1 ring", "2 rings"),
    ("mL", "1 mL", "2 mL"), ("dose", "1 dose", "2 doses"), ("troche", "1 troche", "2 troches"),
])
def test_plurals(noun, one, two):
    assert count_text(Fraction(1), noun) == one
    assert count_text(Fraction(2), noun) == two


def test_insulin_is_dosed_in_units_never_ml():
    case = next(c for c in FORM_CASES if c.key == "pen")
    med = regimen_from_csv_text(HEADER + f"{drug_name(case)},100 units/mL,pen,10 units,bedtime,no\n").medications[0]
    assert med.product.unit_noun == "unit"
    assert sig(med) == "Inject 10 units at bedtime."
    assert "mL" not in sig(med)
    [amount] = med.ingredient_amounts()
    assert (amount.amount, amount.unit) == (10, "units")
    assert Fraction(1, 2) == med.product.smallest_step


@pytest.mark.parametrize(("dose", "words"), [
    ("10", "in units"), ("0.1 mL", "dose it in units"), ("10 U", "'units' in full"), ("10 IU", "in full"),
    ("0.3 units", "steps of 0.5 units"),
])
def test_insulin_doses_that_are_refused(dose, words):
    case = next(c for c in FORM_CASES if c.key == "pen")
    with pytest.raises(TaperInputError) as info:
        regimen_from_csv_text(HEADER + f"{drug_name(case)},100 units/mL,pen,{dose},bedtime,no\n")
    assert words in info.value.message


def test_a_70_30_mix_counts_each_ingredient():
    case = next(c for c in FORM_CASES if c.key == "pen-70-30")
    med = regimen_from_csv_text(HEADER + f"{drug_name(case)},70 units/30 units/mL,pen,20 units,morning;evening,no\n"
                                ).medications[0]
    assert [(a.drug, a.amount, a.unit) for a in med.ingredient_amounts()] == [
        ("formtest isophane", 28, "units"), ("formtest regular", 12, "units")]


@pytest.mark.parametrize(("text", "amounts"), [
    ("120 mcg/24 hr/15 mcg/24 hr", [(120, "mcg/24 hr"), (15, "mcg/24 hr")]),
    ("150 mcg/24hr / 35 mcg/24hr", [(150, "mcg/24 hr"), (35, "mcg/24 hr")]),
    ("7.5 mcg/24 hr", [(Fraction(15, 2), "mcg/24 hr")]), ("0.1 mg/day", [(Fraction(1, 10), "mg/24 hr")]),
    ("10000 units/1 mg/mL", [(10000, "units"), (1, "mg")]),
])
def test_rates_of_rings_and_contraceptive_patches_parse(text, amounts):
    assert list(parse_strength(text).amounts) == amounts


def test_drops_of_a_concentration_have_no_daily_amount_but_are_on_the_list():
    case = next(c for c in FORM_CASES if c.key == "eye-drops")
    med = regimen_from_csv_text(HEADER + f"{drug_name(case)},0.5%,eye drops,1 drop,morning;evening,no\n"
                                ).medications[0]
    assert med.ingredient_amounts() == []
    assert med.ingredient_names() == (drug_name(case),)
    assert sig(med) == "Put 1 drop (0.5%) in the eye in the morning and in the evening."


@pytest.mark.parametrize(("when", "hours", "printed"), [
    ("every 90 days", 2160, "every 90 days (3 months)"),
    ("every 3 months", 2160, "every 90 days (3 months)"),
    ("every 12 weeks", 2016, "every 12 weeks"),
    ("every 13 weeks", 2184, "every 13 weeks"),
    ("every 6 months", 4320, "every 180 days (6 months)"),
    ("every 3 years", 26280, "every 3 years"),
    ("monthly", 720, "every 30 days (1 month)"),
])
def test_long_intervals(when, hours, printed):
    assert interval_hours(when) == hours
    case = next(c for c in FORM_CASES if c.key == "injection-3-months")
    med = regimen_from_csv_text(HEADER + f"{drug_name(case)},150 mg/mL,injection,1 mL,{when},no\n").medications[0]
    assert med.interval_hours == hours
    assert when_text(med) == interval_text(hours)
    assert interval_text(hours) == printed


@pytest.mark.parametrize("when", ["every 6 years", "every 0 days", "morning"])
def test_a_ring_needs_a_usable_interval(when):
    case = next(c for c in FORM_CASES if c.key == "vaginal-ring")
    with pytest.raises(TaperInputError) as info:
        regimen_from_csv_text(HEADER + f"{drug_name(case)},7.5 mcg/24 hr,vaginal ring,1,{when},no\n")
    assert info.value.column == "when"


@pytest.mark.parametrize(("cell", "form"), [
    ("eye drops", Form.EYE_DROPS), ("ophthalmic solution", Form.EYE_DROPS), ("otic solution", Form.EAR_DROPS),
    ("HFA inhaler", Form.INHALER), ("inhalation aerosol", Form.INHALER), ("nebulizer solution", Form.NEBULIZER_SOLUTION),
    ("prefilled pen", Form.PEN), ("auto-injector", Form.PEN), ("injection", Form.INJECTION),
    ("tablet, chewable", Form.CHEWABLE), ("sublingual tablet", Form.SUBLINGUAL), ("rectal suppository", Form.SUPPOSITORY),
    ("vaginal cream", Form.VAGINAL_CREAM), ("vaginal ring", Form.VAGINAL_RING), ("vaginal tablet", Form.VAGINAL_INSERT),
    ("topical solution", Form.TOPICAL_SOLUTION), ("oral rinse", Form.RINSE), ("soft gel capsule", Form.CAPSULE),
    ("sublingual film", Form.FILM), ("nasal spray", Form.NASAL_SPRAY), ("gel", Form.GEL), ("troche", Form.TROCHE),
    ("topical cream", Form.CREAM), ("rectal foam", Form.FOAM), ("Dry Powder Inhaler", Form.INHALER),
    ("inhalation powder", Form.INHALER), ("Metered Dose Inhaler", Form.INHALER), ("Injectable Solution", Form.INJECTION),
    ("Prefilled Syringe", Form.INJECTION), ("Nasal Inhaler", Form.NASAL_SPRAY), ("transdermal patch", Form.PATCH),
    ("topical", Form.TOPICAL_SOLUTION), ("rectal", Form.SUPPOSITORY), ("Pen Injector", Form.PEN),
])
def test_form_words_of_real_lists(cell, form):
    from regimens.csv_import import _parse_form

    assert _parse_form(cell)[0] is form


@pytest.mark.parametrize(("key", "cell"), [
    ("implant", "68 mg each time"), ("injection-3-months", "150 mg each time"), ("eye-drops", "-"),
    ("pen", "12 units"), ("vaginal-ring", "7.5 mcg/24 hr"),
])
def test_the_per_day_cell_of_rare_and_concentration_lines(key, cell):
    from regimens.dose_text import per_day_text

    case = next(c for c in FORM_CASES if c.key == key)
    label = FORM_LABELS[Form(case.form)]
    med = regimen_from_csv_text(HEADER + f"{drug_name(case)},{case.strength},{label},{case.dose},{case.when},no\n"
                                ).medications[0]
    assert per_day_text(med) == cell
