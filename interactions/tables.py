"""The curated tables behind a review, loaded once: rules, MME factors, equivalents, ACB, Beers.

Plain JSON and named tuples, no pydantic or dataclasses: ``taper review`` must start fast. Every table
row carries its source; :func:`validate_tables` checks them all (a test runs it).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

DATA = Path(__file__).parent / "data"
SEVERITIES = ("minor", "moderate", "major", "contraindicated")
SEVERITY_RANK = {name: i for i, name in enumerate(SEVERITIES, start=1)}
KINDS = ("pair", "triple", "duplicate", "count", "ingredient")
QT_CATEGORIES = ("known", "possible", "conditional")
"""CredibleMeds QTdrugs risk categories, strongest first."""
QT_CATEGORY_TAGS = frozenset(f"QT-{c}" for c in QT_CATEGORIES)
"""Rule-side tags for a drug's QT risk category (``interactions/data/qt.json``), e.g. ``QT-known``."""


def load_json(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA / name).read_text("utf-8"))
    return data


class Side(NamedTuple):
    """Drugs a rule side matches: by generic name or by class tag, minus exclusions."""

    classes: frozenset[str]
    drugs: frozenset[str]
    exclude: frozenset[str] = frozenset()

    def matches(self, drug: str, classes: frozenset[str]) -> int:
        """0 when it does not match; 2 when the drug is named; 1 when matched by class."""
        if drug in self.exclude:
            return 0
        if drug in self.drugs:
            return 2
        return 1 if classes & self.classes else 0


class DoseThreshold(NamedTuple):
    drug: str
    above_mg_per_day: Fraction
    age_from: int | None = None


class Rule(NamedTuple):
    """One curated interaction rule (see ``interactions/data/rules.json``)."""

    id: str
    kind: str
    sides: tuple[Side, ...]
    severity: str
    older_adult_severity: str | None
    min_age: int | None
    min_count: int | None
    scheduled_only: bool
    dose_threshold: DoseThreshold | None
    dose_context: str | None
    mechanism: str
    effect: str
    management: str
    source: str
    year: int | None
    evidence: str
    non_interruptive: bool

    def severity_for(self, age: int | None) -> str:
        if self.older_adult_severity and age is not None and age >= 65:
            return self.older_adult_severity
        return self.severity


def _side(raw: dict[str, Any]) -> Side:
    return Side(frozenset(raw.get("classes", ())), frozenset(raw.get("drugs", ())),
                frozenset(raw.get("exclude", ())))


def _rule(raw: dict[str, Any]) -> Rule:
    threshold = raw.get("dose_threshold")
    return Rule(
        id=raw["id"],
        kind=raw["kind"],
        sides=tuple(_side(s) for s in raw["sides"]),
        severity=raw["severity"],
        older_adult_severity=raw.get("older_adult_severity"),
        min_age=raw.get("min_age"),
        min_count=raw.get("min_count"),
        scheduled_only=bool(raw.get("scheduled_only", False)),
        dose_threshold=DoseThreshold(threshold["drug"], Fraction(str(threshold["above_mg_per_day"])),
                                     threshold.get("age_from")) if threshold else None,
        dose_context=raw.get("dose_context"),
        mechanism=raw["mechanism"],
        effect=raw["effect"],
        management=raw["management"],
        source=raw["source"],
        year=raw.get("year"),
        evidence=raw["evidence"],
        non_interruptive=bool(raw.get("non_interruptive", False)),
    )


class RuleTable(NamedTuple):
    rules: tuple[Rule, ...]
    sources: dict[str, str]
    version: str

    def source_text(self, ids: str) -> str:
        """Full citations for a comma-separated list of source ids."""
        return "; ".join(self.sources.get(s.strip(), s.strip()).rstrip(". ") for s in ids.split(","))


@cache
def rule_table() -> RuleTable:
    raw = load_json("rules.json")
    return RuleTable(tuple(_rule(r) for r in raw["rules"]), dict(raw["sources"]), raw["version"])


