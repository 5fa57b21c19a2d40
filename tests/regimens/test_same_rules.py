"""A case file is checked exactly as strictly as a CSV row: the same model rule refuses both.

Each rule here once held on one path only; now it lives on the :class:`Medication` model, and both
the case-file loader and the CSV importer build that model.
"""

from __future__ import annotations

import copy
import json
from decimal import Decimal

import pytest

from regimens.case import SCHEMA_VERSION
from regimens.casefile import load_case, parse_case, save_case
from regimens.csv_import import parse_csv_text, regimen_from_csv_text
from regimens.errors import TaperInputError
from tests.conftest import EXAMPLES, ROOT

KOWALSKI = json.loads((EXAMPLES / "kowalski.json").read_text("utf-8"))
HEADER = "drug,strength,form,dose,when,rxcui,start_date\n"


def case_error(change) -> TaperInputError:  # type: ignore[no-untyped-def]
    data = copy.deepcopy(KOWALSKI)
    change(data["regimen"]["medications"][0])
    with pytest.raises(TaperInputError) as caught:
        parse_case(json.dumps(data), name="kowalski.json")
    return caught.value


def csv_error(row: str) -> TaperInputError:
    result = parse_csv_text(HEADER + row, name="meds.csv")
    assert not result.rows and len(result.errors) == 1
    return result.errors[0]


def test_first_example_line_is_oxycodone_er_tablets():
    first = KOWALSKI["regimen"]["medications"][0]
    assert first["product"]["id"] == "oxycodone-tablet-er-15mg" and first["slots"]


@pytest.mark.parametrize(("field", "value", "row", "column", "words"), [
    ("rxcui", "12ab", "oxycodone,15 mg,tablet ER,1,morning,12ab,\n", "rxcui", "'12ab' is not an RxNorm code"),
    ("start_date", "1899-12-31", "oxycodone,15 mg,tablet ER,1,morning,,1899-12-31\n", "start_date",
     "'1899-12-31' is before 1900"),
    ("units", "1000", "oxycodone,15 mg,tablet ER,1000,morning,,\n", "dose",
     "1,000 tablets at once is not a plausible dose"),
    ("units", "0", "oxycodone,15 mg,tablet ER,0,morning,,\n", "dose", "0 is not a dose; it must be more than 0"),
    ("units", "0.5", "oxycodone,15 mg,tablet ER,0.5,morning,,\n", "dose", "may not be split"),
])
def test_one_rule_refuses_the_case_file_and_the_csv_row(field, value, row, column, words):
    from_case = case_error(lambda med: med.__setitem__(field, value))
    assert from_case.field == f"regimen.medications.0.{field}"
    assert words in from_case.message
    from_csv = csv_error(row)
    assert (from_csv.file, from_csv.row, from_csv.column) == ("meds.csv", 1, column)
    assert from_csv.message == from_case.message


def test_a_liquid_dose_over_200_ml_is_refused_both_ways():
    morphine = "morphine,10 mg/5 mL,solution,250 mL,every 4 hours,,\n"
    from_csv = csv_error(morphine)
    assert from_csv.column == "dose" and from_csv.message == "250 mL at once is not a plausible dose"

    from regimens.formulary import get_formulary
    product = next(p for p in get_formulary().get("morphine").products if p.form.value == "solution")

    def to_liquid(med):  # type: ignore[no-untyped-def]
        med.update(product=json.loads(product.model_dump_json()), units="250", slots=[], interval_hours=4)

    data = copy.deepcopy(KOWALSKI)
    data["plans"] = []
    to_liquid(data["regimen"]["medications"][0])
    with pytest.raises(TaperInputError) as caught:
        parse_case(json.dumps(data))
    assert caught.value.message == from_csv.message


def test_a_product_the_formulary_does_not_list_is_never_passed_off_as_listed():
    """An oxycodone 500 mg ER tablet does not exist: a case file cannot claim the formulary lists it, and a
    CSV row naming it is kept only as a product to confirm (issue 14), never as a listed product."""
    def edited(med):  # type: ignore[no-untyped-def]
        med["product"]["ingredients"][0]["amount"] = "500"

    from_case = case_error(edited)
    assert from_case.field == "regimen.medications.0.product"
    assert "ingredients does not match the formulary's 'oxycodone-tablet-er-15mg'" in from_case.message
    assert "15 mg" in from_case.message
    from regimens.csv_import import parse_csv_text
    kept = parse_csv_text("drug,strength,form,dose,when\noxycodone,500 mg,tablet ER,1,morning\n").rows[0]
    assert kept.notice_column == "strength" and "500 mg is not a tablet of oxycodone" in kept.notice
    assert kept.medication.product is not None and not kept.medication.product.listed
    assert kept.medication.mark == "product not in the formulary: confirm"


