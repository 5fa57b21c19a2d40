"""FHIR import: bundles and NDJSON built from shared/reference/fhir.md (Synthea's shapes, HL7's), every request a line."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from regimens.errors import TaperInputError
from regimens.fhir_import import import_fhir, is_fhir_file, split_name
from regimens.regimen import LineKind, Slot
from tests.helpers.fhir import (
    bundle,
    coded,
    dosage,
    medication,
    patient,
    request,
    statement,
    write,
    write_ndjson,
)

IBUPROFEN = coded("Ibuprofen 200 MG Oral Tablet", "310965")  # Synthea's sample coding (fhir.md §1.3)
DIGOXIN = "197604"  # digoxin 0.125 MG Oral Tablet: an SCD code the formulary's product carries


def one(tmp_path: Path, *resources, **kwargs):
    result = import_fhir([write(tmp_path / "b.json", bundle(patient(), *resources))], **kwargs)
    return result


def test_synthea_request_with_a_unitless_dose_and_a_frequency(tmp_path):
    result = one(tmp_path, request("r1", IBUPROFEN, [dosage(1, frequency=2, prn=False)]))
    (med,) = result.regimen.medications
    assert med.kind is LineKind.LISTED and med.product.id == "ibuprofen-tablet-200mg"
    assert med.units == 1 and med.slots == (Slot.MORNING, Slot.EVENING) and not med.prn
    assert med.rxcui == "310965"
    assert any("2 a day placed at morning, evening" in n for n in result.notices)


def test_the_patient_resource_gives_name_birth_date_and_language(tmp_path):
    result = import_fhir([write(tmp_path / "b.json", bundle(patient(language="es"), request("r1", IBUPROFEN)))])
    assert result.patient is not None
    assert (result.patient.name, result.patient.birth_date.isoformat(), result.patient.language) == \
        ("Ana Lopez", "1950-03-04", "es")


def test_a_request_without_dosage_is_kept_with_the_dose_not_stated(tmp_path):
    result = one(tmp_path, request("r1", IBUPROFEN))
    (med,) = result.regimen.medications
    assert med.product.id == "ibuprofen-tablet-200mg" and med.units is None
    assert med.written is not None and med.written.dose == "dose not stated"
    assert not med.dose_known


@pytest.mark.parametrize("reference", ["urn:uuid:med1", "Medication/med1", "#med1"])
def test_a_medication_reference_is_resolved(tmp_path, reference):
    med_resource = medication("med1", "digoxin 0.125 MG Oral Tablet", DIGOXIN)
    req = request("r1", reference, [dosage(1, "TAB", when=["MORN"])])
    if reference.startswith("#"):
        req["contained"] = [med_resource]
        result = one(tmp_path, req)
    else:
        result = one(tmp_path, req, med_resource)
    (med,) = result.regimen.medications
    assert med.product.id == "digoxin-tablet-0p125mg" and med.slots == (Slot.MORNING,) and med.units == 1


def test_the_rxnorm_product_code_wins_over_the_name(tmp_path):
    result = one(tmp_path, request("r1", coded("some other name", DIGOXIN, text=False), [dosage(1, when=["HS"])]))
    assert result.regimen.medications[0].product.id == "digoxin-tablet-0p125mg"


def test_an_ingredient_code_is_a_known_drug_in_a_product_not_listed(tmp_path):
    result = one(tmp_path, request("r1", coded("oxycodone", "7804"), [dosage(5, "mg", when=["MORN", "HS"])]))
    (med,) = result.regimen.medications
    assert med.kind is LineKind.UNCONFIRMED and med.drug == "oxycodone" and med.units is None
    assert med.written.dose == "5 mg MORN, HS"  # what the source said is kept
    assert any("RxNorm 7804 is oxycodone" in n for n in result.notices)


def test_a_dose_in_mg_is_counted_in_units_of_the_product(tmp_path):
    result = one(tmp_path, request("r1", coded("Diazepam 5 MG Oral Tablet"),
                                   [dosage(10, "mg", when=["HS"], prn="anxiety")]))
    (med,) = result.regimen.medications
    assert med.product.id == "diazepam-tablet-5mg" and med.units == 2
    assert med.prn and med.indication == "anxiety" and med.slots == (Slot.BEDTIME,)


def test_a_request_with_only_text_goes_through_the_sig_parser(tmp_path):
    result = one(tmp_path, request("r1", coded("digoxin 0.125 MG Oral Tablet"), [dosage(text="1 tab po qhs")]))
    (med,) = result.regimen.medications
    assert med.product.id == "digoxin-tablet-0p125mg" and med.units == 1 and med.slots == (Slot.BEDTIME,)


def test_synthea_take_as_needed_text_keeps_the_line_unparsed(tmp_path):
    result = one(tmp_path, request("r1", IBUPROFEN, [{"sequence": 1, "text": "Take as needed.", "asNeededBoolean": True}]))
    (med,) = result.regimen.medications
    assert med.units is None and med.prn and med.written.dose == "Take as needed."


def test_an_unknown_medicine_is_kept_as_unlisted(tmp_path):
    result = one(tmp_path, request("r1", coded("Ashwagandha 500 MG Oral Capsule"), [dosage(1, when=["MORN"])]))
    (med,) = result.regimen.medications
    assert med.kind is LineKind.UNLISTED and med.written.name == "Ashwagandha"
    assert med.units == 1 and med.slots == (Slot.MORNING,)


def test_stopped_and_other_finished_requests_are_skipped_and_listed(tmp_path):
    result = one(tmp_path, request("r1", IBUPROFEN, [dosage(1, frequency=1)]),
                 request("r2", coded("Oxycodone 5 MG Oral Tablet"), status="stopped"),
                 request("r3", IBUPROFEN, status="entered-in-error"), request("r4", IBUPROFEN, status="on-hold"))
    assert len(result.regimen.medications) == 2
    assert any("MedicationRequest/r2" in s and "(stopped)" in s for s in result.skipped)
    assert any("(entered-in-error)" in s for s in result.skipped)


def test_several_patients_need_a_choice(tmp_path):
    path = write(tmp_path / "b.json", bundle(patient("p1"), patient("p2", "Bo", "Chen"),
                                            request("r1", IBUPROFEN, [dosage(1, frequency=1)]),
                                            request("r2", coded("Diazepam 5 MG Oral Tablet"), subject="Patient/p2")))
    with pytest.raises(TaperInputError) as info:
        import_fhir([path])
    assert "p1 (Ana Lopez)" in str(info.value) and "p2 (Bo Chen)" in str(info.value)
    chosen = import_fhir([path], "p2")
    assert [m.product.drug for m in chosen.regimen.medications] == ["diazepam"]
    assert chosen.patient.name == "Bo Chen"
    with pytest.raises(TaperInputError, match="no Patient with id 'p9'"):
        import_fhir([path], "p9")


def test_r4_statement_ndjson_in_several_files(tmp_path):
    """A bulk export: one NDJSON file per resource type; R4 MedicationStatement with dosage."""
    first = write_ndjson(tmp_path / "Patient.ndjson", patient())
    second = write_ndjson(tmp_path / "MedicationStatement.ndjson",
                          statement("s1", coded("Ibuprofen 400 MG Oral Tablet"), [dosage(1, "tablet", when=["MORN", "NOON", "EVE"])]),
                          statement("s2", IBUPROFEN, status="completed"))
    result = import_fhir([first, second])
    (med,) = result.regimen.medications
    assert med.product.id == "ibuprofen-tablet-400mg" and len(med.slots) == 3
    assert len(result.skipped) == 1


def test_r4b_and_r4_shapes_both_read(tmp_path):
    """The R4B models read the R4 shapes of these resources (fhir.md §1.4); a Synthea bundle's other resources pass."""
    encounter = {"resourceType": "Encounter", "id": "e1", "status": "finished", "class": {"code": "AMB"}}
    r4 = one(tmp_path, encounter, request("r1", IBUPROFEN, [dosage(1, frequency=1, period=8, period_unit="h")]))
    assert r4.regimen.medications[0].interval_hours == 8