class MmeFactor(NamedTuple):
    drug: str
    per: str
    factor: Fraction | None
    form: str | None = None
    tiers: tuple[tuple[Fraction | None, Fraction], ...] = ()
    note: str | None = None


class FactorSet(NamedTuple):
    id: str
    title: str
    source: str
    year: int
    factors: dict[str, list[MmeFactor]]


@cache
def mme_tables() -> dict[str, Any]:
    return load_json("mme.json")


@cache
def factor_set(set_id: str | None = None) -> FactorSet:
    raw = mme_tables()
    set_id = set_id or raw["default"]
    if set_id not in raw["factor_sets"]:
        raise KeyError(set_id)
    spec = raw["factor_sets"][set_id]
    factors: dict[str, list[MmeFactor]] = {}
    for f in spec["factors"]:
        tiers = tuple(
            (Fraction(t["up_to_mg_per_day"]) if t["up_to_mg_per_day"] is not None else None,
             Fraction(t["factor"]))
            for t in f.get("tiers", ())
        )
        factors.setdefault(f["drug"], []).append(MmeFactor(
            drug=f["drug"], per=f.get("per", "mg"),
            factor=Fraction(f["factor"]) if f.get("factor") is not None else None,
            form=f.get("form"), tiers=tiers, note=f.get("note"),
        ))
    return FactorSet(set_id, spec["title"], spec["source"], spec["year"], factors)


def factor_set_ids() -> list[str]:
    return list(mme_tables()["factor_sets"])


@cache
def benzo_tables() -> dict[str, Any]:
    return load_json("benzo_equivalents.json")


@cache
def acb_tables() -> dict[str, Any]:
    return load_json("acb.json")


@cache
def beers_table() -> dict[str, Any]:
    return load_json("beers.json")


@cache
def limits_table() -> dict[str, Any]:
    return load_json("limits.json")


@cache
def qt_table() -> dict[str, Any]:
    """QT risk category of every ``QT``-tagged drug, with its source (``interactions/data/qt.json``)."""
    return load_json("qt.json")


def qt_category(drug: str) -> str | None:
    """``known``, ``possible`` or ``conditional`` for a drug with a QT category; None otherwise."""
    row = qt_table()["drugs"].get(drug)
    return row["category"] if row else None


@cache
def dose_checks() -> dict[str, Any]:
    """Per-drug plausibility data: label maximum daily doses, weekly-only drugs, the very-high MME line."""
    return load_json("dose_checks.json")


@cache
def screening_tags(drug: str, classes: frozenset[str]) -> frozenset[str]:
    """The tags rule sides match for ``drug``: its formulary classes plus its QT risk category tag."""
    category = qt_category(drug)
    return classes | {f"QT-{category}"} if category else classes


PRIMARY_HOSTS = frozenset({
    # US agencies and their label databases
    "www.fda.gov", "fda.gov", "www.accessdata.fda.gov", "api.fda.gov", "dailymed.nlm.nih.gov",
    "www.cdc.gov", "www.hhs.gov", "www.nlm.nih.gov", "lhncbc.nlm.nih.gov",
    # journal articles: PubMed, PubMed Central, DOI and the journals' own sites
    "pubmed.ncbi.nlm.nih.gov", "pmc.ncbi.nlm.nih.gov", "www.ncbi.nlm.nih.gov", "doi.org",
    "link.springer.com", "www.nature.com", "bmchealthservres.biomedcentral.com", "www.ajmc.com",
    # the publishers of a scale, list or guideline themselves
    "crediblemeds.org", "www.acbcalc.com", "acbcalc.com", "rightdecisions.scot.nhs.uk", "nhsfife.org",
    "vsac.nlm.nih.gov",  # NLM's Value Set Authority Center (RxNorm codes with their NLM names)
    "www.pfizermedical.com", "www.mitigare.com",  # makers' own label and product-information sites
    "www.gov.scot", "deprescribing.org", "www.cfp.ca", "www.txvendordrug.com",
    "www.pbm.va.gov", "www.healthquality.va.gov", "www.nice.org.uk", "www.ismp.org",
    "988lifeline.org",  # the 988 Suicide & Crisis Lifeline, run for SAMHSA
    "redbook.streamliners.co.nz",  # Canterbury (NZ) Redbook, published by the health board on this host
})
"""Hosts a data row may cite by address: agencies, label databases, journals, a list's own publisher.
A mirror of a label or table (formweb.com, label copies, document-sharing sites) is never cited."""

