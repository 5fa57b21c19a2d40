"""FHIR resources built the way shared/reference/fhir.md describes them (Synthea, HL7 examples), for the tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"


def patient(pid: str = "p1", given: str = "Ana", family: str = "Lopez", birth: str = "1950-03-04",
            language: str | None = None) -> dict[str, Any]:
    resource: dict[str, Any] = {"resourceType": "Patient", "id": pid,
                                "name": [{"use": "official", "given": [given], "family": family}], "birthDate": birth}
    if language:
        resource["communication"] = [{"language": {"coding": [{"system": "urn:ietf:bcp:47", "code": language}]}}]
    return resource


def coded(display: str, code: str | None = None, text: bool = True) -> dict[str, Any]:
    """A medicationCodeableConcept: an RxNorm coding (when a code is given) and the text."""
    concept: dict[str, Any] = {}
    if code:
        concept["coding"] = [{"system": RXNORM, "code": code, "display": display}]
    if text or not code:
        concept["text"] = display
    return concept


def dosage(value: Any = None, unit: str | None = None, *, when: list[str] | None = None, frequency: int | None = None,
           period: float | None = None, period_unit: str = "d", prn: Any = None, text: str | None = None,
           sequence: int = 1) -> dict[str, Any]:
    out: dict[str, Any] = {"sequence": sequence}
    if text is not None:
        out["text"] = text
    repeat: dict[str, Any] = {}
    if when:
        repeat["when"] = when
    if frequency is not None:
        repeat.update({"frequency": frequency, "period": period or 1, "periodUnit": period_unit})
    if repeat:
        out["timing"] = {"repeat": repeat}
    if value is not None:
        quantity: dict[str, Any] = {"value": value}
        if unit:
            quantity.update({"unit": unit, "system": "http://unitsofmeasure.org", "code": unit})
        out["doseAndRate"] = [{"type": {"coding": [{"code": "ordered"}]}, "doseQuantity": quantity}]
    if prn is True or prn is False:
        out["asNeededBoolean"] = prn
    elif isinstance(prn, str):
        out["asNeededCodeableConcept"] = {"text": prn}
    return out


def request(rid: str, medication: dict[str, Any] | str, dosages: list[dict[str, Any]] | None = None, *,
            status: str = "active", subject: str | None = "urn:uuid:p1") -> dict[str, Any]:
    """A MedicationRequest; ``medication`` a CodeableConcept, or a reference ("urn:uuid:x", "#x", "Medication/x")."""
    resource: dict[str, Any] = {"resourceType": "MedicationRequest", "id": rid, "status": status, "intent": "order"}
    if subject:
        resource["subject"] = {"reference": subject}
    if isinstance(medication, str):
        resource["medicationReference"] = {"reference": medication}
    else:
        resource["medicationCodeableConcept"] = medication
    if dosages is not None:
        resource["dosageInstruction"] = dosages
    return resource


def statement(rid: str, medication: dict[str, Any], dosages: list[dict[str, Any]] | None = None, *,
              status: str = "active", subject: str = "urn:uuid:p1") -> dict[str, Any]:
    resource: dict[str, Any] = {"resourceType": "MedicationStatement", "id": rid, "status": status,
                                "subject": {"reference": subject}, "medicationCodeableConcept": medication}
    if dosages is not None:
        resource["dosage"] = dosages
    return resource


def medication(mid: str, display: str, code: str | None = None) -> dict[str, Any]:
    return {"resourceType": "Medication", "id": mid, "code": coded(display, code)}


def bundle(*resources: dict[str, Any]) -> dict[str, Any]:
    return {"resourceType": "Bundle", "type": "collection",
            "entry": [{"fullUrl": f"urn:uuid:{r['id']}", "resource": r} for r in resources]}


def write(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data), "utf-8")
    return path


def write_ndjson(path: Path, *resources: dict[str, Any]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in resources), "utf-8")
    return path