@pytest.mark.parametrize(("name", "change"), [
    ("volume", lambda p: p.update(volume_ml="5")),
    ("split", lambda p: p.update(split="half")),
    ("release", lambda p: p.update(release="immediate")),
    ("id", lambda p: p.update(id="oxycodone-tablet-er-500mg")),
    ("drug", lambda p: p.update(drug="oxymorphone")),
])
def test_every_product_field_must_match_the_formulary(name, change):
    error = case_error(lambda med: change(med["product"]))
    assert error.field is not None and error.field.startswith("regimen.medications.0.product")


def test_a_patch_on_time_slots_is_refused_both_ways():
    from regimens.formulary import get_formulary
    patch = get_formulary().get("fentanyl").products[0]
    from_csv = csv_error("fentanyl,25 mcg/hr,patch,1,morning,,\n")
    assert from_csv.column == "when" and "interval" in from_csv.message
    data = copy.deepcopy(KOWALSKI)
    data["plans"] = []
    data["regimen"]["medications"][0].update(product=json.loads(patch.model_dump_json()))
    with pytest.raises(TaperInputError) as caught:
        parse_case(json.dumps(data))
    assert caught.value.message == from_csv.message


def test_a_schema_version_1_case_file_still_loads_and_is_migrated(tmp_path):
    """Version 1 (before medication notes) loads as the current version and is saved as it."""
    v1 = ROOT / "tests" / "fixtures" / "case-v1.json"
    assert json.loads(v1.read_text("utf-8"))["schema_version"] == 1
    case = load_case(v1)
    assert case.schema_version == SCHEMA_VERSION == 5
    assert case.patient.name and case.regimen.medications
    assert all(m.notes is None for m in case.regimen.medications)
    assert all(p.revision == 0 for p in case.plans)
    save_case(case, tmp_path / "case.json")
    assert json.loads((tmp_path / "case.json").read_text("utf-8"))["schema_version"] == 5
    assert load_case(tmp_path / "case.json") == case


def test_a_schema_version_2_case_file_loads_as_version_5_with_plan_revisions_at_0():
    case = load_case(ROOT / "tests" / "fixtures" / "case-v2.json")
    assert case.schema_version == 5
    assert any(m.notes for m in case.regimen.medications)
    assert case.plans and all(p.revision == 0 for p in case.plans)


def test_a_schema_version_3_case_file_keeps_its_plan_revisions(tmp_path):
    v3 = ROOT / "tests" / "fixtures" / "case-v3.json"
    assert json.loads(v3.read_text("utf-8"))["schema_version"] == 3
    case = load_case(v3)
    assert case.schema_version == 5 and case.plans[0].revision == 4
    # Version 4 added the clinic days, each plan's keep_products and the check-ins: an older case gets the defaults.
    assert case.clinic_days == ("monday", "tuesday", "wednesday", "thursday", "friday")
    assert all(not p.keep_products for p in case.plans)
    assert case.checkins == ()
    save_case(case, tmp_path / "case.json")
    assert load_case(tmp_path / "case.json") == case


def test_a_schema_version_3_case_file_is_printed_in_english_and_saved_with_its_language(tmp_path):
    """Version 4 added the patient's language: a version-3 case had none, and was printed in English."""
    v3 = ROOT / "tests" / "fixtures" / "case-v3.json"
    assert "language" not in json.loads(v3.read_text("utf-8"))["patient"]
    case = load_case(v3)
    assert case.patient.language == "en"
    save_case(case, tmp_path / "case.json")
    saved = json.loads((tmp_path / "case.json").read_text("utf-8"))
    assert saved["schema_version"] == 5 and saved["patient"]["language"] == "en"


def test_a_schema_version_4_case_file_keeps_the_patients_language(tmp_path):
    v4 = ROOT / "tests" / "fixtures" / "case-v4.json"
    assert json.loads(v4.read_text("utf-8"))["schema_version"] == 4
    case = load_case(v4)
    assert case.schema_version == 5 and case.patient.language == "es"
    assert case.clinic_days == ("monday", "wednesday", "friday") and case.plans[0].keep_products
    save_case(case, tmp_path / "case.json")
    assert load_case(tmp_path / "case.json") == case