_URL = re.compile(r"https?://([^/\s\"'),;]+)[^\s\"'),;]*")


def strings_in(data: object) -> Iterator[str]:
    """Every string inside a JSON structure."""
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from strings_in(value)
    elif isinstance(data, list):
        for value in data:
            yield from strings_in(value)


def non_primary_addresses(data: object) -> list[str]:
    """Web addresses in ``data`` whose host is not a primary source (see :data:`PRIMARY_HOSTS`)."""
    return [m.group(0) for text in strings_in(data) for m in _URL.finditer(text)
            if m.group(1).lower().rstrip(".") not in PRIMARY_HOSTS]


def validate_tables(known_drugs: frozenset[str], known_classes: frozenset[str]) -> list[str]:
    """Every problem found in the tables (empty when all is well)."""
    problems: list[str] = []
    known_classes = known_classes | QT_CATEGORY_TAGS
    table = rule_table()
    ids = [r.id for r in table.rules]
    if len(ids) != len(set(ids)):
        problems.append("duplicate rule ids")
    seen: dict[tuple[object, ...], str] = {}
    for rule in table.rules:
        where = f"rule {rule.id}"
        if rule.kind not in KINDS:
            problems.append(f"{where}: unknown kind {rule.kind}")
        expected = {"pair": 2, "triple": 3, "duplicate": 1, "count": 1, "ingredient": 0}.get(rule.kind)
        if len(rule.sides) != expected:
            problems.append(f"{where}: {len(rule.sides)} sides for a {rule.kind} rule")
        for sev in (rule.severity, rule.older_adult_severity):
            if sev is not None and sev not in SEVERITY_RANK:
                problems.append(f"{where}: unknown severity {sev}")
        if rule.evidence not in ("C", "S", "U"):
            problems.append(f"{where}: evidence must be C, S or U")
        for sid in rule.source.split(","):
            if sid.strip() not in table.sources:
                problems.append(f"{where}: unknown source {sid.strip()}")
        for side in rule.sides:
            for drug in side.drugs | side.exclude:
                if drug not in known_drugs:
                    problems.append(f"{where}: unknown drug {drug}")
            for cls in side.classes:
                if cls not in known_classes:
                    problems.append(f"{where}: unknown class {cls}")
            if not side.drugs and not side.classes:
                problems.append(f"{where}: a side matches nothing")
        if rule.kind == "count" and not rule.min_count:
            problems.append(f"{where}: a count rule needs min_count")
        if not (rule.effect and rule.management and rule.mechanism):
            problems.append(f"{where}: effect, management and mechanism are required")
        key_sides = tuple(sorted((tuple(sorted(s.classes)), tuple(sorted(s.drugs)),
                                  tuple(sorted(s.exclude))) for s in rule.sides))
        key = (rule.kind, key_sides, rule.dose_threshold, rule.min_age)
        if key in seen:
            problems.append(f"{where}: same sides as rule {seen[key]}")
        seen[key] = rule.id
    for name in sorted(p.name for p in DATA.glob("*.json")):
        for address in non_primary_addresses(load_json(name)):
            problems.append(f"{name}: cites {address}, which is not a primary source")
    for drug, row in qt_table()["drugs"].items():
        if drug not in known_drugs or row["category"] not in QT_CATEGORIES:
            problems.append(f"qt.json: {drug}: unknown drug or category")
    for row in dose_checks()["label_maximums"]:
        if row["drug"] not in known_drugs or not row.get("source") or Fraction(row["max_mg_per_day"]) <= 0:
            problems.append(f"dose_checks.json: {row['drug']}: unknown drug, no source or no maximum")
    return problems
