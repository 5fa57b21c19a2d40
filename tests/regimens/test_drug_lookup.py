"""Looking up a typed drug name never presents another drug as a match.

Exact name, brand or synonym identify a drug; names that contain a search are listed as such;
anything else is at most a suggestion, and a suggestion ISMP lists as confused with the name typed
says so.
"""

from __future__ import annotations

import json
from importlib import resources

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from regimens.confused_names import confused_names, load_confused_names_data, name_key
from regimens.formulary import (
    IDENTIFYING,
    MatchKind,
    edit_distance,
    get_formulary,
    ismp_note,
    normalise_name,
)

EXACT, BRAND, SYNONYM = MatchKind.EXACT, MatchKind.BRAND, MatchKind.SYNONYM
SUBSTRING, SUGGESTION = MatchKind.SUBSTRING, MatchKind.SUGGESTION
NOTHING = None

#: (typed, kind of every result, the drug first found or NOTHING, drugs that must not appear at all)
CASES = [
    # the drug's own name, however it is typed
    ("oxycodone", EXACT, "oxycodone", ()),
    ("  GABAPENTIN ", EXACT, "gabapentin", ()),
    ("st john's wort", EXACT, "st john's wort", ()),
    ("hydrocodone/acetaminophen", EXACT, "hydrocodone/acetaminophen", ()),
    ("acetaminophen / hydrocodone", EXACT, "hydrocodone/acetaminophen", ()),
    ("phenelzine", EXACT, "phenelzine", ()),
    # listed lookalikes (ISMP pairs): each finds itself only
    ("phentermine", EXACT, "phentermine", ("phenelzine",)),
    ("oxybutynin", EXACT, "oxybutynin", ("oxycodone",)),
    # brands
    ("Xanax", BRAND, "alprazolam", ()),
    ("oxycontin", BRAND, "oxycodone", ()),
    ("Nardil", BRAND, "phenelzine", ()),
    ("Percocet", BRAND, "oxycodone/acetaminophen", ()),
    ("Celexa", BRAND, "citalopram", ("celecoxib", "olanzapine")),
    ("Celebrex", BRAND, "celecoxib", ("citalopram",)),
    ("Klonopin", BRAND, "clonazepam", ("clonidine",)),
    ("Lamictal", BRAND, "lamotrigine", ()),
    # synonyms
    ("paracetamol", SYNONYM, "acetaminophen", ()),
    ("pethidine", SYNONYM, "meperidine", ()),
    ("rifampicin", SYNONYM, "rifampin", ()),
    ("phenelzine sulfate", SYNONYM, "phenelzine", ()),
    ("Tylenol #3", SYNONYM, "acetaminophen/codeine", ()),
    # part of a name: a search, listed as such and never as the drug typed
    ("oxy", SUBSTRING, "oxybutynin", ()),
    ("pam", SUBSTRING, "nortriptyline", ()),
    ("Luvox", SUBSTRING, "fluvoxamine", ()),
    ("zepam", SUBSTRING, "clonazepam", ()),
    ("triptan", SUBSTRING, "almotriptan", ()),
    # misspellings: suggestions only
    ("oxycodine", SUGGESTION, "oxycodone", ()),
    ("sertaline", SUGGESTION, "sertraline", ()),
    ("xanex", SUGGESTION, "alprazolam", ()),
    ("gabapentine", SUGGESTION, "gabapentin", ()),
    ("acetominophen", SUGGESTION, "acetaminophen", ()),
    ("trazadone", SUGGESTION, "trazodone", ("tramadol",)),
    ("amitryptiline", SUGGESTION, "amitriptyline", ()),
    # lookalikes of drugs we do not list: never the other drug, at most a marked suggestion
    ("Diprivan", SUGGESTION, "fluconazole", ()),
    # ISMP-listed names that are drugs of the formulary themselves (many since issue 14): the drug, never
    # its lookalike; a misspelling of one is a suggestion of it, never of the lookalike
    ("famotidine", EXACT, "famotidine", ("lamotrigine",)),
    ("famotadine", SUGGESTION, "famotidine", ("lamotrigine",)),
    ("hydralazine", EXACT, "hydralazine", ("hydrochlorothiazide",)),
    ("Lodine", BRAND, "etodolac", ("codeine",)),
    ("oxybutynin", EXACT, "oxybutynin", ("oxycodone",)),
    ("clozapine", EXACT, "clozapine", ("clonazepam", "clonidine")),
    ("Zantac", BRAND, "ranitidine", ("alprazolam",)),
    ("estradiol", EXACT, "estradiol", ("lisinopril",)),
    # nothing at all
    ("zzzzqqq", NOTHING, NOTHING, ()),
    ("", NOTHING, NOTHING, ()),
    ("ox", NOTHING, NOTHING, ("oxycodone",)),
]