def test_a_patch_every_72_hours(tmp_path):
    result = one(tmp_path, request("r1", coded("fentanyl 25 MCG/HR Transdermal System"),
                                   [dosage(1, "patch", frequency=1, period=72, period_unit="h")]))
    (med,) = result.regimen.medications
    assert med.interval_hours == 72 and med.units == 1
    assert med.product is not None


def test_a_once_daily_z_drug_goes_at_bedtime(tmp_path):
    result = one(tmp_path, request("r1", coded("zolpidem 5 MG Oral Tablet"), [dosage(1, frequency=1)]))
    assert result.regimen.medications[0].slots == (Slot.BEDTIME,)


@pytest.mark.parametrize(("content", "words"), [
    ("{not json", ["is not JSON"]),
    (json.dumps(bundle(patient(), request("r1", IBUPROFEN, [{"sequence": "first"}]))),
     ["MedicationRequest/r1", "dosageInstruction.0.sequence"]),
    (json.dumps(bundle(patient(), {"resourceType": "MedicationRequest", "id": "r1", "status": "active",
                                   "medicationCodeableConcept": {"text": "x"}, "subject": {"reference": "Patient/p1"}})),
     ["MedicationRequest/r1", "intent"]),
    ("", ["is empty"]),
])
def test_a_bad_file_is_refused_naming_the_file_resource_and_field(tmp_path, content, words):
    path = tmp_path / "bad.json"
    path.write_text(content, "utf-8")
    with pytest.raises(TaperInputError) as info:
        import_fhir([path])
    for word in [str(path), *words]:
        assert word in str(info.value)


