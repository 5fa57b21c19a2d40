"""A whole review: findings, metrics and flags for one regimen, and its JSON form."""

from __future__ import annotations

from fractions import Fraction
from typing import Any, NamedTuple

from interactions.metrics import Flag, Metrics, Options, compute_flags, compute_metrics
from interactions.screen import Finding, ScreenContext, qt_source, screen
from interactions.tables import SEVERITIES, SEVERITY_RANK
from regimens.formulary import MatchKind, get_formulary
from regimens.regimen import LineKind, Medication, Regimen

#: Why an unlisted medicine is not screened: the one reason, so the review and the panel agree.
NOT_IN_FORMULARY = "not in the formulary"


class NotScreened(NamedTuple):
    """A line no rule could see: a medicine the formulary does not know, with no classes given."""

    line_id: str
    drug: str
    """The name as written."""
    description: str
    reason: str
    suggestions: tuple[str, ...] = ()
    """Formulary drugs the name may be a misspelling of (offered, never applied)."""

    def text(self) -> str:
        """The sentence the summary and the app's review show for it."""
        guess = f" Did you mean {' or '.join(self.suggestions)}?" if self.suggestions else ""
        return f"{self.description}: {self.reason}; no rule checked it.{guess}"


class Review(NamedTuple):
    age: int | None
    findings: list[Finding]
    metrics: Metrics
    flags: list[Flag]
    not_screened: tuple[NotScreened, ...] = ()
    """Lines no rule screened: silence about them is not safety."""

    def worst(self) -> str | None:
        return self.findings[0].severity if self.findings else None

    def count_of(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def fails(self, threshold: str) -> bool:
        return any(f.rank >= SEVERITY_RANK[threshold] for f in self.findings)


def review(regimen: Regimen, age: int | None = None, options: Options | None = None) -> Review:
    """Findings, metrics and flags of one regimen for a patient of ``age`` (None: unknown)."""
    metrics = compute_metrics(regimen, options)
    flags = line_flags(regimen) + compute_flags(regimen, metrics, age)
    return Review(age, screen(regimen, ScreenContext(age=age)), metrics, flags, not_screened(regimen))


def not_screened(regimen: Regimen) -> tuple[NotScreened, ...]:
    """Every unlisted medicine without classes, with spelling suggestions from the formulary."""
    out = []
    for med in regimen.medications:
        if med.screened:
            continue
        written = med.written.name if med.written is not None else med.name
        found = get_formulary().find(written)
        suggestions = tuple(m.drug.name for m in found if m.kind is MatchKind.SUGGESTION)
        out.append(NotScreened(med.id, written, med.description(), NOT_IN_FORMULARY, suggestions))
    return tuple(out)


def line_flags(regimen: Regimen) -> list[Flag]:
    """A flag per line that is screened but not a listed product: the pharmacist confirms it."""
    return [flag for med in regimen.medications for flag in medication_flags(med)]


def medication_flags(med: Medication) -> list[Flag]:
    """The flags one line raises by itself (a product to confirm, a dose not stated, classes given)."""
    flags = []
    if med.kind is LineKind.UNCONFIRMED:
        flags.append(Flag("product", PRODUCT_NOT_LISTED, med.ingredient_names(),
                          f"{med.description()}: product not in the formulary: confirm the strength and form. "
                          "It is screened by its ingredients; it cannot be tapered until it is a listed product.",
                          "taper", "C"))
    if not med.dose_known:
        written = med.written.dose if med.written is not None else ""
        flags.append(Flag("dose", DOSE_NOT_STATED, med.ingredient_names(),
                          f"{med.description()}: the dose or the way it is taken is not stated or could not be "
                          f"read{' (' + repr(written) + ')' if written else ''}; it is not counted in the totals. "
                          "Confirm it with the patient or prescriber.", "taper", "C"))
    if med.kind is LineKind.UNLISTED and med.screened:
        flags.append(Flag("product", UNLISTED_CLASSES, med.ingredient_names(),
                          f"{med.description()} is not in the formulary; it is screened only by the classes "
                          f"given to it ({', '.join(med.classes)}), not by drug-specific rules.", "taper", "C"))
    return flags


PRODUCT_NOT_LISTED = "PRODUCT-NOT-LISTED"
DOSE_NOT_STATED = "DOSE-NOT-STATED"
UNLISTED_CLASSES = "UNLISTED-CLASSES"


def _num(value: Fraction, places: int = 2) -> float | int:
    rounded = round(value, places)
    return int(rounded) if rounded.denominator == 1 else float(rounded)


def review_json(r: Review) -> dict[str, Any]:
    m = r.metrics
    return {
        "age": r.age,
        "metrics": {
            "medication_count": m.medication_count,
            "mme_per_day": _num(m.mme_per_day, 1),
            "mme_prn_max_per_day": _num(m.mme_prn_max_per_day, 1),
            "mme_max_per_day": _num(m.mme_max_per_day, 1),
            "mme_factor_set": m.mme_factor_set,
            "mme_notes": m.mme_notes,
            "diazepam_equivalent_mg_per_day": _num(m.diazepam_equivalent_mg_per_day),
            "diazepam_equivalent_prn_max_mg_per_day": _num(m.diazepam_equivalent_prn_max_mg_per_day),
            "diazepam_equivalent_table": m.benzo_table,
            "z_drug_diazepam_equivalent_mg_per_day": _num(m.z_drug_diazepam_equivalent_mg_per_day),
            "acb_score": m.acb_score,
            "acb_scale": m.acb_scale,
            "acb_contributions": m.acb_contributions,
            "cns_depressant_count": m.cns_depressant_count,
            "cns_depressants": m.cns_depressants,
            "acetaminophen_mg_per_day": _num(m.acetaminophen_mg_per_day),
            "acetaminophen_prn_max_mg_per_day": _num(m.acetaminophen_prn_max_mg_per_day),
            "findings_by_severity": {s: r.count_of(s) for s in reversed(SEVERITIES)},
        },
        "findings": [
            {
                "rule_id": f.rule_id,
                "kind": f.kind,
                "severity": f.severity,
                "drugs": list(f.drugs),
                "prn_drugs": list(f.prn_drugs),
                "mechanism": f.mechanism,
                "effect": f.effect,
                "management": f.management,
                "source": f.source,
                "year": f.year,
                "evidence": f.evidence,
                "unconfirmed": f.unconfirmed,
                "informational": f.non_interruptive,
                "escalated_for_age": f.escalated_for_age,
                "dose_context": f.dose_context,
                "also": [{"rule_id": a.rule_id, "severity": a.severity, "effect": a.effect} for a in f.also],
                "qt_risk": [{"drug": d, "category": c} for d, c in f.qt_risk],
                "qt_risk_source": qt_source() if f.qt_risk else None,
            }
            for f in r.findings
        ],
        "not_screened": [
            {"drug": n.drug, "reason": n.reason, "line_id": n.line_id, "description": n.description,
             "suggestions": list(n.suggestions)}
            for n in r.not_screened
        ],
        "flags": [
            {"kind": g.kind, "id": g.id, "drugs": list(g.drugs), "message": g.message,
             "source": g.source, "evidence": g.evidence, "check": g.check}
            for g in r.flags
        ],
    }
