"""A case's plans as a FHIR R4B Bundle (``shared/reference/fhir.md`` §1.1-1.5, ``patient-output.md`` §9-10).

The Bundle (type ``collection``) holds:

- the Patient (name, birth date, preferred language; the clinic id as an identifier);
- the current regimen, one ``MedicationStatement`` per line (F1): the product's RxNorm code where the
  formulary has it, the dose in dose units at the UMS periods (``when`` MORN/NOON/EVE/HS) or on an
  interval; a line whose dose is not stated keeps its written text;
- per plan, one ``MedicationRequest`` for the **drug** (RxNorm ingredient code, ``intent`` plan, ``status``
  draft): one ``dosageInstruction`` per step and time of day, the steps in rising ``sequence`` with
  ``timing.repeat.boundsPeriod`` back to back, the doses of one step sharing its sequence, each dose in
  UCUM (mg, ug, ug/h for patches) with ``text`` generated from the same fields naming the products; a
  pause or setback holds the dose and says so in ``additionalInstruction``; the stop is a last step "Then
  stop" (SNOMED 422327006); guideline warnings, overrides and notices are ``note``;
- per plan, one more ``MedicationRequest`` per product to dispense (its RxNorm SCD code where known,
  ``dispenseRequest.quantity`` for the whole plan), sharing the plan's ``groupIdentifier``.

The schedule comes from :func:`taper.adapters.case_schedules` and the quantities from
:func:`taper.outputs.dispense_json`: nothing here computes a dose. The Bundle is validated with
``fhir.resources`` (R4B, imported only here) and by :func:`check_plan_request` (which the models do not
check: EventTiming codes, ``when`` without ``timeOfDay``, periods with no gap or overlap) before it is written.
"""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime, timedelta
from fractions import Fraction
from typing import Any

from regimens.case import Case
from regimens.dose_text import line_dose_text, when_text
from regimens.forms import SLOT_PHRASES, Slot
from regimens.formulary import get_formulary
from regimens.regimen import Medication
from taper.outputs import dispense_json, json_number, portion_text
from taper.schedule import Schedule, Segment

RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
UCUM = "http://unitsofmeasure.org"
SNOMED = "http://snomed.info/sct"
EVENT_TIMING = {"morning": "MORN", "noon": "NOON", "evening": "EVE", "bedtime": "HS"}
#: The plan's dose unit in UCUM (codes, never display text: patient-output.md F7).
UCUM_CODES = {"mg": "mg", "mcg": "ug", "mcg/hr": "ug/h"}
THEN_STOP = {"coding": [{"system": SNOMED, "code": "422327006", "display": "Then stop"}], "text": "Then stop"}
NAMESPACE = uuid.UUID("6f1c0b7e-3d52-4a8e-9a4b-1f0c2d7e5a93")
"""Resource ids are UUIDs derived from the patient id and the plan (stable across exports, no names in them)."""


def _id(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "|".join(parts)))


def _ref(resource: dict[str, Any]) -> dict[str, str]:
    return {"reference": f"urn:uuid:{resource['id']}"}


def _patient(case: Case) -> dict[str, Any]:
    patient = case.patient
    resource: dict[str, Any] = {
        "resourceType": "Patient", "id": _id("patient", patient.id),
        "identifier": [{"system": "urn:taper:patient-id", "value": patient.id}],
        "name": [{"text": patient.name}], "birthDate": patient.birth_date.isoformat(),
    }
    if patient.language:
        resource["communication"] = [{"language": {"coding": [{"system": "urn:ietf:bcp:47", "code": patient.language}],
                                                   "text": patient.language}, "preferred": True}]
    return resource


def _line_concept(med: Medication) -> dict[str, Any]:
    code = med.product.rxcui if med.product is not None and med.product.listed and med.product.rxcui else med.rxcui
    text = med.product.description() if med.product is not None else (
        med.written.text() if med.written is not None else med.name)
    concept: dict[str, Any] = {"text": text}
    if code:
        concept["coding"] = [{"system": RXNORM, "code": code, "display": text}]
    return concept


def _line_dosage(med: Medication) -> dict[str, Any]:
    when = when_text(med) if med.slots or med.interval_hours else ""  # the wording of taper show and the summary
    said = med.written.dose.strip() if med.units is None and med.written is not None else ""
    dosage: dict[str, Any] = {"sequence": 1, "text": said or f"{line_dose_text(med)} {when}".strip()}
    if med.prn:
        dosage["asNeededCodeableConcept" if med.indication else "asNeededBoolean"] = (
            {"text": med.indication} if med.indication else True)
    else:
        dosage["asNeededBoolean"] = False
    if med.units is None:
        return dosage
    noun = med.unit_noun
    if med.slots:
        dosage["timing"] = {"repeat": {"when": [EVENT_TIMING[s.value] for s in med.slots],
                                       "frequency": 1, "period": 1, "periodUnit": "d"}}
    elif med.interval_hours:
        dosage["timing"] = {"repeat": {"frequency": 1, "period": med.interval_hours, "periodUnit": "h"}}
    dosage["doseAndRate"] = [{"type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/dose-rate-type",
                                                   "code": "ordered"}]},
                              "doseQuantity": {"value": json_number(Fraction(med.units)), "unit": noun}}]
    if med.prn and med.max_units_per_day is not None:
        most = json_number(Fraction(med.max_units_per_day))
        dosage["maxDosePerPeriod"] = {"numerator": {"value": most, "unit": noun},
                                      "denominator": {"value": 1, "unit": "day", "system": UCUM, "code": "d"}}
    return dosage