def test_no_active_request_is_refused(tmp_path):
    with pytest.raises(TaperInputError, match="no active medication"):
        one(tmp_path, request("r1", IBUPROFEN, status="stopped"))


@pytest.mark.parametrize(("text", "parts"), [
    ("Ibuprofen 200 MG Oral Tablet", ("Ibuprofen", "200 mg", "Oral Tablet")),
    ("24 HR Metformin hydrochloride 500 MG Extended Release Oral Tablet",
     ("Metformin hydrochloride", "500 mg", "Extended Release Oral Tablet")),
    ("Acetaminophen 325 MG / Hydrocodone Bitartrate 5 MG Oral Tablet",
     ("Acetaminophen/Hydrocodone Bitartrate", "325 mg/5 mg", "Oral Tablet")),
    ("oxycodone 15 MG Extended Release Oral Tablet [OxyContin]", ("oxycodone", "15 mg", "Extended Release Oral Tablet")),
    ("Ashwagandha", None),
    ("NDA020503 200 ACTUAT Albuterol 0.09 MG/ACTUAT Metered Dose Inhaler", ("Albuterol", "0.09 mg", "Metered Dose Inhaler")),
    ("72 HR Fentanyl 0.025 MG/HR Transdermal System", ("Fentanyl", "25 mcg/hr", "patch")),
])
def test_the_thin_name_split(text, parts):
    assert split_name(text) == parts


def test_a_combination_in_rxnorm_order_is_found_in_either_order(tmp_path):
    result = one(tmp_path, request("r1", coded("Acetaminophen 325 MG / Hydrocodone Bitartrate 5 MG Oral Tablet"),
                                   [dosage(1, frequency=4)]))
    med = result.regimen.medications[0]
    assert med.product is not None and set(med.ingredient_names()) == {"acetaminophen", "hydrocodone"}
    assert med.units == Decimal(1)


def test_fhir_files_are_told_from_csv(tmp_path):
    assert is_fhir_file("x.json") and is_fhir_file("x.ndjson") and not is_fhir_file("x.csv")
    other = tmp_path / "list.txt"
    other.write_text('{"resourceType": "Bundle"}', "utf-8")
    assert is_fhir_file(other)


@pytest.mark.parametrize(("form", "product"), [
    ("extended-release tablet", "oxycodone-tablet-er-15mg"), ("Extended Release Oral Tablet", "oxycodone-tablet-er-15mg"),
    ("tablet", "oxycodone-tablet-15mg")])
def test_a_release_written_with_a_hyphen_is_never_dropped(form, product):
    """"extended-release tablet" (as taper prints it) was read as a plain tablet: an ER line matched the IR product."""
    from regimens.csv_import import match_line
    from regimens.formulary import get_formulary

    assert match_line(get_formulary(), "oxycodone", "15 mg", form).product.id == product


def test_an_r5_request_is_refused_naming_the_field(tmp_path):
    """R5 moved the medicine to ``medication.concept`` (fhir.md §1.2): not read as R4/R4B, said so, nothing imported."""
    r5 = {"resourceType": "MedicationRequest", "id": "r1", "status": "active", "intent": "order",
          "subject": {"reference": "urn:uuid:p1"}, "medication": {"concept": IBUPROFEN}}
    with pytest.raises(TaperInputError) as info:
        one(tmp_path, r5)
    assert "MedicationRequest/r1" in str(info.value) and "medication" in str(info.value)


