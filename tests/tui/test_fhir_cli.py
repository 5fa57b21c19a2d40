"""`taper new --from` FHIR files and `taper export --fhir`, run as a user would."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.conftest import EXAMPLES
from tests.helpers.cli import assert_clean_failure, taper
from tests.helpers.fhir import bundle, coded, dosage, patient, request, write, write_ndjson

IBUPROFEN = coded("Ibuprofen 200 MG Oral Tablet", "310965")


def test_new_from_a_bundle_takes_the_patient_from_it(tmp_path):
    source = write(tmp_path / "b.json", bundle(patient(language="es"), request("r1", IBUPROFEN, [dosage(1, frequency=1)]),
                                              request("r2", coded("Oxycodone 5 MG Oral Tablet"), status="stopped"),
                                              request("r3", coded("Ashwagandha 500 MG Oral Capsule"))))
    out = tmp_path / "case.json"
    proc = taper("new", "--from", str(source), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    case = json.loads(out.read_text("utf-8"))
    assert case["patient"]["name"] == "Ana Lopez" and case["patient"]["birth_date"] == "1950-03-04"
    assert case["patient"]["language"] == "es"
    assert len(case["regimen"]["medications"]) == 2
    assert "skipped:" in proc.stderr and "MedicationRequest/r2" in proc.stderr and "(stopped)" in proc.stderr
    assert "Ashwagandha" in proc.stderr  # the unlisted line's notice


def test_flags_override_the_patient_resource(tmp_path):
    source = write(tmp_path / "b.json", bundle(patient(), request("r1", IBUPROFEN, [dosage(1, frequency=1)])))
    out = tmp_path / "case.json"
    proc = taper("new", "--from", str(source), "-o", str(out), "--name", "Ana L.", "--birth-date", "1950-03-05")
    assert proc.returncode == 0, proc.stderr
    case = json.loads(out.read_text("utf-8"))
    assert (case["patient"]["name"], case["patient"]["birth_date"]) == ("Ana L.", "1950-03-05")


def test_several_patients_exit_2_listing_them_and_patient_picks_one(tmp_path):
    source = write(tmp_path / "b.json", bundle(patient("p1"), patient("p2", "Bo", "Chen"),
                                              request("r1", IBUPROFEN, [dosage(1, frequency=1)]),
                                              request("r2", IBUPROFEN, [dosage(1, frequency=2)], subject="Patient/p2")))
    out = tmp_path / "case.json"
    assert_clean_failure(taper("new", "--from", str(source), "-o", str(out)), "p1 (Ana Lopez)", "p2 (Bo Chen)",
                         "--patient")
    assert not out.exists()
    proc = taper("new", "--from", str(source), "-o", str(out), "--patient", "p2")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(out.read_text("utf-8"))["patient"]["name"] == "Bo Chen"


def test_ndjson_files_given_twice(tmp_path):
    first = write_ndjson(tmp_path / "Patient.ndjson", patient())
    second = write_ndjson(tmp_path / "MedicationRequest.ndjson", request("r1", IBUPROFEN, [dosage(2, when=["MORN"])]),
                          request("r2", coded("Diazepam 5 MG Oral Tablet"), [dosage(1, "tablet", when=["HS"])]))
    out = tmp_path / "case.json"
    proc = taper("new", "--from", str(first), "--from", str(second), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert len(json.loads(out.read_text("utf-8"))["regimen"]["medications"]) == 2


def test_a_bad_file_exits_2_naming_file_resource_and_field_and_writes_nothing(tmp_path):
    source = write(tmp_path / "b.json", bundle(patient(), request("r1", IBUPROFEN, [{"sequence": "first"}])))
    out = tmp_path / "case.json"
    assert_clean_failure(taper("new", "--from", str(source), "-o", str(out)), str(source), "MedicationRequest/r1",
                         "dosageInstruction.0.sequence")
    assert not out.exists()


def test_without_a_patient_resource_the_name_is_needed(tmp_path):
    source = write(tmp_path / "b.json", bundle(request("r1", IBUPROFEN, [dosage(1, frequency=1)], subject="Patient/elsewhere")))
    out = tmp_path / "case.json"
    assert_clean_failure(taper("new", "--from", str(source), "-o", str(out)), "--name")
    proc = taper("new", "--from", str(source), "-o", str(out), "--name", "A B", "--birth-date", "1950-01-01")
    assert proc.returncode == 0, proc.stderr


def test_csv_and_fhir_are_not_mixed(tmp_path):
    source = write(tmp_path / "b.json", bundle(patient(), request("r1", IBUPROFEN, [dosage(1, frequency=1)])))
    assert_clean_failure(taper("new", "--from", str(source), "--from", str(EXAMPLES / "lists" / "kowalski.csv"),
                               "-o", str(tmp_path / "c.json")), "not both")


def test_export_fhir_and_import_it_again(tmp_path):
    case = Path(shutil.copy(EXAMPLES / "kowalski.json", tmp_path / "case.json"))
    bundle_path = tmp_path / "plan.fhir.json"
    proc = taper("export", str(case), "--fhir", str(bundle_path))
    assert proc.returncode == 0, proc.stderr
    assert "FHIR bundle:" in proc.stdout
    again = tmp_path / "again.json"
    proc = taper("new", "--from", str(bundle_path), "-o", str(again))
    assert proc.returncode == 0, proc.stderr
    before, after = json.loads(case.read_text("utf-8")), json.loads(again.read_text("utf-8"))
    assert [m["product"]["id"] for m in after["regimen"]["medications"]] == \
        [m["product"]["id"] for m in before["regimen"]["medications"]]
    assert after["patient"]["id"] == before["patient"]["id"]
    assert "(draft)" in proc.stderr  # the plan and its products are listed as skipped, not taken as current