def _statement(case: Case, med: Medication, patient: dict[str, Any], today: date) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "MedicationStatement", "id": _id("line", case.patient.id, med.id), "status": "active",
        "medicationCodeableConcept": _line_concept(med), "subject": _ref(patient),
        "dateAsserted": today.isoformat(), "dosage": [_line_dosage(med)],
    }
    if med.indication and not med.prn:
        resource["reasonCode"] = [{"text": med.indication}]
    if med.notes:
        resource["note"] = [{"text": med.notes}]
    return resource


def _slot_words(slot: str) -> str:
    return "with each patch" if slot == "patch" else SLOT_PHRASES[Slot(slot)]


def _dates(seg: Segment) -> str:
    end = seg.end
    return f"from {seg.start.isoformat()}" + (f" to {end.isoformat()}" if end else "")


def _step_dosages(schedule: Schedule, index: int, seg: Segment) -> list[dict[str, Any]]:
    plan = schedule.plan
    unit = plan.unit
    bounds: dict[str, str] = {"start": seg.start.isoformat()}
    if seg.end is not None:
        bounds["end"] = seg.end.isoformat()
    if seg.final and seg.dose == 0:
        return [{"sequence": index, "text": f"Then stop ({plan.drug}) {_dates(seg)}", "asNeededBoolean": False,
                 "additionalInstruction": [THEN_STOP], "timing": {"repeat": {"boundsPeriod": bounds}}}]
    held = seg.kind in ("pause", "hold", "setback")
    out = []
    for slot, portion in zip(plan.slots, seg.split.portions, strict=True):
        if not portion.items:
            continue
        repeat: dict[str, Any] = {"boundsPeriod": dict(bounds)}
        if slot == "patch":
            repeat.update({"frequency": 1, "period": plan.patch_interval_hours or 72, "periodUnit": "h"})
        else:
            repeat.update({"frequency": 1, "period": 1, "periodUnit": "d", "when": [EVENT_TIMING[slot]]})
        what = portion_text(schedule, portion)  # the products by kind and strength, as the calendar writes them
        label = f"Hold ({plan.drug})" if held else f"Step {seg.label} ({plan.drug})"
        text = f"{label}: {what} {_slot_words(slot)} {_dates(seg)}"
        dosage: dict[str, Any] = {
            "sequence": index, "text": text, "asNeededBoolean": False, "timing": {"repeat": repeat},
            "doseAndRate": [{"type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/dose-rate-type",
                                                  "code": "ordered"}]},
                             "doseQuantity": {"value": json_number(portion.amount), "unit": unit, "system": UCUM,
                                              "code": UCUM_CODES[unit]}}],
        }
        if held:
            why = f" ({seg.reason})" if seg.reason and seg.show_reason else ""
            dosage["additionalInstruction"] = [{"text": f"Hold this dose: do not lower it{why}"}]
        out.append(dosage)
    return out


def _notes(schedule: Schedule) -> list[dict[str, str]]:
    notes = []
    for w in schedule.warnings:
        text = w.message if w.message.startswith("Step") else f"Step {w.step}: {w.message}"
        text += f" [{w.rule}; {w.source}]"
        if w.override:
            text += f" Override: {w.override}"
        notes.append({"text": text})
    notes += [{"text": n} for n in schedule.notices]
    return notes


def _plan_request(case: Case, schedule: Schedule, patient: dict[str, Any], today: date) -> dict[str, Any]:
    plan = schedule.plan
    drug = get_formulary().by_name.get(plan.drug)
    concept: dict[str, Any] = {"text": plan.drug}
    if drug is not None and drug.rxcui:
        concept["coding"] = [{"system": RXNORM, "code": drug.rxcui, "display": plan.drug}]
    dosages = []
    for index, seg in enumerate(schedule.segments, start=1):
        dosages += _step_dosages(schedule, index, seg)
    resource: dict[str, Any] = {
        "resourceType": "MedicationRequest", "id": _id("plan", case.patient.id, plan.plan_id),
        "status": "draft", "intent": "plan", "medicationCodeableConcept": concept, "subject": _ref(patient),
        "authoredOn": today.isoformat(), "groupIdentifier": _group(case, plan.plan_id),
        "identifier": [{"system": "urn:taper:plan-id", "value": plan.plan_id}],
        "dosageInstruction": dosages,
    }
    notes = _notes(schedule)
    if notes:
        resource["note"] = notes
    return resource


