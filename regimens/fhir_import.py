"""A medication list from FHIR: R4/R4B Bundles (JSON) or NDJSON of MedicationRequest, MedicationStatement,
Medication and Patient resources (``shared/reference/fhir.md`` §1.3).

Every resource taper reads is validated with ``fhir.resources`` (the R4B models, which take R4 shapes of
these four resources; imported here, lazily, so no other command pays for it). A bad file is one
:class:`TaperInputError` naming the file, the resource and the field; nothing is imported then.

Each active or on-hold request (or current statement) becomes one line, never dropped: mapped to a
formulary product by its RxNorm code (the product's SCD code, else the drug's ingredient code: a known
drug in a product not listed), else by its name (``medicationCodeableConcept.text`` or a coding's
``display``, "Ibuprofen 200 MG Oral Tablet") through :func:`regimens.csv_import.match_line`, else kept
as an unlisted medicine. The dose comes from ``dosageInstruction`` (``timing.repeat`` and
``doseAndRate.doseQuantity``), from its ``text`` through the sig parser, or is "not stated" (kept,
flagged, never tapered). Stopped, completed, cancelled, draft and entered-in-error requests are listed as
skipped.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from regimens.csv_import import BEDTIME_CLASSES, RowProblem, match_line, read_sig
from regimens.errors import TaperInputError, read_input
from regimens.forms import MASS_UNITS, SLOT_ORDER, Slot
from regimens.formulary import Formulary, get_formulary
from regimens.products import Product
from regimens.quantity import decimal_text
from regimens.regimen import AsWritten, Medication, Regimen

MAX_FHIR_BYTES = 200 * 1024 * 1024
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
#: The resources read; any other resource in a file is passed over (a Synthea bundle has dozens of kinds).
READ_TYPES = ("Patient", "Medication", "MedicationRequest", "MedicationStatement")
#: Request and statement statuses imported as current medicines (R4 request, R4 statement, R5 statement).
CURRENT = {"active", "on-hold", "recorded"}
#: EventTiming codes (http://hl7.org/fhir/event-timing) read as the four UMS periods; others are not.
WHEN_SLOTS = {
    "MORN": Slot.MORNING, "MORN.early": Slot.MORNING, "MORN.late": Slot.MORNING, "WAKE": Slot.MORNING,
    "CM": Slot.MORNING, "ACM": Slot.MORNING, "PCM": Slot.MORNING,
    "NOON": Slot.NOON, "CD": Slot.NOON, "ACD": Slot.NOON, "PCD": Slot.NOON,
    "EVE": Slot.EVENING, "EVE.early": Slot.EVENING, "EVE.late": Slot.EVENING, "CV": Slot.EVENING,
    "ACV": Slot.EVENING, "PCV": Slot.EVENING,
    "HS": Slot.BEDTIME, "NIGHT": Slot.BEDTIME, "PHS": Slot.BEDTIME,
}
#: A count per day placed on the UMS periods, as the CSV's "twice daily" is.
DAILY_SLOTS = {1: (Slot.MORNING,), 2: (Slot.MORNING, Slot.EVENING), 3: (Slot.MORNING, Slot.NOON, Slot.EVENING),
               4: tuple(SLOT_ORDER)}
#: UnitsOfTime (Timing.repeat.periodUnit) in hours.
PERIOD_HOURS = {"h": Fraction(1), "d": Fraction(24), "wk": Fraction(168), "mo": Fraction(720), "a": Fraction(8760),
                "min": Fraction(1, 60), "s": Fraction(1, 3600)}
#: Dose-quantity units that count dose units (tablets, capsules, patches, puffs...), by lowercase unit or code.
COUNT_UNITS = {
    "tab": "tablet", "tabs": "tablet", "tablet": "tablet", "tablets": "tablet", "{tbl}": "tablet",
    "{tablet}": "tablet", "{tablets}": "tablet", "428673006": "tablet",
    "cap": "capsule", "caps": "capsule", "capsule": "capsule", "capsules": "capsule", "{capsule}": "capsule",
    "{cap}": "capsule", "428641000": "capsule",
    "patch": "patch", "patches": "patch", "{patch}": "patch", "puff": "puff", "puffs": "puff", "{puff}": "puff",
    "ml": "mL", "drop": "drop", "drops": "drop", "{drop}": "drop", "[drp]": "drop", "unit": "unit", "units": "unit",
    "[iu]": "unit", "u": "unit", "{unit}": "unit", "spray": "spray", "sprays": "spray", "{spray}": "spray",
    "suppository": "suppository", "{suppository}": "suppository", "film": "film", "application": "application",
    "{application}": "application",
}
#: Timing.code (HL7 v3 GTSAbbreviation, the "common" timings) as the repeat it stands for.
TIMING_CODES: dict[str, dict[str, Any]] = {
    "QD": {"frequency": 1, "period": 1, "periodUnit": "d"}, "BID": {"frequency": 2, "period": 1, "periodUnit": "d"},
    "TID": {"frequency": 3, "period": 1, "periodUnit": "d"}, "QID": {"frequency": 4, "period": 1, "periodUnit": "d"},
    "AM": {"when": ["MORN"]}, "PM": {"when": ["EVE"]}, "QOD": {"frequency": 1, "period": 2, "periodUnit": "d"},
    "Q4H": {"frequency": 1, "period": 4, "periodUnit": "h"}, "Q6H": {"frequency": 1, "period": 6, "periodUnit": "h"},
    "Q8H": {"frequency": 1, "period": 8, "periodUnit": "h"}, "Q12H": {"frequency": 1, "period": 12, "periodUnit": "h"},
    "WK": {"frequency": 1, "period": 1, "periodUnit": "wk"},
}
MASS_FACTORS = {**MASS_UNITS, "ug": MASS_UNITS["mcg"]}
"""Mass units of a dose quantity (UCUM writes micrograms "ug"), in mg."""
DOSE_NOT_STATED = "dose not stated"


@dataclass(frozen=True)
class FhirPatient:
    """What a Patient resource says about the patient (each None when it does not say)."""

    id: str
    """The Patient resource's id (what --patient names)."""
    name: str | None = None
    birth_date: date | None = None
    language: str | None = None
    identifier: str | None = None
    """The first identifier's value (a clinic or record number), if any."""