def test_a_schema_version_5_case_file_keeps_unlisted_lines_and_products_to_confirm(tmp_path):
    """Version 5 (issue 14): a line may be an unlisted medicine (as written, with the classes the pharmacist
    gave it) or a known drug in a product the formulary does not list; both come back exactly."""
    v5 = ROOT / "tests" / "fixtures" / "case-v5.json"
    assert json.loads(v5.read_text("utf-8"))["schema_version"] == 5
    case = load_case(v5)
    kinds = [m.kind.value for m in case.regimen.medications]
    assert kinds.count("unlisted") == 2 and kinds.count("unconfirmed") == 2 and "listed" in kinds
    given = next(m for m in case.regimen.medications if m.classes)
    assert given.kind.value == "unlisted" and given.screened and given.written is not None
    bare = next(m for m in case.regimen.medications if m.kind.value == "unlisted" and not m.classes)
    assert not bare.screened
    save_case(case, tmp_path / "case.json")
    assert load_case(tmp_path / "case.json") == case


def test_a_schema_version_4_case_file_keeps_its_check_ins(tmp_path):
    v4 = ROOT / "tests" / "fixtures" / "case-v4.json"
    assert json.loads(v4.read_text("utf-8"))["schema_version"] == 4
    case = load_case(v4)
    assert [c.on.isoformat() for c in case.checkins] == ["2026-11-24", "2026-12-10"]
    baseline, after = case.checkins
    assert baseline.peg == Decimal("6.3") and baseline.self_harm is False and baseline.walk_minutes == 10
    assert after.accepted == "hold" and after.goal_status == "not" and after.plan_id == case.plans[0].id
    save_case(case, tmp_path / "case.json")
    assert load_case(tmp_path / "case.json") == case


@pytest.mark.parametrize("tag", ["english", "ES", "e", "es_MX", "es-", "es mx", "x" * 40])
def test_a_language_that_is_not_a_language_tag_is_refused_naming_the_field(tag):
    data = json.loads((ROOT / "tests" / "fixtures" / "case-v4.json").read_text("utf-8"))
    data["patient"]["language"] = tag
    with pytest.raises(TaperInputError) as caught:
        parse_case(json.dumps(data))
    assert caught.value.field == "patient.language"


@pytest.mark.parametrize(("change", "field"), [
    (lambda c: c.update(pain=11), "checkins.0.pain"),
    (lambda c: c.update(phq2=7), "checkins.0.phq2"),
    (lambda c: c.update(withdrawal="10.5"), "checkins.0"),
    (lambda c: c.update(withdrawal="65", withdrawal_scale="SOWS"), "checkins.0"),
    (lambda c: c.update(self_harm="maybe"), "checkins.0.self_harm"),
    (lambda c: c.update(mood="low"), "checkins.0.mood"),
])
def test_a_bad_check_in_in_a_case_file_is_refused_naming_the_field(change, field):
    data = json.loads((ROOT / "tests" / "fixtures" / "case-v4.json").read_text("utf-8"))
    change(data["checkins"][0])
    with pytest.raises(TaperInputError) as caught:
        parse_case(json.dumps(data))
    assert (caught.value.field or "").startswith(field)


def test_a_check_in_of_a_plan_since_removed_still_loads():
    """What the patient reported is kept even when its plan is gone (the rules then pick the plan by date)."""
    data = json.loads((ROOT / "tests" / "fixtures" / "case-v4.json").read_text("utf-8"))
    data["plans"] = []
    case = parse_case(json.dumps(data))
    assert case.checkins[1].plan_id == data["checkins"][1]["plan_id"] and case.checkins[1].accepted == "hold"


def test_the_csv_notes_column_is_kept_on_the_medication_line():
    """A note in the list is not dropped: it is saved with the line (and a case file keeps it)."""
    regimen = regimen_from_csv_text(
        "drug,strength,form,dose,when,notes\n"
        "oxycodone,5 mg,tablet,1,morning;evening,crushes tablets; ask about swallowing\n"
        "gabapentin,300 mg,capsule,1,bedtime,\n")
    notes = [m.notes for m in regimen.medications]
    assert notes == ["crushes tablets; ask about swallowing", None]
    data = copy.deepcopy(KOWALSKI)
    data["regimen"]["medications"][0]["notes"] = "x" * 501
    with pytest.raises(TaperInputError) as caught:
        parse_case(json.dumps(data))
    assert "notes" in (caught.value.field or "")