def _group(case: Case, plan_id: str) -> dict[str, str]:
    return {"system": "urn:ietf:rfc:3986", "value": "urn:uuid:" + _id("group", case.patient.id, plan_id)}


def _dispense_requests(case: Case, schedule: Schedule, patient: dict[str, Any], today: date) -> list[dict[str, Any]]:
    plan = schedule.plan
    products = get_formulary().products
    out = []
    dispense = dispense_json(schedule)
    first, last = dispense["fills"][0]["start"], dispense["fills"][-1]["end"] if dispense["fills"] else None
    for item in dispense["total"]:
        product = products.get(item["product_id"])
        concept: dict[str, Any] = {"text": item["product"]}
        if product is not None and product.rxcui:
            concept["coding"] = [{"system": RXNORM, "code": product.rxcui, "display": product.description()}]
        request: dict[str, Any] = {
            "resourceType": "MedicationRequest",
            "id": _id("dispense", case.patient.id, plan.plan_id, item["product_id"]),
            "status": "draft", "intent": "plan", "medicationCodeableConcept": concept, "subject": _ref(patient),
            "authoredOn": today.isoformat(), "groupIdentifier": _group(case, plan.plan_id),
            "dispenseRequest": {"quantity": {"value": item["quantity"], "unit": item["unit"]}},
            "note": [{"text": f"For the {plan.drug} taper (plan {plan.plan_id}): {item['quantity']} {item['unit']} "
                      f"in all, in fills of {dispense['fill_days']} days"}],
        }
        if last is not None:
            request["dispenseRequest"]["validityPeriod"] = {"start": first, "end": last}
        out.append(request)
    return out


def build_bundle(case: Case, schedules: list[Schedule], today: date, stamp: datetime) -> dict[str, Any]:
    """The Bundle as JSON-ready data (not yet validated: :func:`fhir_json` does that)."""
    patient = _patient(case)
    resources: list[dict[str, Any]] = [patient]
    resources += [_statement(case, med, patient, today) for med in case.regimen.medications]
    for schedule in schedules:
        resources.append(_plan_request(case, schedule, patient, today))
        resources += _dispense_requests(case, schedule, patient, today)
    return {"resourceType": "Bundle", "id": _id("bundle", case.patient.id, stamp.isoformat()), "type": "collection",
            "timestamp": stamp.isoformat(timespec="seconds"),
            "entry": [{"fullUrl": f"urn:uuid:{r['id']}", "resource": r} for r in resources]}


class FhirExportError(ValueError):
    """A Bundle that would not be valid: never written."""


def check_plan_request(request: dict[str, Any]) -> None:
    """What the fhir.resources models leave unchecked: ``when`` codes and tim-10, rising sequences, and
    steps whose boundsPeriods follow each other with no gap or overlap."""
    steps: dict[int, tuple[date, date | None]] = {}
    for dosage in request.get("dosageInstruction", []):
        repeat = dosage["timing"]["repeat"]
        if set(repeat.get("when", [])) - set(EVENT_TIMING.values()):
            raise FhirExportError(f"'when' codes {repeat['when']} are not MORN, NOON, EVE or HS")
        if repeat.get("when") and repeat.get("timeOfDay"):
            raise FhirExportError("a dosage has both 'when' and 'timeOfDay' (tim-10)")
        bounds = repeat["boundsPeriod"]
        period = (date.fromisoformat(bounds["start"]), date.fromisoformat(bounds["end"]) if "end" in bounds else None)
        if steps.setdefault(dosage["sequence"], period) != period:
            raise FhirExportError(f"step {dosage['sequence']}: its doses have different dates")
    order = sorted(steps)
    if order != list(range(1, len(order) + 1)):
        raise FhirExportError("the steps' sequence numbers do not rise one by one")
    for a, b in zip(order, order[1:], strict=False):
        end = steps[a][1]
        if end is None or end + timedelta(days=1) != steps[b][0]:
            raise FhirExportError(f"step {a} and step {b} leave a gap or overlap")


def fhir_json(case: Case, schedules: list[Schedule], today: date, stamp: datetime) -> str:
    """The Bundle as JSON text, validated with fhir.resources (R4B) and :func:`check_plan_request`."""
    from fhir.resources.R4B.bundle import Bundle
    from pydantic import ValidationError

    data = build_bundle(case, schedules, today, stamp)
    for entry in data["entry"]:
        resource = entry["resource"]
        if resource["resourceType"] == "MedicationRequest" and "dosageInstruction" in resource:
            check_plan_request(resource)
    try:
        Bundle.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        raise FhirExportError(f"the FHIR Bundle is not valid at {'.'.join(str(p) for p in error['loc'])}: "
                              f"{error['msg']}") from None
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


__all__ = ["FhirExportError", "build_bundle", "check_plan_request", "fhir_json"]