@pytest.mark.parametrize("broken", [
    {"entry": "x"}, {"entry": [1, "a", {"resource": []}]},
    {"entry": [{"resource": {"resourceType": "MedicationRequest", "id": "r1", "status": "active", "intent": "order",
                             "subject": {"reference": "Patient/p1"}, "medicationCodeableConcept": {"text": "x"},
                             "dosageInstruction": ["every day"]}}]},
    {"entry": [{"resource": {"resourceType": "MedicationRequest", "id": "r1", "status": "active", "intent": "order",
                             "subject": {"reference": "Patient/p1"}, "medicationCodeableConcept": {"text": "x"},
                             "dosageInstruction": [{"doseAndRate": [{"doseQuantity": {"value": "abc"}}]}]}}]},
    {"entry": [{"resource": {"resourceType": "Patient", "id": "p1", "birthDate": "yesterday"}}]},
    {"entry": [{"resource": {"resourceType": "MedicationRequest", "id": "r1", "status": "active", "intent": "order",
                             "subject": {"reference": "Patient/p1"}, "medicationReference": {"reference": "#nowhere"},
                             "dosageInstruction": [{"timing": {"repeat": {"frequency": 3, "period": 0.5,
                                                                          "periodUnit": "d"}},
                                                    "doseAndRate": [{"doseQuantity": {"value": 0.001}}]}]}}]},
    {"entry": [{"resource": {"resourceType": "MedicationRequest", "id": "r1", "status": "active", "intent": "order",
                             "subject": {"reference": "Patient/p1"}, "medicationCodeableConcept": {"text": "x" * 5000},
                             "dosageInstruction": [{"timing": {"repeat": {"when": ["AFT"], "frequency": 1, "period": 1,
                                                                          "periodUnit": "d"}},
                                                    "doseAndRate": [{"doseQuantity": {"value": 99999}}]}]}}]},
])
def test_malformed_bundles_import_or_are_refused_never_crash(tmp_path, broken):
    path = write(tmp_path / "b.json", {"resourceType": "Bundle", "type": "collection", **broken})
    try:
        result = import_fhir([path])
    except TaperInputError as exc:
        assert str(path) in str(exc)
    else:
        assert all(m.units is None or m.units > 0 for m in result.regimen.medications)


def test_a_timing_code_stands_for_its_repeat(tmp_path):
    bid = {"sequence": 1, "timing": {"code": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-GTSAbbreviation",
                                                         "code": "BID"}]}},
           "doseAndRate": [{"doseQuantity": {"value": 1, "unit": "TAB"}}]}
    result = one(tmp_path, request("r1", IBUPROFEN, [bid]))
    assert result.regimen.medications[0].slots == (Slot.MORNING, Slot.EVENING)


def test_a_statement_gives_the_start_date_and_an_odt_is_not_a_tablet(tmp_path):
    odt = statement("s1", coded("ondansetron 4 MG Disintegrating Oral Tablet"), [dosage(1, when=["MORN"])])
    odt["effectivePeriod"] = {"start": "2024-05-06T10:00:00Z"}
    (med,) = one(tmp_path, odt).regimen.medications
    assert med.start_date.isoformat() == "2024-05-06"
    assert med.product.id == "ondansetron-odt-4mg"  # RxNorm's ODT name was read as the plain tablet


def test_a_text_sig_range_keeps_its_most_at_the_shortest_interval_and_the_sig_itself(tmp_path):
    """The FHIR text goes through the CSV's own sig reader: "1-2 tabs q4-6h prn pain" is 2 tablets every 4 hours
    at most (the as-needed ceiling), and the sig as written stays with the line for the pharmacist."""
    name = coded("Acetaminophen 325 MG / Hydrocodone Bitartrate 5 MG Oral Tablet")
    result = one(tmp_path, request("r1", name, [dosage(text="1-2 tabs q4-6h prn pain")]))
    (med,) = result.regimen.medications
    assert med.product is not None and med.product.id == "hydrocodone-acetaminophen-tablet-5mg325mg"
    assert med.units == 2 and med.interval_hours == 4 and med.prn and med.indication == "pain"
    assert med.sig_as_written == "1-2 tabs q4-6h prn pain"
