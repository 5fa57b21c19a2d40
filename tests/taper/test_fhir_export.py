"""FHIR export: one R4B Bundle per case, each plan one MedicationRequest with a dosage per step, and the round trip."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from regimens.case import Case
from regimens.casefile import load_case
from regimens.fhir_import import import_fhir, planned_steps
from taper.adapters import case_schedules
from taper.export import ExportOptions, export
from taper.fhir_export import UCUM_CODES, FhirExportError, build_bundle, check_plan_request, fhir_json
from taper.outputs import dispense_json
from tests.conftest import EXAMPLES

TODAY = date(2026, 12, 1)
STAMP = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
WHEN = {"morning": "MORN", "noon": "NOON", "evening": "EVE", "bedtime": "HS"}


def exported(name: str, tmp_path: Path) -> tuple[Case, Path]:
    case = load_case(EXAMPLES / name, today=TODAY)
    out = tmp_path / "plan.fhir.json"
    out.write_text(fhir_json(case, case_schedules(case), TODAY, STAMP), "utf-8")
    return case, out


def resources(path: Path, kind: str) -> list[dict]:
    data = json.loads(path.read_text("utf-8"))
    return [e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == kind]


@pytest.mark.parametrize("name", ["kowalski.json", "hughes.json"])
def test_each_plan_is_one_request_for_the_drug_with_a_dosage_per_step(tmp_path, name):
    case, path = exported(name, tmp_path)
    (schedule,) = case_schedules(case)
    plans = [r for r in resources(path, "MedicationRequest") if "dosageInstruction" in r]
    assert len(plans) == 1
    plan = plans[0]
    assert plan["intent"] == "plan" and plan["status"] == "draft"
    assert plan["medicationCodeableConcept"]["text"] == schedule.plan.drug
    coding = plan["medicationCodeableConcept"]["coding"][0]
    assert coding["system"] == "http://www.nlm.nih.gov/research/umls/rxnorm" and coding["code"].isdigit()
    check_plan_request(plan)  # rising sequences, back-to-back periods, MORN/NOON/EVE/HS only
    sequences = [d["sequence"] for d in plan["dosageInstruction"]]
    assert sequences == sorted(sequences) and sequences[-1] == len(schedule.segments)
    last = plan["dosageInstruction"][-1]
    assert last["text"].startswith("Then stop") and last["additionalInstruction"][0]["coding"][0]["code"] == "422327006"
    for d in plan["dosageInstruction"][:-1]:
        quantity = d["doseAndRate"][0]["doseQuantity"]
        assert quantity["system"] == "http://unitsofmeasure.org" and quantity["code"] == UCUM_CODES[schedule.plan.unit]
        assert str(quantity["value"]).rstrip("0").rstrip(".") in d["text"] or "tablet" in d["text"]
    held = [d for d in plan["dosageInstruction"] if d["text"].startswith("Hold")]
    assert len(held) == sum(len([p for p in s.split.portions if p.items]) for s in schedule.segments
                            if s.kind in ("pause", "hold", "setback"))
    assert all("Hold this dose" in d["additionalInstruction"][0]["text"] for d in held)
    assert len(plan.get("note", [])) >= len(schedule.warnings)


def test_products_to_dispense_share_the_plan_group(tmp_path):
    case, path = exported("kowalski.json", tmp_path)
    (schedule,) = case_schedules(case)
    requests = resources(path, "MedicationRequest")
    plan = next(r for r in requests if "dosageInstruction" in r)
    dispensing = [r for r in requests if "dispenseRequest" in r]
    assert {r["groupIdentifier"]["value"] for r in dispensing} == {plan["groupIdentifier"]["value"]}
    expected = {(p["product"], p["quantity"]) for p in dispense_json(schedule)["total"]}
    assert {(r["medicationCodeableConcept"]["text"], r["dispenseRequest"]["quantity"]["value"])
            for r in dispensing} == expected


def test_the_regimen_is_a_list_of_statements_and_the_bundle_validates(tmp_path):
    from fhir.resources.R4B.bundle import Bundle

    case, path = exported("kowalski.json", tmp_path)
    assert len(resources(path, "MedicationStatement")) == len(case.regimen.medications)
    Bundle.model_validate_json(path.read_bytes())


@pytest.mark.parametrize("name", ["kowalski.json", "hughes.json"])
def test_round_trip_same_regimen_and_same_schedule(tmp_path, name):
    case, path = exported(name, tmp_path)
    result = import_fhir([path])
    # The same regimen: every line, its product, dose and times.
    fields = ("units", "slots", "interval_hours", "prn", "max_units_per_day", "indication")
    before = [(m.product.id if m.product else None, *(getattr(m, f) for f in fields)) for m in case.regimen.medications]
    after = [(m.product.id if m.product else None, *(getattr(m, f) for f in fields)) for m in result.regimen.medications]
    assert after == before
    assert result.patient.name == case.patient.name and result.patient.birth_date == case.patient.birth_date
    assert result.patient.identifier == case.patient.id
    # The plan and its products are drafts: listed as skipped, never taken for current medicines.
    assert len(result.skipped) == len(resources(path, "MedicationRequest"))
    # The same schedule: the plan applied to the imported regimen gives the same steps ...
    ids = {old.id: new.id for old, new in zip(case.regimen.medications, result.regimen.medications, strict=True)}
    plans = tuple(p.model_copy(update={"medication_ids": tuple(ids[m] for m in p.medication_ids)}) for p in case.plans)
    again = Case(patient=case.patient, regimen=result.regimen, plans=plans, clinic_days=case.clinic_days)
    (schedule,) = case_schedules(case)
    (rebuilt,) = case_schedules(again)
    assert [(s.start, s.days, s.dose, s.split) for s in rebuilt.segments] == \
        [(s.start, s.days, s.dose, s.split) for s in schedule.segments]
    # ... and the plan's dosages read back are those steps, day for day, dose for dose.
    (steps,) = planned_steps([path]).values()
    assert len(steps) == len(schedule.segments)
    for step, seg in zip(steps, schedule.segments, strict=True):
        assert (step.start, step.end) == (seg.start, seg.end)
        if step.stop:
            assert seg.dose == 0 and seg.final
            continue
        doses = {WHEN.get(slot, slot): p.amount for slot, p in zip(schedule.plan.slots, seg.split.portions, strict=True)
                 if p.items}
        assert step.doses == doses
        assert sum(step.doses.values(), Fraction(0)) == seg.dose


def test_gaps_overlaps_and_unknown_times_are_refused():
    good = {"dosageInstruction": [
        {"sequence": 1, "timing": {"repeat": {"when": ["MORN"], "boundsPeriod": {"start": "2026-12-01", "end": "2026-12-07"}}}},
        {"sequence": 2, "timing": {"repeat": {"when": ["MORN"], "boundsPeriod": {"start": "2026-12-08"}}}}]}
    check_plan_request(good)
    gap = json.loads(json.dumps(good))
    gap["dosageInstruction"][1]["timing"]["repeat"]["boundsPeriod"]["start"] = "2026-12-09"
    with pytest.raises(FhirExportError, match="gap or overlap"):
        check_plan_request(gap)
    bedtime = json.loads(json.dumps(good))
    bedtime["dosageInstruction"][0]["timing"]["repeat"]["when"] = ["BEDTIME"]
    with pytest.raises(FhirExportError, match="not MORN"):
        check_plan_request(bedtime)
    both = json.loads(json.dumps(good))
    both["dosageInstruction"][0]["timing"]["repeat"]["timeOfDay"] = ["08:00:00"]
    with pytest.raises(FhirExportError, match="tim-10"):
        check_plan_request(both)


def test_export_writes_the_bundle_atomically_with_the_other_files(tmp_path):
    case = load_case(EXAMPLES / "kowalski.json", today=TODAY)
    out, csv = tmp_path / "plan.json", tmp_path / "days.csv"
    lines = export(case, ExportOptions(fhir=str(out), csv=str(csv)), TODAY, STAMP)
    assert any(line.startswith("FHIR bundle:") for line in lines)
    assert json.loads(out.read_text("utf-8"))["resourceType"] == "Bundle" and csv.exists()


def test_the_bundle_ids_are_stable_and_carry_no_names():
    case = load_case(EXAMPLES / "kowalski.json", today=TODAY)
    schedules = case_schedules(case)
    one = build_bundle(case, schedules, TODAY, STAMP)
    two = build_bundle(case, schedules, TODAY, STAMP + timedelta(days=1))
    assert [e["fullUrl"] for e in one["entry"]] == [e["fullUrl"] for e in two["entry"]]
    assert not any(case.patient.name.split()[-1].lower() in e["fullUrl"].lower() for e in one["entry"])


def test_a_patch_plan_is_in_micrograms_an_hour_and_round_trips(tmp_path):
    from tests.helpers.plans import case_with, line, plan, product

    patch = product("fentanyl", "25 mcg/hr", "patch")
    case = case_with(line("m1", patch, "1", interval=72),
                     plans=(plan("fentanyl", ("m1",), "25", dose_unit="mcg/hr", percent=Decimal(25)),))
    schedules = case_schedules(case)
    path = tmp_path / "patch.json"
    path.write_text(fhir_json(case, schedules, TODAY, STAMP), "utf-8")
    request = next(r for r in resources(path, "MedicationRequest") if "dosageInstruction" in r)
    first = request["dosageInstruction"][0]
    assert first["doseAndRate"][0]["doseQuantity"]["code"] == "ug/h"
    assert first["timing"]["repeat"]["period"] == 72 and first["timing"]["repeat"]["periodUnit"] == "h"
    assert "when" not in first["timing"]["repeat"]
    (med,) = import_fhir([path]).regimen.medications
    assert med.product.id == patch.id and med.interval_hours == 72 and med.units == 1
    (steps,) = planned_steps([path]).values()
    assert [s.start for s in steps] == [s.start for s in schedules[0].segments]


def test_lines_kept_as_written_round_trip_as_written(tmp_path):
    from regimens.case import Patient
    from regimens.regimen import AsWritten, Medication, Regimen

    lines = (Medication(id="a", written=AsWritten(name="Ashwagandha", strength="500 mg", form="capsule",
                                                 dose="1 capsule twice a day"), units=None),
             Medication(id="b", drug="oxycodone", written=AsWritten(name="oxycodone", dose="taper as directed")))
    case = Case(patient=Patient(id="T", name="Test Patient", birth_date=date(1960, 5, 1)), regimen=Regimen(medications=lines))
    path = tmp_path / "b.json"
    path.write_text(fhir_json(case, [], TODAY, STAMP), "utf-8")
    result = import_fhir([path]).regimen.medications
    assert [m.written.dose for m in result] == ["1 capsule twice a day", "taper as directed"]
    assert result[0].units == 1 and len(result[0].slots) == 2  # the text is a sig the parser reads
    assert result[1].drug == "oxycodone" and result[1].units is None  # "taper as directed" is not
