"""The patient's language, as a BCP 47 tag ("en", "es", "es-MX"), and where it comes from outside taper.

A case records it (:attr:`regimens.case.Patient.language`); ``taper`` prints the calendar in it when it has
a catalogue for the tag or its primary subtag. A FHIR R4 ``Patient`` carries it in ``communication``: a list
of ``{"language": CodeableConcept, "preferred": bool}`` whose codings use the system ``urn:ietf:bcp:47``
(Synthea writes ``communication[0].language``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

#: A language tag as taper stores it: a lower-case primary language, then optional subtags.
LANGUAGE_TAG = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")
BCP47 = "urn:ietf:bcp:47"


def is_language_tag(text: str) -> bool:
    return LANGUAGE_TAG.fullmatch(text) is not None


def normalised(code: str) -> str | None:
    """``code`` as a tag taper stores ("ES" -> "es", "es_MX" -> "es-MX"), or None when it is not one."""
    parts = code.strip().replace("_", "-").split("-")
    tag = "-".join([parts[0].lower(), *parts[1:]])
    return tag if is_language_tag(tag) else None


def from_fhir_patient(patient: Mapping[str, Any]) -> str | None:
    """The preferred language of a FHIR R4 ``Patient`` resource (the first one when none is marked preferred),
    or None when it names none taper can read."""
    entries = [c for c in patient.get("communication") or () if isinstance(c, Mapping)]
    entries.sort(key=lambda c: c.get("preferred") is not True)  # stable: preferred first, else in order
    for entry in entries:
        concept = entry.get("language")
        codings = concept.get("coding") or () if isinstance(concept, Mapping) else ()
        codings = [c for c in codings if isinstance(c, Mapping) and isinstance(c.get("code"), str)]
        codings.sort(key=lambda c: c.get("system") != BCP47)
        for coding in codings:
            tag = normalised(coding["code"])
            if tag is not None:
                return tag
    return None
