"""The start screen's "new case" dialog takes a FHIR file where it takes a medication-list CSV."""

from __future__ import annotations

from datetime import date

from tests.helpers.fhir import bundle, coded, dosage, patient, request, write
from tui.app.start_form import new_from

TODAY = date(2026, 12, 1)
IBUPROFEN = coded("Ibuprofen 200 MG Oral Tablet", "310965")


def test_a_bundle_fills_the_patient_and_the_list(tmp_path):
    source = write(tmp_path / "b.json", bundle(patient(language="es"), request("r1", IBUPROFEN, [dosage(1, frequency=1)])))
    opened, errors = new_from({"csv": str(source), "save-as": str(tmp_path / "c.json")}, TODAY)
    assert errors == {} and opened is not None
    case, path = opened
    assert (case.patient.name, case.patient.birth_date, case.patient.language) == ("Ana Lopez", date(1950, 3, 4), "es")
    assert len(case.regimen.medications) == 1 and path.exists()


def test_typed_fields_win_and_several_patients_are_named(tmp_path):
    source = write(tmp_path / "b.json", bundle(patient(), request("r1", IBUPROFEN, [dosage(1, frequency=1)])))
    opened, errors = new_from({"csv": str(source), "name": "Ana L.", "birth": "1950-03-05",
                               "save-as": str(tmp_path / "c.json")}, TODAY)
    assert errors == {} and opened is not None and opened[0].patient.name == "Ana L."
    two = write(tmp_path / "two.json", bundle(patient("p1"), patient("p2", "Bo", "Chen"), request("r1", IBUPROFEN)))
    opened, errors = new_from({"csv": str(two), "save-as": str(tmp_path / "d.json")}, TODAY)
    assert opened is None and "p2 (Bo Chen)" in errors["csv"] and not (tmp_path / "d.json").exists()