@pytest.mark.parametrize(("typed", "kind", "first", "absent"), CASES, ids=[c[0] or "empty" for c in CASES])
def test_lookup_table(typed, kind, first, absent):
    found = get_formulary().find(typed)
    if kind is NOTHING:
        assert found == []
    else:
        assert found and found[0].drug.name == first
        if kind in IDENTIFYING:
            assert found[0].kind is kind
            assert all(m.kind is SUBSTRING for m in found[1:])
        else:
            assert {m.kind for m in found} == {kind}
    assert not {m.drug.name for m in found} & set(absent)
    resolved = get_formulary().lookup(typed)
    assert (resolved.drug.name if resolved else None) == (first if kind in IDENTIFYING else None)


def test_a_lookalike_on_the_ismp_list_is_marked_wherever_it_is_offered():
    formulary = get_formulary()
    [diprivan] = formulary.find("Diprivan")
    assert diprivan.kind is SUGGESTION and diprivan.name == "Diflucan"
    assert ismp_note(diprivan) == "ISMP lists it as confused with Diprivan; check the name"
    message = formulary.unknown_message("Diprivan")
    assert "did you mean Diflucan (fluconazole)?" in message
    assert "ISMP lists Diflucan as confused with Diprivan; check the name" in message
    [clozapine] = formulary.find("clozapine")
    assert clozapine.kind is EXACT and clozapine.drug.name == "clozapine"
    pairs = {(c.name, c.confused_with, c.drug) for c in clozapine.ismp}
    assert pairs == {("cloZAPine", "clonazePAM", "clonazepam"), ("cloZAPine", "cloNIDine", "clonidine")}
    [zantac] = formulary.find("Zantac")
    assert zantac.kind is BRAND and zantac.drug.name == "ranitidine"
    assert {(c.name, c.confused_with) for c in zantac.ismp} == {("Zantac", "Xanax")}


def test_a_plain_spelling_suggestion_carries_no_ismp_mark():
    [oxycodone] = get_formulary().find("oxycodine")
    assert oxycodone.ismp == () and ismp_note(oxycodone) == ""
    assert get_formulary().unknown_message("oxycodine") == "'oxycodine' is not in the formulary (did you mean oxycodone?)"


def test_an_identified_drug_lists_its_ismp_pairs():
    [celexa] = get_formulary().find("Celexa")
    pairs = {(c.name, c.confused_with, c.drug) for c in celexa.ismp}
    assert ("CeleXA", "CeleBREX", "celecoxib") in pairs
    assert ("CeleXA", "ZyPREXA", "olanzapine") in pairs
    assert ("citalopram", "escitalopram", "escitalopram") in pairs
    assert all(c.pair.page >= 1 and c.pair.row >= 1 for c in celexa.ismp)


def test_suggestions_are_spelled_alike_or_listed_by_ismp():
    formulary = get_formulary()
    for typed in ["oxycodine", "xanex", "hydralazine", "clozapine", "Lodine", "tylenol pm", "sertaline"]:
        key = normalise_name(typed)
        for match in formulary.find(typed):
            close = min(edit_distance(key, normalise_name(n)) for n in formulary.names_of(match.drug)) <= 2
            assert close or match.ismp, (typed, match.drug.name)


@pytest.mark.parametrize(("a", "b", "distance"), [
    ("oxycodine", "oxycodone", 1), ("sertaline", "sertraline", 1), ("", "abc", 3), ("abc", "abc", 0),
    ("phentermine", "phenelzine", 3), ("famotidine", "lamotrigine", 3), ("ab", "ba", 1),
])
def test_edit_distance(a, b, distance):
    assert edit_distance(a, b) == distance == edit_distance(b, a)


def _identifying_names() -> set[str]:
    return {normalise_name(n) for d in get_formulary().drugs for n in (d.name, *d.brands, *d.synonyms)}


NAMES = sorted(_identifying_names())


