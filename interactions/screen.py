"""Screening a regimen against the curated interaction table.

``screen(regimen, context)`` returns findings sorted by severity. Each names the rule, the
patient's own drugs (generic names), the effect, what to do, and the source. One pair of drugs
is reported once: when a class rule and a drug rule both match it, the more specific rule is the
finding and the others are listed under ``also`` (nothing is hidden). PRN medicines are screened
too and marked.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from functools import cache
from itertools import product as cartesian
from typing import NamedTuple

from interactions.tables import SEVERITY_RANK, Rule, RuleTable, qt_category, qt_table, rule_table, screening_tags
from regimens.formulary import classes_of
from regimens.regimen import Regimen


class ScreenContext(NamedTuple):
    """What can change a rule's severity: the patient's age (None when unknown)."""

    age: int | None = None


class DrugPresence(NamedTuple):
    """One ingredient across the regimen: which lines hold it and its daily amount in mg."""

    drug: str
    classes: frozenset[str]
    med_ids: frozenset[str]
    prn_only: bool
    mg_per_day: Fraction


class Also(NamedTuple):
    """Another rule that matched the same drugs, shown with the finding."""

    rule_id: str
    severity: str
    effect: str


class Finding(NamedTuple):
    rule_id: str
    kind: str
    severity: str
    drugs: tuple[str, ...]
    prn_drugs: tuple[str, ...]
    mechanism: str
    effect: str
    management: str
    source: str
    source_ids: str
    year: int | None
    evidence: str
    non_interruptive: bool
    dose_context: str | None = None
    escalated_for_age: bool = False
    also: tuple[Also, ...] = ()
    qt_risk: tuple[tuple[str, str], ...] = ()
    """(drug, CredibleMeds category) of each drug when the rule is a QT rule; the source is :func:`qt_source`."""

    @property
    def unconfirmed(self) -> bool:
        return self.evidence == "U"

    @property
    def rank(self) -> int:
        return SEVERITY_RANK[self.severity]


def presences(regimen: Regimen) -> dict[str, DrugPresence]:
    """Ingredients of the regimen with where they appear and how much a day (PRN at its maximum)."""
    ids: dict[str, set[str]] = {}
    prn: dict[str, bool] = {}
    mg: dict[str, Fraction] = {}
    for med in regimen.medications:
        for drug in med.ingredient_names():
            ids.setdefault(drug, set()).add(med.id)
            prn[drug] = prn.get(drug, True) and med.prn
        for amount in med.ingredient_amounts():
            if amount.unit == "mg":
                mg[amount.drug] = mg.get(amount.drug, Fraction(0)) + amount.amount
    return {
        drug: DrugPresence(drug, classes_of(drug), frozenset(ids[drug]), prn[drug],
                           mg.get(drug, Fraction(0)))
        for drug in ids
    }


def _separate(*items: DrugPresence) -> bool:
    """True unless every drug comes only from one and the same medication line."""
    lines = [p.med_ids for p in items]
    return not (all(len(x) == 1 for x in lines) and len(frozenset().union(*lines)) == 1)


def _threshold_met(rule: Rule, drugs: dict[str, DrugPresence], involved: Sequence[str],
                   age: int | None) -> bool:
    t = rule.dose_threshold
    if t is None:
        return True
    if t.drug not in involved:
        return False
    if t.age_from is not None and (age is None or age < t.age_from):
        return False
    return drugs[t.drug].mg_per_day > t.above_mg_per_day


def qt_source() -> str:
    """Where the QT risk categories come from."""
    return str(qt_table()["source"])


def _is_qt_rule(rule: Rule) -> bool:
    return any(c == "QT" or c.startswith("QT-") for side in rule.sides for c in side.classes)


def _qt_risk(rule: Rule, names: Sequence[str]) -> tuple[tuple[str, str], ...]:
    if not _is_qt_rule(rule):
        return ()
    return tuple((d, c) for d in names if (c := qt_category(d)))


def qt_risk_text(risk: Sequence[tuple[str, str]]) -> str:
    """"QT risk (CredibleMeds category): trazodone conditional, venlafaxine possible"."""
    return "QT risk (CredibleMeds category): " + ", ".join(f"{d} {c}" for d, c in risk) + "."


def _finding(rule: Rule, table: RuleTable, involved: Sequence[str], drugs: dict[str, DrugPresence],
             age: int | None) -> Finding:
    severity = rule.severity_for(age)
    names = tuple(sorted(set(involved)))
    risk = _qt_risk(rule, names)
    effect = f"{rule.effect} {qt_risk_text(risk)}" if risk else rule.effect
    return Finding(
        rule_id=rule.id, kind=rule.kind, severity=severity, drugs=names,
        prn_drugs=tuple(d for d in names if drugs[d].prn_only),
        mechanism=rule.mechanism, effect=effect, management=rule.management,
        source=table.source_text(rule.source), source_ids=rule.source, year=rule.year,
        evidence=rule.evidence, non_interruptive=rule.non_interruptive,
        dose_context=rule.dose_context, escalated_for_age=severity != rule.severity, qt_risk=risk,
    )


@cache
def _drug_hits(drug: str) -> tuple[tuple[int, int, int], ...]:
    """(rule index, side index, specificity) of every rule side the drug can match."""
    classes = screening_tags(drug, classes_of(drug))
    return tuple(
        (ri, si, m)
        for ri, rule in enumerate(rule_table().rules)
        for si, side in enumerate(rule.sides)
        if (m := side.matches(drug, classes))
    )


def rule_sides_of(drug: str) -> tuple[tuple[int, int, int], ...]:
    """(rule index, side index, specificity) of every rule side ``drug`` can match."""
    return _drug_hits(drug)


def pair_rule_hits(a: DrugPresence, b: DrugPresence, age: int | None) -> list[tuple[int, int, Rule]]:
    """(specificity, severity rank, rule) of every *pair* rule matching two drugs of a regimen.

    The same test the full screen applies to a pair; the panel review builds its lookup table of
    drug pairs with it, so panel counts and single reviews agree.
    """
    if a.drug == b.drug or not _separate(a, b):
        return []
    table = rule_table()
    drugs = {a.drug: a, b.drug: b}
    hits_a = {(ri, si): spec for ri, si, spec in _drug_hits(a.drug)}
    hits_b = {(ri, si): spec for ri, si, spec in _drug_hits(b.drug)}
    found: dict[str, tuple[int, int, Rule]] = {}
    for ri in {ri for ri, _ in hits_a} & {ri for ri, _ in hits_b}:
        rule = table.rules[ri]
        if rule.kind != "pair":
            continue
        if rule.scheduled_only and (a.prn_only or b.prn_only):
            continue
        if not _threshold_met(rule, drugs, (a.drug, b.drug), age):
            continue
        spec = max(hits_a.get((ri, 0), 0) and hits_b.get((ri, 1), 0) and hits_a[(ri, 0)] + hits_b[(ri, 1)],
                   hits_a.get((ri, 1), 0) and hits_b.get((ri, 0), 0) and hits_a[(ri, 1)] + hits_b[(ri, 0)])
        if spec:
            found[rule.id] = (spec, SEVERITY_RANK[rule.severity_for(age)], rule)
    return list(found.values())


def screen(regimen: Regimen, context: ScreenContext | None = None) -> list[Finding]:
    """Findings for a regimen, most severe first."""
    context = context or ScreenContext()
    table = rule_table()
    age = context.age
    drugs = presences(regimen)
    # rule index -> side index -> {drug: specificity}
    hits: dict[int, dict[int, dict[str, int]]] = {}
    for drug in drugs:
        for ri, si, spec in _drug_hits(drug):
            hits.setdefault(ri, {}).setdefault(si, {})[drug] = spec
    pair_hits: dict[frozenset[str], list[tuple[int, int, Rule]]] = {}
    findings: list[Finding] = []
    for ri, sides in hits.items():
        rule = table.rules[ri]
        if len(sides) < len(rule.sides):
            continue
        if rule.scheduled_only:
            sides = {si: {d: v for d, v in m.items() if not drugs[d].prn_only} for si, m in sides.items()}
        if rule.kind == "pair":
            for (a, sa), (b, sb) in cartesian(sides[0].items(), sides[1].items()):
                if a == b or not _separate(drugs[a], drugs[b]):
                    continue
                if not _threshold_met(rule, drugs, (a, b), age):
                    continue
                key = frozenset((a, b))
                rank = SEVERITY_RANK[rule.severity_for(age)]
                pair_hits.setdefault(key, []).append((sa + sb, rank, rule))
        elif rule.kind == "triple":
            involved = _triple([list(sides[i]) for i in range(3)], drugs)
            if involved and _threshold_met(rule, drugs, involved, age):
                findings.append(_finding(rule, table, involved, drugs, age))
        else:
            if rule.min_age is not None and (age is None or age < rule.min_age):
                continue
            members = list(sides[0])
            needed = (rule.min_count or 2) if rule.kind == "count" else 2
            if len(members) < needed or not _separate(*(drugs[m] for m in members)):
                continue
            if rule.kind == "duplicate" and len(members) == 2:
                # Two drugs of one class are a pair: reported once with any pair rule on them.
                rank = SEVERITY_RANK[rule.severity_for(age)]
                spec = sum(sides[0].values())
                pair_hits.setdefault(frozenset(members), []).append((spec, rank, rule))
            else:
                findings.append(_finding(rule, table, members, drugs, age))
    for pair, matched in pair_hits.items():
        best_by_rule: dict[str, tuple[int, int, Rule]] = {}
        for spec, rank, rule in matched:
            if rule.id not in best_by_rule or spec > best_by_rule[rule.id][0]:
                best_by_rule[rule.id] = (spec, rank, rule)
        ordered = sorted(best_by_rule.values(), key=lambda h: (-h[0], -h[1], h[2].id))
        best = ordered[0][2]
        finding = _finding(best, table, sorted(pair), drugs, age)
        also = tuple(Also(r.id, r.severity_for(age), r.effect) for _, _, r in ordered[1:])
        findings.append(finding._replace(also=also))
    findings.extend(same_ingredient_findings(regimen, age))
    findings.sort(key=lambda f: (-f.rank, f.non_interruptive, f.rule_id, f.drugs))
    return findings


def same_ingredient_lines(regimen: Regimen) -> dict[str, tuple[list[str], list[str]]]:
    """Per ingredient: (ids of the scheduled lines, ids of the as-needed lines) that hold it."""
    lines: dict[str, tuple[list[str], list[str]]] = {}
    for med in regimen.medications:
        for drug in med.ingredient_names():
            lines.setdefault(drug, ([], []))[1 if med.prn else 0].append(med.id)
    return lines


def is_duplicate_therapy(scheduled: int, as_needed: int) -> bool:
    """Two scheduled lines, or two as-needed lines, of one ingredient. One scheduled line with as-needed
    lines is the scheduled-plus-breakthrough pattern: a flag with the combined maximum, not a finding."""
    return scheduled >= 2 or as_needed >= 2


def same_ingredient_findings(regimen: Regimen, age: int | None) -> list[Finding]:
    """One finding per ingredient that appears on two scheduled (or two as-needed) lines: brand and generic,
    two strengths, or a combination product with its own ingredient."""
    table = rule_table()
    rules = [r for r in table.rules if r.kind == "ingredient"]
    if not rules:
        return []
    rule = rules[0]
    drugs = presences(regimen)
    found = []
    for drug, (scheduled, as_needed) in same_ingredient_lines(regimen).items():
        if is_duplicate_therapy(len(scheduled), len(as_needed)):
            descriptions = [regimen.by_id(i).product.description() for i in scheduled + as_needed]
            finding = _finding(rule, table, (drug,), drugs, age)
            found.append(finding._replace(
                dose_context=f"{drug} is on {len(descriptions)} lines: " + "; ".join(descriptions) + "."))
    return found


def _triple(per_side: list[list[str]], drugs: dict[str, DrugPresence]) -> list[str]:
    """Drugs taking part in some assignment of three different drugs to the three sides."""
    involved: set[str] = set()
    for a, b, c in cartesian(*per_side):
        if len({a, b, c}) == 3 and _separate(drugs[a], drugs[b], drugs[c]):
            involved.update((a, b, c))
    return sorted(involved)