@dataclass
class FhirImport:
    """One patient's lines from FHIR files, with what the pharmacist should know about them."""

    regimen: Regimen
    patient: FhirPatient | None
    notices: list[str] = field(default_factory=list)
    """Per line: why it is not a listed product, how its dose was read ("MedicationRequest/abc: ...")."""
    skipped: list[str] = field(default_factory=list)
    """Requests not imported (stopped, completed...), each with its status and medicine."""

    def filled(self, name: str | None, birth_date: date | None, language: str | None
               ) -> tuple[str | None, str | None, date | None, str | None]:
        """(source id, name, birth date, language): what the user gave, and the Patient resource's values
        where the user gave none (the command line and the app's new-case form both ask this)."""
        patient = self.patient
        if patient is None:
            return None, name, birth_date, language
        return (patient.identifier or patient.id, name or patient.name, birth_date or patient.birth_date,
                patient.language if language is None else language)


@dataclass
class _Sources:
    resources: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    """(file name, resource) of every resource read, in file order."""
    by_reference: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Resources by ``fullUrl`` and by ``Type/id``."""


def is_fhir_file(path: str | Path) -> bool:
    """A FHIR file by its name (.json, .ndjson) or, for any other name, a first character of ``{``."""
    name = str(path).lower()
    if name.endswith((".json", ".ndjson", ".jsonl")):
        return True
    if name.endswith(".csv"):
        return False
    try:
        with open(path, "rb") as handle:
            head = handle.read(512).lstrip(b"\xef\xbb\xbf \t\r\n")
    except OSError:
        return False
    return head.startswith(b"{")


# ---------------------------------------------------------------------------------------------
# Reading and validating the files


def _model(resource_type: str) -> Any:
    from fhir.resources.R4B import get_fhir_model_class

    return get_fhir_model_class(resource_type)


def _where(resource: dict[str, Any]) -> str:
    kind = resource.get("resourceType", "resource")
    return f"{kind}/{resource['id']}" if isinstance(resource.get("id"), str) else str(kind)


def _validate(resource: Any, name: str, where: str) -> dict[str, Any]:
    """The resource, checked by its fhir.resources model; a refusal names the file, resource and field."""
    from pydantic import ValidationError

    if not isinstance(resource, dict):
        raise TaperInputError(f"{where}: a resource is a JSON object", file=name)
    kind = resource.get("resourceType")
    if not isinstance(kind, str):
        raise TaperInputError(f"{where}: not a FHIR resource or Bundle (no resourceType); a medication list is a "
                              "FHIR Bundle, NDJSON of FHIR resources, or a CSV", file=name)
    if kind not in READ_TYPES:
        return resource
    label = _where(resource)
    try:
        _model(kind).model_validate(resource)
    except ValidationError as exc:
        error = exc.errors()[0]
        path = ".".join(str(p) for p in error["loc"]) or kind
        more = f" ({exc.error_count()} problems)" if exc.error_count() > 1 else ""
        raise TaperInputError(f"{label}: {error['msg']}{more}", file=name, field=path) from None
    except (ValueError, TypeError) as exc:
        raise TaperInputError(f"{label}: {exc}", file=name) from None
    return resource


def _entries(data: Any, name: str, where: str, out: _Sources) -> None:
    if not isinstance(data, dict):
        raise TaperInputError(f"{where}: expected a FHIR resource (a JSON object)", file=name)
    if data.get("resourceType") == "Bundle":
        entries = data.get("entry") or []
        if not isinstance(entries, list):
            raise TaperInputError("Bundle.entry is not a list", file=name, field="entry")
        for i, entry in enumerate(entries):
            if not isinstance(entry, dict) or "resource" not in entry:
                continue
            _entries(entry["resource"], name, f"entry {i + 1}", out)
            resource = entry["resource"]
            if isinstance(entry.get("fullUrl"), str) and isinstance(resource, dict):
                out.by_reference[entry["fullUrl"]] = resource
        return
    resource = _validate(data, name, where)
    out.resources.append((name, resource))
    if isinstance(resource.get("id"), str):
        out.by_reference[f"{resource['resourceType']}/{resource['id']}"] = resource
        out.by_reference[f"urn:uuid:{resource['id']}"] = resource


def read_sources(paths: Sequence[str | Path]) -> _Sources:
    """Every resource of every file, validated; the first bad one refuses the whole import."""
    out = _Sources()
    for path in paths:
        name = str(path)
        raw = read_input(path, MAX_FHIR_BYTES, "FHIR file")
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise TaperInputError("is not UTF-8 text", file=name) from None
        stripped = text.strip()
        if not stripped:
            raise TaperInputError("is empty; expected a FHIR Bundle or NDJSON resources", file=name)
        try:
            whole = json.loads(stripped)
        except json.JSONDecodeError as first_error:
            whole = None
            lines = [(i + 1, line) for i, line in enumerate(stripped.splitlines()) if line.strip()]
            if len(lines) < 2:
                raise TaperInputError(f"is not JSON ({first_error.msg}, line {first_error.lineno})",
                                      file=name) from None
            for number, line in lines:
                try:
                    item = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise TaperInputError(f"is not NDJSON: {exc.msg}", file=name, row=number) from None
                _entries(item, name, f"line {number}", out)
        if whole is not None:
            _entries(whole, name, "the file", out)
    return out


# ---------------------------------------------------------------------------------------------
# Patients


def _patient(resource: dict[str, Any]) -> FhirPatient:
    from regimens.language import is_language_tag

    name = None
    names = resource.get("name") or []
    chosen = next((n for n in names if n.get("use") == "official"), names[0] if names else None)
    if chosen:
        name = chosen.get("text") or " ".join(
            [*chosen.get("given", []), chosen.get("family", "")]).strip() or None
    birth = None
    text = resource.get("birthDate")
    if isinstance(text, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        birth = date.fromisoformat(text)
    language = None
    comms = resource.get("communication") or []
    comm = next((c for c in comms if c.get("preferred")), comms[0] if comms else None)
    if comm:
        concept = comm.get("language") or {}
        for coding in concept.get("coding", []):
            if isinstance(coding.get("code"), str) and is_language_tag(coding["code"]):
                language = coding["code"]
                break
    identifier = next((i["value"] for i in resource.get("identifier", [])
                       if isinstance(i, dict) and isinstance(i.get("value"), str) and i["value"].strip()), None)
    return FhirPatient(id=str(resource.get("id") or "patient"), name=name, birth_date=birth, language=language,
                       identifier=identifier)


def _refers_to(reference: dict[str, Any] | None, patient_id: str) -> bool:
    ref = (reference or {}).get("reference")
    if not isinstance(ref, str):
        return False
    return ref in (f"Patient/{patient_id}", f"urn:uuid:{patient_id}") or ref.endswith(f"/Patient/{patient_id}")


def patients_in(sources: _Sources) -> list[FhirPatient]:
    seen: dict[str, FhirPatient] = {}
    for _, resource in sources.resources:
        if resource["resourceType"] == "Patient":
            patient = _patient(resource)
            seen.setdefault(patient.id, patient)
    return list(seen.values())


def choose_patient(patients: list[FhirPatient], wanted: str | None, names: str) -> FhirPatient | None:
    listed = "; ".join(f"{p.id} ({p.name or 'no name'})" for p in patients)
    if wanted is not None:
        for patient in patients:
            if patient.id == wanted:
                return patient
        raise TaperInputError(f"no Patient with id {wanted!r}" + (f" (patients: {listed})" if patients else
                                                                 " (the files hold no Patient resource)"),
                              file=names)
    if len(patients) > 1:
        raise TaperInputError(f"hold {len(patients)} patients; choose one with --patient ID: {listed}", file=names)
    return patients[0] if patients else None


# ---------------------------------------------------------------------------------------------
# Medicines


def _concept(resource: dict[str, Any], sources: _Sources, contained: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The medicine's CodeableConcept: inline, or the code of the Medication it refers to."""
    if isinstance(resource.get("medicationCodeableConcept"), dict):
        return resource["medicationCodeableConcept"]
    reference = (resource.get("medicationReference") or {}).get("reference")
    target = None
    if isinstance(reference, str):
        target = contained.get(reference[1:]) if reference.startswith("#") else sources.by_reference.get(reference)
        if target is None and "/Medication/" in reference:
            target = sources.by_reference.get("Medication/" + reference.rsplit("/Medication/", 1)[1])
    if target is not None and isinstance(target.get("code"), dict):
        return target["code"]
    display = (resource.get("medicationReference") or {}).get("display")
    return {"text": display} if isinstance(display, str) else {}


def _names(concept: dict[str, Any]) -> list[str]:
    names = [concept.get("text")] + [c.get("display") for c in concept.get("coding", [])]
    return list(dict.fromkeys(n.strip() for n in names if isinstance(n, str) and n.strip()))


def _rxnorm_codes(concept: dict[str, Any]) -> list[str]:
    return [c["code"] for c in concept.get("coding", [])
            if c.get("system") == RXNORM and isinstance(c.get("code"), str) and c["code"].isdigit()]


#: RxNorm dose forms the medication-list form reader does not take as written (the product-name matcher
#: reads the rest).
RXNORM_FORMS = {"transdermal system": "patch", "medicated patch": "patch",
                "disintegrating oral tablet": "orally disintegrating tablet"}
_STRENGTH = (r"\d[\d,]*(?:\.\d+)?\s*(?:MG|MCG|UG|G|MEQ|UNT|UNITS?|%|ML|HR)"
             r"(?:\s*/\s*(?:\d[\d.]*\s*)?(?:ML|HR|ACTUAT|G|MG))?")


def split_name(text: str) -> tuple[str, str, str] | None:
    """("ibuprofen", "200 MG", "Oral Tablet") from an RxNorm-style name; None when it is not one.

    A thin reading of the one-ingredient shape only; several ingredients ("A 325 MG / B 5 MG Oral
    Tablet") are read as the names joined by "/" and the strengths likewise."""
    cleaned = re.sub(r"^\s*\d+\s*HR\s+", "", text.strip(), flags=re.I)
    # Pack sizes and application numbers before the name ("NDA020503 200 ACTUAT Albuterol ...").
    cleaned = re.sub(r"^(?:(?:NDA|ANDA|BLA)\d+\s+)?(?:\d[\d.]*\s*(?:ACTUAT|ML|G)\s+)?", "", cleaned, flags=re.I)
    cleaned = re.sub(r"\s*(\[[^\]]*\]|\([^)]*\))\s*$", "", cleaned)
    parts = [p.strip() for p in re.split(r"\s+/\s+", cleaned)]
    names, strengths, form = [], [], ""
    for i, part in enumerate(parts):
        m = re.match(rf"^(.+?)\s+({_STRENGTH})(?:\s+(.*))?$", part, flags=re.I)
        if not m:
            return None
        if m.group(3) and i < len(parts) - 1:
            return None
        names.append(m.group(1))
        strength = re.sub(r"\s+", " ", m.group(2)).lower().replace("unt", "units")
        strength = re.sub(r"\s*/\s*actuat$", "", strength)  # per actuation: the amount in one puff or spray
        rate = re.fullmatch(r"([\d.]+) mg\s*/\s*hr", strength)
        if rate:  # RxNorm writes patch rates in mg/hr ("0.025 MG/HR"); the formulary in mcg/hr
            strength = f"{Decimal(rate.group(1)) * 1000:f}".rstrip("0").rstrip(".") + " mcg/hr"
        strengths.append(strength)
        form = m.group(3) or form
    if not form:
        return None
    form = re.sub(r"^\d+\s*HR\s+", "", form.strip(), flags=re.I)
    form = RXNORM_FORMS.get(form.lower(), form)
    return "/".join(names), "/".join(strengths), form


@dataclass
class _Line:
    product: Product | None
    drug: str | None
    name: str
    strength: str = ""
    form: str = ""
    notice: str = ""


def _line(formulary: Formulary, concept: dict[str, Any]) -> _Line:
    names = _names(concept)
    title = names[0] if names else "medicine with no name"
    from regimens.product_names import code_index

    rxcui_index, drug_codes = code_index(formulary)
    for code in _rxnorm_codes(concept):
        if code in rxcui_index:
            return _Line(rxcui_index[code], None, title)
    for code in _rxnorm_codes(concept):
        if code in drug_codes:
            drug = drug_codes[code]
            # The ingredient code names the drug; its name may still name a listed product.
            for name in names:
                found = _by_name(formulary, name)
                if found is not None and found.product is not None and found.product.listed \
                        and found.product.drug == drug.name:
                    return found
            return _Line(None, drug.name, title, notice=f"RxNorm {code} is {drug.name}; the product is not named: "
                         "product not in the formulary: confirm")
    fallback: _Line | None = None
    for name in names:
        found = _by_name(formulary, name)
        if found is None:
            continue
        if found.product is not None and found.product.listed:
            return found
        if fallback is None or (fallback.drug is None and fallback.product is None):
            fallback = found
    if fallback is not None:
        return fallback
    message = formulary.unknown_message(title.split()[0] if title.split() else title)
    return _Line(None, None, title, notice=f"{message}; kept as an unlisted medicine (not screened until it is "
                 "resolved)")


def _by_name(formulary: Formulary, name: str) -> _Line | None:
    """A name as RxNorm or a pharmacy writes it: the product-name matcher first (the one the CSV's
    ``product`` column uses), then the name split into drug, strength and form for the classifier."""
    from regimens.product_names import match_product_name

    named = match_product_name(name, None, formulary)
    if named.product is not None and named.product.listed:
        return _Line(named.product, None, name, notice=named.notice)
    parts = split_name(name)
    attempts: list[tuple[str, str, str]] = []
    if parts is not None:
        brand = re.search(r"(?:\[([^\]]+)\]|\(([^)]+)\))\s*$", name)
        branded = formulary.lookup((brand.group(1) or brand.group(2)).strip()) if brand else None
        if brand and branded is not None and branded.brand and branded.drug.name == (
                formulary.lookup(parts[0]) or branded).drug.name:
            attempts.append(((brand.group(1) or brand.group(2)).strip(), parts[1], parts[2]))
        attempts.append(parts)
        names, strengths = parts[0].split("/"), parts[1].split("/")
        if len(names) > 1:
            attempts.append(("/".join(reversed(names)), "/".join(reversed(strengths)), parts[2]))
    best: _Line | None = None
    for drug_name, strength, form in attempts:
        try:
            match = match_line(formulary, drug_name, strength, form)
        except RowProblem as exc:
            lookup = formulary.lookup(drug_name)
            if lookup is not None and best is None:
                best = _Line(None, lookup.drug.name, drug_name, strength, form,
                             f"{exc.message}; kept: product not in the formulary: confirm")
            continue
        line = _Line(match.product, match.drug if match.product is None else None, drug_name, strength, form,
                     match.notice)
        if match.product is not None and match.product.listed:
            return line
        if match.drug is not None or (match.product is not None and formulary.lookup(drug_name) is not None):
            best = best if best is not None and best.product is not None else line
        elif best is None:
            best = line
    if best is not None:
        return best
    lookup = formulary.lookup(name)
    if lookup is not None:
        return _Line(None, lookup.drug.name, name, notice=f"{name!r} names {lookup.drug.name} without a strength "
                     "and form: product not in the formulary: confirm")
    return None


# ---------------------------------------------------------------------------------------------
# Doses


class _NoDose(Exception):
    """The dosage cannot be read as units at slots or an interval: the line keeps its text."""


@dataclass
class _Dose:
    units: Fraction | None = None
    slots: tuple[Slot, ...] = ()
    interval: int | None = None
    prn: bool = False
    reason: str | None = None
    max_units: Fraction | None = None
    text: str = ""
    notes: list[str] = field(default_factory=list)
    from_sig: bool = False
    """Read from the dosage text alone: the sig is kept with the line, shown beside its reading."""


def _units(value: Any, unit: str | None, code: str | None, product: Product | None) -> Fraction:
    """Dose units (tablets, mL...) in a doseQuantity; a mass is divided by what one unit holds."""
    if not isinstance(value, int | float | str | Decimal):
        raise _NoDose("the dose has no value")
    number = Fraction(Decimal(str(value)))
    if number <= 0:
        raise _NoDose("the dose is not more than 0")
    words = [w for w in ((code or "").strip().lower(), (unit or "").strip().lower()) if w]
    if not words:
        return number  # Synthea's unitless count
    if product is not None and product.unit_noun.lower() in words:
        return number
    for word in words:
        if word in COUNT_UNITS:
            if product is not None and COUNT_UNITS[word] not in (product.unit_noun, product.form.unit_noun):
                raise _NoDose(f"a dose in {unit or code} does not fit a {product.form.label}")
            return number
    for word in words:
        if word in MASS_FACTORS:
            if product is None or product.is_combination or not product.has_amount_per_unit:
                raise _NoDose(f"a dose of {decimal_text(number)} {word} cannot be counted in units of this product")
            ingredient = product.ingredients[0]
            if ingredient.unit not in MASS_UNITS:
                raise _NoDose(f"a dose in {word} does not fit a strength in {ingredient.unit}")
            per = product.per_unit(ingredient) * MASS_FACTORS[ingredient.unit]
            return number * MASS_FACTORS[word] / per
    raise _NoDose(f"the dose unit {unit or code!r} is not one taper reads")


def _timing(repeat: dict[str, Any], product: Product | None, classes: frozenset[str],
            notes: list[str]) -> tuple[tuple[Slot, ...], int | None]:
    when = repeat.get("when") or []
    if when:
        unknown = [w for w in when if w not in WHEN_SLOTS]
        if unknown:
            raise _NoDose(f"timing 'when' {unknown[0]} is not one of the four times of day")
        slots = tuple(s for s in SLOT_ORDER if s in {WHEN_SLOTS[w] for w in when})
        if product is not None and product.form.is_interval_only:
            raise _NoDose(f"a {product.form.label} is changed on an interval, not at times of day")
        return slots, None
    if repeat.get("timeOfDay"):
        raise _NoDose("clock times (timeOfDay) are not read; give the times of day")
    frequency = repeat.get("frequency") or 1
    period, unit = repeat.get("period"), repeat.get("periodUnit")
    if period is None or unit not in PERIOD_HOURS:
        raise _NoDose("the timing has no period")
    hours = Fraction(Decimal(str(period))) * PERIOD_HOURS[unit] / int(frequency)
    if hours == 24 // int(frequency) and hours * int(frequency) == 24 and int(frequency) in DAILY_SLOTS \
            and not (product is not None and product.form.is_interval_only):
        slots = DAILY_SLOTS[int(frequency)]
        if slots == (Slot.MORNING,) and classes & BEDTIME_CLASSES:
            slots = (Slot.BEDTIME,)
        notes.append(f"{int(frequency)} a day placed at {', '.join(s.value for s in slots)}: confirm the times")
        return slots, None
    if hours.denominator != 1 or hours < 1:
        raise _NoDose(f"every {float(hours):g} hours is not a whole number of hours")
    return (), int(hours)


def _prn(dosage: dict[str, Any]) -> tuple[bool, str | None]:
    if dosage.get("asNeededBoolean") is True:
        return True, None
    concept = dosage.get("asNeededCodeableConcept")
    if isinstance(concept, dict):
        names = _names(concept)
        return True, names[0] if names else None
    return False, None


def _from_sig(text: str, product: Product | None, classes: frozenset[str], dose: _Dose) -> None:
    """A dosage given only as text: read by the CSV's own sig reader (one reading of a sig, whatever the
    source), so a range keeps its maximum dose at the shortest interval, for the as-needed ceiling."""
    try:
        reading = read_sig(text, product, classes)
    except RowProblem as exc:
        raise _NoDose(exc.message) from None
    dose.prn = dose.prn or reading.prn
    dose.reason = dose.reason or reading.indication
    if reading.notice:
        dose.notes.append(reading.notice)
    if reading.units is None:
        raise _NoDose("the sig states no dose or no time")
    dose.units = reading.units
    dose.slots, dose.interval = reading.slots, reading.interval
    dose.max_units = reading.max_units
    dose.from_sig = True


def _dosage(dosages: list[dict[str, Any]], product: Product | None, classes: frozenset[str]) -> _Dose:
    dose = _Dose()
    texts = [d.get("text") or d.get("patientInstruction") for d in dosages]
    dose.text = "; ".join(t.strip() for t in texts if isinstance(t, str) and t.strip())
    if not dosages:
        raise _NoDose(DOSE_NOT_STATED)
    dose.prn, dose.reason = _prn(dosages[0])
    if len({d.get("sequence", 1) for d in dosages}) > 1:
        raise _NoDose("several dosage instructions in sequence (a taper or a changing dose)")
    for dosage in dosages:
        per_day = dosage.get("maxDosePerPeriod")
        denominator = (per_day or {}).get("denominator") or {}
        if isinstance(per_day, dict) and denominator.get("value") == 1 and denominator.get("code", "d") == "d":
            numerator = per_day.get("numerator") or {}
            with contextlib.suppress(_NoDose):
                dose.max_units = _units(numerator.get("value"), numerator.get("unit"), numerator.get("code"), product)
    amounts, slot_sets = [], []
    for dosage in dosages:
        quantity = next((r.get("doseQuantity") for r in dosage.get("doseAndRate", []) if r.get("doseQuantity")), None)
        repeat = (dosage.get("timing") or {}).get("repeat")
        if not repeat:
            code = ((dosage.get("timing") or {}).get("code") or {})
            repeat = next((TIMING_CODES[c["code"]] for c in code.get("coding", [])
                           if isinstance(c, dict) and c.get("code") in TIMING_CODES), None)
        if quantity is None or not repeat:
            if len(dosages) == 1 and dose.text:
                _from_sig(dose.text, product, classes, dose)
                return dose
            raise _NoDose(DOSE_NOT_STATED if quantity is None and not dose.text else "no dose or no timing")
        amounts.append(_units(quantity.get("value"), quantity.get("unit"), quantity.get("code"), product))
        slots, interval = _timing(repeat, product, classes, dose.notes)
        if interval is not None:
            if len(dosages) > 1:
                raise _NoDose("several dosage instructions on an interval")
            dose.units, dose.interval = amounts[0], interval
            return dose
        slot_sets.append(slots)
    if len(set(amounts)) > 1:
        raise _NoDose("different doses at different times of day")
    every = [s for group in slot_sets for s in group]
    if len(set(every)) != len(every):
        raise _NoDose("a time of day given twice")
    dose.units, dose.slots = amounts[0], tuple(s for s in SLOT_ORDER if s in every)
    return dose


# ---------------------------------------------------------------------------------------------
# Lines


def _medication(index: int, resource: dict[str, Any], sources: _Sources, formulary: Formulary,
                ) -> tuple[Medication, list[str]]:
    contained = {str(c.get("id")): c for c in resource.get("contained", []) if isinstance(c, dict)}
    concept = _concept(resource, sources, contained)
    line = _line(formulary, concept)
    product = line.product
    notices = [line.notice] if line.notice else []
    names = [i.drug for i in product.ingredients] if product is not None else [line.drug or ""]
    classes = frozenset().union(*(formulary.classes_of(n) for n in names if n))
    dosages = resource.get("dosageInstruction") if resource["resourceType"] == "MedicationRequest" \
        else resource.get("dosage")
    dosages = [d for d in dosages or [] if isinstance(d, dict)]
    codes = _rxnorm_codes(concept)
    listed = product is not None and product.listed
    reasons = [n for concept in resource.get("reasonCode", []) if isinstance(concept, dict) for n in _names(concept)]
    note = "; ".join(n.get("text", "") for n in resource.get("note", []) if isinstance(n, dict)) or None
    base: dict[str, Any] = {
        "id": f"m{index}", "product": product, "drug": line.drug if product is None else None,
        "start_date": _started(resource),
        "rxcui": codes[0] if codes and len(codes[0]) <= 20 else None, "notes": note[:500] if note else None,
    }
    try:
        dose = _dosage(dosages, product, classes)
        units = dose.units
        written = None if listed and not dose.from_sig else AsWritten(
            name=line.name[:200], strength=line.strength[:200], form=line.form[:200],
            dose=(dose.text or _dose_words(dose))[:500])
        medication = Medication(
            **base, written=written, units=decimal_text(units) if units is not None else None, slots=dose.slots,
            interval_hours=dose.interval, prn=dose.prn,
            max_units_per_day=decimal_text(dose.max_units) if dose.max_units is not None and dose.prn
            and units is not None and dose.max_units >= units else None,
            indication=(dose.reason or (reasons[0] if reasons else ""))[:200] or None)
        notices += dose.notes
        return medication, notices
    except (_NoDose, ValueError) as exc:
        reason = str(exc) if isinstance(exc, _NoDose) else _first_error(exc)
        text = ""
        if dosages:
            texts = [d.get("text") for d in dosages if isinstance(d.get("text"), str) and d.get("text").strip()]
            text = "; ".join(t.strip() for t in texts)
        prn, why = _prn(dosages[0]) if dosages else (False, None)
        written = AsWritten(name=line.name[:200], strength=line.strength[:200], form=line.form[:200],
                            dose=(text or _structured_words(dosages) or DOSE_NOT_STATED)[:500])
        notices.append(f"{reason}: kept with the dose not stated" if reason != DOSE_NOT_STATED
                       else "no dosage: kept with the dose not stated")
        try:
            return Medication(**base, written=written, prn=prn,
                              indication=(why or (reasons[0] if reasons else ""))[:200] or None), notices
        except ValueError as again:
            notices.append(_first_error(again))
            return Medication(id=f"m{index}", written=written), notices


def _started(resource: dict[str, Any]) -> date | None:
    """When a statement says the patient started (``effectivePeriod.start`` or ``effectiveDateTime``); a request's
    ``authoredOn`` is when it was written, not a start, and is not read."""
    if resource["resourceType"] != "MedicationStatement":
        return None
    text = (resource.get("effectivePeriod") or {}).get("start") or resource.get("effectiveDateTime")
    if isinstance(text, str) and re.match(r"\d{4}-\d{2}-\d{2}", text):
        day = date.fromisoformat(text[:10])
        return day if date(1900, 1, 1) <= day else None
    return None


def _first_error(exc: Exception) -> str:
    from pydantic import ValidationError

    if isinstance(exc, ValidationError):
        from regimens.plain_errors import plain_message

        return plain_message(exc.errors()[0])
    return str(exc)


def _dose_words(dose: _Dose) -> str:
    if dose.units is None:
        return DOSE_NOT_STATED
    when = ", ".join(s.value for s in dose.slots) if dose.slots else f"every {dose.interval} hours"
    return f"{decimal_text(dose.units)} {when}" + (" as needed" if dose.prn else "")


def _structured_words(dosages: list[dict[str, Any]]) -> str:
    """A dosage without text, written out from its fields ("5 mg MORN, HS"; "1 every 8 h"), so that a line
    whose dose could not be read keeps what the source said."""
    out = []
    for dosage in dosages:
        parts = []
        for rate in dosage.get("doseAndRate", []):
            quantity = rate.get("doseQuantity") or {}
            if quantity.get("value") is not None:
                parts.append(f"{quantity['value']} {quantity.get('unit') or quantity.get('code') or ''}".strip())
        repeat = (dosage.get("timing") or {}).get("repeat") or {}
        if repeat.get("when"):
            parts.append(", ".join(repeat["when"]))
        elif repeat.get("timeOfDay"):
            parts.append("at " + ", ".join(repeat["timeOfDay"]))
        elif repeat.get("period") is not None:
            every = f"{repeat.get('frequency') or 1} every {repeat['period']} {repeat.get('periodUnit', '')}"
            parts.append(every.strip())
        if _prn(dosage)[0]:
            parts.append("as needed")
        if parts:
            out.append(" ".join(parts))
    return "; ".join(out)


def _medicine_title(resource: dict[str, Any], sources: _Sources) -> str:
    contained = {str(c.get("id")): c for c in resource.get("contained", []) if isinstance(c, dict)}
    names = _names(_concept(resource, sources, contained))
    return names[0] if names else "medicine with no name"


def import_fhir(paths: Sequence[str | Path], patient_id: str | None = None,
                formulary: Formulary | None = None, today: date | None = None) -> FhirImport:
    """One patient's current medicines from FHIR files (strict about the files, lenient about each line).
    A start date after ``today`` (the caller's clock) is dropped with a notice."""
    formulary = formulary or get_formulary()
    sources = read_sources(paths)
    names = ", ".join(str(p) for p in paths)
    found = patients_in(sources)
    patient = choose_patient(found, patient_id, names)
    several = len(found) > 1
    lines: list[Medication] = []
    notices: list[str] = []
    skipped: list[str] = []
    requests = [(n, r) for n, r in sources.resources if r["resourceType"] in ("MedicationRequest",
                                                                                "MedicationStatement")]
    for name, resource in requests:
        where = f"{name}: {_where(resource)}"
        if patient is not None and resource.get("subject") and not _refers_to(resource["subject"], patient.id):
            continue
        if patient is not None and not resource.get("subject") and several:
            continue
        status = resource.get("status")
        if status not in CURRENT:
            skipped.append(f"{where}: {_medicine_title(resource, sources)} ({status})")
            continue
        medication, said = _medication(len(lines) + 1, resource, sources, formulary)
        if today is not None and medication.start_date is not None and medication.start_date > today:
            said = [*said, f"the start date {medication.start_date.isoformat()} is in the future: not kept"]
            medication = medication.model_copy(update={"start_date": None})
        lines.append(medication)
        notices += [f"{where}: {s}" for s in said]
    if not lines:
        raise TaperInputError("hold no active medication request or statement"
                              + (f" for patient {patient.id}" if patient else "")
                              + (f" ({len(skipped)} skipped: not active)" if skipped else ""), file=names)
    return FhirImport(Regimen(medications=tuple(lines)), patient, notices, skipped)


@dataclass(frozen=True)
class FhirStep:
    """One step of a tapering MedicationRequest: its dates and the amount at each time of day."""

    sequence: int
    start: date
    end: date | None
    doses: dict[str, Fraction]
    """Amount of the drug by EventTiming code (MORN, NOON, EVE, HS), or "patch" for an interval dose."""
    unit: str
    stop: bool = False
    """The "Then stop" step."""


def planned_steps(paths: Sequence[str | Path]) -> dict[str, list[FhirStep]]:
    """The steps of each MedicationRequest that holds a sequence of dosages (a taper), by its medicine's name.

    The reading side of the export: dosages of one ``sequence`` are one step, their ``when`` the times of day."""
    sources = read_sources(paths)
    out: dict[str, list[FhirStep]] = {}
    for _, resource in sources.resources:
        if resource["resourceType"] != "MedicationRequest":
            continue
        dosages = [d for d in resource.get("dosageInstruction", []) if isinstance(d, dict)]
        if len({d.get("sequence") for d in dosages}) < 2:
            continue
        steps: dict[int, FhirStep] = {}
        for dosage in dosages:
            repeat = (dosage.get("timing") or {}).get("repeat") or {}
            bounds = repeat.get("boundsPeriod") or {}
            sequence = int(dosage.get("sequence", 0))
            start = date.fromisoformat(bounds["start"][:10])
            end = date.fromisoformat(bounds["end"][:10]) if bounds.get("end") else None
            stop = any(c.get("code") == "422327006" for i in dosage.get("additionalInstruction", [])
                       for c in i.get("coding", []))
            step = steps.setdefault(sequence, FhirStep(sequence, start, end, {}, "", stop))
            quantity = next((r.get("doseQuantity") for r in dosage.get("doseAndRate", []) if r.get("doseQuantity")),
                            None)
            if quantity is not None:
                codes = repeat.get("when") or ["patch"]
                for code in codes:
                    step.doses[code] = step.doses.get(code, Fraction(0)) + Fraction(Decimal(str(quantity["value"])))
                steps[sequence] = FhirStep(sequence, start, end, step.doses, quantity.get("unit", ""), stop)
        contained = {str(c.get("id")): c for c in resource.get("contained", []) if isinstance(c, dict)}
        names = _names(_concept(resource, sources, contained))
        out[names[0] if names else _where(resource)] = [steps[k] for k in sorted(steps)]
    return out


__all__ = ["FhirImport", "FhirPatient", "FhirStep", "import_fhir", "is_fhir_file", "planned_steps", "read_sources",
           "split_name"]