@st.composite
def near_names(draw):
    """A formulary name with one to three letters inserted, deleted or changed, or plain text."""
    if draw(st.booleans()):
        return draw(st.text(alphabet="abcdefghijklmnopqrstuvwxyz /-#'", max_size=20))
    name = list(draw(st.sampled_from(NAMES)))
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(name)))
        edit = draw(st.sampled_from(["insert", "delete", "change"]))
        letter = draw(st.sampled_from("aeioulnrstxyz"))
        if edit == "insert":
            name.insert(at, letter)
        elif name and at < len(name):
            name[at:at + 1] = [] if edit == "delete" else [letter]
    return "".join(name)


def _names_a_drug(typed: str) -> bool:
    """True when ``typed`` is a drug's generic, brand or synonym (a combination in any order)."""
    key = normalise_name(typed)
    if key in _identifying_names():
        return True
    parts = [p.strip() for p in key.split("/")]
    return len(parts) > 1 and all(p in _identifying_names() for p in parts)


@given(typed=near_names())
@example(typed="phentermine")
@example(typed="famotidine")
@example(typed="oxycodone ")
@example(typed="acetaminophen/oxycodone")
def test_only_a_drugs_own_name_comes_back_as_exact_brand_or_synonym(typed):
    formulary = get_formulary()
    found = formulary.find(typed)
    identified = [m for m in found if m.kind in IDENTIFYING]
    if not _names_a_drug(typed):
        assert identified == [] and formulary.lookup(typed) is None
    assert len(identified) <= 1 and (not identified or found[0] is identified[0])
    if any(m.kind is SUGGESTION for m in found):
        assert all(m.kind is SUGGESTION for m in found)  # suggestions only when nothing else matched
    for match in found:
        if match.kind is SUGGESTION and match.ismp:
            assert ismp_note(match).endswith("check the name")


# --- the ISMP data file -------------------------------------------------------------------------

RAW = json.loads(resources.files("regimens").joinpath("data/confused_names.json").read_text("utf-8"))


def test_the_list_is_cited_to_ismp():
    source = RAW["source"]
    assert source["url"] == "https://www.ismp.org/recommendations/confused-drug-names-list"
    assert source["document"].startswith("https://www.ismp.org/")
    assert "2023" in source["edition"] and "ISMP" in source["cite"]
    assert source["evidence"] in ("C", "S")


def test_every_pair_names_a_formulary_drug_once_and_has_a_place_on_the_list():
    names = _identifying_names()
    seen = set()
    for pair in confused_names().pairs:
        key = frozenset(name_key(n) for n in pair.names)
        assert len(key) == 2 and key not in seen, pair
        seen.add(key)
        assert key & names or pair.note, pair  # rasageline: the list's own spelling, noted
        assert pair.page >= 1 and pair.row >= 1


def test_pairs_among_our_drugs_are_present():
    listed = confused_names()
    for a, b in [("tramadol", "trazodone"), ("hydromorphone", "morphine"), ("Celebrex", "Celexa"),
                 ("clonidine", "Klonopin"), ("Xanax", "Zantac"), ("duloxetine", "fluoxetine"),
                 ("oxycodone", "OxyContin"), ("hydrocodone", "oxycodone"), ("Zestril", "Zyprexa"),
                 ("prednisone", "prednisolone"), ("carbamazepine", "oxcarbazepine"), ("Paxil", "Plavix")]:
        assert listed.confused(a, b) is not None and listed.confused(b, a) is not None, (a, b)
    assert listed.confused("phenelzine", "oxycodone") is None


def test_a_malformed_pair_is_refused():
    with pytest.raises(ValueError, match="two names"):
        load_confused_names_data({"source": {}, "pairs": [{"names": ["a"], "page": 1, "row": 1}]})
    with pytest.raises(ValueError, match="itself"):
        load_confused_names_data({"source": {}, "pairs": [{"names": ["Xanax", "XANAX"], "page": 1, "row": 1}]})


ISMP_NAMES = sorted({n for p in confused_names().pairs for n in p.names})


@given(typed=st.sampled_from(ISMP_NAMES) | near_names())
@example(typed="Zantac")
@example(typed="oxybutynin")
def test_no_suggestion_is_an_unmarked_ismp_lookalike_of_the_name_typed(typed):
    """Whatever is typed, a suggested drug with a name ISMP lists as confused with it says so."""
    formulary, listed = get_formulary(), confused_names()
    for match in formulary.find(typed):
        if match.kind is not SUGGESTION:
            continue
        confused = [n for n in formulary.names_of(match.drug) if listed.confused(typed, n)]
        if confused:
            assert match.ismp and ismp_note(match).endswith("check the name"), (typed, match.drug.name)
            assert {name_key(c.name) for c in match.ismp} <= {name_key(n) for n in confused}
