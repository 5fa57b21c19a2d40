"""The patient's language from a FHIR R4 Patient (``communication``) and as a tag a case stores."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from regimens.language import from_fhir_patient, is_language_tag, normalised


def speaks(*entries):
    return {"resourceType": "Patient", "communication": list(entries)}


def lang(code, system="urn:ietf:bcp:47", preferred=None, text=None):
    entry = {"language": {"coding": [{"system": system, "code": code}], **({"text": text} if text else {})}}
    if preferred is not None:
        entry["preferred"] = preferred
    return entry


@pytest.mark.parametrize(("patient", "expected"), [
    (speaks(lang("es", text="Spanish")), "es"),                         # as Synthea writes it
    (speaks(lang("en-US"), lang("es-MX", preferred=True)), "es-MX"),    # the preferred one wins
    (speaks(lang("vi"), lang("en")), "vi"),                             # none preferred: the first
    (speaks(lang("ES")), "es"),
    (speaks(lang("es_MX")), "es-MX"),
    (speaks(lang("Spanish", system="http://example.org/local"), lang("es")), "es"),
    ({"resourceType": "Patient"}, None),
    (speaks(), None),
    (speaks({"language": {"text": "Spanish"}}), None),                  # words only: not a tag taper can use
    (speaks({"language": "es"}), None),                                 # not a CodeableConcept
    (speaks(lang("12")), None),
])
def test_the_preferred_language_of_a_fhir_patient(patient, expected):
    assert from_fhir_patient(patient) == expected


@given(st.from_regex(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8}){0,2}", fullmatch=True))
def test_a_tag_is_kept_as_written(tag):
    assert is_language_tag(tag) and normalised(tag) == tag
    assert from_fhir_patient(speaks(lang(tag))) == tag


@pytest.mark.parametrize("text", ["", "e", "english", "es mx", "es-", "-es", "ésp", "es-MX-"])
def test_what_is_not_a_tag(text):
    assert not is_language_tag(text) and normalised(text) is None
